import { freemem } from 'node:os';
import type { ExperimentConfig } from '../model/config.js';
import { largestFittingBatch, runBytes, shapeText } from '../options/memoryFits.js';
import { CLI_NAMING, OptionReader } from '../options/parseOptions.js';
import { UsageError } from './usageError.js';

/** What Node, the figure code and the workers need besides the WASM buffers (measured: ~210 MB). */
export const BASELINE_BYTES = 256 * 2 ** 20;

/** Refuses a run whose buffers would not fit in the free memory, naming the largest batch that would. */
export function checkFreeMemory(config: ExperimentConfig, threads: number, free = freemem()): void {
  const fits = (batch: number) => runBytes({ ...config, batch }, threads) + BASELINE_BYTES <= free;
  if (fits(config.batch)) return;
  const lo = largestFittingBatch(config.batch, fits);
  const gib = (b: number) => (b / 2 ** 30).toFixed(1);
  const shape = shapeText(config, new OptionReader({}, CLI_NAMING));
  throw new UsageError(
    `--batch ${config.batch} × ${shape} needs ${gib(runBytes(config, threads) + BASELINE_BYTES)} GiB and ${gib(free)} GiB are free; ` +
      (lo > 0 ? `the largest batch that fits is ${lo}` : 'no batch fits at this width'),
  );
}
