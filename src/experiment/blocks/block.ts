// The unit of a network: a block maps a shard's rows of x to the next x and hands back what the
// host reduces. One file per kind; a kind is registered once in blockKinds.ts.
import type { ChannelSums } from '../shardCore.js';
import type { AttentionGradientRows } from './attentionSublayer.js';

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
  /** --seq-len T > 1: per sequence of the shard, the mean pair cosine of its output tokens (NaN with fewer than 2 nonzero tokens). */
  tokenCosines?: Float64Array;
  /** Attention blocks: per sequence and head, the summed entropies of the attention rows. */
  attentionEntropy?: Float64Array;
}

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
  /** Attention blocks: the rows of their four weight gradients. */
  attention?: AttentionGradientRows;
}

/** The rows the weight gradient needs once a block's backward step is complete (none where backwardLayer gave them). */
export interface FinishedBackward {
  deltaZ?: Float32Array;
  aPrev?: Float32Array;
}

/** The values a histogram counts: the f32 rows at `at`, through φ of activation code `through` (0: as they are). */
export interface HistogramSource {
  at: number;
  through: number;
}

/**
 * One kind of block, over the shard's rows. Per layer the shard calls beforeWeights, draws W, then
 * (LSUV) probes from probeInput, (normalized plain blocks with batch norm) linear, and commit; after
 * a histogram layer, histogramA; with --backward, backward and finishBackward from the last layer down.
 */
export interface Block {
  /** The input's step, completed with what this kind reduces of it (residual: the stream's channel sums). */
  inputStep(step: LayerStep): LayerStep;
  /** Before layer `layer`'s weights are drawn (residual: the branch's input φ(N(x)); `batchNorm` its batch norm's parameters). */
  beforeWeights(layer: number, batchNorm?: Float64Array): void;
  /** false: the block draws its own weights (attention), the shard draws no W of the layer. */
  readonly drawsLayerWeights?: false;
  /** The buffer of the layer's linear input: what LSUV's probes multiply by W. */
  readonly linearInput: number;
  /** Normalized plain blocks: z = x·Wᵀ (+ b) first, for its channel sums; the others have no such step. */
  linear?(): ChannelSums;
  /** The rest of the layer: x becomes the block's output; the rows' statistics and sums. */
  commit(batchNorm?: Float64Array): LayerStep;
  /** Where a of the layer just run is for its histogram: kept, or read through φ from the kept z or h. */
  histogramA(): HistogramSource;
  /**
   * `input`: where the block's input x is when it is not the kept a of layer − 1 (the MLP sub-block of a
   * transformer block, whose input the attention sub-block forms again); δ of the input is then formed at
   * layer 1 too.
   */
  backward(layer: number, input?: number): BackwardStep | BlockBackwardStep;
  finishBackward(layer: number, means?: Float64Array, input?: number): FinishedBackward;
  /**
   * The tangent (JVP) step of `layer` for the Jacobian's inputs this shard holds: W drawn again, each
   * input's own x carried forward, its tangents T ← J_layer·T; returns each input's ‖T‖²_F. Kinds
   * without one are refused before a run (--spectrum).
   */
  tangent?(layer: number): Float64Array;
}
