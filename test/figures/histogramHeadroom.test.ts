import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { histogramFigure } from '../../src/figures/histogramFigure.js';
import { jsdomDocument } from '../../src/figures/jsdomDocument.js';
import type { PatternResult } from '../../src/metrics/results.js';

// depth-run.json: --batch 64 --width 32 --depth 6 --hist-layers all; layer 1 of He + ReLU, its peaks set
// to round numbers: the tallest bar 100 (a linear axis's nice() and a log axis's power of ten both end
// there) and the law's tallest expected count 120, above every bar
const run = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'depth-run.json'), 'utf8'));
const pattern: PatternResult = run.patterns[0];
const layer = structuredClone(pattern.histograms[0]);
for (const panel of [layer.z, layer.a]) {
  const peak = Math.max(...panel.counts), at = panel.counts.indexOf(peak);
  panel.counts = panel.counts.map((c: number) => Math.round((c / peak) * 100));
  if (panel.expected) {
    const expectedPeak = Math.max(...panel.expected.filter(Number.isFinite));
    panel.expected = panel.expected.map((c: number) => (c / expectedPeak) * 120);
  }
  expect(panel.counts[at]).toBe(100);
}
const peaked: PatternResult = { ...pattern, histograms: [layer] };

/** The smallest y (px, in its plot's frame: 0 is the frame's top) of every bar and of the dashed expected counts. */
function highest(svg: SVGSVGElement): { bar: number; expected: number } {
  const bars = [...svg.querySelectorAll('g.bars rect')].map((r) => Number(r.getAttribute('y')));
  const expected = [...svg.querySelectorAll('path.density')].flatMap((p) => [...(p.getAttribute('d') ?? '').matchAll(/[ML,]?(-?[\d.]+),(-?[\d.e-]+)/g)].map((m) => Number(m[2])));
  return { bar: Math.min(...bars), expected: Math.min(...expected) };
}

describe('page and CLI histograms', () => {
  for (const logCounts of [false, true]) {
    it(`leave headroom over their tallest bar and their tallest expected count (${logCounts ? 'log' : 'linear'} counts): neither touches the frame's top`, () => {
      const svg = histogramFigure(peaked, { document: jsdomDocument(), width: 980 }, { logCounts });
      expect(svg.querySelectorAll('path.density').length).toBe(2);
      const { bar, expected } = highest(svg);
      // at least 5 px under the top of a 176 px plot
      expect(bar).toBeGreaterThanOrEqual(5);
      expect(expected).toBeGreaterThanOrEqual(5);
    });
  }
});
