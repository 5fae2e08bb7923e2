import { BIAS_PAD, BLOCK_ROWS, HIST_LANES, layerScratchBytes, PANEL_COLS, STAT_FIELDS, WASM_PAGE_BYTES, WIDE_COLS, zeroSkipScratchBytes } from './layout.js';

/** Granularity of batch sharding across workers (rows). */
export const CHUNK_ROWS = 64;
const ALIGN = 64;

export interface ShardShape {
  /** Batch rows held by this instance. */
  rows: number;
  /** widths[0] is the input width, widths[l] the output width of layer l. */
  widths: readonly number[];
  /** Whether any layer is histogrammed (then z of such a layer is kept whole). */
  keepsFullZ: boolean;
  bins: number;
  /** Orthogonal or LSUV init: an f64 matrix for Gram–Schmidt. */
  orthogonal?: boolean;
  /** LSUV: a block of x to probe a layer without committing it. */
  probe?: boolean;
  /** --backward: every layer's a and W are kept, and two gradient buffers. */
  backward?: boolean;
  /** --backward with GELU or SiLU: every layer's z is kept too (φ′ needs z there). */
  zHistory?: boolean;
}

/** Byte offsets of every buffer one kernel instance uses; the only place that does pointer arithmetic. */
export interface MemoryPlan {
  readonly rowStride: number;
  readonly x: number;
  /** z of a histogram layer, rows × rowStride; 0 when no layer is histogrammed. */
  readonly z: number;
  readonly w: number;
  readonly packed: number;
  /** W packed for the zero-skipping kernel. */
  readonly wide: number;
  /** The layer's bias, zero-padded to BIAS_PAD columns. */
  readonly bias: number;
  /** f64 scratch of orthonormalizeRows (0 when not needed). */
  readonly orthogonal: number;
  /** A copy of one block of x for LSUV's probes (0 when not needed). */
  readonly probe: number;
  /** --backward: a of layers 0…L (each rows × rowStride), W of layers 1…L (each maxOut × maxIn), δ and δ′. */
  readonly aHistory: number;
  /** --backward with GELU or SiLU: z of layers 1…L (each rows × rowStride); 0 otherwise. */
  readonly zHistory: number;
  readonly wHistory: number;
  readonly delta: number;
  readonly deltaNext: number;
  readonly stats: number;
  /** Scratch of denseLayer / zeroSkipLayer; its first ROW_ACC_BYTES double as activateWithStats's accumulator. */
  readonly scratch: number;
  readonly edges: number;
  readonly counts: number;
  readonly end: number;
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

export function planMemory(shape: ShardShape, heapBase: number): MemoryPlan {
  const rowStride = Math.max(...shape.widths);
  const maxIn = Math.max(...shape.widths.slice(0, -1));
  const maxOut = Math.max(...shape.widths.slice(1));
  let at = alignUp(heapBase, ALIGN);
  const take = (bytes: number) => {
    const start = at;
    at = alignUp(at + bytes, ALIGN);
    return start;
  };
  const x = take(shape.rows * rowStride * 4);
  const z = shape.keepsFullZ ? take(shape.rows * rowStride * 4) : 0;
  const w = take(maxOut * maxIn * 4);
  // (the backward pass packs Wᵀ here too: the larger of both)
  const packed = take(Math.ceil(Math.max(maxOut, maxIn) / PANEL_COLS) * PANEL_COLS * Math.max(maxIn, maxOut) * 4);
  const wide = take(Math.ceil(maxOut / WIDE_COLS) * WIDE_COLS * maxIn * 4);
  const bias = take(Math.ceil(maxOut / BIAS_PAD) * BIAS_PAD * 4);
  const orthogonal = shape.orthogonal ? take(maxOut * maxIn * 8) : 0;
  const probe = shape.probe ? take(BLOCK_ROWS * rowStride * 4) : 0;
  const layers = shape.widths.length - 1;
  const aHistory = shape.backward ? take((layers + 1) * shape.rows * rowStride * 4) : 0;
  const zHistory = shape.backward && shape.zHistory ? take(layers * shape.rows * rowStride * 4) : 0;
  const wHistory = shape.backward ? take(layers * maxOut * maxIn * 4) : 0;
  const delta = shape.backward ? take(shape.rows * rowStride * 4) : 0;
  const deltaNext = shape.backward ? take(shape.rows * rowStride * 4) : 0;
  const stats = take(shape.rows * STAT_FIELDS * 8);
  const scratch = take(Math.max(layerScratchBytes(rowStride), zeroSkipScratchBytes(rowStride, maxIn)));
  const edges = take((shape.bins + 1) * 8);
  const counts = take(HIST_LANES * shape.bins * 4);
  return { rowStride, x, z, w, packed, wide, bias, orthogonal, probe, aHistory, zHistory, wHistory, delta, deltaNext, stats, scratch, edges, counts, end: at };
}

/** Bytes one instance needs for this shape (what the 4 GiB wasm32 limit applies to). */
export function bytesNeeded(shape: ShardShape): number {
  return planMemory(shape, 0).end + WASM_PAGE_BYTES;
}

