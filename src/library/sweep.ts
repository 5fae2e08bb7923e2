// The library's sweep: the CLI's `relu-spread-check sweep`, by library keys, resolving to sweep.json's record.
import { availableParallelism } from 'node:os';
import { resolveKernelBuild } from '../model/kernelBuilds.js';
import { nodeHasRelaxedSimd } from '../kernel/wasmFile.js';
import { sweepJson, type SweepRecord } from '../metrics/sweepRecord.js';
import { didYouMean } from '../model/didYouMean.js';
import { LIBRARY_KEYS, OPTIONS, optionByKey, type LibraryOptions } from '../model/optionTable.js';
import { LIBRARY_NAMING, OptionError, optionText } from '../options/parseOptions.js';
import { nodeRun } from '../run/nodeRun.js';
import { sweepAxes, SWEEPABLE_FLAGS } from '../sweep/sweepAxes.js';
import { planSweep, runSweep } from '../sweep/runSweep.js';

/** A swept option: "START:STOP:COUNT" or a list of values. */
export type SweptValue = string | readonly number[];

/**
 * Run options by library key, where one or two sweepable keys (batch, width, depth, biasStd, gain,
 * leakyAlpha, residual) take a SweptValue; `keepLayers` keeps every layer's record in each point.
 */
export type SweepOptions = { [K in keyof LibraryOptions]?: LibraryOptions[K] | SweptValue } & { keepLayers?: boolean; signal?: AbortSignal };

export interface SweepResult {
  record: SweepRecord;
  /** Exactly the CLI's sweep.json text for this sweep. */
  sweepJson: string;
}

/** Runs every point of the grid (validated and memory-checked first) and resolves to the sweep's record. */
export async function runSweepOf(options: SweepOptions): Promise<SweepResult> {
  const texts: Record<string, string | string[] | boolean> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === 'keepLayers' || key === 'signal' || value === undefined) continue;
    const spec = optionByKey(key);
    if (!spec || !LIBRARY_KEYS.includes(key)) throw new OptionError(key, `unknown option "${key}"${didYouMean(key, [...LIBRARY_KEYS])}`);
    texts[spec.flag] = Array.isArray(value) && SWEEPABLE_FLAGS.includes(spec.flag) ? value.join(',') : optionText(spec, value);
  }
  const { axes, base } = sweepAxes(texts, LIBRARY_NAMING);
  if (axes.length === 0) throw new OptionError('sweep', `a sweep needs one or two of ${OPTIONS.filter((o) => SWEEPABLE_FLAGS.includes(o.flag)).map((o) => o.key).join(', ')} as "START:STOP:COUNT" or a list`);
  const plan = planSweep(axes, base, availableParallelism(), LIBRARY_NAMING, options.keepLayers === true);
  const build = resolveKernelBuild(plan.points[0].choices.kernel, nodeHasRelaxedSimd());
  const { record } = await runSweep(plan, build, (choices) => nodeRun(choices, { signal: options.signal, cMap: false, poolWorkers: true }));
  return { record, sweepJson: sweepJson(record) };
}
