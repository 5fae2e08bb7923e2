import type { ExperimentConfig } from '../model/config.js';
import type { LayerBand, LayerRecord, PatternResult, Quantiles } from './results.js';

/** 4 significant digits, scientific below 1e-3 (so Xavier + ReLU's 10⁻⁶ shows), nan and inf spelled out. */
export function sig4(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toPrecision(4);
}

const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const tagOf = (layer: number) => `[L${String(layer).padStart(2, '0')}]`;
const band = (q: Quantiles) => `${sig4(q.median)} (10–90%: ${sig4(q.p10)} … ${sig4(q.p90)})`;

/** The [RUN] line: the kernel, the threads and the shape as the user gave it. */
export function runLine(config: ExperimentConfig, build: string, threads: number): string {
  const shape = config.widths ? `widths=${config.widths.join(',')}` : `width=${config.width} depth=${config.depth}`;
  const seeds = config.seeds > 1 ? `  seeds=${config.seeds} (per layer: the median over seeds; E[a^2] with its 10–90% band${config.backward ? '; gradients: the first seed' : ''})` : '';
  return `[RUN] kernel=${build}  threads=${threads}  batch=${config.batch} ${shape} seed=${config.seed}${seeds}`;
}

/** A block's output stream x, where the record has one: E[x²] and its split into squared channel mean and channel variance. */
function streamOf(l: LayerRecord): { ex2: number | null; sqChMean: number | null; chVar: number | null } | undefined {
  return l.x_ch_var === undefined ? undefined : { ex2: l.x_ex2 ?? null, sqChMean: l.x_sq_ch_mean ?? null, chVar: l.x_ch_var ?? null };
}

function layerLine(l: LayerRecord, b: LayerBand | undefined): string {
  // blocks with a norm or a residual: the stream first (with batch norm, φ's input always reads E[z^2] = 1)
  const x = streamOf(l);
  const stream = x ? `E[x^2]=${sig4(x.ex2)} (ch_mean^2=${sig4(x.sqChMean)} ch_var=${sig4(x.chVar)})  ` : '';
  const stats = b
    ? `E[z^2]=${sig4(b.z_ex2.median)}  E[a^2]=${band(b.a_ex2)}  E[a^2]/E[z^2]=${sig4(b.relu_ex2_ratio.median)}  zero_frac=${b.zero_frac.median === null ? 'nan' : b.zero_frac.median.toFixed(3)}`
    : `E[z^2]=${sig4(l.z_ex2)}  E[a^2]=${sig4(l.a_ex2)}  E[a^2]/E[z^2]=${sig4(l.relu_ex2_ratio)}  zero_frac=${l.zero_frac === null ? 'nan' : l.zero_frac.toFixed(3)}`;
  const grad = l.grad_z_ex2 === undefined ? '' : `  E[dz^2]=${sig4(l.grad_z_ex2)}  E[da^2]=${sig4(l.grad_a_ex2)}  E[G^2]=${sig4(l.grad_w_ex2)}${l.grad_chi === undefined ? '' : `  chi=${sig4(l.grad_chi)}`}`;
  return `${tagOf(l.layer)} ${stream}${stats}${grad}`;
}

/** The console block the original script prints for one pattern (with --seeds: medians; with --backward: the gradient moments and χ). */
export function patternSummary(p: PatternResult): string {
  const lines = [`=== ${p.name}  (w_init=${p.init}, act=${p.activation}) ===`];
  const bands = p.bands ? new Map(p.bands.map((b) => [b.layer, b])) : undefined;
  for (const l of p.layers) lines.push(layerLine(l, bands?.get(l.layer)));
  if (p.overflow_layer !== null) lines.push(`overflow: float32 overflowed at layer ${p.overflow_layer}; from there the values are inf/NaN (null in metrics.json)`);
  if (p.underflow_layer !== null) lines.push(`underflow: every activation is exactly 0 from layer ${p.underflow_layer}`);
  const last = p.layers[p.layers.length - 1];
  if (last?.theory) lines.push(`mean-field theory at ${tagOf(last.layer).slice(1, -1)}: E[z^2]=${sig4(last.theory.z_ex2)}  E[a^2]=${sig4(last.theory.a_ex2)}`);
  if (p.activation === 'relu') {
    const ratios = p.layers.map((l) => l.relu_ex2_ratio).filter((r): r is number => r !== null && Number.isFinite(r));
    const zeros = p.layers.map((l) => l.zero_frac).filter((z): z is number => z !== null);
    const leftOut = (kept: number) => {
      const left = p.layers.length - kept;
      return left > 0 ? `, leaving out ${left} non-finite layer${left > 1 ? 's' : ''}` : '';
    };
    lines.push(`mean(E[a^2]/E[z^2]) over layers = ${sig4(ratios.length ? mean(ratios) : null)}  (theory: ~0.5${leftOut(ratios.length)})`);
    lines.push(`mean(zero_frac) over layers       = ${sig4(zeros.length ? mean(zeros) : null)}  (intuition: ~0.5${leftOut(zeros.length)})`);
  }
  return lines.join('\n');
}
