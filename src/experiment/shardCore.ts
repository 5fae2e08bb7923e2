// What every block kind of a shard works with: the kernel instance, its memory plan and the rows it
// holds, the layer in hand and its weights, and the shared steps of a layer (the row loop, the unit
// rows' sums, the channel sums, the statistics handed back, what the backward pass keeps).
import type { Kernel } from '../kernel/kernelExports.js';
import { KernelMemory } from '../kernel/kernelMemory.js';
import { BIAS_PAD, PANEL_COLS, STAT_A_ZEROS, STAT_FIELDS, WIDE_COLS } from '../kernel/layout.js';
import { LAYER_CALL_ROWS, SUM_BLOCK_ROWS, type MemoryPlan } from '../kernel/memoryPlan.js';
import { unitRowFactor } from '../metrics/pairCorrelation.js';
import { layerWidths, type ExperimentConfig } from '../model/config.js';
import { heSlope, resolvedGain, weightStd } from '../model/inits.js';
import { streamId } from '../model/streams.js';
import { ACTIVATIONS } from '../theory/activations.js';
import { drawKey, type SharedDraws } from './sharedDraws.js';

// Work is handed to the kernel in modest calls: V8 first runs WASM in its baseline tier and
// switches to optimized code only for later calls, so one huge call would run unoptimized.
const FILL_CHUNK = 1 << 16;
/** Arrays handed back by the host that a shard keeps for its next steps (a few layers' worth; more are left to the collector). */
const SPARE_LIMIT = 24;
/** Zero fraction of x from which zeroSkipLayer is used (the crossover measured with `npm run bench`). */
export const ZERO_SKIP_THRESHOLD = 0.3;

/** Channel sums and sums of squares per block of rows (of z before a batch norm; of x after a block). */
export interface ChannelSums {
  sums: Float64Array;
  squares: Float64Array;
}

/** How many of the Jacobian's inputs (the batch's first spectrumInputs rows) rows [rowStart, rowStart + rows) hold. */
export function spectrumInputsOf(config: ExperimentConfig, rowStart: number, rows: number): number {
  return Math.max(0, Math.min(rows, config.spectrumInputs - rowStart));
}

export class ShardCore {
  readonly mem: KernelMemory;
  readonly widths: number[];
  layer = 0;
  patternIndex = -1;
  /** The zero fraction of the next layer's input, which picks its kernel. */
  inputZeroFraction = 0;
  private sparse = false;
  /** LSUV's rescalings of the current layer, replayed on the kept copy of W for the backward pass. */
  private scalings: number[] = [];
  /** Every layer's rescalings, replayed where a pass draws the layer's W again (the tangent pass). */
  private scalingsByLayer: number[][] = [];
  /**
   * Step arrays the host is done with: the next steps are copied into them. New arrays each layer cost
   * page faults, and in a worker they pile up on the host's side until its collector runs (tens of MB).
   */
  private readonly spare: Float64Array[] = [];

  constructor(
    readonly kernel: Kernel,
    readonly plan: MemoryPlan,
    readonly config: ExperimentConfig,
    readonly rowStart: number,
    readonly rows: number,
    /** The ring this shard draws each forward layer's W in with the other shards (none: it draws every W itself). */
    private readonly draws?: SharedDraws,
  ) {
    this.widths = layerWidths(config);
    this.mem = new KernelMemory(kernel.memory);
    this.mem.ensure(plan.end);
    if (plan.ones) this.mem.f64.fill(1, plan.ones >>> 3, (plan.ones >>> 3) + rows);
  }

  /** The current pattern's activation: its kernel code and whether φ′ can be read off a = φ(z). */
  get activation(): { code: number; monotone: boolean } {
    return ACTIVATIONS[this.config.patterns[this.patternIndex].activation];
  }

  /** A new pattern: its index, and no layer drawn yet. */
  startPattern(patternIndex: number): void {
    this.patternIndex = patternIndex;
    this.layer = 0;
    this.scalingsByLayer = [];
  }

  /** The one row loop: `call` on consecutive blocks of `step` rows (a layer call's by default) until every row is done. */
  eachCall(call: (r0: number, rows: number) => void, step = LAYER_CALL_ROWS): void {
    for (let r0 = 0; r0 < this.rows; r0 += step) call(r0, Math.min(step, this.rows - r0));
  }

  /** Values [start, start + count) of `stream` times `scale`, at their places in the buffer at `ptr`. */
  private fill(ptr: number, count: number, stream: number, scale: number, start = 0): void {
    for (let at = start; at < start + count; at += FILL_CHUNK) {
      this.kernel.exports.fillNormal(ptr + at * 4, Math.min(FILL_CHUNK, start + count - at), this.config.seed, stream, at, scale);
    }
  }

  /**
   * Draws W (and the bias) of `layer` and packs it for the kernel its input calls for (`dense`: for
   * the dense kernel whatever the input; redrawForTangents uses it).
   */
  drawWeights(layer: number, dense = false): void {
    const k = this.kernel.exports, p = this.plan, c = this.config;
    const nIn = this.widths[layer - 1], nOut = this.widths[layer];
    this.scalings = [];
    if (!dense) this.scalingsByLayer[layer] = this.scalings;
    if (this.draws && !dense) this.drawSharedMatrix(layer, nOut, nIn, this.draws);
    else this.drawPatternMatrix(streamId(this.patternIndex, layer), nOut, nIn);
    if (c.biasStd > 0) {
      this.mem.fillF32(p.bias, Math.ceil(nOut / BIAS_PAD) * BIAS_PAD, 0);
      this.fill(p.bias, nOut, streamId(this.patternIndex, layer, 'bias'), c.biasStd);
    }
    // Both kernels give bit-identical results; the sparse one wins once enough of x is zero.
    this.sparse = !dense && this.inputZeroFraction >= ZERO_SKIP_THRESHOLD;
    if (this.sparse) k.packWide(p.w, p.wide, nOut, nIn);
    else k.packPanels(p.w, p.packed, nOut, nIn);
  }

  /** W (nOut × nIn, into the plan's w) of the pattern's init and gain, drawn from `stream`: orthogonal rows or columns, or Gaussian entries. */
  drawPatternMatrix(stream: number, nOut: number, nIn: number): void {
    const k = this.kernel.exports, p = this.plan, c = this.config, pattern = c.patterns[this.patternIndex];
    const gain = resolvedGain(c.gain, pattern.init, pattern.activation, c.leakyAlpha);
    if (isOrthogonal(pattern.init)) {
      if (nOut <= nIn) {
        this.fill(p.w, nOut * nIn, stream, 1);
        k.orthonormalizeRows(p.w, nOut, nIn, p.orthogonal);
      } else {
        // more outputs than inputs: orthonormal columns, from the rows of Wᵀ (drawn in `wide`)
        this.fill(p.wide, nOut * nIn, stream, 1);
        k.orthonormalizeRows(p.wide, nIn, nOut, p.orthogonal);
        k.transpose(p.wide, p.w, nIn, nOut);
      }
      if (gain !== 1) k.scaleInPlace(p.w, nOut * nIn, gain);
    } else {
      this.fill(p.w, nOut * nIn, stream, this.gaussianStd(nOut, nIn));
    }
  }

  /** The std of W's Gaussian entries under the pattern's init and gain (not for an orthogonal init). */
  private gaussianStd(nOut: number, nIn: number): number {
    const c = this.config, pattern = c.patterns[this.patternIndex];
    return weightStd(pattern.init, nIn, nOut, resolvedGain(c.gain, pattern.init, pattern.activation, c.leakyAlpha), c.fanMode, heSlope(pattern.activation, c.leakyAlpha));
  }

  /** drawPatternMatrix of `layer`, drawn once between the shards sharing `draws` (Gaussian W in parts, orthogonal W whole). */
  private drawSharedMatrix(layer: number, nOut: number, nIn: number, draws: SharedDraws): void {
    const p = this.plan, stream = streamId(this.patternIndex, layer), count = nOut * nIn;
    const whole = isOrthogonal(this.config.patterns[this.patternIndex].init), std = whole ? 0 : this.gaussianStd(nOut, nIn);
    const draw = whole ? () => this.drawPatternMatrix(stream, nOut, nIn) : (start: number, n: number) => this.fill(p.w, n, stream, std, start);
    draws.fill(drawKey(this.config, this.patternIndex, layer), count, draw, () => this.mem.f32.subarray(p.w >>> 2, (p.w >>> 2) + count), whole);
  }

  /** W (nOut × nIn, into the plan's w) with N(0, std²) entries from `stream`. */
  drawGaussianMatrix(stream: number, nOut: number, nIn: number, std: number): void {
    this.fill(this.plan.w, nOut * nIn, stream, std);
  }

  /** Entries of layer `layer`'s packed W (its columns padded to whole panels of the kernel in use). */
  private packedEntries(layer: number, sparse: boolean): number {
    const cols = sparse ? WIDE_COLS : PANEL_COLS;
    return Math.ceil(this.widths[layer] / cols) * cols * this.widths[layer - 1];
  }

  /** Multiplies the drawn weights, as packed, by `factor` (LSUV's rescaling). */
  scaleWeights(factor: number): void {
    this.kernel.exports.scaleInPlace(this.sparse ? this.plan.wide : this.plan.packed, this.packedEntries(this.layer, this.sparse), factor);
    this.scalings.push(factor);
  }

  /** A tangent step's layer: `layer`'s W (and bias) drawn again and packed dense, with LSUV's rescalings replayed as the forward pass applied them. */
  redrawForTangents(layer: number): void {
    this.layer = layer;
    this.drawWeights(layer, true);
    for (const f of this.scalingsByLayer[layer] ?? []) this.kernel.exports.scaleInPlace(this.plan.packed, this.packedEntries(layer, false), f);
  }

  /** How many of the Jacobian's inputs this shard holds (its plan's tangent buffers). */
  get tangentInputs(): number {
    return spectrumInputsOf(this.config, this.rowStart, this.rows);
  }

  /** to = from·Wᵀ over the n₀ tangent rows (no bias: a tangent has none), with the packed W of the current layer. */
  tangentsTimesWt(from: number, to: number): void {
    const k = this.kernel.exports, p = this.plan, n0 = this.widths[0], nIn = this.widths[this.layer - 1], nOut = this.widths[this.layer];
    for (let r0 = 0; r0 < n0; r0 += LAYER_CALL_ROWS) k.gemm(p.rowAt(from, r0), p.rowStride, p.packed, p.rowAt(to, r0), p.rowStride, Math.min(LAYER_CALL_ROWS, n0 - r0), nIn, nOut);
  }

  /** One kernel call of the current layer: z = x·Wᵀ (+ b) of `rows` rows at `x`, a = φ(z) in place of x, z kept at `z` (0: not kept), statistics at `stats`. */
  layerCall(x: number, z: number, rows: number, activation: number, stats: number): void {
    const k = this.kernel.exports, p = this.plan, c = this.config;
    const nIn = this.widths[this.layer - 1], nOut = this.widths[this.layer];
    const args = [x, p.rowStride, this.sparse ? p.wide : p.packed, z, rows, nIn, nOut, activation, c.leakyAlpha, c.biasStd > 0 ? p.bias : 0, p.scratch, stats] as const;
    if (this.sparse) k.zeroSkipLayer(...args);
    else k.denseLayer(...args);
  }

  /** blockColumnSums of rows [r0, r0 + rows) scaled to unit length by their `field` sum of squares. */
  unitSums(ptr: number, r0: number, rows: number, cols: number, field: number, sums: number): void {
    const p = this.plan, f64 = this.mem.f64;
    for (let r = r0; r < r0 + rows; r++) f64[p.rowScaleAt(r) >>> 3] = unitRowFactor(f64[(p.statsAt(r) >>> 3) + field]);
    this.kernel.exports.blockColumnSums(ptr, p.rowStride, rows, cols, p.rowScaleAt(r0), SUM_BLOCK_ROWS, p.blockSumsAt(sums, r0, cols));
  }

  /** The channel sums and sums of squares of rows [r0, r0 + rows) of `ptr` (products with `by`: δh·h) into per-block buffers. */
  channelSums(ptr: number, r0: number, rows: number, cols: number, sums: number, squares: number, by = ptr): void {
    const k = this.kernel.exports, p = this.plan;
    k.blockColumnSums(ptr, p.rowStride, rows, cols, p.onesAt(r0), SUM_BLOCK_ROWS, p.blockSumsAt(sums, r0, cols));
    k.blockColumnProducts(ptr, by, p.rowStride, rows, cols, SUM_BLOCK_ROWS, p.blockSumsAt(squares, r0, cols));
  }

  /** The channel sums of rows [r0, r0 + rows) of x, taken while a layer call's rows are in cache. */
  xChannelSums(r0: number, rows: number, cols: number): void {
    this.channelSums(this.plan.rowAt(this.plan.x, r0), r0, rows, cols, this.plan.xSums, this.plan.xSquares);
  }

  /** Every block's sums of a per-block buffer, copied out. */
  sumsOut(sums: number, cols: number): Float64Array {
    return this.copyOut(sums, this.plan.sumBlocks * cols);
  }

  /** A copy of `count` f64 at `ptr`, into a handed-back array of that length where there is one. */
  private copyOut(ptr: number, count: number): Float64Array {
    const at = this.spare.findIndex((a) => a.length === count);
    const out = at < 0 ? new Float64Array(count) : this.spare.splice(at, 1)[0];
    out.set(this.mem.f64.subarray(ptr >>> 3, (ptr >>> 3) + count));
    return out;
  }

  /** Takes back step arrays the host no longer reads, for the next steps (handBack sends no empty ones). */
  recycle(arrays: readonly Float64Array[]): void {
    for (const a of arrays) if (this.spare.length < SPARE_LIMIT && !this.spare.includes(a)) this.spare.push(a);
  }

  /** x's channel sums of every block, as a step's xSums and xSquares. */
  xChannelSumsOut(cols: number): { xSums: Float64Array; xSquares: Float64Array } {
    return { xSums: this.sumsOut(this.plan.xSums, cols), xSquares: this.sumsOut(this.plan.xSquares, cols) };
  }

  /** A copy of every row's statistics record. */
  statsOfRows(): Float64Array {
    return this.copyOut(this.plan.stats, this.rows * STAT_FIELDS);
  }

  /** The rows' statistics of the layer's output a, which is the next layer's input: its zero fraction picks that layer's kernel. */
  outputStats(): Float64Array {
    const stats = this.statsOfRows();
    this.inputZeroFraction = zeroFraction(stats, this.rows * this.widths[this.layer]);
    return stats;
  }

  /** The per-row statistics of the shard's rows × cols f32 values at `ptr` (as z and a: identity). */
  statsOf(ptr: number, cols: number): Float64Array {
    const p = this.plan;
    this.kernel.exports.activateWithStats(ptr, p.rowStride, ptr, p.rowStride, this.rows, cols, ACTIVATIONS.identity.code, 0, p.stats, p.scratch);
    return this.statsOfRows();
  }

  /** --backward: keeps a of layer l (x itself for l = 0). */
  keepActivations(layer: number): void {
    if (this.config.backward) this.mem.copy(this.plan.x, this.plan.aHistoryAt(layer), this.plan.rowsBytes);
  }

  /** --backward: keeps a and W of the layer just run (W as the forward pass used it: drawn, with LSUV's rescalings replayed in order). */
  keepLayer(): void {
    if (!this.config.backward) return;
    this.keepActivations(this.layer);
    const nIn = this.widths[this.layer - 1], nOut = this.widths[this.layer], kept = this.plan.wHistoryAt(this.layer);
    this.mem.copy(this.plan.w, kept, nOut * nIn * 4);
    for (const f of this.scalings) this.kernel.exports.scaleInPlace(kept, nOut * nIn, f);
  }

  /** into = from·W of `layer` (δ of the layer's input from δ of its linear output), as the forward kernel's x·Wᵀ with Wᵀ packed. */
  backThroughWeights(layer: number, from: number, into: number): void {
    const k = this.kernel.exports, p = this.plan, nOut = this.widths[layer], nIn = this.widths[layer - 1];
    k.transpose(p.wHistoryAt(layer), p.wide, nOut, nIn);
    k.packPanels(p.wide, p.packed, nIn, nOut);
    this.eachCall((r0, rows) => k.gemm(p.rowAt(from, r0), p.rowStride, p.packed, p.rowAt(into, r0), p.rowStride, rows, nOut, nIn));
  }

  /** The shard's rows of a rows × rowStride buffer, `cols` wide, packed tight (for the host's weight gradient). */
  compact(ptr: number, cols: number): Float32Array {
    return this.mem.f32Rows(ptr, this.rows, cols, this.plan.rowStride);
  }
}

/** Whether W of this init is orthonormalized (drawn whole, not entry by entry). */
const isOrthogonal = (init: string): boolean => init === 'orthogonal' || init === 'lsuv';

/** The fraction of a's values that are 0, from the rows' statistics records. */
function zeroFraction(stats: Float64Array, count: number): number {
  let zeros = 0;
  for (let r = 0; r * STAT_FIELDS < stats.length; r++) zeros += stats[r * STAT_FIELDS + STAT_A_ZEROS];
  return zeros / count;
}
