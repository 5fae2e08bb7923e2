import { describe, expect, it } from 'vitest';
import { heReluLogNormLaw } from '../../src/theory/finiteWidth.js';
import { prepareFiniteWidthLaw } from '../../src/predictions/attachPredictions.js';
import { defaultConfig } from '../../src/model/config.js';

// A run works the He + ReLU law out while its shards compute and reads it back when they are done:
// the second ask of the same (n, L) must be the same law, and another (n, L) in between must not leak.
describe('the finite-width law, worked out ahead', () => {
  it('the same (n, L) asked again gives the very same law; another (n, L) in between gives its own, and the first again equals it to the bit', () => {
    const first = heReluLogNormLaw(32, 6);
    expect(heReluLogNormLaw(32, 6)).toBe(first);
    const other = heReluLogNormLaw(32, 7);
    expect(other).not.toBe(first);
    expect(other.mass.length === first.mass.length && other.mass.every((m, i) => m === first.mass[i])).toBe(false);
    const again = heReluLogNormLaw(32, 6);
    expect(again).not.toBe(first);
    expect(Array.from(again.mass)).toEqual(Array.from(first.mass));
    expect([again.start, again.step, again.finite]).toEqual([first.start, first.step, first.finite]);
  });

  it('prepareFiniteWidthLaw works out a He + ReLU pattern\'s law, at the config\'s width and depth, and nothing for other patterns', () => {
    const config = defaultConfig({ width: 48, depth: 5 });
    const held = heReluLogNormLaw(16, 2);
    prepareFiniteWidthLaw(config, { init: 'xavier', activation: 'relu' });
    prepareFiniteWidthLaw(config, { init: 'he', activation: 'tanh' });
    expect(heReluLogNormLaw(16, 2)).toBe(held);
    prepareFiniteWidthLaw(config, { init: 'he', activation: 'relu' });
    // the law held now is (48, 5)'s: (16, 2) is worked out anew
    expect(heReluLogNormLaw(16, 2)).not.toBe(held);
  });
});
