// The epilogue shared by the dense and the zero-skipping kernels: what happens to finished rows of
// z. The kernels run it on each block of rows while the block's sums are still in cache, which
// measured faster than running it inside the micro-kernel's tile (V8 spills around the inlined
// epilogue there).

import { ACT_IDENTITY, phi, phi4 } from "./activations";
import { laneOf } from "./lanes";
import { PANEL_COLS, STAT_FIELDS } from "./layout";
import { accumulate8, accumulate8Identity, accumulateLane, finishRow, resetRowAcc } from "./rowAccumulator";

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
    if (activation == ACT_IDENTITY) {
      // a = z: only z's lanes are added to (finishRow reads a's off them)
      v128.store(aOut, lo);
      v128.store(aOut, hi, 16);
      accumulate8Identity(acc, lo, hi);
      return;
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

/**
 * For each of `rows` rows of sums (row stride `sumsStride` bytes): z = sums (+ b when bias != 0),
 * stored at zOut (stride zStride bytes) when zOut != 0; a = φ(z) at aOut (stride aStride; may
 * alias the sums); the row's statistics record (STAT_FIELDS f64) at statsPtr + row·STAT_FIELDS·8.
 * `accPtr` is ROW_ACC_BYTES of scratch. Only the first `cols` columns are read for results, but
 * the last 8-column group of a row is loaded whole.
 */
export function finishRows(sums: usize, sumsStride: usize, zOut: usize, zStride: usize, aOut: usize, aStride: usize, rows: i32, cols: i32,
  activation: i32, alpha: f32, bias: usize, statsPtr: usize, accPtr: usize): void {
  for (let r = 0; r < rows; r++) {
    const ri = <usize>r, row = sums + ri * sumsStride, z: usize = zOut == 0 ? 0 : zOut + ri * zStride, a = aOut + ri * aStride;
    resetRowAcc(accPtr);
    for (let c = 0; c < cols; c += 8) {
      const at = <usize>c << 2;
      fusedEpilogue8(v128.load(row + at), v128.load(row + at, 16), cols - c, z == 0 ? <usize>0 : z + at, a + at, accPtr, activation, alpha, bias == 0 ? <usize>0 : bias + at);
    }
    finishRow(accPtr, statsPtr + ri * <usize>(STAT_FIELDS << 3), activation == ACT_IDENTITY);
  }
}
