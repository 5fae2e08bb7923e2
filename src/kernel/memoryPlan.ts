import { Arena } from './arena.js';
import { BIAS_PAD, BLOCK_ROWS, HIST_LANES, layerScratchBytes, PANEL_COLS, STAT_FIELDS, WASM_PAGE_BYTES, WIDE_COLS, zeroSkipScratchBytes } from './layout.js';

/** Granularity of batch sharding across workers (rows). */
export const CHUNK_ROWS = 64;
/**
 * Rows per block of the vector reductions (the unit rows' column sums): a shard holds whole chunks,
 * so these blocks are the same for any split of the batch and the host adds them in row order.
 */
export const SUM_BLOCK_ROWS = CHUNK_ROWS;
/** Rows per layer call of the kernel (a multiple of SUM_BLOCK_ROWS, so a call covers whole blocks). */
export const LAYER_CALL_ROWS = 4 * SUM_BLOCK_ROWS;

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
  /** --backward with GELU or SiLU: every layer's z is kept too (φ′ needs z there); normalized plain blocks keep z (N's input) of every layer. */
  zHistory?: boolean;
  /** Blocks with a norm or a residual: channel sums, normalization parameters; `residual` also a full buffer for φ(N(x)). */
  blocks?: { residual: boolean };
  /** --spectrum: how many of the Jacobian's inputs this instance holds (0: none), each with its n₀ tangents. */
  tangentInputs?: number;
  /** --spectrum through layer norm: its JVP needs the input's z beside each of the n₀ tangent rows. */
  tangentNormRows?: boolean;
  /** --spectrum through residual blocks: the branch's tangents, beside the stream's. */
  tangentBranch?: boolean;
  /** --seq-len T > 1: sequences of T consecutive rows, whose token cosines each block records. */
  tokens?: number;
  /** Attention blocks: the heads (the entropy sums are per sequence and head). */
  attentionHeads?: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Rows of one call over whole sequences of `tokens` rows: whole blocks of SUM_BLOCK_ROWS too (a call's sums
 * land in its blocks), as many as fit a layer call, at least one unit of both.
 */
export function sequenceCallRows(tokens: number): number {
  const unit = (tokens / gcd(tokens, SUM_BLOCK_ROWS)) * SUM_BLOCK_ROWS;
  return unit * Math.max(1, Math.floor(LAYER_CALL_ROWS / unit));
}

/**
 * Byte offsets of every buffer one kernel instance uses, and the views into them: the only place
 * that does pointer arithmetic. A buffer used for a second purpose says so here.
 */
export interface MemoryPlan {
  /** Elements per row of every rows × width buffer (the widest layer). */
  readonly rowStride: number;
  readonly rows: number;
  /** The batch rows' current activations (x of the next layer, a of the last). */
  readonly x: number;
  /** z of a histogram layer, rows × rowStride; 0 when no layer is histogrammed. */
  readonly z: number;
  readonly w: number;
  /** W packed for the dense kernel; the backward pass packs Wᵀ here too (sized for the larger). */
  readonly packed: number;
  /** W packed for the zero-skipping kernel; also where the orthogonal init draws Wᵀ when n_out > n_in, and where the backward pass transposes W. */
  readonly wide: number;
  /** The layer's bias, zero-padded to BIAS_PAD columns. */
  readonly bias: number;
  /** f64 scratch of orthonormalizeRows (0 when not needed). */
  readonly orthogonal: number;
  /** A copy of one block of x for LSUV's probes (0 when not needed). */
  readonly probe: number;
  /** --backward: a of layers 0…L, W of layers 1…L, the gradient δ and the next one; z of layers 1…L for GELU and SiLU. */
  readonly aHistory: number;
  readonly zHistory: number;
  readonly wHistory: number;
  readonly delta: number;
  readonly deltaNext: number;
  /** Per-row statistics records (STAT_FIELDS f64 each). */
  readonly stats: number;
  /** One f64 factor per row for blockColumnSums (1/‖row‖, or 0 to leave the row out). */
  readonly rowScales: number;
  /** z of one layer call's rows (LAYER_CALL_ROWS × rowStride) where z is not kept elsewhere. */
  readonly zBlock: number;
  /** --input-corr: the vector g every input row shares (rowStride f32). */
  readonly shared: number;
  /** Per SUM_BLOCK_ROWS block, the column sums of the unit rows of z and of a (blocks × rowStride f64 each). */
  readonly zUnitSums: number;
  readonly aUnitSums: number;
  /** Blocks: a factor of 1 per row (blockColumnSums of plain values). */
  readonly ones: number;
  /** Blocks: per SUM_BLOCK_ROWS block, the channel sums and sums of squares of the block's output x and of the branch r (blocks × rowStride f64 each). */
  readonly xSums: number;
  readonly xSquares: number;
  readonly rSums: number;
  readonly rSquares: number;
  /**
   * A batch norm's backward pass: per block, the channel sums of δh and of δh·h. The same bytes as
   * xSums and xSquares: the backward pass runs after the forward pass has handed those back.
   */
  readonly deltaSums: number;
  readonly deltaDots: number;
  /** Blocks: normalizeColumns' per-channel mean and scale, then its backward pass's m1 and m2 (rowStride f64 each). */
  readonly normMean: number;
  readonly normScale: number;
  readonly normM1: number;
  readonly normM2: number;
  /** Residual blocks: a = φ(N(x)) of every row, the branch's input (the branch r then overwrites it); the backward pass recomputes a here. */
  readonly stage: number;
  /** Blocks of SUM_BLOCK_ROWS rows this instance holds (the last may be partial). */
  readonly sumBlocks: number;
  /**
   * --spectrum: per input the Jacobian's inputs take, its own forward x (tangentX, a row each) and its
   * n₀ tangents, the rows of Jᵀ (tangents, n₀ × rowStride f32 each); tangentNext holds one input's
   * T·Wᵀ, tangentSlope φ′(z) of the input's row as f32, and tangentScale and tangentZero the same
   * slope and a row of zeros as normalizeColumns' f64 scale and mean; tangentStats one record per tangent.
   */
  readonly tangentX: number;
  readonly tangents: number;
  readonly tangentNext: number;
  readonly tangentSlope: number;
  readonly tangentScale: number;
  readonly tangentZero: number;
  readonly tangentStats: number;
  /** --spectrum through layer norm: the input's z repeated on n₀ rows (normalizeRowsBackward reads it per row). */
  readonly tangentNormInput: number;
  /** --spectrum through residual blocks: the branch r's tangents (n₀ × rowStride f32), added to the stream's. */
  readonly tangentBranch: number;
  /** The tangents of input i (0 ≤ i < tangentInputs). */
  tangentsAt(i: number): number;
  /** --spectrum: one input's Gram rows (min(n₀, n_l) × max(n₀, n_l) f64), its Gram matrix (f64, the smaller side squared) and the tridiagonal form's diagonal and subdiagonal (n₀ f64 each). */
  readonly gramRows: number;
  readonly gram: number;
  readonly tridiagonal: number;
  /**
   * --seq-len T > 1: rows of one call over whole sequences (sequenceCallRows), and per call the rows'
   * statistics records, each sequence's column sums of its unit tokens (f64) for token_corr.
   */
  readonly sequenceRows: number;
  readonly tokenStats: number;
  readonly tokenSums: number;
  /**
   * Attention blocks: W_Q, W_K, W_V and W_O packed for the dense kernel (attentionPackedAt), and for one
   * call's rows the normalized input h, Q, K, V and the heads' output (rows × rowStride f32 each); the
   * softmax's f64 scratch (one row of logits) and per sequence and head the summed row entropies (f64).
   */
  readonly attentionPacked: number;
  readonly attentionH: number;
  readonly attentionQ: number;
  readonly attentionK: number;
  readonly attentionV: number;
  readonly attentionOut: number;
  readonly attentionScratch: number;
  readonly attentionEntropy: number;
  /** Where the packed W of role 0 … 3 (query, key, value, output) is. */
  attentionPackedAt(role: number): number;
  /**
   * --backward through attention blocks: each role's Wᵀ packed (attentionTransposedAt), and for one call's rows
   * δ of the branch r, of the heads' output O and of Q, K and V (rows × rowStride f32 each); the softmax
   * backward's scratch shares attentionScratch (sized for it).
   */
  readonly attentionTransposed: number;
  readonly attentionDeltaR: number;
  readonly attentionDeltaOut: number;
  readonly attentionDeltaQ: number;
  readonly attentionDeltaK: number;
  readonly attentionDeltaV: number;
  attentionTransposedAt(role: number): number;
  /** Scratch of denseLayer / zeroSkipLayer; its first ROW_ACC_BYTES double as activateWithStats's accumulator. */
  readonly scratch: number;
  readonly edges: number;
  readonly counts: number;
  readonly end: number;
  /** Bytes of one rows × rowStride f32 buffer. */
  readonly rowsBytes: number;
  /** Row r of a rows × rowStride f32 buffer. */
  rowAt(buffer: number, r: number): number;
  /** Where the block of rows starting at row r0 (a multiple of SUM_BLOCK_ROWS) keeps its `cols` sums in a per-block buffer. */
  blockSumsAt(buffer: number, r0: number, cols: number): number;
  /** Row r's f64 factor of blockColumnSums: in `ones` (all 1) or in `rowScales`. */
  onesAt(r: number): number;
  rowScaleAt(r: number): number;
  /** The statistics record of row r. */
  statsAt(r: number): number;
  /** --backward: where a of layer l (0…L) is kept. */
  aHistoryAt(layer: number): number;
  /** --backward with GELU or SiLU: where z of layer l (1…L) is kept. */
  zHistoryAt(layer: number): number;
  /** --backward: where W of layer l (1…L) is kept, in slots of the largest layer's size. */
  wHistoryAt(layer: number): number;
}

export function planMemory(shape: ShardShape, heapBase: number): MemoryPlan {
  const rowStride = Math.max(...shape.widths);
  const maxIn = Math.max(...shape.widths.slice(0, -1));
  const maxOut = Math.max(...shape.widths.slice(1));
  const arena = new Arena(heapBase);
  const take = (bytes: number) => arena.take(bytes);
  const rowsBytes = shape.rows * rowStride * 4, weightBytes = maxOut * maxIn * 4;
  const x = take(rowsBytes);
  const z = shape.keepsFullZ ? take(rowsBytes) : 0;
  const w = take(weightBytes);
  const packed = take(Math.ceil(Math.max(maxOut, maxIn) / PANEL_COLS) * PANEL_COLS * Math.max(maxIn, maxOut) * 4);
  const wide = take(Math.ceil(maxOut / WIDE_COLS) * WIDE_COLS * maxIn * 4);
  const bias = take(Math.ceil(maxOut / BIAS_PAD) * BIAS_PAD * 4);
  const orthogonal = shape.orthogonal ? take(maxOut * maxIn * 8) : 0;
  const probe = shape.probe ? take(BLOCK_ROWS * rowStride * 4) : 0;
  const layers = shape.widths.length - 1;
  const aHistory = shape.backward ? take((layers + 1) * rowsBytes) : 0;
  const zHistory = shape.backward && shape.zHistory ? take(layers * rowsBytes) : 0;
  const wHistory = shape.backward ? take(layers * weightBytes) : 0;
  const delta = shape.backward ? take(rowsBytes) : 0;
  const deltaNext = shape.backward ? take(rowsBytes) : 0;
  const stats = take(shape.rows * STAT_FIELDS * 8);
  const rowScales = take(shape.rows * 8);
  const zBlock = take(Math.min(shape.rows, LAYER_CALL_ROWS) * rowStride * 4);
  const shared = take(rowStride * 4);
  const sumBlocks = Math.ceil(shape.rows / SUM_BLOCK_ROWS);
  const zUnitSums = take(sumBlocks * rowStride * 8);
  const aUnitSums = take(sumBlocks * rowStride * 8);
  const blockSums = shape.blocks ? sumBlocks * rowStride * 8 : 0;
  const ones = shape.blocks ? take(shape.rows * 8) : 0;
  const [xSums, xSquares, rSums, rSquares] = [0, 1, 2, 3].map(() => (blockSums ? take(blockSums) : 0));
  const [normMean, normScale, normM1, normM2] = [0, 1, 2, 3].map(() => (shape.blocks ? take(rowStride * 8) : 0));
  const stage = shape.blocks?.residual ? take(rowsBytes) : 0;
  const inputs = shape.tangentInputs ?? 0, n0 = shape.widths[0], tangentBytes = n0 * rowStride * 4;
  const tangentX = inputs ? take(inputs * rowStride * 4) : 0;
  const tangents = inputs ? take(inputs * tangentBytes) : 0;
  const tangentNext = inputs ? take(tangentBytes) : 0;
  const tangentSlope = inputs ? take(rowStride * 4) : 0;
  const tangentScale = inputs ? take(rowStride * 8) : 0;
  const tangentZero = inputs ? take(rowStride * 8) : 0;
  const tangentStats = inputs ? take(n0 * STAT_FIELDS * 8) : 0;
  const tangentNormInput = inputs && shape.tangentNormRows ? take(tangentBytes) : 0;
  const tangentBranch = inputs && shape.tangentBranch ? take(tangentBytes) : 0;
  const widest = Math.max(...shape.widths), smaller = Math.min(n0, widest);
  const gramRows = inputs ? take(smaller * Math.max(n0, widest) * 8) : 0;
  const gram = inputs ? take(smaller * smaller * 8) : 0;
  const tridiagonal = inputs ? take(2 * smaller * 8) : 0;
  const tokens = shape.tokens ?? 1, heads = shape.attentionHeads ?? 0, sequenceRows = tokens > 1 || heads ? Math.min(shape.rows, sequenceCallRows(tokens)) : 0;
  const tokenStats = tokens > 1 ? take(sequenceRows * STAT_FIELDS * 8) : 0;
  const tokenSums = tokens > 1 ? take((sequenceRows / tokens) * rowStride * 8) : 0;
  const attentionRows = heads ? sequenceRows : 0;
  const packedBytes = Math.ceil(rowStride / PANEL_COLS) * PANEL_COLS * rowStride * 4;
  const attentionPacked = heads ? take(4 * packedBytes) : 0;
  const [attentionH, attentionQ, attentionK, attentionV, attentionOut] = [0, 1, 2, 3, 4].map(() => (heads ? take(attentionRows * rowStride * 4) : 0));
  const attentionBack = heads && shape.backward;
  const attentionScratch = heads ? take((attentionBack ? 2 * tokens + 2 * tokens * rowStride : tokens) * 8) : 0;
  const attentionTransposed = attentionBack ? take(4 * packedBytes) : 0;
  const [attentionDeltaR, attentionDeltaOut, attentionDeltaQ, attentionDeltaK, attentionDeltaV] = [0, 1, 2, 3, 4].map(() => (attentionBack ? take(attentionRows * rowStride * 4) : 0));
  const attentionEntropy = heads ? take((attentionRows / tokens) * heads * 8) : 0;
  const scratch = take(Math.max(layerScratchBytes(rowStride), zeroSkipScratchBytes(rowStride, maxIn)));
  const edges = take((shape.bins + 1) * 8);
  const counts = take(HIST_LANES * shape.bins * 4);
  const inRange = (what: string, layer: number, from: number, to: number) => {
    if (!(layer >= from && layer <= to)) throw new Error(`${what} of layer ${layer} is outside ${from}…${to}`);
  };
  return {
    rowStride, rows: shape.rows, x, z, w, packed, wide, bias, orthogonal, probe, aHistory, zHistory, wHistory, delta, deltaNext, stats, rowScales, zBlock, shared, zUnitSums, aUnitSums, ones, xSums, xSquares, rSums, rSquares, deltaSums: xSums, deltaDots: xSquares, normMean, normScale, normM1, normM2, tangentX, tangents, tangentNext, tangentSlope, tangentScale, tangentZero, tangentStats, tangentNormInput, tangentBranch, gramRows, gram, tridiagonal, stage, sumBlocks,
    sequenceRows, tokenStats, tokenSums, attentionPacked, attentionH, attentionQ, attentionK, attentionV, attentionOut, attentionScratch, attentionEntropy,
    attentionTransposed, attentionDeltaR, attentionDeltaOut, attentionDeltaQ, attentionDeltaK, attentionDeltaV,
    attentionTransposedAt: (role) => (inRange('packed Wᵀ of attention role', role, 0, 3), attentionTransposed + role * packedBytes),
    attentionPackedAt: (role) => (inRange('packed W of attention role', role, 0, 3), attentionPacked + role * packedBytes), scratch, edges, counts, end: arena.end, rowsBytes,
    rowAt: (buffer, r) => buffer + r * rowStride * 4,
    blockSumsAt: (buffer, r0, cols) => buffer + (r0 / SUM_BLOCK_ROWS) * cols * 8,
    onesAt: (r) => ones + r * 8,
    tangentsAt: (i) => (inRange('tangents of input', i, 0, inputs - 1), tangents + i * tangentBytes),
    rowScaleAt: (r) => rowScales + r * 8,
    statsAt: (r) => stats + r * STAT_FIELDS * 8,
    aHistoryAt: (layer) => (inRange('kept a', layer, 0, layers), aHistory + layer * rowsBytes),
    zHistoryAt: (layer) => (inRange('kept z', layer, 1, layers), zHistory + (layer - 1) * rowsBytes),
    wHistoryAt: (layer) => (inRange('kept W', layer, 1, layers), wHistory + (layer - 1) * weightBytes),
  };
}

/** Bytes one instance needs for this shape (what the 4 GiB wasm32 limit applies to). */
export function bytesNeeded(shape: ShardShape): number {
  return planMemory(shape, 0).end + WASM_PAGE_BYTES;
}
