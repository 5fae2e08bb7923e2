// The transformer block: the attention sub-block (attentionSublayer.ts), then an MLP sub-block, which is the
// block today's networks would have with the same options (plain, normalized or residual; blockKinds.ts).
// The record describes the MLP sub-block as that kind's does, with the attention's entropies beside it.
import type { BlockNorm } from '../blockNorm.js';
import type { ShardCore } from '../shardCore.js';
import type { Block, BlockBackwardStep, LayerStep } from './block.js';
import { attentionSublayer } from './attentionSublayer.js';

export function transformerBlock(core: ShardCore, norm: BlockNorm, mlp: Block): Block {
  const p = core.plan, sublayer = attentionSublayer(core, norm);
  let attentionEntropy: Float64Array = new Float64Array(0);
  return {
    inputStep: (step) => mlp.inputStep(step),
    /** The attention sub-block runs whole here (x becomes its output), then the MLP sub-block's preparation. */
    beforeWeights(layer: number, batchNorm?: Float64Array): void {
      sublayer.drawWeights(layer);
      attentionEntropy = sublayer.run();
      mlp.beforeWeights(layer, batchNorm);
    },
    linearInput: mlp.linearInput,
    commit: (batchNorm?: Float64Array): LayerStep => ({ ...mlp.commit(batchNorm), attentionEntropy }),
    histogramA: () => mlp.histogramA(),

    /**
     * From δ of the block's output (the plan's delta) to δ of its input: the MLP sub-block's input formed again
     * in x (the attention sub-block of the kept block input; x is free in the backward pass), the MLP
     * sub-block's backward step from it, then the attention sub-block's. No batch norm reaches here (refused
     * with attention before a run), so the MLP step finishes without the batch's means.
     */
    backward(layer: number): BlockBackwardStep {
      const n = core.widths[0], input = p.aHistoryAt(layer - 1), gradX = core.statsOf(p.delta, n);
      sublayer.drawWeights(layer, true);
      core.mem.copy(input, p.x, p.rowsBytes);
      sublayer.run();
      const step = mlp.backward(layer, p.x) as BlockBackwardStep;
      const finished = mlp.finishBackward(layer, undefined, p.x);
      const attention = sublayer.backward(layer, input, true);
      return { ...step, ...finished, gradX, attention };
    },
    finishBackward: () => ({}),
  };
}
