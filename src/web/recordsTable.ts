import type { LayerRecord, PatternResult } from '../metrics/results.js';
import { sig4 } from '../metrics/summary.js';

/** The headline measurements beside their theory, then the rest; gradient columns where the run has them. */
const COLUMNS: [string, (l: LayerRecord) => number | null | undefined][] = [
  ['layer', (l) => l.layer],
  ['z_ex2', (l) => l.z_ex2],
  ['theory z_ex2', (l) => l.theory?.z_ex2],
  ['a_ex2', (l) => l.a_ex2],
  ['theory a_ex2', (l) => l.theory?.a_ex2],
  ['relu_ex2_ratio', (l) => l.relu_ex2_ratio],
  ['theory ratio', (l) => l.theory?.relu_ex2_ratio],
  ['zero_frac', (l) => l.zero_frac],
  ['theory zero_frac', (l) => l.theory?.zero_frac],
  ['x_ex2', (l) => l.x_ex2],
  ['z_mean', (l) => l.z_mean],
  ['a_mean', (l) => l.a_mean],
  ['z_min', (l) => l.z_min],
  ['z_max', (l) => l.z_max],
  ['a_min', (l) => l.a_min],
  ['a_max', (l) => l.a_max],
  ['grad_z_ex2', (l) => l.grad_z_ex2],
  ['theory grad_z_ex2', (l) => l.theory?.grad_z_ex2],
  ['grad_chi', (l) => l.grad_chi],
];

const show = (v: number | null | undefined) => (v === undefined ? '' : v === null ? '—' : Number.isInteger(v) ? String(v) : sig4(v));

/** One collapsible table of per-layer records per pattern, scrolling inside its container when wider. */
export function recordsTable(patterns: PatternResult[], document: Document): HTMLElement {
  const root = document.createElement('div');
  for (const p of patterns) {
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = `${p.name}  (init ${p.init}, activation ${p.activation})`;
    const columns = COLUMNS.filter(([, value]) => p.layers.some((l) => value(l) !== undefined));
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const [name] of columns) head.appendChild(document.createElement('th')).textContent = name;
    const body = table.createTBody();
    for (const l of p.layers) {
      const row = body.insertRow();
      for (const [, value] of columns) row.insertCell().textContent = show(value(l));
    }
    const scroller = document.createElement('div');
    scroller.className = 'table-scroll';
    scroller.append(table);
    details.append(summary, scroller);
    root.appendChild(details);
  }
  return root;
}
