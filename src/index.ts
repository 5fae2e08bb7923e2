// The library: `import { runExperiment } from 'relu-spread-check'` (Node). Options are validated by
// the same rules as the CLI and the page; bad input rejects with an OptionError naming the option.
import { availableParallelism } from 'node:os';
import type { ExperimentConfig } from './model/config.js';
import { nodeWorkerShards } from './shards/nodeWorkerShards.js';
import { parseRunOptions, type OptionTexts } from './options/optionSpecs.js';
import type { PatternResult } from './metrics/results.js';
import { runExperiment as runPatterns, type Progress } from './experiment/runExperiment.js';
import { resolveKernelBuild, type KernelBuild, type KernelChoice } from './kernel/kernelBuilds.js';
import { nodeHasRelaxedSimd, nodeWasmModule } from './kernel/wasmFile.js';
import { loadWasmKernel } from './kernel/loadWasmKernel.js';
import { metricsJson } from './metrics/metricsJson.js';

export { OptionError } from './options/optionSpecs.js';
export type { ExperimentConfig } from './model/config.js';
export type { LayerRecord, PatternResult, Histogram, LayerHistograms } from './metrics/results.js';
export type { Progress } from './experiment/runExperiment.js';
export type { KernelBuild, KernelChoice } from './kernel/kernelBuilds.js';

/** The CLI's options, by their camelCase names; every field is optional (the CLI's defaults). */
export interface RunOptions {
  batch?: number;
  width?: number;
  depth?: number;
  seed?: number;
  histLayers?: number[];
  bins?: number;
  threads?: number;
  kernel?: KernelChoice;
  /** "INIT:ACT" strings, e.g. ["glorot:tanh", "he:gelu"]. */
  patterns?: string[];
  widths?: number[];
  biasStd?: number;
  gain?: number | 'auto';
  fanMode?: 'in' | 'out';
  leakyAlpha?: number;
  /** Backpropagate g ~ N(0, 1) from the last activation (grad_* fields per layer). */
  backward?: boolean;
  onProgress?: (progress: Progress) => void;
}

export interface RunResult {
  config: ExperimentConfig;
  kernel: KernelBuild;
  threads: number;
  patterns: PatternResult[];
  /** Exactly the CLI's metrics.json text for this run. */
  metricsJson: string;
}

const text = (v: unknown) => (v === undefined ? undefined : Array.isArray(v) ? v.join(',') : String(v));

/** Runs the experiment on worker threads and resolves to its records; rejects with OptionError on bad input. */
export async function runExperiment(options: RunOptions = {}): Promise<RunResult> {
  const texts: OptionTexts = {
    batch: text(options.batch), width: text(options.width), depth: text(options.depth), seed: text(options.seed),
    'hist-layers': text(options.histLayers), bins: text(options.bins), threads: text(options.threads), kernel: text(options.kernel),
    widths: text(options.widths), 'bias-std': text(options.biasStd), gain: text(options.gain), 'fan-mode': text(options.fanMode),
    'leaky-alpha': text(options.leakyAlpha), pattern: options.patterns?.map(String), backward: options.backward === true,
  };
  for (const key of Object.keys(texts) as (keyof OptionTexts)[]) if (texts[key] === undefined) delete texts[key];
  const { config, threads, kernel } = parseRunOptions(texts, availableParallelism());
  const build = resolveKernelBuild(kernel, nodeHasRelaxedSimd());
  const module = await nodeWasmModule(build);
  const patterns = await runPatterns(config, { openShards: (c) => nodeWorkerShards(c, threads, module, build), createKernel: () => loadWasmKernel(module, build), onProgress: options.onProgress });
  return { config, kernel: build, threads, patterns, metricsJson: metricsJson(config, patterns) };
}
