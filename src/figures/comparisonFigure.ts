// Runs of different configurations on one chart: one statistic of a sequence's tokens across blocks, each run
// with its own colour and marker, its infinite-width theory dashed beneath where it has one (the README's rank-collapse
// picture: no skip, a skip, a scaled pre-LN skip, shaped attention).
import type { PatternResult } from '../metrics/results.js';
import type { LineFigureSpec, LineSeries } from './lineFigure.js';
import { THEORY_LEGEND } from './patternSeries.js';
import { seriesStyle } from './theme.js';
import { tokenSeries } from './tokensFigure.js';

/** One run's pattern and the label it is drawn under. */
export interface ComparedRun {
  label: string;
  result: PatternResult;
}

export const COMPARED_KEYS = {
  token_corr: "token_corr: mean pair cosine of a sequence's tokens",
  attn_entropy: "attn_entropy: attention rows' entropy / log T",
} as const;
export type ComparedKey = keyof typeof COMPARED_KEYS;

export function comparisonChart(runs: readonly ComparedRun[], key: ComparedKey = 'token_corr'): LineFigureSpec {
  const series: LineSeries[] = [];
  runs.forEach(({ label, result }, i) => {
    const style = seriesStyle(i), measured = tokenSeries(result, key, label, style), name = measured.name;
    series.push(measured);
    const theory = result.layers.map((l) => ({ x: l.layer, y: l.theory?.[key] ?? null }));
    if (theory.some((t) => t.y !== null)) series.push({ name: `${label} (theory)`, theoryOf: name, color: style.color, dashed: true, legend: false, points: theory });
  });
  const withTheory = series.some((s) => s.dashed);
  const without = runs.filter((r) => !series.some((s) => s.dashed && s.name === `${r.label} (theory)`)).map((r) => `${r.label}: ${r.result.no_theory ?? 'none recorded'}`);
  return {
    title: `${COMPARED_KEYS[key].split(':')[0]} across blocks: ${runs.length} configurations`,
    xLabel: 'block',
    yLabel: COMPARED_KEYS[key],
    yScale: 'linear',
    yInclude: [0, 1],
    series,
    ...(withTheory ? { extraLegend: [THEORY_LEGEND] } : {}),
    // say which runs have no theory drawn, rather than leave the reader to look for a dashed line
    note: without.length ? `No theory drawn for ${without.join('; ')}.` : 'dashed: infinite-width theory; a width-n run lies below it by O(1/n)',
  };
}
