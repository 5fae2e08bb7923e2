import type { PatternResult } from '../metrics/results.js';
import type { LineFigureSpec } from './lineFigure.js';
import { patternSeries, THEORY_LEGEND } from './patternSeries.js';

/** E[z²] per layer, measured and as the length map qˡ predicts it. */
export function zex2Chart(patterns: PatternResult[]): LineFigureSpec {
  return {
    title: 'Pre-activation second moment E[z^2] across layers (theory: q of the length map)',
    xLabel: 'layer',
    yLabel: 'E[z^2]',
    yScale: 'log',
    series: patternSeries(patterns, 'z_ex2', (l) => l.theory?.z_ex2 ?? null),
    extraLegend: [THEORY_LEGEND],
  };
}
