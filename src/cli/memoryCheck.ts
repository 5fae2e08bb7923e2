import { freemem } from 'node:os';
import type { ExperimentConfig } from '../model/config.js';
import { backwardCause, gibAbove, largestFitting, runBytes, shapeText } from '../run/memoryFits.js';
import { CLI_NAMING, OptionReader } from '../options/parseOptions.js';
import { UsageError } from './usageError.js';

/** What Node, the figure code and the workers need besides the WASM buffers (measured: ~210 MB). */
export const BASELINE_BYTES = 256 * 2 ** 20;

/** Refuses a run whose buffers would not fit in the free memory, naming its cause and what would fit (a batch, a depth, no --backward). */
export function checkFreeMemory(config: ExperimentConfig, threads: number, free = freemem()): void {
  const fitsConfig = (c: ExperimentConfig) => runBytes(c, threads) + BASELINE_BYTES <= free;
  const fits = (batch: number) => fitsConfig({ ...config, batch });
  if (fits(config.batch)) return;
  const lo = largestFitting(config.batch, fits);
  const naming = new OptionReader({}, CLI_NAMING);
  const shape = shapeText(config, naming);
  const needs = `--batch ${config.batch} × ${shape} needs ${gibAbove(runBytes(config, threads) + BASELINE_BYTES)} GiB and ${(free / 2 ** 30).toFixed(1)} GiB are free`;
  const backward = backwardCause(config, fitsConfig, naming);
  if (backward) throw new UsageError(`${needs}: ${backward.text}${lo > 0 ? `, or with --batch ${lo} at most` : ''}`);
  throw new UsageError(`${needs}; ${lo > 0 ? `the largest batch that fits is ${lo}` : 'no batch fits at this width'}`);
}
