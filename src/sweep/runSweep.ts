// Runs a sweep's points one after another on one runtime (its compiled module and its pooled
// workers serve every point) and assembles sweep.json's record. Every point is validated before
// the first runs, so bad input writes nothing.
import type { KernelBuild } from '../model/kernelBuilds.js';
import { patternHasBlocks, type ExperimentConfig } from '../model/config.js';
import { type Naming, type OptionTexts, type RunChoices } from '../options/parseOptions.js';
import { parseRunChoices } from '../run/runChoices.js';
import type { Ran } from '../run/runHooks.js';
import { patternSigmas } from '../predictions/patternTheory.js';
import { criticalSigmaW2 } from '../theory/criticality.js';
import { gridPoints, type SweepAxis } from './sweepAxes.js';
import { sweepConfig, sweepPoint, SWEEP_VERSION, type CriticalPoint, type SweepPoint, type SweepRecord } from '../metrics/sweepRecord.js';

export interface SweepPlan {
  axes: SweepAxis[];
  /** Every grid point's values and its validated run, in grid order. */
  points: { values: Record<string, number>; choices: RunChoices }[];
  /** --shard K/N: the indexes of the points this machine runs. */
  shard?: { index: number; count: number };
  keepLayers: boolean;
}

/** The grid's runs: the base texts with each point's values, parsed by the run parser (a sweep has no histograms; --spectrum takes the last layer's). */
export function planSweep(axes: SweepAxis[], base: OptionTexts, threadsDefault: number, naming: Naming, keepLayers: boolean, shard?: { index: number; count: number }): SweepPlan {
  const points = gridPoints(axes).map((values) => {
    const texts: Record<string, OptionTexts[string]> = { ...base };
    for (const [flag, v] of Object.entries(values)) texts[flag] = String(v);
    const choices = parseRunChoices(texts, threadsDefault, naming);
    return { values, choices: { ...choices, config: { ...choices.config, histLayers: choices.config.spectrum ? [choices.config.depth] : [] } } };
  });
  return { axes, points, shard, keepLayers };
}

/** The indexes this machine runs: all, or every N-th from K. */
export function pointIndexes(plan: SweepPlan): number[] {
  return plan.points.map((_, i) => i).filter((i) => !plan.shard || i % plan.shard.count === plan.shard.index);
}

export interface SweepTiming {
  /** Per point run (in the order they finished): its wall time, and the part spent opening workers. */
  points: { wallMs: number; openMs: number }[];
}

/**
 * The order/chaos line where the sweep spans it: with gain swept (and nothing but bias-std beside
 * it), per pattern and σb² the σw² and gain at which χ₁ = 1.
 */
function criticalLine(plan: SweepPlan): CriticalPoint[] | undefined {
  const flags = plan.axes.map((a) => a.flag);
  if (!flags.includes('gain') || flags.some((f) => f !== 'gain' && f !== 'bias-std')) return undefined;
  const config = plan.points[0].choices.config;
  // the edge of chaos belongs to plain blocks without a norm: others have no χ₁ = 1 line
  const plainPatterns = config.patterns.filter((p) => p.init !== 'lsuv' && !patternHasBlocks(config, p));
  const biasValues = plan.axes.find((a) => a.flag === 'bias-std')?.values ?? [config.biasStd];
  return plainPatterns.flatMap((pattern) => {
    const perGain2 = patternSigmas({ ...config, gain: 1 }, pattern).sigma_w2;
    return biasValues.map((biasStd) => {
      const s2 = criticalSigmaW2(pattern.activation, biasStd * biasStd, config.leakyAlpha);
      return { pattern: pattern.name, bias_std: biasStd, sigma_b2: biasStd * biasStd, sigma_w2: s2, gain: s2 === null ? null : Math.sqrt(s2 / perGain2) };
    });
  });
}

/**
 * Runs this machine's points with `runPoint` (in grid order) and returns the record: the whole
 * sweep, or with --shard the fragment. `build` is the kernel build every point runs (resolved
 * beforehand, so a shard with no points records it too). `onPoint` hears each finished point.
 */
export async function runSweep(plan: SweepPlan, build: KernelBuild, runPoint: (choices: RunChoices) => Promise<Ran>, onPoint?: (done: number, total: number) => void, parallel = 1): Promise<{ record: SweepRecord; timing: SweepTiming }> {
  const indexes = pointIndexes(plan);
  const byPoint: SweepPoint[][] = [];
  const timing: SweepTiming = { points: [] };
  let next = 0, done = 0;
  // `parallel` points at a time, each on one worker (results do not depend on the thread count), collected in grid order
  const lane = async () => {
    while (next < indexes.length) {
      const k = next++, i = indexes[k];
      const { values, choices } = plan.points[i];
      const started = performance.now();
      const ran = await runPoint(parallel > 1 ? { ...choices, threads: 1 } : choices);
      timing.points.push({ wallMs: performance.now() - started, openMs: ran.openMs });
      if (ran.build !== build) throw new Error(`point ${i} ran ${ran.build}, not ${build}`);
      byPoint[k] = ran.patterns.map((result, p) => {
        // blocks with a norm or a residual have no phase of the plain length map: its fields are null
        const pattern = choices.config.patterns[p], phase = result.phase;
        const theory = { ...patternSigmas(choices.config, pattern), q_star: phase?.q_star ?? null, c_star: phase?.c_star ?? null, chi1: phase?.chi1 ?? null, xi_c: phase?.xi_c ?? null };
        return sweepPoint(i, values, result, theory, choices.config.seeds, plan.keepLayers);
      });
      onPoint?.(++done, indexes.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, indexes.length)) }, lane));
  const points = byPoint.flat();
  const first: ExperimentConfig = plan.points[0].choices.config;
  const record: SweepRecord = {
    version: SWEEP_VERSION,
    config: sweepConfig(first, build, plan.axes),
    axes: plan.axes.map((a) => ({ option: a.option, values: a.values })),
    ...(plan.shard ? { shard: { ...plan.shard, points: indexes.length } } : {}),
    critical: criticalLine(plan),
    points,
  };
  return { record, timing };
}

/**
 * How many points run at once: with T threads, T points of one worker each when every point's rows fit
 * in one WASM instance and in the free memory T times over (small points, where per-layer round trips
 * and the theory would leave workers idle), else one point at a time on all T.
 */
export function pointsInParallel(plan: SweepPlan, fitsAlone: (config: ExperimentConfig, copies: number) => boolean): number {
  const threads = plan.points[0].choices.threads;
  if (threads <= 1) return 1;
  return plan.points.every((p) => fitsAlone(p.choices.config, threads)) ? threads : 1;
}
