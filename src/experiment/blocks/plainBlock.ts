// The plain block: z = x·Wᵀ (+ b), x ← φ(z).
import { STAT_A_SUMSQ, STAT_FIELDS, STAT_Z_SUMSQ } from '../../kernel/layout.js';
import { ACTIVATIONS } from '../../theory/activations.js';
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
    // a = φ(z) from the kept z: the layers run after a histogram layer overwrite x, but z stays until the next one
    histogramA: () => ({ at: p.z, through: core.activation.code }),

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
    backward(layer: number, input?: number): BackwardStep {
      const k = core.kernel.exports, nOut = core.widths[layer], nIn = core.widths[layer - 1], activation = core.activation;
      const gradA = core.statsOf(p.delta, nOut);
      if (!activation.monotone) k.multiplyBySlopeAtZ(p.delta, p.zHistoryAt(layer), p.rowStride, core.rows, nOut, activation.code, config.leakyAlpha);
      else k.multiplyByDerivative(p.delta, p.aHistoryAt(layer), p.rowStride, core.rows, nOut, activation.code, config.leakyAlpha);
      const gradZ = core.statsOf(p.delta, nOut);
      const step = { gradA, gradZ, deltaZ: core.compact(p.delta, nOut), aPrev: core.compact(input ?? p.aHistoryAt(layer - 1), nIn) };
      if (layer > 1 || input !== undefined) {
        core.backThroughWeights(layer, p.delta, p.deltaNext);
        core.mem.copy(p.deltaNext, p.delta, p.rowsBytes);
      }
      return step;
    },

    // the plain block's step is complete in backward
    finishBackward: () => ({}),

    /** T ← D·W·T for every input's tangents, D = diag φ′(z) at the input's own z (its x carried forward by the same kernel). */
    tangent(layer: number): Float64Array {
      const k = core.kernel.exports, nIn = core.widths[layer - 1], nOut = core.widths[layer], n0 = core.widths[0], activation = core.activation;
      core.redrawForTangents(layer);
      const bias = config.biasStd > 0 ? p.bias : 0, inputs = core.tangentInputs;
      const norms = new Float64Array(inputs);
      for (let i = 0; i < inputs; i++) {
        const x = p.rowAt(p.tangentX, i), tangents = p.tangentsAt(i);
        // the input's z and a = φ(z), bit for bit the batch's row (the dense kernel sums each row alone, in k order)
        k.denseLayer(x, p.rowStride, p.packed, p.zBlock, 1, nIn, nOut, activation.code, config.leakyAlpha, bias, p.scratch, p.stats);
        core.tangentsTimesWt(tangents, p.tangentNext);
        norms[i] = slopeAndNorm(core, tangents, p.zBlock, n0, nOut);
      }
      return norms;
    },
  };
}

/**
 * T ← tangentNext ⊙ φ′(pre) per column (φ′ at the input's pre-activation row `pre`, as normalizeColumns' scale
 * with mean 0: one f32 product per entry), into the input's `tangents`; returns ‖T‖²_F.
 */
export function slopeAndNorm(core: ShardCore, tangents: number, pre: number, n0: number, nOut: number): number {
  scaleBySlope(core, core.plan.tangentNext, pre, n0, nOut, tangents);
  return frobeniusSquared(core, tangents, n0, nOut);
}

/** n₀ tangent rows at `from` times φ′(pre) per column, into `to` (in place by default). */
export function scaleBySlope(core: ShardCore, from: number, pre: number, n0: number, cols: number, to = from): void {
  const k = core.kernel.exports, p = core.plan;
  core.mem.fillF32(p.tangentSlope, cols, 1);
  k.multiplyBySlopeAtZ(p.tangentSlope, pre, p.rowStride, 1, cols, core.activation.code, core.config.leakyAlpha);
  const slope = core.mem.f32, scale = core.mem.f64;
  for (let c = 0; c < cols; c++) scale[(p.tangentScale >>> 3) + c] = slope[(p.tangentSlope >>> 2) + c];
  k.normalizeColumns(from, to, p.rowStride, n0, cols, p.tangentZero, p.tangentScale);
}

/** Σ T² over rows × cols f32 values at `ptr`, from the rows' sums of squares (f64, in row order). */
export function frobeniusSquared(core: ShardCore, ptr: number, rows: number, cols: number): number {
  const p = core.plan, f64 = core.mem.f64;
  core.kernel.exports.activateWithStats(ptr, p.rowStride, ptr, p.rowStride, rows, cols, ACTIVATIONS.identity.code, 0, p.tangentStats, p.scratch);
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += f64[(p.tangentStats >>> 3) + r * STAT_FIELDS + STAT_A_SUMSQ];
  return sum;
}
