import type { PatternResult } from '../metrics/results.js';
import type { LineFigureSpec } from './lineFigure.js';
import { patternSeries, THEORY_LEGEND } from './patternSeries.js';

/** How alike two inputs' pre-activations are, layer by layer, measured and as the correlation map predicts. */
export function corrChart(patterns: PatternResult[]): LineFigureSpec {
  return {
    title: 'Correlation of inputs across layers: mean cosine of z over all pairs of rows (theory: the c-map)',
    xLabel: 'layer',
    yLabel: 'z_corr (mean pair cosine of z)',
    yScale: 'linear',
    yInclude: [0, 1],
    series: patternSeries(patterns, 'z_corr', (l) => l.theory?.c ?? null),
    extraLegend: [THEORY_LEGEND],
  };
}
