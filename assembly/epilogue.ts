// The epilogue shared by the dense and the zero-skipping kernels: what happens to finished rows of
// z. The kernels run it on each block of rows while the block's sums are still in cache, which
// measured faster than running it inside the micro-kernel's tile (V8 spills around the inlined
// epilogue there).
//
// A row's full 8-column groups are summed into statistics lanes held in registers, in passes over
// the row (z's lanes while z and a are written, then a's sums and zeros, then a's extremes): with the
// lanes in memory, each group cost two loads and two stores per lane vector, and those bound the
// epilogue. The additions are the same, in the same order per lane, so every lane is bit for bit
// what accumulating in memory gives. A partial last group is added column by column.

import { ACT_IDENTITY, ACT_RELU, phi, phi4 } from "./activations";
import { laneOf } from "./lanes";
import { STAT_FIELDS } from "./layout";
import { A_MAX, A_MIN, A_SQ, A_SUM, ZEROS, Z_MAX, Z_MIN, Z_SQ, Z_SUM, accumulateLane, finishRow, resetRowAcc } from "./rowAccumulator";

// lanes 0,1 | 2,3 of an f32x4, widened to f64 (squares of f32 are exact in f64)
@inline function low2(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
@inline function high2(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

@inline function store4(at: usize, v0: v128, v1: v128, v2: v128, v3: v128): void {
  v128.store(at, v0); v128.store(at, v1, 16); v128.store(at, v2, 32); v128.store(at, v3, 48);
}

// z = sums (+ b) of `groups` full groups: stored at z (when z != 0), a = φ(z) at a; z's lanes
// (sums, squares, extremes) to acc.
function zPass(sums: usize, groups: i32, z: usize, a: usize, acc: usize, activation: i32, alpha: f32, bias: usize): void {
  let s0 = f64x2.splat(0), s1 = s0, s2 = s0, s3 = s0, q0 = s0, q1 = s0, q2 = s0, q3 = s0;
  let mn0 = f32x4.splat(Infinity), mn1 = mn0, mx0 = f32x4.splat(-Infinity), mx1 = mx0;
  let zeros = i32x4.splat(0);
  for (let g = 0; g < groups; g++) {
    const at = <usize>g << 5;
    let lo = v128.load(sums + at), hi = v128.load(sums + at, 16);
    if (bias != 0) {
      lo = f32x4.add(lo, v128.load(bias + at));
      hi = f32x4.add(hi, v128.load(bias + at, 16));
    }
    if (z != 0) {
      v128.store(z + at, lo);
      v128.store(z + at, hi, 16);
    }
    v128.store(a + at, phi4(lo, activation, alpha));
    v128.store(a + at, phi4(hi, activation, alpha), 16);
    mn0 = f32x4.min(mn0, lo); mn1 = f32x4.min(mn1, hi);
    mx0 = f32x4.max(mx0, lo); mx1 = f32x4.max(mx1, hi);
    if (activation == ACT_IDENTITY) zeros = countZeros(zeros, lo, hi);
    // one widened pair at a time, so that few temporaries live beside the 12 lanes
    let p = low2(lo); s0 = f64x2.add(s0, p); q0 = f64x2.add(q0, f64x2.mul(p, p));
    p = high2(lo); s1 = f64x2.add(s1, p); q1 = f64x2.add(q1, f64x2.mul(p, p));
    p = low2(hi); s2 = f64x2.add(s2, p); q2 = f64x2.add(q2, f64x2.mul(p, p));
    p = high2(hi); s3 = f64x2.add(s3, p); q3 = f64x2.add(q3, f64x2.mul(p, p));
  }
  store4(acc + Z_SUM, s0, s1, s2, s3);
  store4(acc + Z_SQ, q0, q1, q2, q3);
  v128.store(acc + Z_MIN, mn0); v128.store(acc + Z_MIN, mn1, 16);
  v128.store(acc + Z_MAX, mx0); v128.store(acc + Z_MAX, mx1, 16);
  if (activation == ACT_IDENTITY) storeZeros(acc, zeros);
}

// Zeros of 8 columns added to 4 counting lanes (lane j takes columns ≡ j mod 4: finishRow adds all the
// lanes, and integer sums do not depend on the grouping). eq gives −1 in matching lanes, so
// subtracting counts them.
@inline function countZeros(n: v128, lo: v128, hi: v128): v128 {
  const zero = f32x4.splat(0);
  return i32x4.sub(i32x4.sub(n, f32x4.eq(lo, zero)), f32x4.eq(hi, zero));
}
@inline function storeZeros(acc: usize, n: v128): void {
  v128.store(acc + ZEROS, n);
  v128.store(acc + ZEROS, i32x4.splat(0), 16);
}

// a's sums, squares and zeros over `groups` full groups at a (not for the identity: its a is z, whose
// pass counted the zeros, and finishRow reads a's sums off z's lanes).
function aSumsPass(a: usize, groups: i32, acc: usize): void {
  let s0 = f64x2.splat(0), s1 = s0, s2 = s0, s3 = s0, q0 = s0, q1 = s0, q2 = s0, q3 = s0;
  let zeros = i32x4.splat(0);
  for (let g = 0; g < groups; g++) {
    const at = <usize>g << 5;
    const lo = v128.load(a + at), hi = v128.load(a + at, 16);
    zeros = countZeros(zeros, lo, hi);
    let p = low2(lo); s0 = f64x2.add(s0, p); q0 = f64x2.add(q0, f64x2.mul(p, p));
    p = high2(lo); s1 = f64x2.add(s1, p); q1 = f64x2.add(q1, f64x2.mul(p, p));
    p = low2(hi); s2 = f64x2.add(s2, p); q2 = f64x2.add(q2, f64x2.mul(p, p));
    p = high2(hi); s3 = f64x2.add(s3, p); q3 = f64x2.add(q3, f64x2.mul(p, p));
  }
  store4(acc + A_SUM, s0, s1, s2, s3);
  store4(acc + A_SQ, q0, q1, q2, q3);
  storeZeros(acc, zeros);
}

// ReLU's a extremes from z's: max(·, +0) is monotone (and keeps NaN), so the least and the greatest
// max(z, +0) of a lane are max(least z, +0) and max(greatest z, +0), the same bits as a pass over a.
// (A lane no full group reached says +0 for its greatest instead of −∞; a row's a is ≥ +0 or NaN, so
// its greatest is the same.)
function reluExtremesFromZ(acc: usize): void {
  const zero = f32x4.splat(0);
  v128.store(acc + A_MIN, f32x4.max(v128.load(acc + Z_MIN), zero)); v128.store(acc + A_MIN, f32x4.max(v128.load(acc + Z_MIN, 16), zero), 16);
  v128.store(acc + A_MAX, f32x4.max(v128.load(acc + Z_MAX), zero)); v128.store(acc + A_MAX, f32x4.max(v128.load(acc + Z_MAX, 16), zero), 16);
}

// a's extremes over `groups` full groups at a.
function aExtremesPass(a: usize, groups: i32, acc: usize): void {
  let mn0 = f32x4.splat(Infinity), mn1 = mn0, mx0 = f32x4.splat(-Infinity), mx1 = mx0;
  for (let g = 0; g < groups; g++) {
    const at = <usize>g << 5;
    const lo = v128.load(a + at), hi = v128.load(a + at, 16);
    mn0 = f32x4.min(mn0, lo); mn1 = f32x4.min(mn1, hi);
    mx0 = f32x4.max(mx0, lo); mx1 = f32x4.max(mx1, hi);
  }
  v128.store(acc + A_MIN, mn0); v128.store(acc + A_MIN, mn1, 16);
  v128.store(acc + A_MAX, mx0); v128.store(acc + A_MAX, mx1, 16);
}

/**
 * For each of `rows` rows of sums (row stride `sumsStride` bytes): z = sums (+ b when bias != 0: the
 * bias is added to the finished sum, zero-padded past `cols`), stored at zOut (stride zStride bytes)
 * when zOut != 0; a = φ(z) at aOut (stride aStride; may alias the sums); the row's statistics record
 * (STAT_FIELDS f64) at statsPtr + row·STAT_FIELDS·8. `accPtr` is ROW_ACC_BYTES of scratch. Only the
 * first `cols` columns are read for results, but the last 8-column group of a row is loaded whole.
 */
export function finishRows(sums: usize, sumsStride: usize, zOut: usize, zStride: usize, aOut: usize, aStride: usize, rows: i32, cols: i32,
  activation: i32, alpha: f32, bias: usize, statsPtr: usize, accPtr: usize): void {
  const groups = cols >> 3, tail = cols & 7, identity = activation == ACT_IDENTITY;
  for (let r = 0; r < rows; r++) {
    const ri = <usize>r, row = sums + ri * sumsStride, z: usize = zOut == 0 ? 0 : zOut + ri * zStride, a = aOut + ri * aStride;
    resetRowAcc(accPtr);
    // z's pass, with its 13 lanes, stays a function of its own, so V8 allocates registers for its loop
    // alone: binaryen inlines a function called from one place (the smaller passes below are), and
    // inlined here the pass spilled and ran slower. Hence its two call sites.
    if (identity) zPass(row, groups, z, a, accPtr, ACT_IDENTITY, alpha, bias);
    else {
      zPass(row, groups, z, a, accPtr, activation, alpha, bias);
      aSumsPass(a, groups, accPtr);
      if (activation == ACT_RELU) reluExtremesFromZ(accPtr);
      else aExtremesPass(a, groups, accPtr);
    }
    if (tail != 0) {
      const at = <usize>groups << 5;
      let lo = v128.load(row + at), hi = v128.load(row + at, 16);
      if (bias != 0) {
        lo = f32x4.add(lo, v128.load(bias + at));
        hi = f32x4.add(hi, v128.load(bias + at, 16));
      }
      for (let c = 0; c < tail; c++) {
        const v = laneOf(lo, hi, c), w = phi(v, activation, alpha), off = at + (<usize>c << 2);
        if (z != 0) store<f32>(z + off, v);
        store<f32>(a + off, w);
        accumulateLane(accPtr, <usize>c, v, w);
      }
    }
    finishRow(accPtr, statsPtr + ri * <usize>(STAT_FIELDS << 3), identity);
  }
}
