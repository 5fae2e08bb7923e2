import { hasBlocks, layerWidths, NORM_EPSILON, normOf, patternHasBlocks, type ExperimentConfig } from '../model/config.js';
import { batchNormParameters, channelStatistics, type ChannelStatistics } from '../metrics/channelStatistics.js';
import { histogramEdges, histogramOfValues } from '../metrics/histogram.js';
import { attachPredictions } from '../metrics/predictions.js';
import { layerRecord } from '../metrics/layerRecord.js';
import { reduceRowStats } from '../metrics/reduceRowStats.js';
import type { Histogram, LayerRecord, PatternResult } from '../metrics/results.js';
import type { ShardHandle } from './shardProtocol.js';
import { blockTheory, patternCMap, patternPhase, patternTheoryLayers } from './patternTheory.js';
import { STAT_A_SUMSQ, STAT_FIELDS, STAT_Z_SUMSQ } from '../kernel/layout.js';
import { meanPairCosine, unitRowFactor } from '../metrics/pairCorrelation.js';
import type { BlockBackwardStep, LayerStep } from './shard.js';
import type { LayerTheory } from '../theory/lengthMap.js';
import { layerBands } from '../metrics/bands.js';
import type { Kernel } from '../kernel/kernelExports.js';
import { moments } from '../theory/moments.js';
import { heSlope, resolvedGain, sigmaW2 } from '../model/inits.js';
import { WeightGradient } from './weightGradient.js';
import { log10 } from '../theory/portableMath.js';

export interface Progress {
  /** Which of the --seeds runs (0 for the first, whose records are the result's layers). */
  seedIndex: number;
  patternIndex: number;
  pattern: string;
  layer: number;
  depth: number;
  /** The layer's record as just measured, with its theory (the backward pass adds its fields later). */
  record: LayerRecord;
}

export interface RunOptions {
  /** Opens the shards that together hold every batch row, in row order (see localShards, nodeWorkerShards). */
  openShards: (config: ExperimentConfig) => Promise<ShardHandle[]>;
  /** --backward: a kernel instance on this thread for the whole-batch weight gradients. */
  createKernel?: () => Promise<Kernel>;
  onProgress?: (p: Progress) => void;
  /** false: leave out each pattern's c_map (a sweep keeps only the last layer and the phase). */
  cMap?: boolean;
}

function sumCounts(parts: Uint32Array[]): number[] {
  const total = new Array<number>(parts[0].length).fill(0);
  for (const part of parts) for (let i = 0; i < part.length; i++) total[i] += part[i];
  return total;
}

async function histogramOf(shards: ShardHandle[], of: 'z' | 'a', lo: number, hi: number, bins: number): Promise<Histogram> {
  // values beyond float32 (overflow) have no finite range to bin: an empty histogram says so
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { edges: [], counts: [] };
  const edges = histogramEdges(lo, hi, bins);
  return { edges: Array.from(edges), counts: sumCounts(await Promise.all(shards.map((s) => s.histogram(of, edges)))) };
}

/**
 * Runs every pattern of the config through every layer and returns the per-layer records and
 * histograms; with config.seeds > 1, once per seed (histograms for the first only), adding every
 * seed's records and their bands.
 */
export async function runExperiment(config: ExperimentConfig, options: RunOptions): Promise<PatternResult[]> {
  const results = await measure(config, options);
  // the pattern-level theory, once for all seeds
  results.forEach((result, i) => {
    const pattern = config.patterns[i];
    // q*, χ and the c-map belong to the plain length map; blocks with a norm or a residual have none here
    if (hasBlocks(config)) return;
    result.phase = patternPhase(config, pattern);
    if (options.cMap !== false) result.c_map = patternCMap(config, pattern, result.phase, result.layers[result.layers.length - 1].theory!.z_ex2);
  });
  attachPredictions(config, results, (r) => sampleValues.get(r));
  return results;
}

/** Every seed's records, with the first seed's histograms and every seed's samples pooled. */
async function measure(config: ExperimentConfig, options: RunOptions): Promise<PatternResult[]> {
  const count = config.seeds ?? 1;
  if (count <= 1) return runOneSeed(config, options, 0);
  const runs: PatternResult[][] = [];
  for (let k = 0; k < count; k++) {
    runs.push(await runOneSeed({ ...config, seed: (config.seed + k) >>> 0, histLayers: k === 0 ? config.histLayers : [], seeds: 1 }, options, k));
  }
  return runs[0].map((first, i) => {
    const seeds = runs.map((r) => r[i].layers);
    // every seed's samples pooled: the spread over draws of W that the finite-width law describes
    const values = runs.flatMap((r) => sampleValues.get(r[i]) ?? []);
    const merged: PatternResult = { ...first, input_corr_seeds: runs.map((r) => r[i].input_corr ?? null), seeds, bands: layerBands(seeds), sample_norm_ratio: histogramOfValues(values, config.bins) };
    sampleValues.set(merged, values);
    return merged;
  });
}

async function runOneSeed(config: ExperimentConfig, options: RunOptions, seedIndex: number): Promise<PatternResult[]> {
  const shards = await options.openShards(config);
  try {
    return await runPatterns(config, shards, options, seedIndex);
  } finally {
    for (const s of shards) s.close();
  }
}

// Each pattern's per-sample values, kept beside the results (not in metrics.json) to pool seeds.
const sampleValues = new WeakMap<PatternResult, number[]>();

/** log10(‖aᴸ‖²/‖x‖²) of every sample (row), from the rows' sums of squares. */
function sampleLogRatios(input: Float64Array[], last: Float64Array[]): number[] {
  const values: number[] = [];
  input.forEach((rows, s) => {
    for (let r = 0; r * STAT_FIELDS < rows.length; r++) values.push(log10(last[s][r * STAT_FIELDS + STAT_A_SUMSQ] / rows[r * STAT_FIELDS + STAT_A_SUMSQ]));
  });
  return values;
}

/** The mean pair cosine of z or a over the whole batch, from the shards' steps in row order. */
function pairCosineOf(steps: readonly LayerStep[], of: 'z' | 'a', cols: number): number | null {
  const field = of === 'z' ? STAT_Z_SUMSQ : STAT_A_SUMSQ;
  let units = 0, complete = true;
  for (const { rows } of steps) {
    for (let s = field; s < rows.length; s += STAT_FIELDS) {
      if (unitRowFactor(rows[s]) > 0) units++;
      else if (!(rows[s] === 0)) complete = false;
    }
  }
  return meanPairCosine(steps.map((s) => (of === 'z' ? s.zUnitSums : s.aUnitSums)), cols, units, complete);
}

/** The channel statistics of the steps' output x over the whole batch. */
function stepChannels(steps: readonly LayerStep[], cols: number, batch: number): ChannelStatistics {
  return channelStatistics(steps.map((s) => s.xSums!), steps.map((s) => s.xSquares!), cols, batch);
}

/** Backpropagates g ~ N(0, 1) from the last activation (residual blocks: the stream's output x) through every layer of a pattern's result. */
async function backwardPass(config: ExperimentConfig, shards: ShardHandle[], result: PatternResult, weightVariances: number[], options: RunOptions): Promise<void> {
  if (!options.createKernel) throw new Error('--backward needs a kernel on the orchestrating thread');
  const gradient = new WeightGradient(await options.createKernel());
  const widths = layerWidths(config), pattern = config.patterns.find((p) => p.name === result.name)!;
  const residual = config.residual !== undefined, blocks = patternHasBlocks(config, pattern);
  await Promise.all(shards.map((s) => s.startBackward()));
  const ex2 = (parts: Float64Array[], cols: number) => {
    const t = reduceRowStats(parts, cols);
    return t.aSumSq / t.count;
  };
  for (let layer = config.depth; layer >= 1; layer--) {
    const steps = (await Promise.all(shards.map((s) => s.backwardLayer(layer)))) as BlockBackwardStep[];
    const record = result.layers[layer - 1], cols = widths[layer];
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
    // a residual branch's G is α·δxᵀ·a/B, so its mean square is α² times that of δxᵀ·a/B
    const scale = residual ? config.residual! ** 2 : 1;
    record.grad_w_ex2 = scale * gradient.meanSquare(rows.map((s) => s.deltaZ!), rows.map((s) => s.aPrev!), config.batch, cols, widths[layer - 1]);
    if (residual) record.grad_x_ex2 = ex2(steps.map((s) => s.gradX!), cols);
  }
  attachGradientTheory(config, result, weightVariances);
}

/**
 * χ of each step down: σw²·(n_out/n_in)·S(q), S = E[φ′(z)²], at the length map's q of the layer below, with
 * the σw² the layer's weights actually have (`weightVariances[l − 1]`; LSUV's fitted one). Null
 * where that q is 0 or non-finite (a dead or overflowed layer: nothing to evaluate φ′ at).
 * A norm divides the gradient by the scale it divided its input by (batch norm: each channel's standard
 * deviation, so the mean channel variance; layer norm: the row's, about √E[·²]; nf: β = √E[·²]), and
 * batch and layer norm also take out the gradient's mean and its part along h, 1 of B or n directions;
 * so a normalized plain step divides χ by that variance of the layer's z. A residual block passes δx
 * on and adds its branch's: χ = 1 + α²·σw²·S(q_h)/v, v that variance of the block's input x with a
 * norm and 1 without (W is fresh, so the two are uncorrelated).
 */
function attachGradientTheory(config: ExperimentConfig, result: PatternResult, weightVariances: number[]): void {
  const widths = layerWidths(config);
  const pattern = config.patterns.find((p) => p.name === result.name)!;
  const { S } = moments(pattern.activation, config.leakyAlpha);
  const norm = normOf(config, pattern), residual = config.residual;
  const blocks = patternHasBlocks(config, pattern) ? blockTheory(config, pattern) : undefined;
  const usable = (...v: number[]) => v.every((x) => Number.isFinite(x) && x > 0);
  // the variance N divides by: batch norm a channel's, the others the whole input's E[·²]
  const divisor = (i: number) => (norm === 'none' ? 1 : norm === 'batch' ? blocks![i].norm_input_ch_var : blocks![i].norm_input_ex2);
  if (residual !== undefined) {
    result.layers.forEach((record, i) => {
      const qh = blocks![i].h_ex2, q = divisor(i), s2 = weightVariances[i];
      record.grad_chi = usable(qh, q, s2) ? 1 + residual * residual * s2 * S(qh) / q : null;
    });
    return;
  }
  for (let layer = 2; layer <= config.depth; layer++) {
    const below = result.layers[layer - 2];
    const q = pattern.init === 'lsuv' ? below.z_ex2 : below.theory?.z_ex2 ?? below.z_ex2;
    const s2 = weightVariances[layer - 1], normInput = blocks ? divisor(layer - 1) : 1;
    result.layers[layer - 1].grad_chi = usable(q, s2, normInput) ? (s2 * (widths[layer] / widths[layer - 1]) * S(q)) / normInput : null;
  }
}

/** LSUV (Mishkin & Matas 2016): rescale W until Var(z) = 1 ± 0.01 on the batch, at most 10 passes. */
const LSUV_TOLERANCE = 0.01;
const LSUV_MAX_PASSES = 10;

/** The passes taken and the product of the factors applied to the orthogonal start. */
async function lsuvLayer(shards: ShardHandle[], cols: number, batchNorm?: Float64Array): Promise<{ passes: number; scale: number }> {
  await Promise.all(shards.map((s) => s.prepareLayer(batchNorm)));
  let scale = 1;
  for (let pass = 1; ; pass++) {
    const t = reduceRowStats(await Promise.all(shards.map((s) => s.probeLayer())), cols);
    const mean = t.zSum / t.count, variance = t.zSumSq / t.count - mean * mean;
    if (Math.abs(variance - 1) <= LSUV_TOLERANCE || pass > LSUV_MAX_PASSES || !(variance > 0)) return { passes: pass - 1, scale };
    const factor = 1 / Math.sqrt(variance);
    // the shards multiply float32 weights by Math.fround(factor)
    scale *= Math.fround(factor);
    await Promise.all(shards.map((s) => s.scaleWeights(factor)));
  }
}

async function runPatterns(config: ExperimentConfig, shards: ShardHandle[], options: RunOptions, seedIndex: number): Promise<PatternResult[]> {
  const widths = layerWidths(config);
  const results: PatternResult[] = [];
  for (const [patternIndex, pattern] of config.patterns.entries()) {
    const inputSteps = await Promise.all(shards.map((s) => s.startPattern(patternIndex)));
    const inputRows = inputSteps.map((s) => s.rows);
    const input = reduceRowStats(inputRows, widths[0]);
    let lastRows: Float64Array[] = inputRows;
    let xEx2 = input.aSumSq / input.count;
    const result: PatternResult = { name: pattern.name, init: pattern.init, activation: pattern.activation, overflow_layer: null, underflow_layer: null, input_corr: pairCosineOf(inputSteps, 'a', widths[0]), layers: [], histograms: [] };
    const theoryLayers = patternTheoryLayers(config, pattern);
    const weightVariances: number[] = [];
    const gain = resolvedGain(config.gain, pattern.init, pattern.activation, config.leakyAlpha);
    const blocks = hasBlocks(config), residual = config.residual !== undefined, norm = normOf(config, pattern), batchNorm = norm === 'batch';
    // the current x's channel statistics: a residual block's batch norm normalizes x with them
    let channels: ChannelStatistics | undefined = residual ? stepChannels(inputSteps, widths[0], config.batch) : undefined;
    for (let layer = 1; layer <= config.depth; layer++) {
      const streamNorm = residual && batchNorm ? batchNormParameters(channels!, NORM_EPSILON) : undefined;
      const lsuv = pattern.init === 'lsuv' ? await lsuvLayer(shards, widths[layer], streamNorm) : undefined;
      const passes = lsuv?.passes;
      // the σw² this layer's weights actually have: LSUV's is its orthogonal start's times the fitted scale²
      const start = sigmaW2(lsuv ? 'orthogonal' : pattern.init, widths[layer - 1], widths[layer], gain, config.fanMode, heSlope(pattern.activation, config.leakyAlpha)) as number;
      weightVariances.push(start * (lsuv?.scale ?? 1) ** 2);
      let running: Promise<LayerStep[]>;
      if (!residual && batchNorm) {
        // a normalized plain block's batch norm: z's channel statistics over the whole batch first (one more round trip)
        if (passes === undefined) await Promise.all(shards.map((s) => s.prepareLayer()));
        const linear = await Promise.all(shards.map((s) => s.linearLayer()));
        const z = channelStatistics(linear.map((l) => l.sums), linear.map((l) => l.squares), widths[layer], config.batch);
        const params = batchNormParameters(z, NORM_EPSILON);
        running = Promise.all(shards.map((s) => s.commitLayer(params)));
      } else running = Promise.all(shards.map((s) => (passes === undefined ? (streamNorm ? s.runLayer(streamNorm) : s.runLayer()) : s.commitLayer())));
      // the layer's theory is worked out while the shards compute the layer
      const layerTheory = theoryLayers.next().value as LayerTheory;
      const steps = await running;
      const rows = steps.map((s) => s.rows);
      lastRows = rows;
      const record = layerRecord(layer, xEx2, reduceRowStats(rows, widths[layer]));
      record.z_corr = pairCosineOf(steps, 'z', widths[layer]);
      record.a_corr = pairCosineOf(steps, 'a', widths[layer]);
      if (passes !== undefined) record.lsuv_passes = passes;
      record.theory = layerTheory;
      if (blocks) {
        // the block's output x: the SPP's channel statistics, and the next block's input
        channels = stepChannels(steps, widths[layer], config.batch);
        // every stream field of a block record describes its output x (x_ex2 too; the input is the last record's x)
        record.x_ex2 = channels.ex2;
        record.x_sq_ch_mean = channels.sqChMean;
        record.x_ch_var = channels.chVar;
        if (residual) record.branch_ch_var = channelStatistics(steps.map((s) => s.rSums!), steps.map((s) => s.rSquares!), widths[layer], config.batch).chVar;
        if (norm !== 'none') record.h_ex2 = record.z_ex2;
      }
      result.layers.push(record);
      const finite = [record.z_ex2, record.z_min, record.z_max, record.a_ex2].every(Number.isFinite);
      if (!finite && result.overflow_layer === null) result.overflow_layer = layer;
      if (finite && record.a_ex2 === 0 && result.underflow_layer === null) result.underflow_layer = layer;
      xEx2 = channels ? channels.ex2 : record.a_ex2;
      if (config.histLayers.includes(layer)) {
        // both asked at once: the shards answer in order, so one round trip instead of two
        const [z, a] = await Promise.all([histogramOf(shards, 'z', record.z_min, record.z_max, config.bins), histogramOf(shards, 'a', record.a_min, record.a_max, config.bins)]);
        result.histograms.push({ layer, z, a });
      }
      options.onProgress?.({ seedIndex, patternIndex, pattern: pattern.name, layer, depth: config.depth, record });
    }
    const samples = sampleLogRatios(inputRows, lastRows);
    sampleValues.set(result, samples);
    result.sample_norm_ratio = histogramOfValues(samples, config.bins);
    if (config.backward) await backwardPass(config, shards, result, weightVariances, options);
    results.push(result);
  }
  return results;
}
