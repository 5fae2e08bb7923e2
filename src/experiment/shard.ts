import type { Kernel } from '../kernel/kernelExports.js';
import { KernelMemory } from '../kernel/kernelMemory.js';
import { BIAS_PAD, BLOCK_ROWS, PANEL_COLS, STAT_A_SUMSQ, STAT_A_ZEROS, STAT_FIELDS, STAT_Z_SUMSQ, WIDE_COLS } from '../kernel/layout.js';
import { ACTIVATIONS } from '../theory/activations.js';
import { LAYER_CALL_ROWS, planMemory, SUM_BLOCK_ROWS, type MemoryPlan, type ShardShape } from '../kernel/memoryPlan.js';
import { unitRowFactor } from '../metrics/pairCorrelation.js';
import { hasBlocks, layerWidths, type ExperimentConfig } from '../model/config.js';
import { BlockNorm } from './blockNorm.js';
import { heSlope, resolvedGain, weightStd } from '../model/inits.js';
import { streamId } from '../model/streams.js';

// Work is handed to the kernel in modest calls: V8 first runs WASM in its baseline tier and
// switches to optimized code only for later calls, so one huge call would run unoptimized.
const FILL_CHUNK = 1 << 16;
/** Zero fraction of x from which zeroSkipLayer is used (the crossover measured with `npm run bench`). */
export const ZERO_SKIP_THRESHOLD = 0.3;

/** The buffers a shard of `rows` rows needs for this config: the one source for the memory plan and the checks. */
export function shardShape(config: ExperimentConfig, rows: number): ShardShape {
  return {
    rows,
    widths: layerWidths(config),
    keepsFullZ: config.histLayers.length > 0,
    bins: config.bins,
    orthogonal: config.patterns.some((p) => p.init === 'orthogonal' || p.init === 'lsuv'),
    probe: config.patterns.some((p) => p.init === 'lsuv'),
    backward: config.backward,
    zHistory: config.backward && (config.patterns.some((p) => !ACTIVATIONS[p.activation].monotone) || (config.residual === undefined && hasBlocks(config))),
    ...(hasBlocks(config) ? { blocks: { residual: config.residual !== undefined } } : {}),
  };
}

/**
 * What a shard hands back for a layer, or for the input: its rows' statistics records, and per
 * block of SUM_BLOCK_ROWS rows the column sums of the unit rows of z and of a (blocks × width f64),
 * from which the host forms the mean pair cosine. The input has no z: its zUnitSums is empty.
 */
export interface LayerStep {
  rows: Float64Array;
  zUnitSums: Float64Array;
  aUnitSums: Float64Array;
  /** Blocks (a norm or a residual): per block of rows, the channel sums and sums of squares of the output x and, residual, of the branch r. */
  xSums?: Float64Array;
  xSquares?: Float64Array;
  rSums?: Float64Array;
  rSquares?: Float64Array;
}

/** Channel sums and sums of squares per block of rows (of z before a batch norm). */
export interface ChannelSums {
  sums: Float64Array;
  squares: Float64Array;
}

/**
 * How a shard's layers are built: `plain` is today's z = x·Wᵀ (+ b), x ← φ(z); `normalized` puts N between
 * z and φ; `residual` is the pre-activation block h = N(x), a = φ(h), x ← x + α·(a·Wᵀ + b).
 */
type BlockMode = 'plain' | 'normalized' | 'residual';

/** What one backward step hands back: statistics of δa and δz, and the rows G = δzᵀ·a/B needs. */
export interface BackwardStep {
  gradA: Float64Array;
  gradZ: Float64Array;
  deltaZ: Float32Array;
  aPrev: Float32Array;
}

/**
 * A block's backward step up to N (backwardLayer), for blocks with a norm or a residual: the statistics
 * of δa and δh (as gradA, gradZ; residual: of the stream's δx too), the rows G needs where they are known
 * by now (residual: δx and a, with G = α·δxᵀ·a/B), and for a batch norm the per-block channel sums of δh
 * and of δh·h that its backward pass reduces over the whole batch before finishBackward.
 */
export interface BlockBackwardStep {
  gradA: Float64Array;
  gradZ: Float64Array;
  gradX?: Float64Array;
  deltaZ?: Float32Array;
  aPrev?: Float32Array;
  deltaSums?: Float64Array;
  deltaDots?: Float64Array;
}

/**
 * A contiguous block of batch rows [rowStart, rowStart + rows) carried through every layer on one
 * kernel instance. Rows never interact, so shards are independent until statistics are reduced.
 * Per layer: prepareLayer (draw W and b), optionally probe / scale (LSUV), then commitLayer.
 */
export class Shard {
  private readonly plan: MemoryPlan;
  private readonly mem: KernelMemory;
  private readonly widths: number[];
  private layer = 0;
  private patternIndex = -1;
  private inputZeroFraction = 0;
  private sparse = false;
  /** LSUV's rescalings of the current layer, replayed on the kept copy of W for the backward pass. */
  private scalings: number[] = [];
  /** The current pattern's block and norm. */
  private mode: BlockMode = 'plain';
  private readonly blockNorm: BlockNorm;
  /** Every pattern records its blocks' channel statistics when any block has a norm or a residual. */
  private readonly channelStats: boolean;
  /** Normalized plain blocks: whether z of the current layer is already in x (linearLayer ran). */
  private linearDone = false;
  /** Residual blocks: the statistics of h and φ(h) of the current block, from prepareLayer. */
  private blockInputRows: Float64Array = new Float64Array(0);

  constructor(
    private readonly kernel: Kernel,
    private readonly config: ExperimentConfig,
    readonly rowStart: number,
    readonly rows: number,
  ) {
    this.widths = layerWidths(config);
    this.plan = planMemory(shardShape(config, rows), kernel.exports.heapBase());
    this.mem = new KernelMemory(kernel.memory);
    this.mem.ensure(this.plan.end);
    this.channelStats = hasBlocks(config);
    this.blockNorm = new BlockNorm(kernel, this.mem, this.plan, config);
    if (this.plan.ones) this.mem.f64.fill(1, this.plan.ones >>> 3, (this.plan.ones >>> 3) + rows);
  }

  /**
   * Draws the pattern's input x ~ N(0,1), each row √c₀·g + √(1−c₀)·ξᵢ with --input-corr c₀ (g shared,
   * from a stream of its own); returns the per-row statistics of x (as "a") and its unit rows' sums.
   */
  startPattern(patternIndex: number): LayerStep {
    const k = this.kernel.exports, p = this.plan, width = this.widths[0], c0 = this.config.inputCorr;
    this.patternIndex = patternIndex;
    this.layer = 0;
    this.blockNorm.startPattern(patternIndex);
    this.mode = this.config.residual !== undefined ? 'residual' : this.blockNorm.norm !== 'none' ? 'normalized' : 'plain';
    const stream = streamId(patternIndex, 0);
    for (let r = 0; r < this.rows; r++) {
      // one call per row: chunked for the same reason as FILL_CHUNK
      k.fillNormal(p.rowAt(p.x, r), width, this.config.seed, stream, (this.rowStart + r) * width, 1);
    }
    // without --input-corr nothing is mixed in, so x is exactly what it always was
    if (c0 > 0) {
      k.fillNormal(p.shared, width, this.config.seed, streamId(patternIndex, 0, 'sharedInput'), 0, 1);
      k.mixSharedRow(p.x, p.rowStride, this.rows, width, p.shared, Math.sqrt(c0), Math.sqrt(1 - c0));
    }
    k.activateWithStats(p.x, p.rowStride, p.x, p.rowStride, this.rows, width, ACTIVATIONS.identity.code, 0, p.stats, p.scratch);
    this.keepActivations(0);
    this.unitSums(p.x, 0, this.rows, width, STAT_A_SUMSQ, p.aUnitSums);
    const step: LayerStep = { rows: this.rowStats(), zUnitSums: new Float64Array(0), aUnitSums: this.sumsOut(p.aUnitSums, width) };
    // residual blocks: the input's channel statistics (a batch norm of block 1 normalizes with them)
    if (this.mode !== 'residual') return step;
    this.xChannelSums(0, this.rows, width);
    return { ...step, ...this.xChannelSumsOut(width) };
  }

  /** blockColumnSums (factor 1) and blockColumnProducts of rows [r0, r0 + rows) of `ptr` into per-block sums. */
  private channelSums(ptr: number, r0: number, rows: number, cols: number, sums: number, squares: number): void {
    const k = this.kernel.exports, p = this.plan, at = (r0 / SUM_BLOCK_ROWS) * cols * 8;
    k.blockColumnSums(ptr, p.rowStride, rows, cols, p.ones + r0 * 8, SUM_BLOCK_ROWS, sums + at);
    k.blockColumnProducts(ptr, ptr, p.rowStride, rows, cols, SUM_BLOCK_ROWS, squares + at);
  }

  /** The channel sums of rows [r0, r0 + rows) of x, taken while a layer call's rows are in cache. */
  private xChannelSums(r0: number, rows: number, cols: number): void {
    this.channelSums(this.plan.rowAt(this.plan.x, r0), r0, rows, cols, this.plan.xSums, this.plan.xSquares);
  }

  /** x's channel sums of every block, as a step's xSums and xSquares. */
  private xChannelSumsOut(cols: number): { xSums: Float64Array; xSquares: Float64Array } {
    return { xSums: this.sumsOut(this.plan.xSums, cols), xSquares: this.sumsOut(this.plan.xSquares, cols) };
  }

  /**
   * Residual block `layer`: h = N(x) and a = φ(h) into the stage (the branch's input), with the rows'
   * statistics of h (as z) and a, their unit rows' sums, and h kept for a histogram layer.
   */
  private blockInput(layer: number, batchNorm: Float64Array | undefined): void {
    const k = this.kernel.exports, p = this.plan, cols = this.widths[layer];
    const name = this.config.patterns[this.patternIndex].activation, keepZ = this.config.histLayers.includes(layer);
    this.blockNorm.useLayer(layer, cols, batchNorm);
    for (let r0 = 0; r0 < this.rows; r0 += LAYER_CALL_ROWS) {
      const rows = Math.min(LAYER_CALL_ROWS, this.rows - r0), x = p.rowAt(p.x, r0);
      const h = keepZ ? p.rowAt(p.z, r0) : this.blockNorm.norm === 'none' ? x : p.zBlock;
      this.blockNorm.forward(x, h, rows, cols);
      k.activateWithStats(h, p.rowStride, p.rowAt(p.stage, r0), p.rowStride, rows, cols, ACTIVATIONS[name].code, this.config.leakyAlpha, p.statsAt(r0), p.scratch);
      this.unitSums(h, r0, rows, cols, STAT_Z_SUMSQ, p.zUnitSums);
      this.unitSums(p.rowAt(p.stage, r0), r0, rows, cols, STAT_A_SUMSQ, p.aUnitSums);
    }
    this.blockInputRows = this.statsOfRows();
    this.inputZeroFraction = zeroFraction(this.blockInputRows, this.rows * cols);
  }

  /**
   * Normalized plain blocks: z = x·Wᵀ (+ b) of the prepared layer, in place of x (kept for the backward
   * pass); returns z's channel sums, which a batch norm reduces over the whole batch before commitLayer.
   */
  linearLayer(): ChannelSums {
    const p = this.plan, cols = this.widths[this.layer];
    if (this.mode !== 'normalized') throw new Error('linearLayer is for normalized plain blocks');
    for (let r0 = 0; r0 < this.rows; r0 += LAYER_CALL_ROWS) {
      const rows = Math.min(LAYER_CALL_ROWS, this.rows - r0);
      this.layerCall(p.rowAt(p.x, r0), 0, rows, ACTIVATIONS.identity.code, p.statsAt(r0));
      this.xChannelSums(r0, rows, cols);
    }
    if (this.config.backward) this.mem.copy(p.x, p.zHistoryAt(this.layer), p.rowsBytes);
    this.linearDone = true;
    const { xSums, xSquares } = this.xChannelSumsOut(cols);
    return { sums: xSums, squares: xSquares };
  }

  /** blockColumnSums of rows [r0, r0 + rows) scaled to unit length by their `field` sum of squares. */
  private unitSums(ptr: number, r0: number, rows: number, cols: number, field: number, sums: number): void {
    const p = this.plan, stats = this.mem.f64, scales = p.rowScales >>> 3;
    for (let r = r0; r < r0 + rows; r++) stats[scales + r] = unitRowFactor(stats[(p.statsAt(r) >>> 3) + field]);
    this.kernel.exports.blockColumnSums(ptr, p.rowStride, rows, cols, p.rowScales + r0 * 8, SUM_BLOCK_ROWS, sums + (r0 / SUM_BLOCK_ROWS) * cols * 8);
  }

  private sumsOut(sums: number, cols: number): Float64Array {
    return this.mem.f64Slice(sums, this.plan.sumBlocks * cols);
  }


  /** --backward: keeps a of layer l (x itself for l = 0). */
  private keepActivations(layer: number): void {
    if (!this.config.backward) return;
    this.mem.copy(this.plan.x, this.plan.aHistoryAt(layer), this.plan.rowsBytes);
  }

  private fill(ptr: number, count: number, stream: number, scale: number): void {
    for (let at = 0; at < count; at += FILL_CHUNK) {
      this.kernel.exports.fillNormal(ptr + at * 4, Math.min(FILL_CHUNK, count - at), this.config.seed, stream, at, scale);
    }
  }

  /**
   * Draws the next layer's W (and bias) and packs it for the kernel the input calls for. A residual
   * block first forms its branch's input φ(N(x)); `batchNorm` is then the batch norm of x's parameters.
   */
  prepareLayer(batchNorm?: Float64Array): void {
    const k = this.kernel.exports, p = this.plan, c = this.config;
    const pattern = c.patterns[this.patternIndex];
    const layer = ++this.layer;
    if (this.mode === 'residual') this.blockInput(layer, batchNorm);
    const nIn = this.widths[layer - 1], nOut = this.widths[layer];
    this.scalings = [];
    const gain = resolvedGain(c.gain, pattern.init, pattern.activation, c.leakyAlpha);
    const stream = streamId(this.patternIndex, layer);
    if (pattern.init === 'orthogonal' || pattern.init === 'lsuv') {
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
      this.fill(p.w, nOut * nIn, stream, weightStd(pattern.init, nIn, nOut, gain, c.fanMode, heSlope(pattern.activation, c.leakyAlpha)));
    }
    if (c.biasStd > 0) {
      this.mem.fillF32(p.bias, Math.ceil(nOut / BIAS_PAD) * BIAS_PAD, 0);
      this.fill(p.bias, nOut, streamId(this.patternIndex, layer, 'bias'), c.biasStd);
    }
    // Both kernels give bit-identical results; the sparse one wins once enough of x is zero.
    this.sparse = this.inputZeroFraction >= ZERO_SKIP_THRESHOLD;
    if (this.sparse) k.packWide(p.w, p.wide, nOut, nIn);
    else k.packPanels(p.w, p.packed, nOut, nIn);
  }

  private layerCall(x: number, z: number, rows: number, activation: number, stats: number): void {
    const k = this.kernel.exports, p = this.plan, c = this.config;
    const nIn = this.widths[this.layer - 1], nOut = this.widths[this.layer];
    const args = [x, p.rowStride, this.sparse ? p.wide : p.packed, z, rows, nIn, nOut, activation, c.leakyAlpha, c.biasStd > 0 ? p.bias : 0, p.scratch, stats] as const;
    if (this.sparse) k.zeroSkipLayer(...args);
    else k.denseLayer(...args);
  }

  /** z of the prepared layer on a copy of each block of x (x untouched): per-row statistics of z. */
  probeLayer(): Float64Array {
    const p = this.plan;
    if (p.probe === 0) throw new Error('probeLayer needs a config with an LSUV pattern');
    for (let r0 = 0; r0 < this.rows; r0 += BLOCK_ROWS) {
      const rows = Math.min(BLOCK_ROWS, this.rows - r0);
      this.mem.copy(p.rowAt(this.mode === 'residual' ? p.stage : p.x, r0), p.probe, rows * p.rowStride * 4);
      this.layerCall(p.probe, 0, rows, ACTIVATIONS.identity.code, p.statsAt(r0));
    }
    return this.statsOfRows();
  }

  /** Multiplies the prepared weights by `factor` (LSUV's rescaling). */
  scaleWeights(factor: number): void {
    const nIn = this.widths[this.layer - 1], nOut = this.widths[this.layer];
    const cols = this.sparse ? WIDE_COLS : PANEL_COLS, packedCols = Math.ceil(nOut / cols) * cols;
    this.kernel.exports.scaleInPlace(this.sparse ? this.plan.wide : this.plan.packed, packedCols * nIn, factor);
    this.scalings.push(factor);
  }

  /**
   * Runs the prepared layer: z = x·Wᵀ (+ b), a = φ(z) in place of x; returns per-row statistics and
   * unit-row sums. Normalized plain blocks put N between z and φ (`batchNorm`: z's batch-norm
   * parameters, from linearLayer's sums); residual blocks add α·(a·Wᵀ + b) to x.
   */
  commitLayer(batchNorm?: Float64Array): LayerStep {
    if (this.mode === 'residual') return this.commitResidual();
    if (this.mode === 'normalized') return this.commitNormalized(batchNorm);
    const p = this.plan;
    const keepZ = this.config.histLayers.includes(this.layer);
    const name = this.config.patterns[this.patternIndex].activation, activation = ACTIVATIONS[name].code;
    // --backward with GELU or SiLU keeps z of every layer; a histogram layer's z goes to p.z first
    const zHistory = this.config.backward && !ACTIVATIONS[name].monotone ? p.zHistoryAt(this.layer) : 0;
    const zOut = keepZ ? p.z : zHistory;
    const nOut = this.widths[this.layer];
    for (let r0 = 0; r0 < this.rows; r0 += LAYER_CALL_ROWS) {
      const rows = Math.min(LAYER_CALL_ROWS, this.rows - r0), z = zOut ? p.rowAt(zOut, r0) : p.zBlock;
      this.layerCall(p.rowAt(p.x, r0), z, rows, activation, p.statsAt(r0));
      // while the call's rows are in cache: their unit vectors' column sums, of z and of a
      this.unitSums(z, r0, rows, nOut, STAT_Z_SUMSQ, p.zUnitSums);
      this.unitSums(p.rowAt(p.x, r0), r0, rows, nOut, STAT_A_SUMSQ, p.aUnitSums);
      if (this.channelStats) this.xChannelSums(r0, rows, nOut);
    }
    if (zHistory && keepZ) this.mem.copy(p.z, zHistory, p.rowsBytes);
    if (this.config.backward) {
      this.keepActivations(this.layer);
      this.keepWeights();
    }
    const step: LayerStep = { rows: this.rowStats(), zUnitSums: this.sumsOut(p.zUnitSums, nOut), aUnitSums: this.sumsOut(p.aUnitSums, nOut) };
    return this.channelStats ? { ...step, ...this.xChannelSumsOut(nOut) } : step;
  }

  /** --backward: keeps W as the forward pass used it (the drawn weights with LSUV's rescalings replayed in order). */
  private keepWeights(): void {
    const nIn = this.widths[this.layer - 1], nOut = this.widths[this.layer], kept = this.plan.wHistoryAt(this.layer);
    this.mem.copy(this.plan.w, kept, nOut * nIn * 4);
    for (const f of this.scalings) this.kernel.exports.scaleInPlace(kept, nOut * nIn, f);
  }

  private commitNormalized(batchNorm: Float64Array | undefined): LayerStep {
    const k = this.kernel.exports, p = this.plan, cols = this.widths[this.layer];
    const name = this.config.patterns[this.patternIndex].activation, keepZ = this.config.histLayers.includes(this.layer);
    if (!this.linearDone) this.linearLayer();
    this.linearDone = false;
    this.blockNorm.useLayer(this.layer, cols, batchNorm);
    for (let r0 = 0; r0 < this.rows; r0 += LAYER_CALL_ROWS) {
      const rows = Math.min(LAYER_CALL_ROWS, this.rows - r0), x = p.rowAt(p.x, r0), h = keepZ ? p.rowAt(p.z, r0) : p.zBlock;
      this.blockNorm.forward(x, h, rows, cols);
      k.activateWithStats(h, p.rowStride, x, p.rowStride, rows, cols, ACTIVATIONS[name].code, this.config.leakyAlpha, p.statsAt(r0), p.scratch);
      this.unitSums(h, r0, rows, cols, STAT_Z_SUMSQ, p.zUnitSums);
      this.unitSums(x, r0, rows, cols, STAT_A_SUMSQ, p.aUnitSums);
      this.xChannelSums(r0, rows, cols);
    }
    if (this.config.backward) {
      this.keepActivations(this.layer);
      this.keepWeights();
    }
    return { rows: this.rowStats(), zUnitSums: this.sumsOut(p.zUnitSums, cols), aUnitSums: this.sumsOut(p.aUnitSums, cols), ...this.xChannelSumsOut(cols) };
  }

  /** The branch r = a·Wᵀ (+ b) of the prepared block, over its input in the stage, then x ← x + α·r. */
  private commitResidual(): LayerStep {
    const k = this.kernel.exports, p = this.plan, cols = this.widths[this.layer];
    for (let r0 = 0; r0 < this.rows; r0 += LAYER_CALL_ROWS) {
      const rows = Math.min(LAYER_CALL_ROWS, this.rows - r0);
      this.layerCall(p.rowAt(p.stage, r0), p.zBlock, rows, ACTIVATIONS.identity.code, p.statsAt(r0));
      this.channelSums(p.zBlock, r0, rows, cols, p.rSums, p.rSquares);
      k.addScaled(p.rowAt(p.x, r0), p.zBlock, p.rowStride, rows, cols, this.config.residual!);
      this.xChannelSums(r0, rows, cols);
    }
    if (this.config.backward) {
      this.keepActivations(this.layer);
      this.keepWeights();
    }
    return {
      rows: this.blockInputRows, zUnitSums: this.sumsOut(p.zUnitSums, cols), aUnitSums: this.sumsOut(p.aUnitSums, cols),
      ...this.xChannelSumsOut(cols), rSums: this.sumsOut(p.rSums, cols), rSquares: this.sumsOut(p.rSquares, cols),
    };
  }

  /** --backward: draws the upstream gradient g ~ N(0, 1) on the last activation into δ. */
  startBackward(): void {
    const k = this.kernel.exports, p = this.plan, width = this.widths[this.widths.length - 1];
    const stream = streamId(this.patternIndex, 0, 'gradient');
    for (let r = 0; r < this.rows; r++) k.fillNormal(p.rowAt(p.delta, r), width, this.config.seed, stream, (this.rowStart + r) * width, 1);
  }

  /**
   * One layer l of the backward pass, from δa of layer l (in δ): δz = δa ⊙ φ′(z), then δa of layer
   * l−1 = δz·W (into δ for the next call). Returns the rows' statistics of δa and δz and the rows of
   * δz and of a of layer l−1 for the weight gradient (which the host forms over the whole batch).
   */
  backwardLayer(layer: number): BackwardStep | BlockBackwardStep {
    if (this.mode !== 'plain') return this.blockBackward(layer);
    const k = this.kernel.exports, p = this.plan, c = this.config;
    const nOut = this.widths[layer], nIn = this.widths[layer - 1];
    const name = c.patterns[this.patternIndex].activation, activation = ACTIVATIONS[name].code;
    k.activateWithStats(p.delta, p.rowStride, p.delta, p.rowStride, this.rows, nOut, ACTIVATIONS.identity.code, 0, p.stats, p.scratch);
    const gradA = this.statsOfRows();
    if (!ACTIVATIONS[name].monotone) k.multiplyBySlopeAtZ(p.delta, p.zHistoryAt(layer), p.rowStride, this.rows, nOut, activation, c.leakyAlpha);
    else k.multiplyByDerivative(p.delta, p.aHistoryAt(layer), p.rowStride, this.rows, nOut, activation, c.leakyAlpha);
    k.activateWithStats(p.delta, p.rowStride, p.delta, p.rowStride, this.rows, nOut, ACTIVATIONS.identity.code, 0, p.stats, p.scratch);
    const gradZ = this.statsOfRows();
    const compact = (ptr: number, cols: number) => this.mem.f32Rows(ptr, this.rows, cols, p.rowStride);
    const step = { gradA, gradZ, deltaZ: compact(p.delta, nOut), aPrev: compact(p.aHistoryAt(layer - 1), nIn) };
    if (layer > 1) {
      this.backThroughWeights(layer, p.delta, p.deltaNext);
      this.mem.copy(p.deltaNext, p.delta, p.rowsBytes);
    }
    return step;
  }

  /** into = from·W of `layer` (δ of the layer's input from δ of its linear output), as the forward kernel's x·Wᵀ with Wᵀ packed. */
  private backThroughWeights(layer: number, from: number, into: number): void {
    const k = this.kernel.exports, p = this.plan, nOut = this.widths[layer], nIn = this.widths[layer - 1];
    k.transpose(p.wHistoryAt(layer), p.wide, nOut, nIn);
    k.packPanels(p.wide, p.packed, nIn, nOut);
    for (let r0 = 0; r0 < this.rows; r0 += LAYER_CALL_ROWS) {
      k.gemm(p.rowAt(from, r0), p.rowStride, p.packed, p.rowAt(into, r0), p.rowStride, Math.min(LAYER_CALL_ROWS, this.rows - r0), nOut, nIn);
    }
  }

  /** Where N's input of `layer` is kept: the stream x before the block (residual), z before N (normalized plain). */
  private normInputAt(layer: number): number {
    return this.mode === 'residual' ? this.plan.aHistoryAt(layer - 1) : this.plan.zHistoryAt(layer);
  }

  /** The per-row statistics of `rows` × cols f32 values at `ptr` (as z and a: identity). */
  private statsOf(ptr: number, cols: number): Float64Array {
    const p = this.plan;
    this.kernel.exports.activateWithStats(ptr, p.rowStride, ptr, p.rowStride, this.rows, cols, ACTIVATIONS.identity.code, 0, p.stats, p.scratch);
    return this.statsOfRows();
  }

  /**
   * The backward pass of a block with a norm or a residual, down to h: residual, δa = α·δx·W (δx the
   * stream's gradient in δ); normalized plain, δa in δ. Then δh = δa ⊙ φ′(h), h formed again from N's
   * kept input, into the gradient buffer the step works in (deltaNext for residual blocks, δ for plain ones).
   */
  private blockBackward(layer: number): BlockBackwardStep {
    const k = this.kernel.exports, p = this.plan, cols = this.widths[layer], residual = this.mode === 'residual';
    const name = this.config.patterns[this.patternIndex].activation;
    const gradX = residual ? this.statsOf(p.delta, cols) : undefined;
    const work = residual ? p.deltaNext : p.delta;
    if (residual) {
      this.backThroughWeights(layer, p.delta, p.deltaNext);
      k.scaleInPlace(p.deltaNext, this.rows * p.rowStride, this.config.residual!);
    }
    const gradA = this.statsOf(work, cols);
    this.blockNorm.useLayerAgain(layer);
    const batchNorm = this.blockNorm.norm === 'batch', source = this.normInputAt(layer);
    for (let r0 = 0; r0 < this.rows; r0 += LAYER_CALL_ROWS) {
      const rows = Math.min(LAYER_CALL_ROWS, this.rows - r0), h = p.zBlock, delta = p.rowAt(work, r0);
      this.blockNorm.forward(p.rowAt(source, r0), h, rows, cols);
      // the residual branch's G = δrᵀ·a/B needs a = φ(h)
      if (residual) k.activateWithStats(h, p.rowStride, p.rowAt(p.stage, r0), p.rowStride, rows, cols, ACTIVATIONS[name].code, this.config.leakyAlpha, p.statsAt(r0), p.scratch);
      k.multiplyBySlopeAtZ(delta, h, p.rowStride, rows, cols, ACTIVATIONS[name].code, this.config.leakyAlpha);
      if (batchNorm) {
        const at = (r0 / SUM_BLOCK_ROWS) * cols * 8;
        k.blockColumnSums(delta, p.rowStride, rows, cols, p.ones + r0 * 8, SUM_BLOCK_ROWS, p.xSums + at);
        k.blockColumnProducts(delta, h, p.rowStride, rows, cols, SUM_BLOCK_ROWS, p.xSquares + at);
      }
    }
    const gradZ = this.statsOf(work, cols);
    const compact = (ptr: number) => this.mem.f32Rows(ptr, this.rows, cols, p.rowStride);
    return {
      gradA, gradZ,
      ...(residual ? { gradX, deltaZ: compact(p.delta), aPrev: compact(p.stage) } : {}),
      ...(batchNorm ? { deltaSums: this.sumsOut(p.xSums, cols), deltaDots: this.sumsOut(p.xSquares, cols) } : {}),
    };
  }

  /**
   * The rest of a block's backward step: the gradient through N (`batchNorm`: the batch means of δh and of
   * δh·h per channel, m1 then m2), then residual: δx += N′ᵀ(δh); normalized plain: δz = N′ᵀ(δh), the rows
   * G = δzᵀ·x/B needs, and δx = δz·W into δ for the layer below.
   */
  finishBackward(layer: number, batchNorm?: Float64Array): { deltaZ?: Float32Array; aPrev?: Float32Array } {
    const k = this.kernel.exports, p = this.plan, cols = this.widths[layer], residual = this.mode === 'residual';
    const work = residual ? p.deltaNext : p.delta, source = this.normInputAt(layer);
    this.blockNorm.useLayerBackward(layer, cols, batchNorm);
    for (let r0 = 0; r0 < this.rows; r0 += LAYER_CALL_ROWS) {
      const rows = Math.min(LAYER_CALL_ROWS, this.rows - r0), delta = p.rowAt(work, r0);
      this.blockNorm.backward(p.rowAt(source, r0), delta, p.zBlock, rows, cols);
      if (residual) k.addScaled(p.rowAt(p.delta, r0), delta, p.rowStride, rows, cols, 1);
    }
    if (residual) return {};
    const compact = (ptr: number, width: number) => this.mem.f32Rows(ptr, this.rows, width, p.rowStride);
    const rows = { deltaZ: compact(p.delta, cols), aPrev: compact(p.aHistoryAt(layer - 1), this.widths[layer - 1]) };
    if (layer > 1) {
      this.backThroughWeights(layer, p.delta, p.deltaNext);
      this.mem.copy(p.deltaNext, p.delta, p.rowsBytes);
    }
    return rows;
  }

  /** prepareLayer + commitLayer (for batch norm: of a residual block, whose parameters prepareLayer takes). */
  runLayer(batchNorm?: Float64Array): LayerStep {
    this.prepareLayer(batchNorm);
    return this.commitLayer();
  }

  /** Counts of this shard's z or a of the layer just run, over the given bin edges. */
  histogram(of: 'z' | 'a', edges: Float64Array): Uint32Array {
    const k = this.kernel.exports, p = this.plan;
    const bins = edges.length - 1;
    if (of === 'z' && !this.config.histLayers.includes(this.layer)) throw new Error(`z of layer ${this.layer} was not kept`);
    this.mem.setF64(p.edges, edges);
    this.mem.fillU32(p.counts, bins, 0);
    let values = of === 'z' ? p.z : p.x;
    if (of === 'a' && this.mode === 'residual') {
      // a residual block's a = φ(h) was overwritten by the branch: formed again from the kept h
      const name = this.config.patterns[this.patternIndex].activation;
      k.activateWithStats(p.z, p.rowStride, p.stage, p.rowStride, this.rows, this.widths[this.layer], ACTIVATIONS[name].code, this.config.leakyAlpha, p.stats, p.scratch);
      values = p.stage;
    }
    k.histogram(values, p.rowStride, this.rows, this.widths[this.layer], p.edges, bins, p.counts);
    return this.mem.u32Slice(p.counts, bins);
  }

  /** A copy of every row's statistics record. */
  private statsOfRows(): Float64Array {
    return this.mem.f64Slice(this.plan.stats, this.rows * STAT_FIELDS);
  }

  /** Copies out the per-row statistics and notes the zero fraction of a (the next layer's x). */
  private rowStats(): Float64Array {
    const stats = this.statsOfRows();
    this.inputZeroFraction = zeroFraction(stats, this.rows * this.widths[this.layer]);
    return stats;
  }
}

/** The fraction of a's values that are 0, from the rows' statistics records. */
function zeroFraction(stats: Float64Array, count: number): number {
  let zeros = 0;
  for (let r = 0; r * STAT_FIELDS < stats.length; r++) zeros += stats[r * STAT_FIELDS + STAT_A_ZEROS];
  return zeros / count;
}
