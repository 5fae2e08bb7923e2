// φ over a block of z with its statistics: the epilogue on its own (the LSUV probes and the tests use it).

import { finishRows } from "./epilogue";

/**
 * For each of `rows` rows: a[c] = φ(z[c]) for c < cols (a may alias z), and the row's statistics
 * written as STAT_FIELDS f64 at statsPtr + row·STAT_FIELDS·8. `accPtr` is ROW_ACC_BYTES of scratch.
 */
export function activateWithStats(zPtr: usize, zStride: i32, aPtr: usize, aStride: i32, rows: i32, cols: i32, activation: i32, alpha: f32, statsPtr: usize, accPtr: usize): void {
  finishRows(zPtr, <usize>zStride << 2, 0, 0, aPtr, <usize>aStride << 2, rows, cols, activation, alpha, 0, statsPtr, accPtr);
}
