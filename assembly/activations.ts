// φ applied to z, written to a, fused with the per-row statistics of both, so z is read once.
// Twin: src/kernel/reference/activations.ts.

import { STAT_Z_SUM, STAT_Z_SUMSQ, STAT_Z_MIN, STAT_Z_MAX, STAT_A_SUM, STAT_A_SUMSQ, STAT_A_MIN, STAT_A_MAX, STAT_A_ZEROS, STAT_FIELDS } from "./stats";

// Twin: Activation in src/kernel/layout.ts.
export const ACT_IDENTITY: i32 = 0;
export const ACT_RELU: i32 = 1;

@inline function phi(z: f32, activation: i32): f32 {
  if (activation == ACT_RELU) return z > 0 ? z : 0;
  return z;
}

/**
 * For each of `rows` rows: a[c] = φ(z[c]) for c < cols (a may alias z), and the row's sums,
 * sums of squares (f64, column order), min, max and count of a == 0, written as STAT_FIELDS
 * f64 at statsPtr + row·STAT_FIELDS·8.
 */
export function activateWithStats(zPtr: usize, zStride: i32, aPtr: usize, aStride: i32, rows: i32, cols: i32, activation: i32, statsPtr: usize): void {
  for (let r = 0; r < rows; r++) {
    let zp = zPtr + ((<usize>r * <usize>zStride) << 2);
    let ap = aPtr + ((<usize>r * <usize>aStride) << 2);
    let zSum: f64 = 0, zSq: f64 = 0, zMin = Infinity, zMax = -Infinity;
    let aSum: f64 = 0, aSq: f64 = 0, aMin = Infinity, aMax = -Infinity, zeros: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const z32 = load<f32>(zp);
      const a32 = phi(z32, activation);
      store<f32>(ap, a32);
      const z = <f64>z32, a = <f64>a32;
      zSum += z;
      zSq += z * z;
      zMin = Math.min(zMin, z);
      zMax = Math.max(zMax, z);
      aSum += a;
      aSq += a * a;
      aMin = Math.min(aMin, a);
      aMax = Math.max(aMax, a);
      zeros += a == 0 ? 1 : 0;
      zp += 4;
      ap += 4;
    }
    const s = statsPtr + <usize>r * <usize>(STAT_FIELDS << 3);
    store<f64>(s + (STAT_Z_SUM << 3), zSum);
    store<f64>(s + (STAT_Z_SUMSQ << 3), zSq);
    store<f64>(s + (STAT_Z_MIN << 3), zMin);
    store<f64>(s + (STAT_Z_MAX << 3), zMax);
    store<f64>(s + (STAT_A_SUM << 3), aSum);
    store<f64>(s + (STAT_A_SUMSQ << 3), aSq);
    store<f64>(s + (STAT_A_MIN << 3), aMin);
    store<f64>(s + (STAT_A_MAX << 3), aMax);
    store<f64>(s + (STAT_A_ZEROS << 3), zeros);
  }
}
