import type { LayerTotals } from './reduceRowStats.js';
import type { LayerRecord } from './results.js';

/** Means over all batch × width values; variances are population variances E[v²] − E[v]². */
export function layerRecord(layer: number, xEx2: number, t: LayerTotals): LayerRecord {
  const n = t.count;
  const zMean = t.zSum / n, aMean = t.aSum / n;
  const zEx2 = t.zSumSq / n, aEx2 = t.aSumSq / n;
  return {
    layer,
    x_ex2: xEx2,
    z_ex2: zEx2,
    a_ex2: aEx2,
    relu_ex2_ratio: zEx2 === 0 ? null : aEx2 / zEx2,
    // NaN compares unequal to 0, so once a layer is inf/NaN its zero count means nothing
    zero_frac: Number.isFinite(aEx2) ? t.zeros / n : null,
    z_mean: zMean,
    z_var: Math.max(0, zEx2 - zMean * zMean),
    a_mean: aMean,
    a_var: Math.max(0, aEx2 - aMean * aMean),
    z_min: t.zMin,
    z_max: t.zMax,
    a_min: t.aMin,
    a_max: t.aMax,
  };
}
