import type { Kernel } from '../kernel/kernelExports.js';
import { BLOCK_ROWS, STAT_A_SUMSQ } from '../kernel/layout.js';
import { ACTIVATIONS } from '../theory/activations.js';
import { planMemory, type ShardShape } from '../kernel/memoryPlan.js';
import { attentionBlocks, hasBlocks, layerWidths, normOf, type ExperimentConfig } from '../model/config.js';
import { sequenceCosines } from './tokenCosines.js';
import { BlockNorm } from './blockNorm.js';
import { streamId } from '../model/streams.js';
import { ShardCore, spectrumInputsOf, type ChannelSums } from './shardCore.js';
import { tridiagonalQl } from '../metrics/symmetricEigen.js';
import type { BackwardStep, Block, BlockBackwardStep, FinishedBackward, HistogramSource, LayerStep } from './blocks/block.js';
import { BLOCK_KINDS, blockKindOf, histogramsOutlastLayer } from './blocks/blockKinds.js';
import { SharedDraws, type DrawRingSeat } from './sharedDraws.js';

export type { BackwardStep, BlockBackwardStep, LayerStep } from './blocks/block.js';
export type { ChannelSums } from './shardCore.js';

/** The buffers a shard of `rows` rows from `rowStart` needs for this config: the one source for the memory plan and the checks. */
export function shardShape(config: ExperimentConfig, rows: number, rowStart = 0): ShardShape {
  return {
    ...(config.spectrum ? { tangentInputs: spectrumInputsOf(config, rowStart, rows), tangentNormRows: config.patterns.some((p) => normOf(config, p) === 'layer'), tangentBranch: config.residual !== undefined } : {}),
    rows,
    widths: layerWidths(config),
    keepsFullZ: config.histLayers.length > 0,
    bins: config.bins,
    orthogonal: config.patterns.some((p) => p.init === 'orthogonal' || p.init === 'lsuv'),
    probe: config.patterns.some((p) => p.init === 'lsuv'),
    backward: config.backward,
    zHistory: config.backward && (config.patterns.some((p) => !ACTIVATIONS[p.activation].monotone) || (config.residual === undefined && hasBlocks(config))),
    ...(hasBlocks(config) ? { blocks: { residual: config.residual !== undefined } } : {}),
    ...(config.seqLen > 1 ? { tokens: config.seqLen } : {}),
    ...(attentionBlocks(config) ? { attentionHeads: config.heads } : {}),
  };
}

/**
 * A contiguous block of batch rows [rowStart, rowStart + rows) carried through every layer on one
 * kernel instance. Rows never interact, so shards are independent until statistics are reduced.
 * Per layer: prepareLayer (the block's input, then W and b), optionally probe / scale (LSUV), then
 * commitLayer, which the pattern's block kind (blocks/) carries out. These methods are the protocol
 * the orchestrator calls (shardProtocol.ts).
 */
export class Shard {
  private readonly core: ShardCore;
  private readonly norm: BlockNorm;
  private block: Block;

  /** `seat`: this shard's place at the ring its forward layers' W are drawn in with the other shards (see SharedDraws). */
  constructor(kernel: Kernel, config: ExperimentConfig, readonly rowStart: number, readonly rows: number, seat?: DrawRingSeat) {
    this.core = new ShardCore(kernel, planMemory(shardShape(config, rows, rowStart), kernel.exports.heapBase()), config, rowStart, rows, seat && new SharedDraws(seat));
    this.norm = new BlockNorm(kernel, this.core.mem, this.core.plan, config);
    this.block = BLOCK_KINDS.plain(this.core);
  }

  /**
   * Draws the pattern's input x ~ N(0,1), each row √c₀·g + √(1−c₀)·ξᵢ with --input-corr c₀ (g shared,
   * from a stream of its own); returns the per-row statistics of x (as "a") and its unit rows' sums.
   */
  startPattern(patternIndex: number): LayerStep {
    const core = this.core, k = core.kernel.exports, p = core.plan, config = core.config, width = core.widths[0], c0 = config.inputCorr;
    core.startPattern(patternIndex);
    this.norm.startPattern(patternIndex);
    this.block = BLOCK_KINDS[blockKindOf(config, config.patterns[patternIndex])](core, this.norm);
    const stream = streamId(patternIndex, 0);
    // one call per row: modest calls run in V8's optimized tier
    for (let r = 0; r < this.rows; r++) k.fillNormal(p.rowAt(p.x, r), width, config.seed, stream, (this.rowStart + r) * width, 1);
    // without --input-corr nothing is mixed in, so x is exactly what it always was
    if (c0 > 0) {
      k.fillNormal(p.shared, width, config.seed, streamId(patternIndex, 0, 'sharedInput'), 0, 1);
      k.mixSharedRow(p.x, p.rowStride, this.rows, width, p.shared, Math.sqrt(c0), Math.sqrt(1 - c0));
    }
    k.activateWithStats(p.x, p.rowStride, p.x, p.rowStride, this.rows, width, ACTIVATIONS.identity.code, 0, p.stats, p.scratch);
    core.keepActivations(0);
    core.unitSums(p.x, 0, this.rows, width, STAT_A_SUMSQ, p.aUnitSums);
    return this.block.inputStep({ rows: core.outputStats(), zUnitSums: new Float64Array(0), aUnitSums: core.sumsOut(p.aUnitSums, width) });
  }

  /** The block's input of the next layer (residual: φ(N(x)), `batchNorm` the parameters of x's batch norm), then its W and bias. */
  prepareLayer(batchNorm?: Float64Array): void {
    const layer = ++this.core.layer;
    this.block.beforeWeights(layer, batchNorm);
    if (this.block.drawsLayerWeights !== false) this.core.drawWeights(layer);
  }

  /** z of the prepared layer on a copy of each block of its input (the input untouched): per-row statistics of z. */
  probeLayer(): Float64Array {
    const core = this.core, p = core.plan;
    if (p.probe === 0) throw new Error('probeLayer needs a config with an LSUV pattern');
    core.eachCall((r0, rows) => {
      core.mem.copy(p.rowAt(this.block.linearInput, r0), p.probe, rows * p.rowStride * 4);
      core.layerCall(p.probe, 0, rows, ACTIVATIONS.identity.code, p.statsAt(r0));
    }, BLOCK_ROWS);
    return core.statsOfRows();
  }

  /** Multiplies the prepared weights by `factor` (LSUV's rescaling). */
  scaleWeights(factor: number): void {
    this.core.scaleWeights(factor);
  }

  /** Normalized plain blocks: z = x·Wᵀ (+ b) of the prepared layer, and its channel sums, which a batch norm reduces over the whole batch before commitLayer. */
  linearLayer(): ChannelSums {
    if (!this.block.linear) throw new Error('linearLayer is for normalized plain blocks');
    return this.block.linear();
  }

  /** Runs the prepared layer through the pattern's block; returns per-row statistics and unit-row sums. */
  commitLayer(batchNorm?: Float64Array): LayerStep {
    const step = this.block.commit(batchNorm);
    // --seq-len: the cosines of each sequence's tokens in the block's output x
    return this.core.config.seqLen > 1 ? { ...step, tokenCosines: sequenceCosines(this.core, this.core.widths[this.core.layer]) } : step;
  }

  /** prepareLayer + commitLayer (for batch norm: of a residual block, whose parameters prepareLayer takes). */
  runLayer(batchNorm?: Float64Array): LayerStep {
    this.prepareLayer(batchNorm);
    return this.commitLayer();
  }

  /** Step arrays (rows, sums) the host has read: the next steps are written into them (see handBack). */
  recycle(arrays: Float64Array[]): void {
    this.core.recycle(arrays);
  }

  /**
   * Counts of this shard's z and a of histogram layer `layer` over the given bin edges (null: not
   * counted, as for a range that is not finite or the identity's a, which is z): the layer just run, or for
   * a block whose histograms outlast their layer, a layer before it (none between is a histogram layer).
   * Both in one request: the page's live size histograms every layer, and each request is a round trip.
   */
  histograms(layer: number, zEdges: Float64Array | null, aEdges: Float64Array | null): { z: Uint32Array | null; a: Uint32Array | null } {
    const core = this.core, config = core.config;
    if (!config.histLayers.includes(layer)) throw new Error(`z and a of layer ${layer} were not kept`);
    const outlast = histogramsOutlastLayer(config, config.patterns[core.patternIndex]);
    if (layer > core.layer || (layer < core.layer && !(outlast && config.histLayers.every((h) => h <= layer || h > core.layer)))) {
      throw new Error(`the histograms of layer ${layer} were asked after layer ${core.layer} had overwritten them`);
    }
    return { z: zEdges && this.count({ at: core.plan.z, through: 0 }, zEdges, layer), a: aEdges && this.count(this.block.histogramA(), aEdges, layer) };
  }

  private count(values: HistogramSource, edges: Float64Array, layer: number): Uint32Array {
    const core = this.core, p = core.plan, bins = edges.length - 1;
    core.mem.setF64(p.edges, edges);
    core.mem.fillU32(p.counts, bins, 0);
    core.kernel.exports.histogram(values.at, p.rowStride, this.rows, core.widths[layer], values.through, core.config.leakyAlpha, p.edges, bins, p.counts);
    return core.mem.u32Slice(p.counts, bins);
  }

  /**
   * --spectrum: the Jacobian's inputs this shard holds (the batch's first rows) drawn again as x,
   * each with its n₀ unit tangents T = I (the rows of Jᵀ at layer 0). Returns how many it holds.
   */
  startTangent(): number {
    const core = this.core, k = core.kernel.exports, p = core.plan, config = core.config, n0 = core.widths[0];
    const inputs = core.tangentInputs;
    const stream = streamId(core.patternIndex, 0);
    for (let i = 0; i < inputs; i++) {
      k.fillNormal(p.rowAt(p.tangentX, i), n0, config.seed, stream, (this.rowStart + i) * n0, 1);
      const tangents = p.tangentsAt(i);
      core.mem.fillF32(tangents, n0 * p.rowStride, 0);
      for (let j = 0; j < n0; j++) core.mem.f32[(tangents >>> 2) + j * p.rowStride + j] = 1;
    }
    // the shared part g of correlated inputs is still in p.shared from startPattern
    if (inputs > 0 && config.inputCorr > 0) k.mixSharedRow(p.tangentX, p.rowStride, inputs, n0, p.shared, Math.sqrt(config.inputCorr), Math.sqrt(1 - config.inputCorr));
    if (inputs > 0) core.mem.f64.fill(0, p.tangentZero >>> 3, (p.tangentZero >>> 3) + p.rowStride);
    return inputs;
  }

  /** --spectrum: the tangent step of `layer` through the pattern's block; each held input's ‖J‖²_F. */
  tangentLayer(layer: number): Float64Array {
    if (!this.block.tangent) throw new Error('this block kind has no tangent step');
    return this.block.tangent(layer);
  }

  /**
   * --spectrum: for each held input in row order, the eigenvalues of JJᵀ at the layer just stepped,
   * min(n₀, n_l) of them ascending (the smaller Gram's): the Gram matrix and its tridiagonal form on the
   * kernel in float64, then QL here.
   */
  tangentEigenvalues(): Float64Array {
    const core = this.core, p = core.plan, k = core.kernel.exports, n0 = core.widths[0], nl = core.widths[core.layer], m = Math.min(n0, nl);
    const out = new Float64Array(core.tangentInputs * m);
    for (let i = 0; i < core.tangentInputs; i++) {
      k.gramOfTangents(p.tangentsAt(i), p.rowStride, n0, nl, p.gramRows, p.gram);
      k.householderTridiagonal(p.gram, m, p.tridiagonal, p.tridiagonal + m * 8);
      const diagonal = core.mem.f64Slice(p.tridiagonal, m), off = core.mem.f64Slice(p.tridiagonal + m * 8, m);
      tridiagonalQl(diagonal, off, m);
      out.set(diagonal.sort(), i * m);
    }
    return out;
  }

  /** --backward: draws the upstream gradient g ~ N(0, 1) on the last activation into δ. */
  startBackward(): void {
    const core = this.core, p = core.plan, width = core.widths[core.widths.length - 1];
    const stream = streamId(core.patternIndex, 0, 'gradient');
    for (let r = 0; r < this.rows; r++) core.kernel.exports.fillNormal(p.rowAt(p.delta, r), width, core.config.seed, stream, (this.rowStart + r) * width, 1);
  }

  /** One layer of the backward pass through the pattern's block (see Block.backward). */
  backwardLayer(layer: number): BackwardStep | BlockBackwardStep {
    return this.block.backward(layer);
  }

  /** The rest of a block's backward step, once a batch norm's means are reduced (see Block.finishBackward). */
  finishBackward(layer: number, batchNorm?: Float64Array): FinishedBackward {
    return this.block.finishBackward(layer, batchNorm);
  }
}
