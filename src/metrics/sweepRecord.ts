// sweep.json: the sweep's config and axes, and per grid point and pattern the last layer's record
// (with its seed band), optionally every layer's, and the point's theory; fragments of a sharded
// sweep carry their points only, and merging them in point order gives the one-machine file.
import type { KernelBuild } from '../model/kernelBuilds.js';
import { configRecord } from './metricsJson.js';
import { jsonText } from './jsonText.js';
import type { LayerBand, LayerRecord, PatternResult } from './results.js';
import type { ExperimentConfig } from '../model/config.js';
import { optionByFlag, type SweepableFlag } from '../model/optionTable.js';
import { log10 } from '../theory/portableMath.js';
import { spreadOf } from './jacobianSpectrum.js';

export const SWEEP_VERSION = 1;

export interface SweepAxis {
  flag: string;
  /** The name in sweep.json (the flag with _ for -: bias_std). */
  option: string;
  values: number[];
}

/** sweep.json's name for an option: its flag with underscores. */
export const sweepName = (flag: string) => flag.replace(/-/g, '_');

export interface SweepPointTheory {
  sigma_w2: number;
  sigma_b2: number;
  q_star: number | null;
  c_star: number | null;
  chi1: number | null;
  xi_c: number | null;
}

/** A flag's name in sweep.json, as a type: bias-std → bias_std. */
type SweepName<F extends string> = F extends `${infer A}-${infer B}` ? `${A}_${SweepName<B>}` : F;
/** A point's coordinates: the swept options' values by sweep.json name (gain, bias_std, …). */
export type SweptValues = Partial<Record<SweepName<SweepableFlag>, number>>;

/** One pattern at one grid point (sweep.json lists its fields in this order, the swept values after the index). */
export type SweepPoint = {
  /** The grid point's index (its patterns share it); fragments keep it for the merge. */
  index: number;
} & SweptValues & {
  pattern: string;
  /** --seeds of the point. */
  seeds: number;
  /** The last layer's record, with its seed band where there are seeds. */
  last: LayerRecord & { band?: LayerBand };
  /** The seeds' spread of log10 E[a²] at the last layer. */
  seed_sd?: { log10_a_ex2: number };
  /** --spectrum: the last layer's eigenvalues of JJᵀ (the first seed's): var/mean² and the largest, measured and by free probability. */
  spectrum?: SweepSpectrum;
  /** --keep-layers: every layer's record. */
  layers?: LayerRecord[];
  theory: SweepPointTheory;
};

export interface SweepSpectrum {
  layer: number;
  inputs: number;
  spread: number;
  eig_max: number;
  theory: { spread: number | null; eig_max: number | null };
}

/** Per pattern and σb² of the sweep: the σw² (and gain) where the theory's χ₁ crosses 1. */
export interface CriticalPoint {
  pattern: string;
  bias_std: number;
  sigma_b2: number;
  sigma_w2: number | null;
  gain: number | null;
}

export interface SweepRecord {
  version: number;
  config: Record<string, unknown>;
  axes: { option: string; values: number[] }[];
  /** Only in a fragment: which points it holds. */
  shard?: { index: number; count: number; points: number };
  critical?: CriticalPoint[];
  points: SweepPoint[];
}

/** A point's value of the swept option `option` (sweep.json name); NaN where the point has none. */
export function sweptValue(point: SweepPoint, option: string): number {
  return (point as SweptValues)[option as keyof SweptValues] ?? NaN;
}

/** One pattern's entry at a grid point. */
export function sweepPoint(index: number, values: Record<string, number>, result: PatternResult, theory: SweepPointTheory, seeds: number, keepLayers: boolean): SweepPoint {
  const last: LayerRecord & { band?: LayerBand } = { ...result.layers[result.layers.length - 1] };
  const band = result.bands?.at(-1);
  if (band) last.band = band;
  const swept: Record<string, number> = {};
  for (const [flag, v] of Object.entries(values)) swept[sweepName(flag)] = v;
  // the seeds' spread of log10 E[a²] at the last layer: what a width sweep sets against n^(−1/2)
  const logs = (result.seeds ?? []).map((layers) => log10(layers[layers.length - 1].a_ex2)).filter(Number.isFinite);
  const mean = logs.reduce((t, v) => t + v, 0) / logs.length;
  const seedSd = logs.length > 1 ? { log10_a_ex2: Math.sqrt(logs.reduce((t, v) => t + (v - mean) * (v - mean), 0) / (logs.length - 1)) } : undefined;
  // --spectrum: the sweep takes it at the last layer only
  const at = result.spectrum?.layers.at(-1), t = at?.theory;
  const spectrum: SweepSpectrum | undefined = at && {
    layer: at.layer, inputs: result.spectrum!.inputs, spread: spreadOf(at), eig_max: at.eig_max,
    theory: { spread: t ? spreadOf(t) : null, eig_max: t?.eig_max ?? null },
  };
  return { index, ...(swept as SweptValues), pattern: result.name, seeds, last, ...(seedSd ? { seed_sd: seedSd } : {}), ...(spectrum ? { spectrum } : {}), ...(keepLayers ? { layers: result.layers } : {}), theory };
}

/** The config every point shares: the experiment options without the swept ones (and widths, where width or depth is swept). */
export function sweepConfig(config: ExperimentConfig, build: KernelBuild, axes: readonly SweepAxis[]): Record<string, unknown> {
  const record = configRecord(config, build);
  for (const axis of axes) {
    delete record[optionByFlag(axis.flag)!.key];
    if (axis.flag === 'width' || axis.flag === 'depth') delete record.widths;
  }
  delete record.histLayers;
  return record;
}

export function sweepJson(record: SweepRecord): string {
  return jsonText(record) + '\n';
}

/** Fragments of a sweep are missing: which (their K), of how many. */
export class MissingShards extends Error {
  constructor(readonly indexes: number[], readonly count: number) {
    super(`shard${indexes.length > 1 ? 's' : ''} ${indexes.map((k) => `${k}/${count}`).join(', ')} missing`);
  }
}

/**
 * Merges the fragments of one sweep (any order) into the sweep.json one machine writes. Refuses
 * fragments of different sweeps, a missing or repeated shard, and a fragment short of its points.
 */
export function mergeFragments(fragments: readonly { source: string; record: SweepRecord }[]): SweepRecord {
  if (fragments.length === 0) throw new Error('no fragments to merge');
  const first = fragments[0].record;
  const same = (r: SweepRecord) => JSON.stringify([r.version, r.config, r.axes, r.critical]) === JSON.stringify([first.version, first.config, first.axes, first.critical]);
  const count = first.shard?.count;
  if (count === undefined) throw new Error(`${fragments[0].source} is not a fragment (no "shard"): it was written without --shard`);
  const seen = new Map<number, string>();
  for (const { source, record } of fragments) {
    if (!record.shard) throw new Error(`${source} is not a fragment (no "shard")`);
    if (!same(record) || record.shard.count !== count) throw new Error(`${source} belongs to a different sweep than ${fragments[0].source} (config, axes or shard count differ)`);
    if (seen.has(record.shard.index)) throw new Error(`shard ${record.shard.index}/${count} is given twice: ${seen.get(record.shard.index)} and ${source}`);
    if (new Set(record.points.map((p) => p.index)).size !== record.shard.points) throw new Error(`${source} holds ${new Set(record.points.map((p) => p.index)).size} of its ${record.shard.points} points (an interrupted shard?)`);
    seen.set(record.shard.index, source);
  }
  const missing = Array.from({ length: count }, (_, k) => k).filter((k) => !seen.has(k));
  if (missing.length) throw new MissingShards(missing, count);
  // points in grid order, each grid point's patterns in pattern order (as each fragment lists them)
  const points = fragments.flatMap((f) => f.record.points).sort((a, b) => a.index - b.index);
  const { shard: _, ...rest } = first;
  return { ...rest, points };
}
