import type { PatternResult } from '../metrics/results.js';

const COLUMNS = ['layer', 'x_ex2', 'z_ex2', 'a_ex2', 'relu_ex2_ratio', 'zero_frac', 'z_mean', 'z_var', 'a_mean', 'a_var', 'z_min', 'z_max', 'a_min', 'a_max'] as const;

const show = (v: number | null) => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toPrecision(5));

/** One collapsible table of per-layer records per pattern. */
export function recordsTable(patterns: PatternResult[], document: Document): HTMLElement {
  const root = document.createElement('div');
  for (const p of patterns) {
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = `${p.name}  (init ${p.init}, activation ${p.activation})`;
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const c of COLUMNS) head.appendChild(document.createElement('th')).textContent = c;
    const body = table.createTBody();
    for (const l of p.layers) {
      const row = body.insertRow();
      for (const c of COLUMNS) row.insertCell().textContent = show(l[c]);
    }
    details.append(summary, table);
    root.appendChild(details);
  }
  return root;
}
