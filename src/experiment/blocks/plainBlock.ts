// The plain block: z = x·Wᵀ (+ b), x ← φ(z).
import { STAT_A_SUMSQ, STAT_Z_SUMSQ } from '../../kernel/layout.js';
import { hasBlocks } from '../../model/config.js';
import type { ShardCore } from '../shardCore.js';
import type { BackwardStep, Block, LayerStep } from './block.js';

export function plainBlock(core: ShardCore): Block {
  const p = core.plan, config = core.config;
  // a plain pattern beside patterns with blocks records its channel statistics too, for the same figures
  const channelStats = hasBlocks(config);
  return {
    inputStep: (step) => step,
    beforeWeights: () => {},
    linearInput: p.x,
    histogramA: () => p.x,

    commit(): LayerStep {
      const layer = core.layer, nOut = core.widths[layer], activation = core.activation;
      const keepZ = config.histLayers.includes(layer);
      // --backward with GELU or SiLU keeps z of every layer; a histogram layer's z goes to p.z first
      const zHistory = config.backward && !activation.monotone ? p.zHistoryAt(layer) : 0;
      const zOut = keepZ ? p.z : zHistory;
      core.eachCall((r0, rows) => {
        const z = zOut ? p.rowAt(zOut, r0) : p.zBlock;
        core.layerCall(p.rowAt(p.x, r0), z, rows, activation.code, p.statsAt(r0));
        // while the call's rows are in cache: their unit vectors' column sums, of z and of a
        core.unitSums(z, r0, rows, nOut, STAT_Z_SUMSQ, p.zUnitSums);
        core.unitSums(p.rowAt(p.x, r0), r0, rows, nOut, STAT_A_SUMSQ, p.aUnitSums);
        if (channelStats) core.xChannelSums(r0, rows, nOut);
      });
      if (zHistory && keepZ) core.mem.copy(p.z, zHistory, p.rowsBytes);
      core.keepLayer();
      const step: LayerStep = { rows: core.outputStats(), zUnitSums: core.sumsOut(p.zUnitSums, nOut), aUnitSums: core.sumsOut(p.aUnitSums, nOut) };
      return channelStats ? { ...step, ...core.xChannelSumsOut(nOut) } : step;
    },

    /**
     * Layer l of the backward pass, from δa of layer l (in δ): δz = δa ⊙ φ′(z), then δa of layer l−1 = δz·W
     * (into δ for the next call). Returns the rows' statistics of δa and δz and the rows of δz and of a of
     * layer l−1 for the weight gradient (which the host forms over the whole batch).
     */
    backward(layer: number): BackwardStep {
      const k = core.kernel.exports, nOut = core.widths[layer], nIn = core.widths[layer - 1], activation = core.activation;
      const gradA = core.statsOf(p.delta, nOut);
      if (!activation.monotone) k.multiplyBySlopeAtZ(p.delta, p.zHistoryAt(layer), p.rowStride, core.rows, nOut, activation.code, config.leakyAlpha);
      else k.multiplyByDerivative(p.delta, p.aHistoryAt(layer), p.rowStride, core.rows, nOut, activation.code, config.leakyAlpha);
      const gradZ = core.statsOf(p.delta, nOut);
      const step = { gradA, gradZ, deltaZ: core.compact(p.delta, nOut), aPrev: core.compact(p.aHistoryAt(layer - 1), nIn) };
      if (layer > 1) {
        core.backThroughWeights(layer, p.delta, p.deltaNext);
        core.mem.copy(p.deltaNext, p.delta, p.rowsBytes);
      }
      return step;
    },

    finishBackward: () => {
      throw new Error('a plain block finishes its backward step in backward');
    },
  };
}
