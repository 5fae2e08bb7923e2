// The attention block: the attention sub-block alone (attentionSublayer.ts). Its record's z and a fields both
// describe the block's output x; there is no φ.
import { STAT_A_SUMSQ, STAT_Z_SUMSQ } from '../../kernel/layout.js';
import { ACTIVATIONS } from '../../theory/activations.js';
import { hasBlocks } from '../../model/config.js';
import type { BlockNorm } from '../blockNorm.js';
import type { ShardCore } from '../shardCore.js';
import type { Block, LayerStep } from './block.js';
import { attentionSublayer } from './attentionSublayer.js';

export function attentionBlock(core: ShardCore, norm: BlockNorm): Block {
  const p = core.plan, config = core.config, n = core.widths[0], sublayer = attentionSublayer(core, norm);
  // with a norm or a residual the block's output x has its channel statistics recorded, as residual blocks
  const channelStats = hasBlocks(config);
  const refused = (): never => {
    throw new Error('--backward is refused with attention blocks before a run');
  };
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
      const step: LayerStep = { rows: core.outputStats(), zUnitSums: core.sumsOut(p.zUnitSums, n), aUnitSums: core.sumsOut(p.aUnitSums, n), attentionEntropy };
      if (!channelStats) return step;
      const branch = config.residual !== undefined ? { rSums: core.sumsOut(p.rSums, n), rSquares: core.sumsOut(p.rSquares, n) } : {};
      return { ...step, ...core.xChannelSumsOut(n), ...branch };
    },
    histogramA: () => p.x,
    backward: refused,
    finishBackward: refused,
  };
}
