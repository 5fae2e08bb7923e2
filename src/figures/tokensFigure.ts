// A pattern's tokens across blocks (--seq-len): how alike a sequence's tokens become (token_corr, rank
// collapse as it nears 1) and, for attention blocks, how spread the attention rows are (attn_entropy, 1 for
// uniform rows, 0 for one-hot), with token_corr's theory dashed where there is one.
import type { PatternResult } from '../metrics/results.js';
import type { LineFigureSpec, LineSeries } from './lineFigure.js';
import { THEORY_LEGEND } from './patternSeries.js';
import { seriesStyle, type MarkerName } from './theme.js';

/** A result's token_corr or attn_entropy across blocks as a measured series: with seeds their median and 10–90% band. */
export function tokenSeries(p: PatternResult, key: 'token_corr' | 'attn_entropy', name: string, style: { color: string; marker: MarkerName }): LineSeries {
  return {
    name: name + (p.bands ? ` (median of ${p.seeds?.length} seeds)` : ''),
    ...style,
    points: p.bands ? p.bands.map((b) => ({ x: b.layer, y: b[key]?.median ?? null })) : p.layers.map((l) => ({ x: l.layer, y: l[key] ?? null })),
    ...(p.bands ? { band: p.bands.map((b) => ({ x: b.layer, lo: b[key]?.p10 ?? null, hi: b[key]?.p90 ?? null })) } : {}),
  };
}

export function tokensChart(p: PatternResult): LineFigureSpec {
  const line = (key: 'token_corr' | 'attn_entropy', name: string, style: number): LineSeries => tokenSeries(p, key, name, seriesStyle(style));
  const corr = line('token_corr', 'token_corr (mean pair cosine of tokens)', 0);
  const series: LineSeries[] = [corr];
  // the token map of attention blocks, or for MLP blocks the c-map of two rows, which is the tokens' too
  const theory = p.layers.map((l) => ({ x: l.layer, y: l.theory?.token_corr ?? l.theory?.c ?? null }));
  const hasTheory = theory.some((t) => t.y !== null);
  if (hasTheory) series.push({ name: 'token_corr (theory)', theoryOf: corr.name, color: corr.color, dashed: true, legend: false, points: theory });
  if (p.layers.some((l) => l.attn_entropy !== undefined && l.attn_entropy !== null)) {
    const entropy = line('attn_entropy', 'attn_entropy (row entropy / log T)', 1);
    series.push(entropy);
    const entropyTheory = p.layers.map((l) => ({ x: l.layer, y: l.theory?.attn_entropy ?? null }));
    if (entropyTheory.some((t) => t.y !== null)) series.push({ name: 'attn_entropy (theory)', theoryOf: entropy.name, color: entropy.color, dashed: true, legend: false, points: entropyTheory });
  }
  return {
    title: `${p.name}: a sequence's tokens across blocks`,
    xLabel: 'block',
    yLabel: 'token_corr and attn_entropy',
    yScale: 'linear',
    yInclude: [0, 1],
    series,
    ...(hasTheory ? { extraLegend: [THEORY_LEGEND] } : {}),
    // the maps are infinite-width ones (tokenCorrelation.ts): say where a finite width leaves them
    ...(p.no_theory ? { note: `No theory drawn: ${p.no_theory}.` } : hasTheory ? { note: 'dashed: infinite-width theory; a width-n run lies below it by O(1/n)' } : {}),
  };
}

/**
 * --backward through attention blocks: E[G²] of each block's W_Q, W_K, W_V and W_O (and a transformer's MLP W). Under rank collapse the
 * query and key gradients vanish (Noci et al. 2022, arXiv 2206.03126: identical tokens make the softmax's
 * input gradient 0); no theory is drawn.
 */
export function attentionGradientChart(p: PatternResult): LineFigureSpec {
  // a transformer block's MLP sub-block adds its W
  const mlp = p.layers.some((l) => l.grad_w_ex2 !== undefined);
  const roles = [['grad_wq_ex2', 'W_Q'], ['grad_wk_ex2', 'W_K'], ['grad_wv_ex2', 'W_V'], ['grad_wo_ex2', 'W_O'], ...(mlp ? [['grad_w_ex2', 'W (MLP)'] as const] : [])] as const;
  return {
    title: `${p.name}: attention weight gradients across blocks`,
    xLabel: 'block',
    yLabel: 'E[G^2] of the weight gradient',
    yScale: 'log',
    series: roles.map(([key, name], i) => ({ name, ...seriesStyle(i), points: p.layers.map((l) => ({ x: l.layer, y: l[key] ?? null })) })),
  };
}
