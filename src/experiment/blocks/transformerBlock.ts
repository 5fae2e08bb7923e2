// The transformer block: the attention sub-block (attentionSublayer.ts), then an MLP sub-block, which is the
// block today's networks would have with the same options (plain, normalized or residual; blockKinds.ts).
// The record describes the MLP sub-block as that kind's does, with the attention's entropies beside it.
import type { BlockNorm } from '../blockNorm.js';
import type { ShardCore } from '../shardCore.js';
import type { Block, LayerStep } from './block.js';
import { attentionSublayer } from './attentionSublayer.js';

export function transformerBlock(core: ShardCore, norm: BlockNorm, mlp: Block): Block {
  const sublayer = attentionSublayer(core, norm);
  let attentionEntropy: Float64Array = new Float64Array(0);
  const refused = (): never => {
    throw new Error('--backward is refused with transformer blocks before a run');
  };
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
    backward: refused,
    finishBackward: refused,
  };
}
