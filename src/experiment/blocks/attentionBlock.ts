// The attention block: the attention sub-block alone (attentionSublayer.ts). Its record's z and a fields both
// describe the block's output x; there is no φ.
import { STAT_A_SUMSQ, STAT_Z_SUMSQ } from '../../kernel/layout.js';
import { ACTIVATIONS } from '../../theory/activations.js';
import { hasBlocks } from '../../model/config.js';
import type { BlockNorm } from '../blockNorm.js';
import type { ShardCore } from '../shardCore.js';
import type { Block, BlockBackwardStep, LayerStep } from './block.js';
import { attentionSublayer } from './attentionSublayer.js';

export function attentionBlock(core: ShardCore, norm: BlockNorm): Block {
  const p = core.plan, config = core.config, n = core.widths[0], sublayer = attentionSublayer(core, norm);
  // with a norm or a residual the block's output x has its channel statistics recorded, as residual blocks
  const channelStats = hasBlocks(config);
  return {
    inputStep(step: LayerStep): LayerStep {
      if (!channelStats) return step;
      core.xChannelSums(0, core.rows, n);
      return { ...step, ...core.xChannelSumsOut(n) };
    },
    beforeWeights: (layer) => sublayer.drawWeights(layer),
    drawsLayerWeights: false,
    linearInput: p.x,

    commit(): LayerStep {
      const k = core.kernel.exports, keepZ = config.histLayers.includes(core.layer);
      const attentionEntropy = sublayer.run();
      core.eachCall((r0, rows) => {
        const x = p.rowAt(p.x, r0);
        k.activateWithStats(x, p.rowStride, x, p.rowStride, rows, n, ACTIVATIONS.identity.code, 0, p.statsAt(r0), p.scratch);
        core.unitSums(x, r0, rows, n, STAT_Z_SUMSQ, p.zUnitSums);
        core.unitSums(x, r0, rows, n, STAT_A_SUMSQ, p.aUnitSums);
        if (channelStats) core.xChannelSums(r0, rows, n);
      });
      // a histogram layer's z is the output x, like its a
      if (keepZ) core.mem.copy(p.x, p.z, p.rowsBytes);
      core.keepActivations(core.layer);
      const step: LayerStep = { rows: core.outputStats(), zUnitSums: core.sumsOut(p.zUnitSums, n), aUnitSums: core.sumsOut(p.aUnitSums, n), attentionEntropy };
      if (!channelStats) return step;
      const branch = config.residual !== undefined ? { rSums: core.sumsOut(p.rSums, n), rSquares: core.sumsOut(p.rSquares, n) } : {};
      return { ...step, ...core.xChannelSumsOut(n), ...branch };
    },
    histogramA: () => ({ at: p.x, through: 0 }),

    /** The stream's δx at the block's output (its statistics as gradA, gradZ and gradX), then δ of the block's input in its place. */
    backward(layer: number): BlockBackwardStep {
      const gradX = core.statsOf(p.delta, n);
      const attention = sublayer.backward(layer, p.aHistoryAt(layer - 1));
      // three copies: a worker transfers each array of the step once
      return { gradA: gradX.slice(), gradZ: gradX.slice(), gradX, attention };
    },
    finishBackward: () => ({}),
  };
}
