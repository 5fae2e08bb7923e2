import { describe, expect, it } from 'vitest';
import { heReluLogNormLaw, KEPT_CELLS, keptLawShapes } from '../../src/theory/finiteWidth.js';
import { prepareFiniteWidthLaw } from '../../src/predictions/attachPredictions.js';
import { defaultConfig } from '../../src/model/config.js';

// A run works the He + ReLU law out while its shards compute and reads it back when they are done, and
// the page's live changes go back and forth between a few shapes: a law asked again is the one kept,
// never changed by the laws worked out in between, and the kept laws stay under KEPT_CELLS cells.
describe('the finite-width law, worked out ahead and kept', () => {
  it('the same (n, L) asked again gives the very same law, also after others; another (n, L) gives its own', () => {
    const first = heReluLogNormLaw(32, 6);
    expect(heReluLogNormLaw(32, 6)).toBe(first);
    const copy = { mass: Array.from(first.mass), start: first.start, step: first.step, finite: first.finite };
    const other = heReluLogNormLaw(32, 7);
    expect(other).not.toBe(first);
    expect(other.mass.length === first.mass.length && other.mass.every((m, i) => m === first.mass[i])).toBe(false);
    const again = heReluLogNormLaw(32, 6);
    expect(again).toBe(first);
    expect({ mass: Array.from(again.mass), start: again.start, step: again.step, finite: again.finite }).toEqual(copy);
  });

  it('the oldest laws go once the kept ones pass KEPT_CELLS cells, and one worked out again equals the first to the bit', () => {
    const first = heReluLogNormLaw(24, 3);
    const copy = Array.from(first.mass);
    // width 24: 2^14 cells a law, so the law 16 laws after the first pushes it out
    const later = Array.from({ length: 16 }, (_, i) => heReluLogNormLaw(24, 4 + i));
    expect(later.every((law) => law.mass.length === 2 ** 14)).toBe(true);
    const shapes = keptLawShapes();
    expect(shapes).not.toContainEqual([24, 3]);
    expect(shapes.slice(-16)).toEqual(later.map((_, i) => [24, 4 + i]));
    expect(shapes.reduce((cells, [n, layers]) => cells + heReluLogNormLaw(n, layers).mass.length, 0)).toBeLessThanOrEqual(KEPT_CELLS);
    const again = heReluLogNormLaw(24, 3);
    expect(again).not.toBe(first);
    expect(Array.from(again.mass)).toEqual(copy);
  });

  it('prepareFiniteWidthLaw works out a He + ReLU pattern\'s law, at the config\'s width and depth, and nothing for other patterns', () => {
    const config = defaultConfig({ width: 48, depth: 5 });
    const before = keptLawShapes();
    prepareFiniteWidthLaw(config, { init: 'xavier', activation: 'relu' });
    prepareFiniteWidthLaw(config, { init: 'he', activation: 'tanh' });
    expect(keptLawShapes()).toEqual(before);
    prepareFiniteWidthLaw(config, { init: 'he', activation: 'relu' });
    expect(keptLawShapes().at(-1)).toEqual([48, 5]);
  });
});
