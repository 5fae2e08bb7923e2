import { rowGroupOf } from '../experiment/blocks/blockKinds.js';
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

/** The largest n ≤ `limit` for which `fits` holds (0 if none), by bisection: `fits` is monotone in n (a batch, a depth). */
export function largestFitting(limit: number, fits: (n: number) => boolean): number {
  let lo = 0, hi = limit;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** WASM memory of every shard for this config and thread count. */
export function runBytes(config: ExperimentConfig, threads: number): number {
  return shardRanges(config.batch, threads, rowGroupOf(config)).reduce((sum, r) => sum + bytesNeeded(shardShape(config, r.rows, r.rowStart)), 0);
}

/** WASM memory of the largest shard (one instance) for this config and thread count. */
export function largestShardBytes(config: ExperimentConfig, threads: number): number {
  return Math.max(...shardRanges(config.batch, threads, rowGroupOf(config)).map((r) => bytesNeeded(shardShape(config, r.rows, r.rowStart))));
}

/** Bytes in GiB to one decimal, rounded up, so that a need just above a limit never reads as the limit. */
export function gibAbove(bytes: number): string {
  return (Math.ceil((bytes / 2 ** 30) * 10) / 10).toFixed(1);
}

/** The widths as the user gave them: `--widths 16,32768` or `--width 16`. */
export function shapeText(config: ExperimentConfig, read: Pick<OptionVoice, 'name'>): string {
  return config.widths ? `${read.name('widths')} ${config.widths.join(',')}` : `${read.name('width')} ${config.width}`;
}

/**
 * What --backward costs, when it is the cause of a refusal: it keeps every layer's a and W (and z),
 * so its memory grows with the depth. `fits` says whether a variant of the config fits. Returns the
 * flag to blame (--depth when a smaller depth fits, else --backward) and the alternatives that fit
 * (the largest depth, running without --backward); undefined when --backward is off or neither helps.
 */
export function backwardCause(config: ExperimentConfig, fits: (c: ExperimentConfig) => boolean, read: Pick<OptionVoice, 'name'>): { flag: 'depth' | 'backward'; text: string } | undefined {
  if (!config.backward) return undefined;
  // --widths fixes the depth; a shallower net has the same widths, so its hist layers stay as given (they only decide whether z is kept whole)
  const depth = config.widths ? 0 : largestFitting(config.depth - 1, (d) => fits({ ...config, depth: d }));
  const without = fits({ ...config, backward: false });
  if (depth === 0 && !without) return undefined;
  const options = [...(depth > 0 ? [`with ${read.name('depth')} ${depth} at most`] : []), ...(without ? [`without ${read.name('backward')}`] : [])];
  const kept = `${read.name('backward')} keeps every layer's activations and weights`;
  return { flag: depth > 0 ? 'depth' : 'backward', text: `${kept}${config.widths ? '' : ` over ${read.name('depth')} ${config.depth}`}; it fits ${options.join(', or ')}` };
}

/** Refuses shapes whose buffers exceed what one wasm32 instance (holding one thread's rows) can address, naming the cause and what would fit. */
export function checkFits(config: ExperimentConfig, threads: number, read: OptionVoice): void {
  const fits = (c: ExperimentConfig) => largestShardBytes(c, threads) <= WASM_MAX_BYTES;
  if (fits(config)) return;
  const lo = largestFitting(config.batch, (batch) => fits({ ...config, batch }));
  const gib = gibAbove(largestShardBytes(config, threads));
  const shape = shapeText(config, read);
  const needs = `${read.name('batch')} ${config.batch} × ${shape} needs ${gib} GiB in one WASM instance (limit 4 GiB) with ${threads} thread${threads > 1 ? 's' : ''}`;
  const backward = backwardCause(config, fits, read);
  if (backward) read.fail(backward.flag, `${needs}: ${backward.text}${lo > 0 ? `, or with ${read.name('batch')} ${lo} at most` : ''}`);
  if (lo > 0) read.fail('batch', `${needs}; the largest batch that fits at this width is ${lo}`);
  read.fail(config.widths ? 'widths' : 'width', `${shape} does not fit in one WASM instance (limit 4 GiB) even with ${read.name('batch')} 1`);
}
