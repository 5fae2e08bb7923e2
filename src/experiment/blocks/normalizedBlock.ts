// The normalized plain block: z = x·Wᵀ (+ b), h = N(z), x ← φ(h).
import { STAT_A_SUMSQ, STAT_Z_SUMSQ } from '../../kernel/layout.js';
import { ACTIVATIONS } from '../../theory/activations.js';
import type { BlockNorm } from '../blockNorm.js';
import type { ChannelSums, ShardCore } from '../shardCore.js';
import type { Block, LayerStep } from './block.js';
import { backwardThroughNorm, backwardToH } from './normBackward.js';

export function normalizedBlock(core: ShardCore, norm: BlockNorm): Block {
  const p = core.plan, config = core.config;
  /** Whether z of the current layer is already in x (linear ran: a batch norm needed its channel sums first). */
  let linearDone = false;

  /** z = x·Wᵀ (+ b) of the drawn layer, in place of x (kept for the backward pass); returns z's channel sums. */
  const linear = (): ChannelSums => {
    const cols = core.widths[core.layer];
    core.eachCall((r0, rows) => {
      core.layerCall(p.rowAt(p.x, r0), 0, rows, ACTIVATIONS.identity.code, p.statsAt(r0));
      core.xChannelSums(r0, rows, cols);
    });
    if (config.backward) core.mem.copy(p.x, p.zHistoryAt(core.layer), p.rowsBytes);
    linearDone = true;
    const { xSums, xSquares } = core.xChannelSumsOut(cols);
    return { sums: xSums, squares: xSquares };
  };

  return {
    inputStep: (step) => step,
    beforeWeights: () => {},
    linearInput: p.x,
    histogramA: () => p.x,
    linear,

    /** N and φ after the linear step (`batchNorm`: z's batch-norm parameters, from linear's sums). */
    commit(batchNorm?: Float64Array): LayerStep {
      const k = core.kernel.exports, layer = core.layer, cols = core.widths[layer], keepZ = config.histLayers.includes(layer);
      if (!linearDone) linear();
      linearDone = false;
      norm.useLayer(layer, cols, batchNorm);
      core.eachCall((r0, rows) => {
        const x = p.rowAt(p.x, r0), h = keepZ ? p.rowAt(p.z, r0) : p.zBlock;
        norm.forward(x, h, rows, cols);
        k.activateWithStats(h, p.rowStride, x, p.rowStride, rows, cols, core.activation.code, config.leakyAlpha, p.statsAt(r0), p.scratch);
        core.unitSums(h, r0, rows, cols, STAT_Z_SUMSQ, p.zUnitSums);
        core.unitSums(x, r0, rows, cols, STAT_A_SUMSQ, p.aUnitSums);
        core.xChannelSums(r0, rows, cols);
      });
      core.keepLayer();
      return { rows: core.outputStats(), zUnitSums: core.sumsOut(p.zUnitSums, cols), aUnitSums: core.sumsOut(p.aUnitSums, cols), ...core.xChannelSumsOut(cols) };
    },

    backward: (layer) => backwardToH(core, norm, layer, false),
    finishBackward: (layer, means) => backwardThroughNorm(core, norm, layer, false, means),
  };
}
