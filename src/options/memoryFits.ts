import { max } from 'd3';
import { WASM_MAX_BYTES } from '../kernel/layout.js';
import { bytesNeeded } from '../kernel/memoryPlan.js';
import type { ExperimentConfig } from '../model/config.js';
import { shardShape } from '../experiment/shard.js';
import { shardRanges } from '../shards/shardRanges.js';

/** How the caller names an option and refuses input (parseOptions' OptionReader is one). */
export interface OptionVoice {
  name(flag: string): string;
  fail(flag: string, message: string): never;
}

/** The largest batch ≤ `batch` for which `fits` holds (0 if none), by bisection: `fits` is monotone in the batch. */
export function largestFittingBatch(batch: number, fits: (batch: number) => boolean): number {
  let lo = 0, hi = batch;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** WASM memory of every shard for this config and thread count. */
export function runBytes(config: ExperimentConfig, threads: number): number {
  return shardRanges(config.batch, threads).reduce((sum, r) => sum + bytesNeeded(shardShape(config, r.rows)), 0);
}

/** The widths as the user gave them: `--widths 16,32768` or `--width 16`. */
export function shapeText(config: ExperimentConfig, read: Pick<OptionVoice, 'name'>): string {
  return config.widths ? `${read.name('widths')} ${config.widths.join(',')}` : `${read.name('width')} ${config.width}`;
}

/** Refuses shapes whose buffers exceed what one wasm32 instance (holding one thread's rows) can address. */
export function checkFits(config: ExperimentConfig, threads: number, read: OptionVoice): void {
  const largestShard = (batch: number) => bytesNeeded(shardShape(config, max(shardRanges(batch, threads), (r) => r.rows)!));
  if (largestShard(config.batch) <= WASM_MAX_BYTES) return;
  const lo = largestFittingBatch(config.batch, (b) => largestShard(b) <= WASM_MAX_BYTES);
  const gib = (largestShard(config.batch) / 2 ** 30).toFixed(1);
  const shape = shapeText(config, read);
  if (lo > 0) read.fail('batch', `${read.name('batch')} ${config.batch} × ${shape} needs ${gib} GiB in one WASM instance (limit 4 GiB) with ${threads} thread${threads > 1 ? 's' : ''}; the largest batch that fits at this width is ${lo}`);
  read.fail(config.widths ? 'widths' : 'width', `${shape} does not fit in one WASM instance (limit 4 GiB) even with ${read.name('batch')} 1`);
}
