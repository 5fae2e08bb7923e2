import { layerWidths, type ExperimentConfig } from './config.js';
import { histogramEdges } from './histogramEdges.js';
import { layerRecord } from './layerRecord.js';
import { reduceRowStats } from './reduceRowStats.js';
import type { Histogram, PatternResult } from './results.js';
import type { ShardHandle } from './shardHandle.js';
import { patternTheory } from '../theory/patternTheory.js';

export interface Progress {
  patternIndex: number;
  pattern: string;
  layer: number;
  depth: number;
}

export interface RunOptions {
  /** Opens the shards that together hold every batch row, in row order (see localShards, nodeWorkerShards). */
  openShards: (config: ExperimentConfig) => Promise<ShardHandle[]>;
  onProgress?: (p: Progress) => void;
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

/** Runs every pattern of the config through every layer and returns the per-layer records and histograms. */
export async function runExperiment(config: ExperimentConfig, options: RunOptions): Promise<PatternResult[]> {
  const shards = await options.openShards(config);
  try {
    return await runPatterns(config, shards, options);
  } finally {
    for (const s of shards) s.close();
  }
}

/** LSUV (Mishkin & Matas 2016): rescale W until Var(z) = 1 ± 0.01 on the batch, at most 10 passes. */
const LSUV_TOLERANCE = 0.01;
const LSUV_MAX_PASSES = 10;

async function lsuvLayer(shards: ShardHandle[], cols: number): Promise<number> {
  await Promise.all(shards.map((s) => s.prepareLayer()));
  for (let pass = 1; ; pass++) {
    const t = reduceRowStats(await Promise.all(shards.map((s) => s.probeLayer())), cols);
    const mean = t.zSum / t.count, variance = t.zSumSq / t.count - mean * mean;
    if (Math.abs(variance - 1) <= LSUV_TOLERANCE || pass > LSUV_MAX_PASSES || !(variance > 0)) return pass - 1;
    await Promise.all(shards.map((s) => s.scaleWeights(1 / Math.sqrt(variance))));
  }
}

async function runPatterns(config: ExperimentConfig, shards: ShardHandle[], options: RunOptions): Promise<PatternResult[]> {
  const widths = layerWidths(config);
  const results: PatternResult[] = [];
  for (const [patternIndex, pattern] of config.patterns.entries()) {
    const input = reduceRowStats(await Promise.all(shards.map((s) => s.startPattern(patternIndex))), widths[0]);
    let xEx2 = input.aSumSq / input.count;
    const result: PatternResult = { name: pattern.name, init: pattern.init, activation: pattern.activation, overflow_layer: null, underflow_layer: null, layers: [], histograms: [] };
    const theory = patternTheory(config, pattern);
    for (let layer = 1; layer <= config.depth; layer++) {
      const passes = pattern.init === 'lsuv' ? await lsuvLayer(shards, widths[layer]) : undefined;
      const rows = await Promise.all(shards.map((s) => (passes === undefined ? s.runLayer() : s.commitLayer())));
      const record = layerRecord(layer, xEx2, reduceRowStats(rows, widths[layer]));
      if (passes !== undefined) record.lsuv_passes = passes;
      record.theory = theory[layer - 1];
      result.layers.push(record);
      const finite = [record.z_ex2, record.z_min, record.z_max, record.a_ex2].every(Number.isFinite);
      if (!finite && result.overflow_layer === null) result.overflow_layer = layer;
      if (finite && record.a_ex2 === 0 && result.underflow_layer === null) result.underflow_layer = layer;
      xEx2 = record.a_ex2;
      if (config.histLayers.includes(layer)) {
        result.histograms.push({
          layer,
          z: await histogramOf(shards, 'z', record.z_min, record.z_max, config.bins),
          a: await histogramOf(shards, 'a', record.a_min, record.a_max, config.bins),
        });
      }
      options.onProgress?.({ patternIndex, pattern: pattern.name, layer, depth: config.depth });
    }
    results.push(result);
  }
  return results;
}
