// The fused epilogue shared by the dense and the zero-skipping kernels: what happens to 8 finished
// columns of one row of z (lo | hi).

import { phi, phi4 } from "./activations";
import { PANEL_COLS } from "./gemm";
import { accumulate8, accumulateLane } from "./rowAccumulator";

@inline export function laneOf(lo: v128, hi: v128, c: i32): f32 {
  switch (c) {
    case 0: return f32x4.extract_lane(lo, 0);
    case 1: return f32x4.extract_lane(lo, 1);
    case 2: return f32x4.extract_lane(lo, 2);
    case 3: return f32x4.extract_lane(lo, 3);
    case 4: return f32x4.extract_lane(hi, 0);
    case 5: return f32x4.extract_lane(hi, 1);
    case 6: return f32x4.extract_lane(hi, 2);
    default: return f32x4.extract_lane(hi, 3);
  }
}

/**
 * z (+ b when bias != 0: the bias is added to the finished sum) is stored at zOut when zOut != 0,
 * a = φ(z) at aOut, and both are added to the row's statistics lanes at acc. Only the first
 * validCols columns exist (a partial last panel; bias is zero-padded past them).
 */
@inline export function fusedEpilogue8(lo: v128, hi: v128, validCols: i32, zOut: usize, aOut: usize, acc: usize, activation: i32, alpha: f32, bias: usize): void {
  if (bias != 0) {
    lo = f32x4.add(lo, v128.load(bias));
    hi = f32x4.add(hi, v128.load(bias, 16));
  }
  if (validCols >= PANEL_COLS) {
    if (zOut != 0) {
      v128.store(zOut, lo);
      v128.store(zOut, hi, 16);
    }
    const a0 = phi4(lo, activation, alpha), a1 = phi4(hi, activation, alpha);
    v128.store(aOut, a0);
    v128.store(aOut, a1, 16);
    accumulate8(acc, lo, hi, a0, a1);
    return;
  }
  for (let c = 0; c < validCols; c++) {
    const z = laneOf(lo, hi, c), a = phi(z, activation, alpha);
    if (zOut != 0) store<f32>(zOut + (<usize>c << 2), z);
    store<f32>(aOut + (<usize>c << 2), a);
    accumulateLane(acc, <usize>c, z, a);
  }
}
