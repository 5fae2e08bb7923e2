import { attentionBlocks, hasBlocks, layerWidths, NORM_EPSILON, normOf, type ExperimentConfig } from '../model/config.js';
import { attentionTheoryGap, attentionTheoryLayers } from '../predictions/tokenTheory.js';
import { batchNormParameters, channelStatistics, type ChannelStatistics } from '../metrics/channelStatistics.js';
import { histogramOfValues } from '../metrics/histogram.js';
import { attachPredictions, predictHistogram, prepareFiniteWidthLaw } from '../predictions/attachPredictions.js';
import { layerRecord } from '../metrics/layerRecord.js';
import { reduceRowStats } from '../metrics/reduceRowStats.js';
import type { LayerHistograms, LayerRecord, PatternResult, PatternSpectrum } from '../metrics/results.js';
import { handBack, type ShardHandle } from './shardProtocol.js';
import { patternCMap, patternPhase, patternTheoryLayers } from '../predictions/patternTheory.js';
import type { LayerStep } from './blocks/block.js';
import type { LayerTheory } from '../theory/lengthMap.js';
import { layerBands, spectrumBands } from '../metrics/bands.js';
import type { Kernel } from '../kernel/kernelExports.js';
import { heSlope, resolvedGain, sigmaW2 } from '../model/inits.js';
import { runPass } from './measurementPass.js';
import { MEASUREMENT_PASSES } from './passes.js';
import { lsuvLayer } from './lsuv.js';
import { LayersAhead } from './layersAhead.js';
import { histogramsOutlastLayer } from './blocks/blockKinds.js';
import { attentionEntropyOf, layerHistograms, pairCosineOf, sampleLogRatios, stepChannels, tokenCorrOf } from './layerReductions.js';

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

/**
 * Runs every pattern of the config through every layer and returns the per-layer records and
 * histograms; with config.seeds > 1, once per seed (histograms for the first only), adding every
 * seed's records and their bands.
 */
export async function runExperiment(config: ExperimentConfig, options: RunOptions): Promise<PatternResult[]> {
  const { results, samples } = await measure(config, options);
  // the pattern-level theory, once for all seeds
  results.forEach((result, i) => {
    const pattern = config.patterns[i];
    // q*, χ and the c-map belong to the plain length map; blocks with a norm or a residual have none here
    if (attentionBlocks(config)) {
      const gap = attentionTheoryGap(config);
      if (gap !== null) result.no_theory = gap;
      return;
    }
    if (hasBlocks(config)) return;
    result.phase = patternPhase(config, pattern);
    if (options.cMap !== false) result.c_map = patternCMap(config, pattern, result.phase, result.layers[result.layers.length - 1].theory!.z_ex2);
  });
  attachPredictions(config, results, (r) => samples[results.indexOf(r)]);
  return results;
}

/** A seed's (or the pooled seeds') results, and beside each pattern's result its per-sample log norm ratios (not in metrics.json). */
interface Measured {
  results: PatternResult[];
  samples: number[][];
}

/** Every seed's records, with the first seed's histograms and every seed's samples pooled. */
async function measure(config: ExperimentConfig, options: RunOptions): Promise<Measured> {
  const count = config.seeds ?? 1;
  if (count <= 1) return runOneSeed(config, options, 0);
  const runs: Measured[] = [];
  for (let k = 0; k < count; k++) {
    // the later seeds keep the histogram layers only for --spectrum, whose seed band is taken there
    runs.push(await runOneSeed({ ...config, seed: (config.seed + k) >>> 0, histLayers: k === 0 || config.spectrum ? config.histLayers : [], seeds: 1 }, options, k));
  }
  // every seed's samples pooled: the spread over draws of W that the finite-width law describes
  const samples = runs[0].results.map((_, i) => runs.flatMap((r) => r.samples[i]));
  const results = runs[0].results.map((first, i) => {
    const seeds = runs.map((r) => r.results[i].layers);
    const spectra = runs.map((r) => r.results[i].spectrum).filter((s): s is PatternSpectrum => s !== undefined);
    const spectrum = first.spectrum && spectra.length === count ? { ...first.spectrum, bands: spectrumBands(spectra) } : first.spectrum;
    return { ...first, input_corr_seeds: runs.map((r) => r.results[i].input_corr ?? null), seeds, bands: layerBands(seeds), sample_norm_ratio: histogramOfValues(samples[i], config.bins), ...(spectrum ? { spectrum } : {}) };
  });
  return { results, samples };
}

async function runOneSeed(config: ExperimentConfig, options: RunOptions, seedIndex: number): Promise<Measured> {
  const shards = await options.openShards(config);
  try {
    return await runPatterns(config, shards, options, seedIndex);
  } finally {
    for (const s of shards) s.close();
  }
}

/** A pattern as started in the shards: its input's steps, and its first layers asked ahead where its blocks allow. */
interface PatternStart {
  inputSteps: Promise<LayerStep[]>;
  ahead?: LayersAhead;
}

function startPattern(config: ExperimentConfig, shards: ShardHandle[], patternIndex: number): PatternStart {
  const pattern = config.patterns[patternIndex];
  const inputSteps = Promise.all(shards.map((s) => s.startPattern(patternIndex)));
  // a failure is reported where the pattern awaits its input
  inputSteps.catch(() => undefined);
  // layers that need nothing from the host's reductions are asked ahead (batch norm and LSUV need them)
  const ahead = normOf(config, pattern) === 'batch' || pattern.init === 'lsuv' ? undefined : new LayersAhead(shards, config.depth, config.histLayers, histogramsOutlastLayer(config, pattern));
  ahead?.sendFrom(1);
  return { inputSteps, ahead };
}

async function runPatterns(config: ExperimentConfig, shards: ShardHandle[], options: RunOptions, seedIndex: number): Promise<Measured> {
  const widths = layerWidths(config);
  const results: PatternResult[] = [], samples: number[][] = [];
  // without passes after the forward pass, a pattern's last layer is its last request: the next pattern is
  // started then, so a shard that ends a pattern first goes on instead of waiting for the others
  const passesRun = MEASUREMENT_PASSES.some((pass) => pass.runs(config));
  let next = startPattern(config, shards, 0);
  for (const [patternIndex, pattern] of config.patterns.entries()) {
    const { ahead } = next;
    const inputSteps = await next.inputSteps;
    const startNext = () => patternIndex + 1 < config.patterns.length && (next = startPattern(config, shards, patternIndex + 1));
    const inputRows = inputSteps.map((s) => s.rows);
    const input = reduceRowStats(inputRows, widths[0]);
    let lastRows: Float64Array[] = inputRows;
    let xEx2 = input.aSumSq / input.count;
    const result: PatternResult = { name: pattern.name, init: pattern.init, activation: pattern.activation, overflow_layer: null, underflow_layer: null, input_corr: pairCosineOf(inputSteps, 'a', widths[0]), layers: [], histograms: [] };
    const theoryLayers: Iterator<LayerTheory | undefined> = attentionBlocks(config) ? attentionTheoryLayers(config, pattern) : patternTheoryLayers(config, pattern);
    const weightVariances: number[] = [];
    const gain = resolvedGain(config.gain, pattern.init, pattern.activation, config.leakyAlpha);
    const blocks = hasBlocks(config), residual = config.residual !== undefined, norm = normOf(config, pattern), batchNorm = norm === 'batch';
    // the current x's channel statistics: a residual block's batch norm normalizes x with them
    let channels: ChannelStatistics | undefined = residual ? stepChannels(inputSteps, widths[0], config.batch) : undefined;
    const histograms: Promise<LayerHistograms>[] = [];
    for (let layer = 1; layer <= config.depth; layer++) {
      const streamNorm = residual && batchNorm ? batchNormParameters(channels!, NORM_EPSILON) : undefined;
      const lsuv = pattern.init === 'lsuv' ? await lsuvLayer(shards, widths[layer], streamNorm) : undefined;
      const passes = lsuv?.passes;
      // the σw² this layer's weights actually have: LSUV's is its orthogonal start's times the fitted scale²
      const start = sigmaW2(lsuv ? 'orthogonal' : pattern.init, widths[layer - 1], widths[layer], gain, config.fanMode, heSlope(pattern.activation, config.leakyAlpha)) as number;
      weightVariances.push(start * (lsuv?.scale ?? 1) ** 2);
      let running: Promise<LayerStep[]>;
      if (ahead) running = ahead.steps(layer);
      else if (!residual && batchNorm) {
        // a normalized plain block's batch norm: z's channel statistics over the whole batch first (one more round trip)
        if (passes === undefined) await Promise.all(shards.map((s) => s.prepareLayer()));
        const linear = await Promise.all(shards.map((s) => s.linearLayer()));
        const z = channelStatistics(linear.map((l) => l.sums), linear.map((l) => l.squares), widths[layer], config.batch);
        const params = batchNormParameters(z, NORM_EPSILON);
        running = Promise.all(shards.map((s) => s.commitLayer(params)));
      } else running = Promise.all(shards.map((s) => (passes === undefined ? (streamNorm ? s.runLayer(streamNorm) : s.runLayer()) : s.commitLayer())));
      // the layer's theory is worked out while the shards compute the layer, and with the first layer the pattern's finite-width law
      const layerTheory = theoryLayers.next().value as LayerTheory | undefined;
      if (layer === 1) prepareFiniteWidthLaw(config, pattern);
      const steps = await running;
      const rows = steps.map((s) => s.rows);
      const previousRows = lastRows;
      lastRows = rows;
      const record = layerRecord(layer, xEx2, reduceRowStats(rows, widths[layer]));
      record.z_corr = pairCosineOf(steps, 'z', widths[layer]);
      record.a_corr = pairCosineOf(steps, 'a', widths[layer]);
      if (passes !== undefined) record.lsuv_passes = passes;
      if (layerTheory) record.theory = layerTheory;
      // sequences: the tokens' mean pair cosine; attention: its rows' entropy over log T
      if (config.seqLen > 1) record.token_corr = tokenCorrOf(steps);
      if (attentionBlocks(config)) record.attn_entropy = attentionEntropyOf(steps, config.batch * config.heads, config.seqLen);
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
        // z's and a's in one request, awaited only at the pattern's end: the shards answer in order, and meanwhile run the layers sent ahead
        // the identity's a in a plain block is z itself: its histogram is z's
        const aIsZ = pattern.activation === 'identity' && histogramsOutlastLayer(config, pattern) && record.a_min === record.z_min && record.a_max === record.z_max;
        const asked = layerHistograms(shards, layer, config.bins, [record.z_min, record.z_max], aIsZ ? undefined : [record.a_min, record.a_max]).then(({ z, a }) => {
          const histograms = { layer, z, a };
          predictHistogram(config, result, histograms);
          return histograms;
        });
        // a failure is reported where the pattern awaits them
        asked.catch(() => undefined);
        histograms.push(asked);
        ahead?.histogramsAsked(layer);
        ahead?.sendFrom(layer + 1);
      }
      if (layer === config.depth && !passesRun) startNext();
      // read: the shards copy their next steps into these (the input's and this layer's rows are still needed)
      handBack(shards, steps.map((s, i) => [s.zUnitSums, s.aUnitSums, s.xSums, s.xSquares, s.rSums, s.rSquares, previousRows === inputRows ? undefined : previousRows[i]]));
      options.onProgress?.({ seedIndex, patternIndex, pattern: pattern.name, layer, depth: config.depth, record });
    }
    result.histograms.push(...(await Promise.all(histograms)));
    const patternSamples = sampleLogRatios(inputRows, lastRows);
    samples.push(patternSamples);
    result.sample_norm_ratio = histogramOfValues(patternSamples, config.bins);
    for (const pass of MEASUREMENT_PASSES) if (pass.runs(config)) await runPass(pass, { config, shards, result, weightVariances, createKernel: options.createKernel });
    if (passesRun) startNext();
    results.push(result);
  }
  return { results, samples };
}
