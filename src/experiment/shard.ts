import type { Kernel } from '../kernel/kernelExports.js';
import { KernelMemory } from '../kernel/kernelMemory.js';
import { BIAS_PAD, BLOCK_ROWS, PANEL_COLS, STAT_A_SUMSQ, STAT_A_ZEROS, STAT_FIELDS, STAT_Z_SUMSQ, WIDE_COLS } from '../kernel/layout.js';
import { ACTIVATIONS } from '../theory/activations.js';
import { LAYER_CALL_ROWS, planMemory, SUM_BLOCK_ROWS, type MemoryPlan, type ShardShape } from '../kernel/memoryPlan.js';
import { unitRowFactor } from '../metrics/pairCorrelation.js';
import { layerWidths, type ExperimentConfig } from '../model/config.js';
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
    zHistory: config.backward && config.patterns.some((p) => !ACTIVATIONS[p.activation].monotone),
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
}

/** What one backward step hands back: statistics of δa and δz, and the rows G = δzᵀ·a/B needs. */
export interface BackwardStep {
  gradA: Float64Array;
  gradZ: Float64Array;
  deltaZ: Float32Array;
  aPrev: Float32Array;
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
  }

  /**
   * Draws the pattern's input x ~ N(0,1), each row √c₀·g + √(1−c₀)·ξᵢ with --input-corr c₀ (g shared,
   * from a stream of its own); returns the per-row statistics of x (as "a") and its unit rows' sums.
   */
  startPattern(patternIndex: number): LayerStep {
    const k = this.kernel.exports, p = this.plan, width = this.widths[0], c0 = this.config.inputCorr;
    this.patternIndex = patternIndex;
    this.layer = 0;
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
    return { rows: this.rowStats(), zUnitSums: new Float64Array(0), aUnitSums: this.sumsOut(p.aUnitSums, width) };
  }

  /** blockColumnSums of rows [r0, r0 + rows) scaled to unit length by their `field` sum of squares. */
  private unitSums(ptr: number, r0: number, rows: number, cols: number, field: number, sums: number): void {
    const p = this.plan, stats = this.mem.f64, scales = p.rowScales >> 3;
    for (let r = r0; r < r0 + rows; r++) stats[scales + r] = unitRowFactor(stats[(p.statsAt(r) >> 3) + field]);
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

  /** Draws the next layer's W (and bias) and packs it for the kernel the input calls for. */
  prepareLayer(): void {
    const k = this.kernel.exports, p = this.plan, c = this.config;
    const pattern = c.patterns[this.patternIndex];
    const layer = ++this.layer;
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
      this.mem.copy(p.rowAt(p.x, r0), p.probe, rows * p.rowStride * 4);
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

  /** Runs the prepared layer: z = x·Wᵀ (+ b), a = φ(z) in place of x; returns per-row statistics and unit-row sums. */
  commitLayer(): LayerStep {
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
    }
    if (zHistory && keepZ) this.mem.copy(p.z, zHistory, p.rowsBytes);
    if (this.config.backward) {
      this.keepActivations(this.layer);
      // W as the forward pass used it: the drawn weights with LSUV's rescalings replayed in order
      const nIn = this.widths[this.layer - 1];
      const kept = p.wHistoryAt(this.layer);
      this.mem.copy(p.w, kept, nOut * nIn * 4);
      for (const f of this.scalings) this.kernel.exports.scaleInPlace(kept, nOut * nIn, f);
    }
    return { rows: this.rowStats(), zUnitSums: this.sumsOut(p.zUnitSums, nOut), aUnitSums: this.sumsOut(p.aUnitSums, nOut) };
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
  backwardLayer(layer: number): BackwardStep {
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
      // δa = δz·W, as the forward kernel's x·Wᵀ with Wᵀ packed
      k.transpose(p.wHistoryAt(layer), p.wide, nOut, nIn);
      k.packPanels(p.wide, p.packed, nIn, nOut);
      for (let r0 = 0; r0 < this.rows; r0 += LAYER_CALL_ROWS) {
        k.gemm(p.rowAt(p.delta, r0), p.rowStride, p.packed, p.rowAt(p.deltaNext, r0), p.rowStride, Math.min(LAYER_CALL_ROWS, this.rows - r0), nOut, nIn);
      }
      this.mem.copy(p.deltaNext, p.delta, p.rowsBytes);
    }
    return step;
  }

  /** prepareLayer + commitLayer. */
  runLayer(): LayerStep {
    this.prepareLayer();
    return this.commitLayer();
  }

  /** Counts of this shard's z or a of the layer just run, over the given bin edges. */
  histogram(of: 'z' | 'a', edges: Float64Array): Uint32Array {
    const k = this.kernel.exports, p = this.plan;
    const bins = edges.length - 1;
    if (of === 'z' && !this.config.histLayers.includes(this.layer)) throw new Error(`z of layer ${this.layer} was not kept`);
    this.mem.setF64(p.edges, edges);
    this.mem.fillU32(p.counts, bins, 0);
    k.histogram(of === 'z' ? p.z : p.x, p.rowStride, this.rows, this.widths[this.layer], p.edges, bins, p.counts);
    return this.mem.u32Slice(p.counts, bins);
  }

  /** A copy of every row's statistics record. */
  private statsOfRows(): Float64Array {
    return this.mem.f64Slice(this.plan.stats, this.rows * STAT_FIELDS);
  }

  /** Copies out the per-row statistics and notes the zero fraction of a (the next layer's x). */
  private rowStats(): Float64Array {
    const stats = this.statsOfRows();
    let zeros = 0;
    for (let r = 0; r < this.rows; r++) zeros += stats[r * STAT_FIELDS + STAT_A_ZEROS];
    this.inputZeroFraction = zeros / (this.rows * this.widths[this.layer]);
    return stats;
  }
}
