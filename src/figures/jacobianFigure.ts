import type { PatternResult, Quantiles, SpectrumBand, SpectrumRecord, SpectrumTheory } from '../metrics/results.js';
import { spreadOf } from '../metrics/jacobianSpectrum.js';
import type { LineFigureSpec, LineSeries } from './lineFigure.js';
import { THEORY_LEGEND } from './patternSeries.js';
import { seriesStyle } from './theme.js';

const FREE_PROBABILITY_LEGEND = { ...THEORY_LEGEND, label: 'dashed: free probability' };
const banded = (patterns: PatternResult[]) => patterns.some((p) => p.spectrum?.bands !== undefined);

/**
 * --spectrum: E‖J‖²_F/n₀ of the input–output Jacobian per layer (the mean squared singular value, over
 * the inputs it was taken at), and the product of the layers' χ that mean-field theory predicts.
 */
export function jacobianChart(patterns: PatternResult[]): LineFigureSpec {
  const series: LineSeries[] = [];
  patterns.forEach((p, i) => {
    if (p.layers.every((l) => l.jacobian_sq_mean === undefined)) return;
    const { color, marker } = seriesStyle(i);
    // with --seeds the Jacobian is the first seed's
    const measured = p.seeds && p.seeds.length > 1 ? `${p.name} (first seed)` : p.name;
    series.push({ name: measured, color, marker, points: p.layers.map((l) => ({ x: l.layer, y: l.jacobian_sq_mean ?? null })) });
    series.push({ name: `${p.name} (theory)`, theoryOf: measured, color, dashed: true, legend: false, points: p.layers.map((l) => ({ x: l.layer, y: l.theory?.jacobian_sq_mean ?? null })) });
  });
  return {
    title: 'Mean squared singular value of J, E‖J‖²/n₀ (theory: the product of χ)',
    xLabel: 'layer',
    yLabel: 'E‖J‖² / n₀',
    yScale: 'log',
    series,
    extraLegend: [THEORY_LEGEND],
    // each input's ‖J‖² is a product of L random factors: at width n its log spreads by about √(2L/n)
    note: 'dashed: infinite width; at width n each input’s ‖J‖² spreads by about e^±√(2L/n)',
  };
}

/**
 * --spectrum: how far JJᵀ's eigenvalues spread across depth, var/mean² at the layers whose spectrum was
 * taken (--hist-layers all for every layer), measured and by free probability: dynamical isometry keeps it
 * near 0; it grows by 1 + E[φ′⁴]/E[φ′²]² − 1 per layer with Gaussian weights, and 1 less with orthogonal ones.
 */
export function spectrumDepthChart(patterns: PatternResult[]): LineFigureSpec {
  const series = spectrumSeries(patterns, spreadOf, spreadOf, (b) => b.spread);
  return {
    title: 'Spread of J Jᵀ’s eigenvalues across depth: var/mean² (theory: free probability)',
    xLabel: 'layer',
    yLabel: 'var(λ) / mean(λ)²',
    yScale: 'linear',
    series,
    extraLegend: [FREE_PROBABILITY_LEGEND],
    note: `${banded(patterns) ? 'band: 10–90% over seeds; ' : ''}dashed: infinite width, which finite width outgrows at depth; isometry keeps it near 0`,
  };
}

/**
 * --spectrum: the largest eigenvalue of JJᵀ across depth, measured (with the seeds' band) and the right edge of
 * the free-probability law's support. At width n the largest eigenvalue approaches the edge slowly: deep
 * Gaussian products' upper tails thin out, so it falls short of the edge by more with depth.
 */
export function spectrumEdgeChart(patterns: PatternResult[]): LineFigureSpec {
  const series = spectrumSeries(patterns, (s) => s.eig_max, (t) => t.eig_max, (b) => b.eig_max);
  return {
    title: 'Largest eigenvalue of J Jᵀ across depth (theory: the support’s right edge)',
    xLabel: 'layer',
    yLabel: 'largest eigenvalue λ_max',
    yScale: 'log',
    series,
    extraLegend: [FREE_PROBABILITY_LEGEND],
    note: `${banded(patterns) ? 'band: 10–90% over seeds; ' : ''}dashed: infinite width, which the largest of n eigenvalues nears slowly in n`,
  };
}

/** Per pattern with a spectrum, its measured line over its layers (with the seeds' band) and its theory dashed. */
function spectrumSeries(patterns: PatternResult[], measuredOf: (s: SpectrumRecord) => number, theoryOf: (t: SpectrumTheory) => number, bandOf: (b: SpectrumBand) => Quantiles): LineSeries[] {
  return patterns.flatMap((p, i) => {
    const layers = p.spectrum?.layers ?? [];
    if (layers.length === 0) return [];
    const { color, marker } = seriesStyle(i);
    const measured = p.seeds && p.seeds.length > 1 ? `${p.name} (first seed)` : p.name;
    const band = p.spectrum?.bands?.map((b) => ({ x: b.layer, lo: bandOf(b).p10, hi: bandOf(b).p90 }));
    return [
      { name: measured, color, marker, points: layers.map((s) => ({ x: s.layer, y: measuredOf(s) })), ...(band ? { band } : {}) },
      { name: `${p.name} (theory)`, theoryOf: measured, color, dashed: true, legend: false, points: layers.map((s) => ({ x: s.layer, y: s.theory ? theoryOf(s.theory) : null })) },
    ];
  });
}
