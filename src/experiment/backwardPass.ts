import { channelStatistics } from '../metrics/channelStatistics.js';
import { reduceRowStats } from '../metrics/reduceRowStats.js';
import type { PatternResult } from '../metrics/results.js';
import { attentionBlocks, layerWidths, patternHasBlocks, type ExperimentConfig } from '../model/config.js';
import { attachGradientTheory } from '../predictions/gradientTheory.js';
import type { BlockBackwardStep } from './blocks/block.js';
import type { AttentionGradientRows } from './blocks/attentionSublayer.js';
import type { MeasurementPass, PassContext } from './measurementPass.js';
import { WeightGradient } from './weightGradient.js';

/**
 * Backpropagates g ~ N(0, 1) from the last activation (residual blocks: the stream's output x) through
 * every layer of a pattern, from the last layer down: E[δa²], E[δz²], E[G²] of the whole-batch weight
 * gradient (and the stream's E[δx²]) per layer, then χ's theory.
 */
export const BACKWARD_PASS: MeasurementPass = {
  name: 'backward',
  runs: (config) => config.backward,
  layers: (config) => Array.from({ length: config.depth }, (_, i) => config.depth - i),

  async start({ shards, createKernel }: PassContext): Promise<WeightGradient> {
    if (!createKernel) throw new Error('--backward needs a kernel on the orchestrating thread');
    const gradient = new WeightGradient(await createKernel());
    await Promise.all(shards.map((s) => s.startBackward()));
    return gradient;
  },

  async layer({ config, shards, result }: PassContext, layer: number, state: unknown): Promise<void> {
    const gradient = state as WeightGradient;
    const widths = layerWidths(config), pattern = config.patterns.find((p) => p.name === result.name)!;
    const residual = config.residual !== undefined, blocks = patternHasBlocks(config, pattern);
    const ex2 = (parts: Float64Array[], cols: number) => {
      const t = reduceRowStats(parts, cols);
      return t.aSumSq / t.count;
    };
    const steps = (await Promise.all(shards.map((s) => s.backwardLayer(layer)))) as BlockBackwardStep[];
    const record = result.layers[layer - 1], cols = widths[layer];
    // a residual branch's G is α·δxᵀ·a/B, so its mean square is α² times that of δxᵀ·a/B
    const scale = residual ? config.residual! ** 2 : 1;
    if (attentionBlocks(config)) {
      // a transformer block's MLP sub-block, as the MLP block's record: δa, δz (δh) and its W's E[G²]
      if (config.block === 'transformer') {
        record.grad_a_ex2 = ex2(steps.map((s) => s.gradA), cols);
        record.grad_z_ex2 = ex2(steps.map((s) => s.gradZ), cols);
        record.grad_w_ex2 = scale * gradient.meanSquare(steps.map((s) => s.deltaZ!), steps.map((s) => s.aPrev!), config.batch, cols, cols);
      }
      // the stream's δx at the block's output, and E[G²] of W_Q, W_K, W_V and W_O over the whole batch
      record.grad_x_ex2 = ex2(steps.map((s) => s.gradX!), cols);
      const rows = steps.map((s) => s.attention!), meanSquare = (delta: keyof AttentionGradientRows, by: keyof AttentionGradientRows) => gradient.meanSquare(rows.map((r) => r[delta]), rows.map((r) => r[by]), config.batch, cols, cols);
      record.grad_wq_ex2 = meanSquare('deltaQ', 'h');
      record.grad_wk_ex2 = meanSquare('deltaK', 'h');
      record.grad_wv_ex2 = meanSquare('deltaV', 'h');
      record.grad_wo_ex2 = meanSquare('deltaR', 'out');
      return;
    }
    record.grad_a_ex2 = ex2(steps.map((s) => s.gradA), cols);
    record.grad_z_ex2 = ex2(steps.map((s) => s.gradZ), cols);
    let rows: { deltaZ?: Float32Array; aPrev?: Float32Array }[] = steps;
    if (blocks) {
      // a batch norm's backward pass needs the batch means of δh and of δh·h per channel: one more fixed-order reduction
      let means: Float64Array | undefined;
      if (steps[0].deltaSums) {
        const sums = channelStatistics(steps.map((s) => s.deltaSums!), steps.map((s) => s.deltaDots!), cols, config.batch);
        means = new Float64Array(2 * cols);
        for (let c = 0; c < cols; c++) [means[c], means[cols + c]] = [sums.means[c], sums.meanProducts[c]];
      }
      const finished = await Promise.all(shards.map((s) => s.finishBackward(layer, means)));
      if (!residual) rows = finished;
    }
    record.grad_w_ex2 = scale * gradient.meanSquare(rows.map((s) => s.deltaZ!), rows.map((s) => s.aPrev!), config.batch, cols, widths[layer - 1]);
    if (residual) record.grad_x_ex2 = ex2(steps.map((s) => s.gradX!), cols);
  },

  // χ's theory is the MLP blocks'; attention blocks have none here
  finish: ({ config, result, weightVariances }: PassContext) => (attentionBlocks(config) ? undefined : attachGradientTheory(config, result, weightVariances)),
};
