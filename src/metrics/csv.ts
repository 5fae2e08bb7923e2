// layers.csv and histograms.csv: the records of metrics.json as tables, for spreadsheets and pandas.
import type { ExperimentConfig } from '../model/config.js';
import type { LayerRecord, PatternResult } from './results.js';

/** A CSV field: numbers as JavaScript writes them (round-trip exact), empty for null and non-finite ones, text quoted where it must be. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const table = (header: string[], rows: unknown[][]) => [header, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n';

/** The columns of the layer records: every field any record has, in the order they appear; theory's as theory_<field>. */
function layerColumns(records: LayerRecord[]): string[] {
  const columns = new Set<string>();
  for (const r of records) {
    for (const key of Object.keys(r)) if (key !== 'theory') columns.add(key);
    for (const key of Object.keys(r.theory ?? {})) columns.add(`theory_${key}`);
  }
  return [...columns];
}

/** One row per pattern × seed × layer, with every field of the layer record and of its theory. */
export function layersCsv(config: ExperimentConfig, patterns: PatternResult[]): string {
  const all = patterns.flatMap((p) => (p.seeds ?? [p.layers]).flat());
  const columns = layerColumns(all);
  const rows = patterns.flatMap((p) =>
    (p.seeds ?? [p.layers]).flatMap((layers, k) =>
      layers.map((l) => [p.name, p.init, p.activation, (config.seed + k) >>> 0, ...columns.map((c) => (c.startsWith('theory_') ? (l.theory as Record<string, unknown> | undefined)?.[c.slice(7)] : (l as unknown as Record<string, unknown>)[c]))]),
    ),
  );
  return table(['pattern', 'init', 'activation', 'seed', ...columns], rows);
}

/** One row per histogram bin: its pattern, layer, variable, bounds, count and the count the analytic law predicts. */
export function histogramsCsv(patterns: PatternResult[]): string {
  const rows = patterns.flatMap((p) => [
    ...p.histograms.flatMap((h) =>
      (['z', 'a'] as const).flatMap((of) => h[of].counts.map((count, i) => [p.name, h.layer, of, i, h[of].edges[i], h[of].edges[i + 1], count, h[of].expected?.[i]])),
    ),
    // --spectrum: the histograms of log10 λ of JJᵀ, `of` = log10_lambda, after the pattern's z and a
    ...(p.spectrum?.layers ?? []).flatMap((s) => s.counts.map((count, i) => [p.name, s.layer, 'log10_lambda', i, s.log10_edges[i], s.log10_edges[i + 1], count, undefined])),
  ]);
  return table(['pattern', 'layer', 'of', 'bin', 'lo', 'hi', 'count', 'expected'], rows);
}
