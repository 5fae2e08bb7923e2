import type { LayerRecord, PatternResult } from '../experiment/results.js';
import type { LineSeries } from './lineFigure.js';
import { MUTED, SERIES_COLORS } from './theme.js';

type Value = (l: LayerRecord) => number | null;

export const THEORY_LEGEND = { label: 'dashed: mean-field theory', color: MUTED, dashed: true };

/**
 * A measured line per pattern, each in its pattern's colour, plus a dashed theory line (from each
 * record's `theory`) that shares one legend entry.
 */
export function patternSeries(patterns: PatternResult[], value: Value, theory?: Value, keep: (p: PatternResult) => boolean = () => true): LineSeries[] {
  const series: LineSeries[] = [];
  patterns.forEach((p, i) => {
    if (!keep(p)) return;
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    series.push({ name: p.name, color, points: p.layers.map((l) => ({ x: l.layer, y: value(l) })) });
    if (theory && p.layers.some((l) => l.theory)) {
      series.push({ name: `${p.name} (theory)`, color, dashed: true, legend: false, points: p.layers.map((l) => ({ x: l.layer, y: l.theory ? theory(l) : null })) });
    }
  });
  return series;
}

/** The ReLU family, whose shrink factor and zeros the original plots. */
export const isReluFamily = (p: PatternResult) => p.activation === 'relu' || p.activation === 'leaky_relu';
