// Per-row statistics accumulated in 8 lanes: lane c takes the columns j ≡ c (mod 8) in ascending j,
// so the epilogue can add 8 columns at once with SIMD and the result does not depend on which
// kernel (fused, unfused, zero-skipping) produced the row. finishRow combines the lanes in a fixed
// tree. Twin: src/kernel/reference/rowAccumulator.ts.

import { ROW_ACC_BYTES, STAT_Z_SUM, STAT_Z_SUMSQ, STAT_Z_MIN, STAT_Z_MAX, STAT_A_SUM, STAT_A_SUMSQ, STAT_A_MIN, STAT_A_MAX, STAT_A_ZEROS } from "./layout";

// Byte offsets inside one row's accumulator; ROW_ACC_BYTES (layout.ts) is its size.
export const Z_SUM: usize = 0;   // 8 × f64
export const Z_SQ: usize = 64;   // 8 × f64
export const A_SUM: usize = 128; // 8 × f64
export const A_SQ: usize = 192;  // 8 × f64
export const Z_MIN: usize = 256; // 8 × f32
export const Z_MAX: usize = 288;
export const A_MIN: usize = 320;
export const A_MAX: usize = 352;
export const ZEROS: usize = 384; // 8 × i32

export function resetRowAcc(acc: usize): void {
  const zero = f64x2.splat(0);
  for (let off: usize = 0; off < Z_MIN; off += 16) v128.store(acc + off, zero);
  const inf = f32x4.splat(Infinity), ninf = f32x4.splat(-Infinity);
  v128.store(acc + Z_MIN, inf); v128.store(acc + Z_MIN + 16, inf);
  v128.store(acc + Z_MAX, ninf); v128.store(acc + Z_MAX + 16, ninf);
  v128.store(acc + A_MIN, inf); v128.store(acc + A_MIN + 16, inf);
  v128.store(acc + A_MAX, ninf); v128.store(acc + A_MAX + 16, ninf);
  v128.store(acc + ZEROS, i32x4.splat(0)); v128.store(acc + ZEROS + 16, i32x4.splat(0));
}

/** Adds one column to lane c (for the columns of a partial 8-column group). */
export function accumulateLane(acc: usize, c: usize, z32: f32, a32: f32): void {
  const z = <f64>z32, a = <f64>a32;
  const d = c << 3, s = c << 2;
  store<f64>(acc + Z_SUM + d, load<f64>(acc + Z_SUM + d) + z);
  store<f64>(acc + Z_SQ + d, load<f64>(acc + Z_SQ + d) + z * z);
  store<f64>(acc + A_SUM + d, load<f64>(acc + A_SUM + d) + a);
  store<f64>(acc + A_SQ + d, load<f64>(acc + A_SQ + d) + a * a);
  store<f32>(acc + Z_MIN + s, Mathf.min(load<f32>(acc + Z_MIN + s), z32));
  store<f32>(acc + Z_MAX + s, Mathf.max(load<f32>(acc + Z_MAX + s), z32));
  store<f32>(acc + A_MIN + s, Mathf.min(load<f32>(acc + A_MIN + s), a32));
  store<f32>(acc + A_MAX + s, Mathf.max(load<f32>(acc + A_MAX + s), a32));
  store<i32>(acc + ZEROS + s, load<i32>(acc + ZEROS + s) + (a32 == 0 ? 1 : 0));
}

// ((S0+S2)+(S4+S6)) + ((S1+S3)+(S5+S7)): the pairwise tree of the f64x2 lanes.
@inline function laneSum(at: usize): f64 {
  const r = f64x2.add(f64x2.add(v128.load(at), v128.load(at, 16)), f64x2.add(v128.load(at, 32), v128.load(at, 48)));
  return f64x2.extract_lane(r, 0) + f64x2.extract_lane(r, 1);
}

@inline function laneMin(at: usize): f64 {
  const m = f32x4.min(v128.load(at), v128.load(at, 16));
  return <f64>Mathf.min(Mathf.min(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), Mathf.min(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
}

@inline function laneMax(at: usize): f64 {
  const m = f32x4.max(v128.load(at), v128.load(at, 16));
  return <f64>Mathf.max(Mathf.max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), Mathf.max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
}

/**
 * Writes the row's STAT_FIELDS record (f64) at `stats` from its lanes; `aIsZ`: a's sums from z's lanes
 * (the identity's rows, whose full groups went through accumulate8Identity; a partial group's columns
 * add to both alike). The same values in the same order, so the record is bit for bit the same.
 */
export function finishRow(acc: usize, stats: usize, aIsZ: bool): void {
  // a's lanes: its own, or z's
  const aSum = acc + (aIsZ ? Z_SUM : A_SUM), aSq = acc + (aIsZ ? Z_SQ : A_SQ), aMin = acc + (aIsZ ? Z_MIN : A_MIN), aMax = acc + (aIsZ ? Z_MAX : A_MAX);
  store<f64>(stats + (STAT_Z_SUM << 3), laneSum(acc + Z_SUM));
  store<f64>(stats + (STAT_Z_SUMSQ << 3), laneSum(acc + Z_SQ));
  store<f64>(stats + (STAT_Z_MIN << 3), laneMin(acc + Z_MIN));
  store<f64>(stats + (STAT_Z_MAX << 3), laneMax(acc + Z_MAX));
  store<f64>(stats + (STAT_A_SUM << 3), laneSum(aSum));
  store<f64>(stats + (STAT_A_SUMSQ << 3), laneSum(aSq));
  store<f64>(stats + (STAT_A_MIN << 3), laneMin(aMin));
  store<f64>(stats + (STAT_A_MAX << 3), laneMax(aMax));
  const n = i32x4.add(v128.load(acc + ZEROS), v128.load(acc + ZEROS, 16));
  store<f64>(stats + (STAT_A_ZEROS << 3), <f64>(i32x4.extract_lane(n, 0) + i32x4.extract_lane(n, 1) + i32x4.extract_lane(n, 2) + i32x4.extract_lane(n, 3)));
}
