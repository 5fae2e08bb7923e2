import type { LayerRecord } from './results.js';

export interface Quantiles {
  p10: number | null;
  median: number | null;
  p90: number | null;
}

export interface LayerBand {
  layer: number;
  a_ex2: Quantiles;
  z_ex2: Quantiles;
  relu_ex2_ratio: Quantiles;
  zero_frac: Quantiles;
}

/** Quantile by linear interpolation between order statistics (numpy's default); finite values only. */
export function quantile(values: readonly number[], p: number): number | null {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const at = p * (v.length - 1), lo = Math.floor(at), hi = Math.ceil(at);
  return v[lo] + (v[hi] - v[lo]) * (at - lo);
}

const quantiles = (values: (number | null)[]): Quantiles => {
  const v = values.filter((x): x is number => x !== null);
  return { p10: quantile(v, 0.1), median: quantile(v, 0.5), p90: quantile(v, 0.9) };
};

/** Per layer, the 10th, 50th and 90th percentiles across seeds of the headline statistics. */
export function layerBands(seeds: readonly LayerRecord[][]): LayerBand[] {
  return seeds[0].map((first, i) => ({
    layer: first.layer,
    a_ex2: quantiles(seeds.map((s) => s[i].a_ex2)),
    z_ex2: quantiles(seeds.map((s) => s[i].z_ex2)),
    relu_ex2_ratio: quantiles(seeds.map((s) => s[i].relu_ex2_ratio)),
    zero_frac: quantiles(seeds.map((s) => s[i].zero_frac)),
  }));
}
