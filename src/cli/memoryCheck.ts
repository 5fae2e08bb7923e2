import { freemem } from 'node:os';
import type { ExperimentConfig } from '../model/config.js';
import { shardShape } from '../experiment/shard.js';
import { shardRanges } from '../shards/shardRanges.js';
import { bytesNeeded } from '../kernel/memoryPlan.js';
import { UsageError } from './usageError.js';

/** What Node, the figure code and the workers need besides the WASM buffers (measured: ~210 MB). */
const BASELINE_BYTES = 256 * 2 ** 20;

/** WASM memory of every shard for this config and thread count. */
export function runBytes(config: ExperimentConfig, threads: number): number {
  return shardRanges(config.batch, threads).reduce((sum, r) => sum + bytesNeeded(shardShape(config, r.rows)), 0);
}

/** Refuses a run whose buffers would not fit in the free memory, naming the largest batch that would. */
export function checkFreeMemory(config: ExperimentConfig, threads: number, free = freemem()): void {
  const fits = (batch: number) => runBytes({ ...config, batch }, threads) + BASELINE_BYTES <= free;
  if (fits(config.batch)) return;
  let lo = 0, hi = config.batch;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  const gib = (b: number) => (b / 2 ** 30).toFixed(1);
  throw new UsageError(
    `--batch ${config.batch} × --width ${config.width} needs ${gib(runBytes(config, threads) + BASELINE_BYTES)} GiB and ${gib(free)} GiB are free; ` +
      (lo > 0 ? `the largest batch that fits is ${lo}` : 'no batch fits at this width'),
  );
}
