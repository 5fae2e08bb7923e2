import type { PatternResult } from '../metrics/results.js';
import type { LineFigureSpec } from './lineFigure.js';
import { isReluFamily, patternSeries, THEORY_LEGEND } from './patternSeries.js';

/** Share of exactly-zero activations per layer for the ReLU patterns. */
export function zeroFractionChart(patterns: PatternResult[]): LineFigureSpec {
  return {
    title: 'ReLU sparsity: fraction of zeros in activation',
    xLabel: 'layer',
    yLabel: 'fraction of a == 0',
    yScale: 'linear',
    yInclude: [0.4, 0.6],
    series: patternSeries(patterns, 'zero_frac', (l) => l.theory?.zero_frac ?? null, isReluFamily),
    extraLegend: [THEORY_LEGEND],
  };
}
