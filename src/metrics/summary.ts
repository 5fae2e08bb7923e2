import type { PatternResult } from './results.js';

const f4 = (v: number | null) => (v === null || Number.isNaN(v) ? 'nan' : v.toFixed(4));
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;

/** The console block the original script prints for one pattern. */
export function patternSummary(p: PatternResult): string {
  const lines = [`=== ${p.name}  (w_init=${p.init}, act=${p.activation}) ===`];
  for (const l of p.layers) {
    const tag = `[L${String(l.layer).padStart(2, '0')}]`;
    lines.push(`${tag} E[z^2]=${f4(l.z_ex2)}  E[a^2]=${f4(l.a_ex2)}  E[a^2]/E[z^2]=${f4(l.relu_ex2_ratio)}  zero_frac=${l.zero_frac === null ? 'nan' : l.zero_frac.toFixed(3)}`);
  }
  if (p.overflow_layer !== null) lines.push(`overflow: float32 overflowed at layer ${p.overflow_layer}; from there the values are inf/NaN (null in metrics.json)`);
  if (p.underflow_layer !== null) lines.push(`underflow: every activation is exactly 0 from layer ${p.underflow_layer}`);
  const last = p.layers[p.layers.length - 1];
  if (last?.theory) lines.push(`mean-field theory at L${String(last.layer).padStart(2, '0')}: E[z^2]=${f4(last.theory.z_ex2)}  E[a^2]=${f4(last.theory.a_ex2)}`);
  if (p.activation === 'relu') {
    const ratios = p.layers.map((l) => l.relu_ex2_ratio).filter((r): r is number => r !== null && Number.isFinite(r));
    const zeros = p.layers.map((l) => l.zero_frac).filter((z): z is number => z !== null);
    const leftOut = (kept: number) => {
      const left = p.layers.length - kept;
      return left > 0 ? `, leaving out ${left} non-finite layer${left > 1 ? 's' : ''}` : '';
    };
    lines.push(`mean(E[a^2]/E[z^2]) over layers = ${f4(ratios.length ? mean(ratios) : null)}  (theory: ~0.5${leftOut(ratios.length)})`);
    lines.push(`mean(zero_frac) over layers       = ${f4(zeros.length ? mean(zeros) : null)}  (intuition: ~0.5${leftOut(zeros.length)})`);
  }
  return lines.join('\n');
}
