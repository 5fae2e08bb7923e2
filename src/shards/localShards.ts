import { rowGroupOf } from '../experiment/blocks/blockKinds.js';
import type { Kernel } from '../kernel/kernelExports.js';
import type { ExperimentConfig } from '../model/config.js';
import { Shard } from '../experiment/shard.js';
import { shardHandle, type ShardHandle, type ShardMethod } from '../experiment/shardProtocol.js';
import { shardRanges } from './shardRanges.js';
import { drawRingSeats } from '../experiment/sharedDraws.js';

/** A shard run in this thread (tests, the pure-TS baseline, or --threads 1 without workers). */
export function localShard(shard: Shard): ShardHandle {
  const call = async (method: ShardMethod, args: unknown[]) => (shard[method] as (...a: unknown[]) => unknown)(...args);
  return shardHandle(shard.rowStart, shard.rows, call, () => {});
}

/** `count` in-process shards, each on its own kernel instance from `createKernel`, drawing each W once between them. */
export async function localShards(config: ExperimentConfig, createKernel: () => Promise<Kernel>, count = 1): Promise<ShardHandle[]> {
  const ranges = shardRanges(config.batch, count, rowGroupOf(config)), seats = drawRingSeats(config, ranges.length);
  return Promise.all(ranges.map(async (r, i) => localShard(new Shard(await createKernel(), config, r.rowStart, r.rows, seats[i]))));
}
