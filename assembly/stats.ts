// Exact histogram binning. Twin: src/kernel/reference/stats.ts.

import { ACT_IDENTITY, ACT_RELU, phi, phi4 } from "./activations";
import { HIST_LANES } from "./layout";

// Counting lanes of histogram (HIST_LANES): consecutive values go to different copies of the
// counts, so runs of values in one bin (the zeros after a ReLU) do not wait on each other's increments.

// Bin of v (lo ≤ v ≤ hi): the arithmetic guess, corrected against the edges.
@inline function binOf(v: f64, lo: f64, perUnit: f64, edgesPtr: usize, bins: i32): usize {
  let i = <i32>Math.floor((v - lo) * perUnit);
  if (i >= bins) i = bins - 1;
  if (i < 0) i = 0;
  if (v < load<f64>(edgesPtr + (<usize>i << 3))) i--;
  else if (i < bins - 1 && v >= load<f64>(edgesPtr + (<usize>(i + 1) << 3))) i++;
  return <usize>i << 2;
}

@inline function countInto(lane: usize, v: f64, lo: f64, hi: f64, perUnit: f64, edgesPtr: usize, bins: i32): void {
  if (v >= lo && v <= hi) {
    const at = lane + binOf(v, lo, perUnit, edgesPtr, bins);
    store<u32>(at, load<u32>(at) + 1);
  }
}

// A value as counted: z itself, or a = φ(z) by the very φ the layer kernels apply (phi4, lane-wise phi), so
// a histogram of a taken from z matches one taken from the a the layer wrote, bit for bit. Four at a time:
// phi4's ReLU is a lane mask, without the branches of a scalar f32.max (random signs mispredict those:
// 2.4× the histogram's time).
@inline function values4(p: usize, activation: i32, alpha: f32): v128 {
  const z = v128.load(p);
  return activation == ACT_IDENTITY ? z : phi4(z, activation, alpha);
}

@inline function valueAt(p: usize, activation: i32, alpha: f32): f64 {
  const z = load<f32>(p);
  return activation == ACT_IDENTITY ? <f64>z : <f64>phi(z, activation, alpha);
}

// The fast path: a value whose guess (v − lo)·perUnit lies at least FAST_MARGIN of a bin inside bin g
// (0 ≤ g < bins) is in bin g by the edges too, so the edge checks are skipped for it. This holds when
// every edge lies within FAST_MARGIN/4 of a bin of where the arithmetic puts it (edgesAreRegular): the
// guess's rounding error is below 3·2⁻⁵³·bins ≈ 1.4e-12 bins, far inside the margin. Edges off by more
// (a range narrow against its magnitude, or edges of another rule) leave every value to the checks.
const FAST_MARGIN: f64 = 1.0 / 1048576; // 2⁻²⁰ of a bin

function edgesAreRegular(edgesPtr: usize, bins: i32, lo: f64, perUnit: f64): bool {
  if (!(perUnit > 0 && perUnit < Infinity)) return false;
  for (let i = 0; i <= bins; i++) {
    const off = (load<f64>(edgesPtr + (<usize>i << 3)) - lo) * perUnit - <f64>i;
    if (!(Math.abs(off) <= FAST_MARGIN / 4)) return false;
  }
  return true;
}

/**
 * Adds to the u32 counts at `countsPtr` the number of values of a rows × cols f32 block, taken
 * through φ of `activation` (0: the values themselves), that fall in
 * each of `bins` bins bounded by the bins+1 ascending f64 edges at `edgesPtr`: bin i is
 * [edge i, edge i+1), the last bin also takes its upper edge. The arithmetic guess is corrected
 * against the edges, so counts agree exactly with the published edges. NaN and out-of-range
 * values are not counted. countsPtr has room for HIST_LANES·bins u32: the first bins are the
 * result, the rest is scratch.
 */
export function histogram(ptr: usize, stride: i32, rows: i32, cols: i32, activation: i32, alpha: f32, edgesPtr: usize, bins: i32, countsPtr: usize): void {
  const laneBytes = <usize>bins << 2;
  const lane1 = countsPtr + laneBytes, lane2 = lane1 + laneBytes, lane3 = lane2 + laneBytes;
  memory.fill(lane1, 0, laneBytes * <usize>(HIST_LANES - 1));
  // one loop per case, each with its activation a constant (the loops are inlined and folded)
  if (activation == ACT_IDENTITY) countRows(ptr, stride, rows, cols, ACT_IDENTITY, alpha, edgesPtr, bins, countsPtr);
  else if (activation == ACT_RELU) countRows(ptr, stride, rows, cols, ACT_RELU, alpha, edgesPtr, bins, countsPtr);
  else countRows(ptr, stride, rows, cols, activation, alpha, edgesPtr, bins, countsPtr);
  for (let b: usize = 0; b < laneBytes; b += 4) {
    store<u32>(countsPtr + b, load<u32>(countsPtr + b) + load<u32>(lane1 + b) + load<u32>(lane2 + b) + load<u32>(lane3 + b));
  }
}

@inline function countRows(ptr: usize, stride: i32, rows: i32, cols: i32, activation: i32, alpha: f32, edgesPtr: usize, bins: i32, countsPtr: usize): void {
  const lo = load<f64>(edgesPtr);
  const hi = load<f64>(edgesPtr + (<usize>bins << 3));
  const perUnit = <f64>bins / (hi - lo);
  const laneBytes = <usize>bins << 2;
  const lane1 = countsPtr + laneBytes, lane2 = lane1 + laneBytes, lane3 = lane2 + laneBytes;
  const fast = edgesAreRegular(edgesPtr, bins, lo, perUnit);
  const loV = f64x2.splat(lo), perV = f64x2.splat(perUnit), zeroV = f64x2.splat(0), lastV = f64x2.splat(<f64>(bins - 1));
  const marginV = f64x2.splat(FAST_MARGIN), topV = f64x2.splat(1 - FAST_MARGIN);
  for (let r = 0; r < rows; r++) {
    const row = ptr + ((<usize>r * <usize>stride) << 2);
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const v = values4(row + (<usize>c << 2), activation, alpha);
      if (fast) {
        // the guess of 4 values in f64x2, as binOf computes it; counted directly when all 4 are inside their bins
        const p0 = f64x2.promote_low_f32x4(v), p1 = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
        const f0 = f64x2.mul(f64x2.sub(p0, loV), perV), f1 = f64x2.mul(f64x2.sub(p1, loV), perV);
        const g0 = f64x2.floor(f0), g1 = f64x2.floor(f1);
        const r0 = f64x2.sub(f0, g0), r1 = f64x2.sub(f1, g1);
        // inside: 0 ≤ g < bins, below the next edge by the margin, and above g's edge by the margin or, in bin 0,
        // at or above lo = edges[0] itself (after a ReLU half of a is exactly lo = 0). NaN fails every
        // comparison, so it takes the checked path, which does not count it.
        const ok = v128.and(
          v128.and(v128.and(f64x2.ge(g0, zeroV), f64x2.le(g0, lastV)), v128.and(f64x2.le(r0, topV),
            v128.or(f64x2.ge(r0, marginV), v128.and(f64x2.eq(g0, zeroV), f64x2.ge(p0, loV))))),
          v128.and(v128.and(f64x2.ge(g1, zeroV), f64x2.le(g1, lastV)), v128.and(f64x2.le(r1, topV),
            v128.or(f64x2.ge(r1, marginV), v128.and(f64x2.eq(g1, zeroV), f64x2.ge(p1, loV))))));
        if (i64x2.all_true(ok)) {
          const i0 = i32x4.trunc_sat_f64x2_s_zero(g0), i1 = i32x4.trunc_sat_f64x2_s_zero(g1);
          let at = countsPtr + (<usize>i32x4.extract_lane(i0, 0) << 2); store<u32>(at, load<u32>(at) + 1);
          at = lane1 + (<usize>i32x4.extract_lane(i0, 1) << 2); store<u32>(at, load<u32>(at) + 1);
          at = lane2 + (<usize>i32x4.extract_lane(i1, 0) << 2); store<u32>(at, load<u32>(at) + 1);
          at = lane3 + (<usize>i32x4.extract_lane(i1, 1) << 2); store<u32>(at, load<u32>(at) + 1);
          continue;
        }
      }
      countInto(countsPtr, <f64>f32x4.extract_lane(v, 0), lo, hi, perUnit, edgesPtr, bins);
      countInto(lane1, <f64>f32x4.extract_lane(v, 1), lo, hi, perUnit, edgesPtr, bins);
      countInto(lane2, <f64>f32x4.extract_lane(v, 2), lo, hi, perUnit, edgesPtr, bins);
      countInto(lane3, <f64>f32x4.extract_lane(v, 3), lo, hi, perUnit, edgesPtr, bins);
    }
    for (; c < cols; c++) countInto(countsPtr, valueAt(row + (<usize>c << 2), activation, alpha), lo, hi, perUnit, edgesPtr, bins);
  }
}
