// The residual block (pre-activation): h = N(x), a = φ(h), x ← x + α·(a·Wᵀ + b).
import { STAT_A_SUMSQ, STAT_Z_SUMSQ } from '../../kernel/layout.js';
import { ACTIVATIONS } from '../../theory/activations.js';
import { frobeniusSquared, scaleBySlope } from './plainBlock.js';
import { keepNormInput, normTangent } from './normalizedBlock.js';
import type { BlockNorm } from '../blockNorm.js';
import type { ShardCore } from '../shardCore.js';
import type { Block, LayerStep } from './block.js';
import { backwardThroughNorm, backwardToH } from './normBackward.js';

export function residualBlock(core: ShardCore, norm: BlockNorm): Block {
  const p = core.plan, config = core.config;
  /** The statistics of h and φ(h) of the current block, from beforeWeights: the block's record describes its branch's input. */
  let branchInputRows: Float64Array = new Float64Array(0);

  return {
    /** The input's channel statistics: a batch norm of block 1 normalizes with them. */
    inputStep(step: LayerStep): LayerStep {
      const cols = core.widths[0];
      core.xChannelSums(0, core.rows, cols);
      return { ...step, ...core.xChannelSumsOut(cols) };
    },

    /** h = N(x) and a = φ(h) into the stage (the branch's input), with the rows' statistics of h (as z) and a, their unit rows' sums, and h kept for a histogram layer. */
    beforeWeights(layer: number, batchNorm?: Float64Array): void {
      const k = core.kernel.exports, cols = core.widths[layer], keepZ = config.histLayers.includes(layer);
      norm.useLayer(layer, cols, batchNorm);
      core.eachCall((r0, rows) => {
        const x = p.rowAt(p.x, r0);
        const h = keepZ ? p.rowAt(p.z, r0) : norm.norm === 'none' ? x : p.zBlock;
        norm.forward(x, h, rows, cols);
        k.activateWithStats(h, p.rowStride, p.rowAt(p.stage, r0), p.rowStride, rows, cols, core.activation.code, config.leakyAlpha, p.statsAt(r0), p.scratch);
        core.unitSums(h, r0, rows, cols, STAT_Z_SUMSQ, p.zUnitSums);
        core.unitSums(p.rowAt(p.stage, r0), r0, rows, cols, STAT_A_SUMSQ, p.aUnitSums);
      });
      // the branch's linear step multiplies a = φ(h): its zeros pick the kernel
      branchInputRows = core.outputStats();
    },

    linearInput: p.stage,

    /** The branch r = a·Wᵀ (+ b) over its input in the stage, then x ← x + α·r. */
    commit(): LayerStep {
      const k = core.kernel.exports, cols = core.widths[core.layer];
      core.eachCall((r0, rows) => {
        core.layerCall(p.rowAt(p.stage, r0), p.zBlock, rows, ACTIVATIONS.identity.code, p.statsAt(r0));
        core.channelSums(p.zBlock, r0, rows, cols, p.rSums, p.rSquares);
        k.addScaled(p.rowAt(p.x, r0), p.zBlock, p.rowStride, rows, cols, config.residual!);
        core.xChannelSums(r0, rows, cols);
      });
      core.keepLayer();
      return {
        rows: branchInputRows, zUnitSums: core.sumsOut(p.zUnitSums, cols), aUnitSums: core.sumsOut(p.aUnitSums, cols),
        ...core.xChannelSumsOut(cols), rSums: core.sumsOut(p.rSums, cols), rSquares: core.sumsOut(p.rSquares, cols),
      };
    },

    /** a = φ(h) was overwritten by the branch: read through φ from the kept h. */
    histogramA: () => ({ at: p.z, through: core.activation.code }),

    /**
     * T ← T + α·((N′·T) ⊙ φ′(h))·Wᵀ for every input's tangents of the stream x: the skip passes T, the branch
     * adds its JVP at the input's own h = N(x) (a batch norm's statistics held fixed, as normalized blocks).
     */
    tangent(layer: number): Float64Array {
      const k = core.kernel.exports, n = core.widths[layer], n0 = core.widths[0], activation = core.activation;
      core.redrawForTangents(layer);
      norm.useLayerAgain(layer);
      const bias = config.biasStd > 0 ? p.bias : 0, inputs = core.tangentInputs, norms = new Float64Array(inputs);
      const h = p.zBlock, branch = p.tangentBranch;
      for (let i = 0; i < inputs; i++) {
        const x = p.rowAt(p.tangentX, i), tangents = p.tangentsAt(i);
        // the input's h = N(x), a = φ(h) and x ← x + α·(a·Wᵀ + b), by the forward pass's calls on one row
        // (a and r in the branch buffer's first row, free until the tangents need it)
        keepNormInput(core, norm, x, n0, n);
        norm.forward(x, h, 1, n);
        k.activateWithStats(h, p.rowStride, branch, p.rowStride, 1, n, activation.code, config.leakyAlpha, p.stats, p.scratch);
        k.denseLayer(branch, p.rowStride, p.packed, 0, 1, n, n, ACTIVATIONS.identity.code, 0, bias, p.scratch, p.stats);
        k.addScaled(x, branch, p.rowStride, 1, n, config.residual!);
        // the branch's tangents: N′·T, times φ′(h) per column, then ·Wᵀ; the skip keeps T
        core.mem.copy(tangents, p.tangentNext, n0 * p.rowStride * 4);
        normTangent(core, norm, p.tangentNext, n0, n);
        scaleBySlope(core, p.tangentNext, h, n0, n);
        core.tangentsTimesWt(p.tangentNext, branch);
        k.addScaled(tangents, branch, p.rowStride, n0, n, config.residual!);
        norms[i] = frobeniusSquared(core, tangents, n0, n);
      }
      return norms;
    },

    backward: (layer, input) => backwardToH(core, norm, layer, true, input),
    finishBackward: (layer, means, input) => backwardThroughNorm(core, norm, layer, true, means, input),
  };
}
