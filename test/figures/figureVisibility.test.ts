import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { figureSet } from '../../src/figures/figureSet.js';
import { jsdomDocument } from '../../src/figures/jsdomDocument.js';
import { lineFigure, type LineFigureSpec } from '../../src/figures/lineFigure.js';
import { rasterize } from '../../src/figures/rasterize.js';
import { serializeSvg } from '../../src/figures/serializeSvg.js';
import type { PatternResult } from '../../src/metrics/results.js';
import { decodePngPixels } from '../helpers/png.js';

// A colour no figure uses: one measured series at a time is drawn in it, so the pixels that show it are
// exactly that series' visible marks (line and markers), whatever else shares its colour (its theory).
const PROBE = [255, 0, 255];
const PROBE_HEX = '#ff00ff';
// Share of a series' marks that must stay visible with everything else drawn. Hidden under a theory
// line, Xavier + Identity's E[a²] kept 62 px against 983 for He + ReLU (6%); a series drawn under its
// neighbours but with its markers on top keeps well over half. A quarter separates the two.
const MIN_VISIBLE = 0.25;

/** Pixels of the probe colour (antialiased edges within 60 of it in RGB) inside the plot area. */
function probePixels(spec: LineFigureSpec): number {
  const svg = serializeSvg(lineFigure(spec, { document: jsdomDocument() }));
  const plot = /class="plot" transform="translate\(([\d.]+),([\d.]+)\)" data-plot-width="([\d.]+)" data-plot-height="([\d.]+)"/.exec(svg);
  if (!plot) throw new Error('no plot area in the figure');
  const [left, top, w, h] = plot.slice(1).map(Number);
  const { width, rgba } = decodePngPixels(rasterize(svg));
  let count = 0;
  for (let y = Math.floor(top); y < top + h; y++) {
    for (let x = Math.floor(left); x < left + w; x++) {
      const i = (y * width + x) * 4;
      if (Math.hypot(rgba[i] - PROBE[0], rgba[i + 1] - PROBE[1], rgba[i + 2] - PROBE[2]) < 60) count++;
    }
  }
  return count;
}

// the default run (8192 × 1024, depth 20, A/B/C) as committed in figures/
const defaultRun = (): PatternResult[] => JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'figures', 'metrics.json'), 'utf8')).patterns;

describe('measured data is never hidden', () => {
  const charts = figureSet(defaultRun()).filter((j) => j.chart);
  it.each(['relu_spread_check_ex2', 'relu_zero_fraction', 'relu_spread_check_zex2', 'relu_spread_check_relu_ratio', 'relu_spread_check_corr'])('%s of the default run: every pattern\'s measured line keeps at least a quarter of its marks visible', (name) => {
    const chart = charts.find((j) => j.name === name)!.chart!;
    const measured = chart.series.filter((s) => !s.dashed);
    expect(measured.length).toBeGreaterThan(1);
    for (const target of measured) {
      const recolored = chart.series.map((s) => (s === target ? { ...s, color: PROBE_HEX } : s));
      const alone = probePixels({ ...chart, series: [{ ...target, color: PROBE_HEX }] });
      const shown = probePixels({ ...chart, series: recolored });
      expect(alone, `${target.name} draws nothing`).toBeGreaterThan(200);
      expect(shown / alone, `${name}: ${target.name} shows ${shown} of its ${alone} px`).toBeGreaterThanOrEqual(MIN_VISIBLE);
    }
  });

  // drawn on top of its measurement (with a white halo), a theory line hid the measured line wherever the
  // two agree: He + ReLU kept 83% of its zeros line; under it, only antialiasing at the crossings is lost
  it.each(['relu_spread_check_ex2', 'relu_zero_fraction', 'relu_spread_check_zex2', 'relu_spread_check_relu_ratio', 'relu_spread_check_corr'])('%s: a pattern\'s own theory line takes at most a twentieth of its measured marks', (name) => {
    const chart = charts.find((j) => j.name === name)!.chart!;
    for (const target of chart.series.filter((s) => !s.dashed)) {
      const theory = chart.series.filter((s) => s.theoryOf === target.name);
      const alone = probePixels({ ...chart, series: [{ ...target, color: PROBE_HEX }] });
      const withTheory = probePixels({ ...chart, series: [{ ...target, color: PROBE_HEX }, ...theory] });
      expect(withTheory / alone, `${name}: ${target.name} keeps ${withTheory} of ${alone} px beside its theory`).toBeGreaterThanOrEqual(0.95);
    }
  });
});
