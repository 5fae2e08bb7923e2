// The backward step shared by the blocks with a norm N (normalized plain and residual): down to h,
// then, once a batch norm's means are reduced over the batch, through N.
import type { BlockNorm } from '../blockNorm.js';
import type { ShardCore } from '../shardCore.js';
import type { BlockBackwardStep, FinishedBackward } from './block.js';

/** Where N's input of `layer` is kept: the stream x before the block (residual; `input` where given), z before N (normalized plain). */
function normInputAt(core: ShardCore, layer: number, residual: boolean, input?: number): number {
  return residual ? (input ?? core.plan.aHistoryAt(layer - 1)) : core.plan.zHistoryAt(layer);
}

/**
 * The backward pass of a block with a norm or a residual, down to h: residual, δa = α·δx·W (δx the
 * stream's gradient in δ); normalized plain, δa in δ. Then δh = δa ⊙ φ′(h), h formed again from N's
 * kept input, into the gradient buffer the step works in (deltaNext for residual blocks, δ for plain ones).
 */
export function backwardToH(core: ShardCore, norm: BlockNorm, layer: number, residual: boolean, input?: number): BlockBackwardStep {
  const k = core.kernel.exports, p = core.plan, cols = core.widths[layer], activation = core.activation, alpha = core.config.leakyAlpha;
  const gradX = residual ? core.statsOf(p.delta, cols) : undefined;
  const work = residual ? p.deltaNext : p.delta;
  if (residual) {
    core.backThroughWeights(layer, p.delta, p.deltaNext);
    k.scaleInPlace(p.deltaNext, core.rows * p.rowStride, core.config.residual!);
  }
  const gradA = core.statsOf(work, cols);
  norm.useLayerAgain(layer);
  const batchNorm = norm.norm === 'batch', source = normInputAt(core, layer, residual, input);
  core.eachCall((r0, rows) => {
    const h = p.zBlock, delta = p.rowAt(work, r0);
    norm.forward(p.rowAt(source, r0), h, rows, cols);
    // the residual branch's G = δrᵀ·a/B needs a = φ(h)
    if (residual) k.activateWithStats(h, p.rowStride, p.rowAt(p.stage, r0), p.rowStride, rows, cols, activation.code, alpha, p.statsAt(r0), p.scratch);
    k.multiplyBySlopeAtZ(delta, h, p.rowStride, rows, cols, activation.code, alpha);
    if (batchNorm) core.channelSums(delta, r0, rows, cols, p.deltaSums, p.deltaDots, h);
  });
  const gradZ = core.statsOf(work, cols);
  return {
    gradA, gradZ,
    ...(residual ? { gradX, deltaZ: core.compact(p.delta, cols), aPrev: core.compact(p.stage, cols) } : {}),
    ...(batchNorm ? { deltaSums: core.sumsOut(p.deltaSums, cols), deltaDots: core.sumsOut(p.deltaDots, cols) } : {}),
  };
}

/**
 * The rest of a block's backward step: the gradient through N (`means`, batch norm: the batch means of δh
 * and of δh·h per channel, m1 then m2), then residual: δx += N′ᵀ(δh); normalized plain: δz = N′ᵀ(δh), the
 * rows G = δzᵀ·x/B needs, and δx = δz·W into δ for the layer below (`input`: x is there, see Block.backward).
 */
export function backwardThroughNorm(core: ShardCore, norm: BlockNorm, layer: number, residual: boolean, means?: Float64Array, input?: number): FinishedBackward {
  const k = core.kernel.exports, p = core.plan, cols = core.widths[layer];
  const work = residual ? p.deltaNext : p.delta, source = normInputAt(core, layer, residual, input);
  norm.useLayerBackward(layer, cols, means);
  core.eachCall((r0, rows) => {
    const delta = p.rowAt(work, r0);
    norm.backward(p.rowAt(source, r0), delta, p.zBlock, rows, cols);
    if (residual) k.addScaled(p.rowAt(p.delta, r0), delta, p.rowStride, rows, cols, 1);
  });
  if (residual) return {};
  const rows = { deltaZ: core.compact(p.delta, cols), aPrev: core.compact(input ?? p.aHistoryAt(layer - 1), core.widths[layer - 1]) };
  if (layer > 1 || input !== undefined) {
    core.backThroughWeights(layer, p.delta, p.deltaNext);
    core.mem.copy(p.deltaNext, p.delta, p.rowsBytes);
  }
  return rows;
}

