import type { Kernel } from '../kernel/kernelExports.js';
import type { ExperimentConfig } from '../model/config.js';
import { Shard } from '../experiment/shard.js';
import type { ShardHandle } from './shardHandle.js';
import { shardRanges } from './shardRanges.js';

/** A shard run in this thread (tests, the pure-TS baseline, or --threads 1 without workers). */
export function localShard(shard: Shard): ShardHandle {
  return {
    rowStart: shard.rowStart,
    rows: shard.rows,
    startPattern: async (p) => shard.startPattern(p),
    runLayer: async () => shard.runLayer(),
    prepareLayer: async () => shard.prepareLayer(),
    probeLayer: async () => shard.probeLayer(),
    scaleWeights: async (factor) => shard.scaleWeights(factor),
    commitLayer: async () => shard.commitLayer(),
    startBackward: async () => shard.startBackward(),
    backwardLayer: async (layer) => shard.backwardLayer(layer),
    histogram: async (of, edges) => shard.histogram(of, edges),
    close: () => {},
  };
}

/** `count` in-process shards, each on its own kernel instance from `createKernel`. */
export async function localShards(config: ExperimentConfig, createKernel: () => Promise<Kernel>, count = 1): Promise<ShardHandle[]> {
  return Promise.all(shardRanges(config.batch, count).map(async (r) => localShard(new Shard(await createKernel(), config, r.rowStart, r.rows))));
}
