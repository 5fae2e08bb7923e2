import type { PatternResult } from '../metrics/results.js';
import type { LineFigureSpec, LineSeries } from './lineFigure.js';
import { THEORY_LEGEND } from './patternSeries.js';
import { seriesStyle } from './theme.js';

/**
 * E[(δz)²] per layer of the backward pass, and the mean-field prediction going down from the last
 * layer by χ = σw²·E[φ′(z)²] per step (ReLU: σw²/2, so Xavier halves per layer and He keeps it).
 * Residual blocks show the stream's E[(δx)²] instead, with χ = 1 + α²·σw²·S(q_h)/q per block.
 */
export function gradientChart(patterns: PatternResult[]): LineFigureSpec {
  const series: LineSeries[] = [];
  patterns.forEach((p, i) => {
    if (p.layers.every((l) => l.grad_z_ex2 === undefined)) return;
    const key = p.layers.some((l) => l.grad_x_ex2 !== undefined) ? 'grad_x_ex2' : 'grad_z_ex2';
    const { color, marker } = seriesStyle(i);
    const bands = p.bands?.every((b) => b[key]) ? p.bands : undefined;
    const label = key === 'grad_x_ex2' ? `${p.name}: stream δx` : p.name;
    const measured = bands ? `${label} (median of ${p.seeds?.length} seeds)` : label;
    series.push(bands
      ? { name: measured, color, marker, points: bands.map((b) => ({ x: b.layer, y: b[key]!.median })), band: bands.map((b) => ({ x: b.layer, lo: b[key]!.p10, hi: b[key]!.p90 })) }
      : { name: measured, color, marker, points: p.layers.map((l) => ({ x: l.layer, y: l[key] ?? null })) });
    series.push({ name: `${p.name} (theory)`, theoryOf: measured, color, dashed: true, legend: false, points: p.layers.map((l) => ({ x: l.layer, y: l.theory?.[key] ?? null })) });
  });
  const stream = patterns.some((p) => p.layers.some((l) => l.grad_x_ex2 !== undefined));
  const chart = { title: 'E[δ^2] across layers (backward pass, from the last layer down)', xLabel: 'layer', yLabel: stream ? 'E[(dL/dz)^2]; residual: E[(dL/dx)^2]' : 'E[(dL/dz)^2]', yScale: 'log' as const, series };
  // attention and transformer blocks have no χ chain here: say so rather than promise a dashed line
  if (series.every((s) => !s.dashed || s.points.every((q) => q.y === null))) return { ...chart, note: 'No theory drawn: the mean-field χ chain is the MLP blocks\', and attention blocks have none here.' };
  return { ...chart, extraLegend: [THEORY_LEGEND],
    // the χ chain is the infinite-width prediction; measured at width 512, He + GELU's steps exceed it by 8.6% per layer (torch agrees)
    note: 'dashed: mean-field χ at infinite width; at finite width the measured steps depart from it (He + GELU: +8.6% per layer at width 512)' };
}
