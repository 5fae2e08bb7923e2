import type { LayerRecord, PatternResult } from '../metrics/results.js';
import type { LineSeries } from './lineFigure.js';
import { MUTED, seriesStyle } from './theme.js';

type Value = (l: LayerRecord) => number | null;
type BandKey = 'a_ex2' | 'z_ex2' | 'relu_ex2_ratio' | 'zero_frac' | 'z_corr' | 'x_sq_ch_mean' | 'x_ch_var' | 'branch_ch_var' | 'grad_x_ex2' | 'token_corr' | 'attn_entropy';

export const THEORY_LEGEND = { label: 'dashed: mean-field theory', color: MUTED, dashed: true };

/**
 * A measured line per pattern, each in its pattern's colour, plus a dashed theory line (from each
 * record's `theory`) that shares one legend entry. With several seeds the line is the median and a
 * shaded band spans the 10–90% range.
 */
export function patternSeries(patterns: PatternResult[], key: BandKey, theory?: Value, keep: (p: PatternResult) => boolean = () => true): LineSeries[] {
  const series: LineSeries[] = [];
  patterns.forEach((p, i) => {
    if (!keep(p)) return;
    const { color, marker } = seriesStyle(i);
    const measured = p.bands ? `${p.name} (median of ${p.seeds?.length} seeds)` : p.name;
    if (p.bands) {
      series.push({
        name: measured,
        color,
        marker,
        points: p.bands.map((b) => ({ x: b.layer, y: b[key]?.median ?? null })),
        band: p.bands.map((b) => ({ x: b.layer, lo: b[key]?.p10 ?? null, hi: b[key]?.p90 ?? null })),
      });
    } else {
      series.push({ name: measured, color, marker, points: p.layers.map((l) => ({ x: l.layer, y: l[key] ?? null })) });
    }
    if (theory && p.layers.some((l) => l.theory)) {
      series.push({ name: `${p.name} (theory)`, theoryOf: measured, color, dashed: true, legend: false, points: p.layers.map((l) => ({ x: l.layer, y: l.theory ? theory(l) : null })) });
    }
  });
  return series;
}

/** The ReLU family, whose shrink factor and zeros the original plots. */
export const isReluFamily = (p: PatternResult) => p.activation === 'relu' || p.activation === 'leaky_relu';
