import type { PatternResult } from '../experiment/results.js';
import type { LineSeries } from './lineFigure.js';
import { SERIES_COLORS } from './theme.js';

/** Series for the ReLU patterns only, each keeping the colour of its pattern in the E[a²] figure. */
export function reluSeries(patterns: PatternResult[], value: (l: PatternResult['layers'][number]) => number | null): LineSeries[] {
  return patterns
    .map((p, i) => ({ p, color: SERIES_COLORS[i % SERIES_COLORS.length] }))
    .filter(({ p }) => p.activation === 'relu')
    .map(({ p, color }) => ({ name: p.name, color, points: p.layers.map((l) => ({ x: l.layer, y: value(l) })) }));
}
