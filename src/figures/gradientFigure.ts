import type { PatternResult } from '../metrics/results.js';
import type { LineFigureSpec, LineSeries } from './lineFigure.js';
import { THEORY_LEGEND } from './patternSeries.js';
import { SERIES_COLORS } from './theme.js';

/**
 * E[(δz)²] per layer of the backward pass, and the mean-field prediction going down from the last
 * layer by χ = σw²·E[φ′(z)²] per step (ReLU: σw²/2, so Xavier halves per layer and He keeps it).
 */
export function gradientChart(patterns: PatternResult[]): LineFigureSpec {
  const series: LineSeries[] = [];
  patterns.forEach((p, i) => {
    if (p.layers.every((l) => l.grad_z_ex2 === undefined)) return;
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    const bands = p.bands?.every((b) => b.grad_z_ex2) ? p.bands : undefined;
    const measured = bands ? `${p.name} (median of ${p.seeds?.length} seeds)` : p.name;
    series.push(bands
      ? { name: measured, color, points: bands.map((b) => ({ x: b.layer, y: b.grad_z_ex2!.median })), band: bands.map((b) => ({ x: b.layer, lo: b.grad_z_ex2!.p10, hi: b.grad_z_ex2!.p90 })) }
      : { name: measured, color, points: p.layers.map((l) => ({ x: l.layer, y: l.grad_z_ex2 ?? null })) });
    series.push({ name: `${p.name} (theory)`, theoryOf: measured, color, dashed: true, legend: false, points: p.layers.map((l) => ({ x: l.layer, y: l.theory?.grad_z_ex2 ?? null })) });
  });
  return { title: 'E[δ^2] across layers (backward pass, from the last layer down)', xLabel: 'layer', yLabel: 'E[(dL/dz)^2]', yScale: 'log', series, extraLegend: [THEORY_LEGEND] };
}
