// The normalized plain block: z = x·Wᵀ (+ b), h = N(z), x ← φ(h).
import { STAT_A_SUMSQ, STAT_Z_SUMSQ } from '../../kernel/layout.js';
import { ACTIVATIONS } from '../../theory/activations.js';
import { NORM_EPSILON } from '../../model/config.js';
import { slopeAndNorm } from './plainBlock.js';
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
    histogramA: () => ({ at: p.x, through: 0 }),
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

    /**
     * T ← D·N′·W·T for every input's tangents: N′ is the norm's Jacobian at the input's z with the batch's
     * statistics held fixed (batch norm and nf: a per-channel scale; layer norm, a per-sample map:
     * s·(t − mean t − h·mean(h⊙t)), the same symmetric matrix its backward pass applies), D = diag φ′(h).
     */
    tangent(layer: number): Float64Array {
      const k = core.kernel.exports, nIn = core.widths[layer - 1], nOut = core.widths[layer], n0 = core.widths[0], activation = core.activation;
      core.redrawForTangents(layer);
      norm.useLayerAgain(layer);
      const bias = config.biasStd > 0 ? p.bias : 0, inputs = core.tangentInputs, norms = new Float64Array(inputs);
      for (let i = 0; i < inputs; i++) {
        const x = p.rowAt(p.tangentX, i), tangents = p.tangentsAt(i);
        // the input's z, h = N(z) and a = φ(h) by the forward pass's own calls (commit's, on one row)
        k.denseLayer(x, p.rowStride, p.packed, 0, 1, nIn, nOut, ACTIVATIONS.identity.code, 0, bias, p.scratch, p.stats);
        keepNormInput(core, norm, x, n0, nOut);
        norm.forward(x, p.zBlock, 1, nOut);
        k.activateWithStats(p.zBlock, p.rowStride, x, p.rowStride, 1, nOut, activation.code, config.leakyAlpha, p.stats, p.scratch);
        core.tangentsTimesWt(tangents, p.tangentNext);
        normTangent(core, norm, p.tangentNext, n0, nOut);
        norms[i] = slopeAndNorm(core, tangents, p.zBlock, n0, nOut);
      }
      return norms;
    },

    backward: (layer, input) => backwardToH(core, norm, layer, false, input),
    finishBackward: (layer, means, input) => backwardThroughNorm(core, norm, layer, false, means, input),
  };
}

/** Layer norm's JVP reads its input beside each tangent row: the input's pre-norm row repeated on n₀ rows. */
export function keepNormInput(core: ShardCore, norm: BlockNorm, row: number, n0: number, cols: number): void {
  const p = core.plan;
  if (norm.norm === 'layer') for (let r = 0; r < n0; r++) core.mem.copy(row, p.rowAt(p.tangentNormInput, r), cols * 4);
}

/**
 * N′·t in place on n₀ tangent rows at `tangents`, at the input kept by keepNormInput: batch norm (its batch
 * statistics held fixed) and nf scale each channel; layer norm maps s·(t − mean t − h·mean(h⊙t)); none is I.
 */
export function normTangent(core: ShardCore, norm: BlockNorm, tangents: number, n0: number, cols: number): void {
  const k = core.kernel.exports, p = core.plan;
  if (norm.norm === 'layer') k.normalizeRowsBackward(p.tangentNormInput, tangents, p.rowStride, n0, cols, NORM_EPSILON);
  else if (norm.norm !== 'none') k.normalizeColumns(tangents, tangents, p.rowStride, n0, cols, p.tangentZero, p.normScale);
}
