import type { PatternResult } from '../metrics/results.js';
import type { LineFigureSpec } from './lineFigure.js';
import { isReluFamily, patternSeries, THEORY_LEGEND } from './patternSeries.js';

/** E[a²]/E[z²] per layer for the ReLU patterns, against the ½ that a symmetric z predicts. */
export function reluRatioChart(patterns: PatternResult[]): LineFigureSpec {
  return {
    title: 'ReLU shrink factor: E[ReLU(z)^2] / E[z^2] (should be ~0.5)',
    xLabel: 'layer',
    yLabel: 'E[a^2] / E[z^2]',
    yScale: 'linear',
    yInclude: [0.4, 0.6],
    series: patternSeries(patterns, 'relu_ex2_ratio', (l) => l.theory?.relu_ex2_ratio ?? null, isReluFamily),
    extraLegend: [THEORY_LEGEND],
  };
}
