import type { PatternResult } from '../metrics/results.js';
import type { LineFigureSpec } from './lineFigure.js';
import { patternSeries, THEORY_LEGEND } from './patternSeries.js';

/** E[a²] per layer for every pattern on a log axis: Xavier + ReLU's halving shows as a straight fall. */
export function ex2Chart(patterns: PatternResult[]): LineFigureSpec {
  return {
    title: 'Propagation of E[a^2] across layers',
    xLabel: 'layer',
    yLabel: 'E[a^2]',
    yScale: 'log',
    series: patternSeries(patterns, 'a_ex2', (l) => l.theory?.a_ex2 ?? null),
    extraLegend: [THEORY_LEGEND],
  };
}
