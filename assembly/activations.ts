// φ applied to z and written to a, fused with the per-row statistics of both (rowAccumulator.ts).
// Twin: src/kernel/reference/activations.ts.

import { accumulate8, accumulateLane, finishRow, resetRowAcc } from "./rowAccumulator";
import { STAT_FIELDS } from "./stats";

// Twin: Activation in src/kernel/layout.ts.
export const ACT_IDENTITY: i32 = 0;
export const ACT_RELU: i32 = 1;

@inline export function phi(z: f32, activation: i32): f32 {
  if (activation == ACT_RELU) return z > 0 ? z : 0;
  return z;
}

// Lane-wise the same as phi: `z > 0 ? z : +0` (also for −0 and NaN, which max(z, 0) would not give).
@inline export function phi4(z: v128, activation: i32): v128 {
  if (activation == ACT_RELU) return v128.bitselect(z, f32x4.splat(0), f32x4.gt(z, f32x4.splat(0)));
  return z;
}

/**
 * For each of `rows` rows: a[c] = φ(z[c]) for c < cols (a may alias z), and the row's statistics
 * written as STAT_FIELDS f64 at statsPtr + row·STAT_FIELDS·8. `accPtr` is ROW_ACC_BYTES of scratch.
 */
export function activateWithStats(zPtr: usize, zStride: i32, aPtr: usize, aStride: i32, rows: i32, cols: i32, activation: i32, statsPtr: usize, accPtr: usize): void {
  for (let r = 0; r < rows; r++) {
    const zRow = zPtr + ((<usize>r * <usize>zStride) << 2);
    const aRow = aPtr + ((<usize>r * <usize>aStride) << 2);
    resetRowAcc(accPtr);
    let c = 0;
    for (; c + 8 <= cols; c += 8) {
      const off = <usize>c << 2;
      const z0 = v128.load(zRow + off), z1 = v128.load(zRow + off, 16);
      const a0 = phi4(z0, activation), a1 = phi4(z1, activation);
      v128.store(aRow + off, a0);
      v128.store(aRow + off, a1, 16);
      accumulate8(accPtr, z0, z1, a0, a1);
    }
    for (; c < cols; c++) {
      const z = load<f32>(zRow + (<usize>c << 2));
      const a = phi(z, activation);
      store<f32>(aRow + (<usize>c << 2), a);
      accumulateLane(accPtr, <usize>(c & 7), z, a);
    }
    finishRow(accPtr, statsPtr + <usize>r * <usize>(STAT_FIELDS << 3));
  }
}
