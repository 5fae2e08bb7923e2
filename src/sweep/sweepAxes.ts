// What a sweep varies: one or two options from the table's sweepable ones, each as START:STOP:COUNT
// (COUNT values evenly spaced, both ends included) or a list V,V,…, and the grid of their values.
import { OPTIONS, optionByFlag, type OptionSpec } from '../model/optionTable.js';
import { OptionError, type Naming, type OptionTexts } from '../options/parseOptions.js';
import { sweepName, type SweepAxis } from '../metrics/sweepRecord.js';

export type { SweepAxis } from '../metrics/sweepRecord.js';

export const SWEEPABLE_FLAGS: readonly string[] = OPTIONS.filter((o) => 'sweep' in o && o.sweep).map((o) => o.flag);
export const MAX_AXIS_COUNT = 10_000;
export const MAX_AXES = 2;


/** Whether an option's text asks for several values. */
const isSweepText = (text: string) => /[:,]/.test(text);

function axisValues(spec: OptionSpec, text: string, naming: Naming): number[] {
  const name = naming.spell(spec), fail = (why: string): never => {
    throw new OptionError(naming.id(spec), `${name} ${text}: ${why}`);
  };
  const number = (t: string) => {
    const v = Number(t.trim());
    if (t.trim() === '' || !Number.isFinite(v)) fail(`"${t}" is not a number`);
    return v;
  };
  if (text.includes(':')) {
    const parts = text.split(':');
    if (parts.length !== 3) fail('a range is START:STOP:COUNT');
    const [start, stop] = [number(parts[0]), number(parts[1])];
    const countText = parts[2].trim();
    const count = Number(countText);
    if (!/^\d+$/.test(countText) || count < 1 || count > MAX_AXIS_COUNT) fail(`COUNT must be an integer in 1 … ${MAX_AXIS_COUNT}, got "${parts[2]}"`);
    if (stop < start) fail(`STOP must be ≥ START, got ${stop} < ${start}`);
    if (count === 1 && stop !== start) fail('COUNT 1 needs STOP = START');
    // as weights of the two ends, so 0.5:3:26 gives 0.6, not 0.6000000000000001
    const values = Array.from({ length: count }, (_, i) => (count === 1 ? start : (start * (count - 1 - i) + stop * i) / (count - 1)));
    if (spec.kind === 'integer') {
      const off = values.find((v) => !Number.isInteger(v));
      if (off !== undefined) fail(`gives ${off}, not an integer: choose START, STOP and COUNT that step by whole numbers, or give a list`);
    }
    return values;
  }
  return text.split(',').map(number);
}

/**
 * The swept options of `texts` (in option-table order) and the texts without them. Refuses a swept
 * option that is not sweepable, more than MAX_AXES, and malformed ranges, naming the option; each
 * value's own range is checked later with the point's other options.
 */
export function sweepAxes(texts: OptionTexts, naming: Naming): { axes: SweepAxis[]; base: Record<string, OptionTexts[string]> } {
  const base: Record<string, OptionTexts[string]> = { ...texts };
  const axes: SweepAxis[] = [];
  for (const spec of OPTIONS) {
    const text = texts[spec.flag];
    if (typeof text !== 'string' || !isSweepText(text)) continue;
    if (!SWEEPABLE_FLAGS.includes(spec.flag)) {
      // lists are these options' own values; a range is not
      if (spec.kind === 'integerList' || spec.kind === 'choiceList' || !text.includes(':')) continue;
      throw new OptionError(naming.id(spec), `${naming.spell(spec)} cannot be swept (sweepable: ${SWEEPABLE_FLAGS.map((f) => naming.spell(optionByFlag(f)!)).join(', ')})`);
    }
    axes.push({ flag: spec.flag, option: sweepName(spec.flag), values: axisValues(spec, text, naming) });
    delete base[spec.flag];
  }
  if (axes.length > MAX_AXES) throw new OptionError(naming.id(optionByFlag(axes[MAX_AXES].flag)!), `a sweep varies one or two options, got ${axes.length}: ${axes.map((a) => naming.spell(optionByFlag(a.flag)!)).join(', ')}`);
  return { axes, base };
}

/** Every combination of the axes' values, the first axis slowest: the sweep's points in order. */
export function gridPoints(axes: readonly SweepAxis[]): Record<string, number>[] {
  let points: Record<string, number>[] = [{}];
  for (const axis of axes) points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.flag]: v })));
  return points;
}

/** The environment variables --shard auto reads, in the order it looks for them. */
export const SHARD_VARIABLES = ['SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_COUNT', 'SLURM_ARRAY_TASK_MIN', 'SLURM_ARRAY_TASK_MAX', 'SLURM_ARRAY_TASK_STEP', 'JOB_COMPLETION_INDEX'] as const;

/**
 * --shard auto: K and N from the scheduler's environment. A SLURM job array gives its task's id, and the count
 * (SLURM_ARRAY_TASK_COUNT, else from the array's min and max); ids count from the array's min in steps of its
 * step (--array=1-8:2 gives shards 0 … 3). A Kubernetes Indexed Job gives JOB_COMPLETION_INDEX, with the count from
 * --shards N. Returns K/N's text, or a refusal naming what it looked for.
 */
function shardFromEnvironment(env: Readonly<Record<string, string | undefined>>, shards: number | undefined): string | { refused: string } {
  const int = (name: string) => (env[name] !== undefined && /^\d+$/.test(env[name]!.trim()) ? Number(env[name]) : undefined);
  const id = int('SLURM_ARRAY_TASK_ID');
  if (id !== undefined) {
    const min = int('SLURM_ARRAY_TASK_MIN') ?? 0, step = Math.max(1, int('SLURM_ARRAY_TASK_STEP') ?? 1), max = int('SLURM_ARRAY_TASK_MAX');
    const count = int('SLURM_ARRAY_TASK_COUNT') ?? (max === undefined ? undefined : Math.floor((max - min) / step) + 1);
    if (count === undefined) return { refused: 'SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is' };
    return `${(id - min) / step}/${count}`;
  }
  const index = int('JOB_COMPLETION_INDEX');
  if (index !== undefined) return shards === undefined ? { refused: 'JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but the count is not: give --shards N, the Job\'s completions' } : `${index}/${shards}`;
  return { refused: `none of ${SHARD_VARIABLES.join(', ')} is set (run it in a SLURM job array or a Kubernetes Indexed Job, or give --shard K/N)` };
}

/** --shard K/N: every N-th point from point K (0 ≤ K < N); auto: K and N from the scheduler's environment (shardFromEnvironment). */
export function parseShard(text: string | undefined, naming: Naming, env: Readonly<Record<string, string | undefined>> = {}, shards?: number): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === 'auto') {
    const found = shardFromEnvironment(env, shards), spec = optionByFlag('shard')!;
    if (typeof found !== 'string') throw new OptionError(naming.id(spec), `${naming.spell(spec)} auto: ${found.refused}`);
    return parseShard(found, naming);
  }
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const spec = optionByFlag('shard')!;
  const index = Number(m?.[1]), count = Number(m?.[2]);
  if (!m || count < 1 || count > MAX_AXIS_COUNT || index >= count) throw new OptionError(naming.id(spec), `${naming.spell(spec)} must be K/N with 0 ≤ K < N ≤ ${MAX_AXIS_COUNT}, got "${text}"`);
  return { index, count };
}
