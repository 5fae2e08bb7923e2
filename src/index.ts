// The library: `import { runExperiment } from 'relu-spread-check'` (Node). Options are validated by
// the same rules as the CLI and the page; bad input rejects with an OptionError naming the option.
import { availableParallelism } from 'node:os';
import type { ExperimentConfig } from './model/config.js';
import { didYouMean } from './model/didYouMean.js';
import { LIBRARY_NAMING, OptionError, optionText, type OptionTexts } from './options/parseOptions.js';
import { parseRunChoices } from './run/runChoices.js';
import { LIBRARY_KEYS, optionByKey, type LibraryOptions } from './model/optionTable.js';
import type { PatternResult } from './metrics/results.js';
import type { Progress } from './experiment/runExperiment.js';
import { nodeRun } from './run/nodeRun.js';
import type { KernelBuild } from './model/kernelBuilds.js';
import { metricsJson } from './metrics/metricsJson.js';

export { OptionError } from './options/parseOptions.js';
export { renderComparison, renderFigures, renderSweepFigures, type FigureFile, type FigureFormat } from './library/figures.js';
export type { ComparedKey, ComparedRun } from './figures/comparisonFigure.js';
export { runSweepOf as runSweep, type SweepOptions, type SweepResult, type SweptValue } from './library/sweep.js';
export type { SweepRecord } from './metrics/sweepRecord.js';
export type { ExperimentConfig } from './model/config.js';
export type { LayerRecord, PatternResult, Histogram, LayerHistograms } from './metrics/results.js';
export type { Progress } from './experiment/runExperiment.js';
export type { KernelBuild, KernelChoice } from './model/kernelBuilds.js';
export type { LibraryOptions } from './model/optionTable.js';

/**
 * The CLI's experiment and run options by their camelCase keys (derived from the option table:
 * see src/options/optionTable.ts); every field is optional (the CLI's defaults). `patterns` takes
 * "INIT:ACT" strings, e.g. ["glorot:tanh", "he:gelu"].
 */
export type RunOptions = LibraryOptions & {
  onProgress?: (progress: Progress) => void;
  /** Aborting it stops the run, wherever it is, and closes its workers; the promise rejects with an AbortError. */
  signal?: AbortSignal;
};
/** The keys that watch or steer a run rather than choose it. */
const HOOK_KEYS = ['onProgress', 'signal'] as const satisfies readonly (keyof RunOptions)[];

export interface RunResult {
  config: ExperimentConfig;
  kernel: KernelBuild;
  threads: number;
  patterns: PatternResult[];
  /** Exactly the CLI's metrics.json text for this run. */
  metricsJson: string;
}

/** The option texts by flag for the library's options by key; unknown keys reject, naming the key and the nearest known one. */
function libraryTexts(options: RunOptions): OptionTexts {
  const texts: Record<string, string | string[] | boolean> = {};
  for (const [key, value] of Object.entries(options)) {
    if ((HOOK_KEYS as readonly string[]).includes(key) || value === undefined) continue;
    const spec = optionByKey(key);
    if (!spec || !LIBRARY_KEYS.includes(key)) throw new OptionError(key, `unknown option "${key}"${didYouMean(key, [...LIBRARY_KEYS, ...HOOK_KEYS])} (options: ${[...LIBRARY_KEYS, ...HOOK_KEYS].join(', ')})`);
    texts[spec.flag] = optionText(spec, value);
  }
  return texts;
}

/** Runs the experiment on worker threads and resolves to its records; rejects with OptionError on bad input. */
export async function runExperiment(options: RunOptions = {}): Promise<RunResult> {
  const choices = parseRunChoices(libraryTexts(options), availableParallelism(), LIBRARY_NAMING);
  const { build, patterns } = await nodeRun(choices, { onProgress: options.onProgress, signal: options.signal });
  return { config: choices.config, kernel: build, threads: choices.threads, patterns, metricsJson: metricsJson(choices.config, patterns, build) };
}
