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
// phi4's ReLU is f32x4.max, which V8 compiles without the branches of a scalar f32.max (random signs
// mispredict those: 2.4× the histogram's time).
@inline function values4(p: usize, activation: i32, alpha: f32): v128 {
  const z = v128.load(p);
  return activation == ACT_IDENTITY ? z : phi4(z, activation, alpha);
}

@inline function valueAt(p: usize, activation: i32, alpha: f32): f64 {
  const z = load<f32>(p);
  return activation == ACT_IDENTITY ? <f64>z : <f64>phi(z, activation, alpha);
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
  for (let r = 0; r < rows; r++) {
    const row = ptr + ((<usize>r * <usize>stride) << 2);
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const v = values4(row + (<usize>c << 2), activation, alpha);
      countInto(countsPtr, <f64>f32x4.extract_lane(v, 0), lo, hi, perUnit, edgesPtr, bins);
      countInto(lane1, <f64>f32x4.extract_lane(v, 1), lo, hi, perUnit, edgesPtr, bins);
      countInto(lane2, <f64>f32x4.extract_lane(v, 2), lo, hi, perUnit, edgesPtr, bins);
      countInto(lane3, <f64>f32x4.extract_lane(v, 3), lo, hi, perUnit, edgesPtr, bins);
    }
    for (; c < cols; c++) countInto(countsPtr, valueAt(row + (<usize>c << 2), activation, alpha), lo, hi, perUnit, edgesPtr, bins);
  }
}
