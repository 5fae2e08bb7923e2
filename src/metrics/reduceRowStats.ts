import { STAT_A_MAX, STAT_A_MIN, STAT_A_SUM, STAT_A_SUMSQ, STAT_A_ZEROS, STAT_FIELDS, STAT_Z_MAX, STAT_Z_MIN, STAT_Z_SUM, STAT_Z_SUMSQ } from '../kernel/layout.js';

export interface LayerTotals {
  count: number;
  zSum: number;
  zSumSq: number;
  zMin: number;
  zMax: number;
  aSum: number;
  aSumSq: number;
  aMin: number;
  aMax: number;
  zeros: number;
}

/**
 * Sums per-row statistics in batch-row order, whatever shards produced them, so the totals are
 * bit-identical for any split of the batch. `parts` must be given in row order.
 */
export function reduceRowStats(parts: readonly Float64Array[], cols: number): LayerTotals {
  const t: LayerTotals = { count: 0, zSum: 0, zSumSq: 0, zMin: Infinity, zMax: -Infinity, aSum: 0, aSumSq: 0, aMin: Infinity, aMax: -Infinity, zeros: 0 };
  for (const rows of parts) {
    for (let s = 0; s < rows.length; s += STAT_FIELDS) {
      t.zSum += rows[s + STAT_Z_SUM];
      t.zSumSq += rows[s + STAT_Z_SUMSQ];
      t.zMin = Math.min(t.zMin, rows[s + STAT_Z_MIN]);
      t.zMax = Math.max(t.zMax, rows[s + STAT_Z_MAX]);
      t.aSum += rows[s + STAT_A_SUM];
      t.aSumSq += rows[s + STAT_A_SUMSQ];
      t.aMin = Math.min(t.aMin, rows[s + STAT_A_MIN]);
      t.aMax = Math.max(t.aMax, rows[s + STAT_A_MAX]);
      t.zeros += rows[s + STAT_A_ZEROS];
      t.count += cols;
    }
  }
  return t;
}
