import { spreadOf } from './jacobianSpectrum.js';
import type { LayerBand, LayerRecord, PatternSpectrum, Quantiles, SpectrumBand } from './results.js';

/**
 * Quantile by linear interpolation between order statistics (Hyndman & Fan's type 7: d3's and
 * numpy's default) of the finite values; null if none. The arithmetic is d3.quantile's, so bands
 * are bit-identical to those it gave (test/experiment/seeds.test.ts compares them); kept here so that the run
 * loads no d3 until it draws.
 */
export function quantile(values: readonly (number | null)[], p: number): number | null {
  const sorted = Float64Array.from(values.filter((x): x is number => x !== null && Number.isFinite(x))).sort();
  const n = sorted.length;
  if (n === 0) return null;
  if (p <= 0 || n < 2) return sorted[0];
  if (p >= 1) return sorted[n - 1];
  const i = (n - 1) * p, i0 = Math.floor(i);
  return sorted[i0] + (sorted[i0 + 1] - sorted[i0]) * (i - i0);
}

/** The order statistic at p of the finite values (sorted[⌊p·(n − 1)⌋], no interpolation); null if none. */
export function orderStatistic(values: readonly number[], p: number): number | null {
  const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
  return sorted.length === 0 ? null : sorted[Math.floor(p * (sorted.length - 1))];
}

/** The tokens' statistics of --seq-len and attention blocks, banded where the records have them. */
export const TOKEN_KEYS = ['token_corr', 'attn_entropy'] as const;

/** The Signal Propagation Plot's statistics, banded where the records have them. */
export const SPP_KEYS = ['x_sq_ch_mean', 'x_ch_var', 'branch_ch_var'] as const;

const quantiles = (values: (number | null)[]): Quantiles => ({ p10: quantile(values, 0.1), median: quantile(values, 0.5), p90: quantile(values, 0.9) });

/** Per layer, the 10th, 50th and 90th percentiles across seeds of the headline statistics. */
export function layerBands(seeds: readonly LayerRecord[][]): LayerBand[] {
  return seeds[0].map((first, i) => ({
    layer: first.layer,
    a_ex2: quantiles(seeds.map((s) => s[i].a_ex2)),
    z_ex2: quantiles(seeds.map((s) => s[i].z_ex2)),
    relu_ex2_ratio: quantiles(seeds.map((s) => s[i].relu_ex2_ratio)),
    zero_frac: quantiles(seeds.map((s) => s[i].zero_frac)),
    z_corr: quantiles(seeds.map((s) => s[i].z_corr ?? null)),
    ...(first.grad_z_ex2 === undefined ? {} : { grad_z_ex2: quantiles(seeds.map((s) => s[i].grad_z_ex2 ?? null)) }),
    ...(first.grad_x_ex2 === undefined ? {} : { grad_x_ex2: quantiles(seeds.map((s) => s[i].grad_x_ex2 ?? null)) }),
    ...Object.fromEntries(SPP_KEYS.filter((k) => first[k] !== undefined).map((k) => [k, quantiles(seeds.map((s) => s[i][k] ?? null))])),
    ...Object.fromEntries(TOKEN_KEYS.filter((k) => first[k] !== undefined).map((k) => [k, quantiles(seeds.map((s) => s[i][k] ?? null))])),
  }));
}

/** Per spectrum layer, the 10th, 50th and 90th percentiles across seeds of var/mean² and of the largest eigenvalue. */
export function spectrumBands(seeds: readonly PatternSpectrum[]): SpectrumBand[] {
  return seeds[0].layers.map((first, i) => ({
    layer: first.layer,
    spread: quantiles(seeds.map((s) => spreadOf(s.layers[i]))),
    eig_max: quantiles(seeds.map((s) => s.layers[i].eig_max)),
  }));
}
