// The memory plan of the host's whole-batch weight gradient, on its own kernel instance.
import { Arena } from './arena.js';
import { PANEL_COLS, ROW_ACC_BYTES, STAT_FIELDS } from './layout.js';

/** The buffers of a layer's weight gradient G = δzᵀ·a / B over the whole batch, on one kernel instance. */
export interface WeightGradientPlan {
  /** δz and a of every batch row (batch × nOut, batch × nIn f32), then both transposed. */
  readonly deltaZ: number;
  readonly a: number;
  readonly deltaZT: number;
  readonly aT: number;
  /** aᵀ packed for the dense kernel. */
  readonly packed: number;
  /** G (nOut × nIn f32) and its rows' statistics records. */
  readonly g: number;
  readonly stats: number;
  /** activateWithStats' accumulator. */
  readonly acc: number;
  readonly end: number;
}

export function planWeightGradient(batch: number, nOut: number, nIn: number, heapBase: number): WeightGradientPlan {
  const arena = new Arena(heapBase), take = (bytes: number) => arena.take(bytes);
  const deltaZ = take(batch * nOut * 4), a = take(batch * nIn * 4), deltaZT = take(nOut * batch * 4), aT = take(nIn * batch * 4);
  const packed = take(Math.ceil(nIn / PANEL_COLS) * PANEL_COLS * batch * 4), g = take(nOut * nIn * 4);
  const stats = take(nOut * STAT_FIELDS * 8), acc = take(ROW_ACC_BYTES);
  return { deltaZ, a, deltaZT, aT, packed, g, stats, acc, end: arena.end };
}
