// The URL is the page's state: every field is read from the query when the page opens and written back
// when a run starts, so a link reopens the same configuration and, as a link runs when opened
// (autorun=0 opts out), the same figures.
import type { Field } from './formControls.js';

/** The field's name in a query: its short query name, else its flag. */
const queryName = (f: Field) => f.query ?? f.flag;

/** The query's value for each field (its query name, flag or key; undefined where absent). */
export function readQuery(fields: readonly Field[], search: string): Map<Field, string | undefined> {
  const query = new URLSearchParams(search);
  return new Map(fields.map((f) => [f, query.get(queryName(f)) ?? query.get(f.flag) ?? query.get(f.key) ?? undefined]));
}

/** Whether a link runs when opened: every link does unless it says autorun=0. */
export const autorun = (search: string) => new URLSearchParams(search).get('autorun') !== '0';

/**
 * Writes the page's modes and the fields into the URL (history.replaceState): a checkbox as 1 when checked,
 * other fields when not empty. No autorun is written, so the link runs when opened.
 */
export function writeQuery(fields: readonly Field[], control: (f: Field) => HTMLInputElement | HTMLSelectElement, modes: [string, string][] = []): void {
  // the page's modes first (the lesson, hidden controls, lecture), so a link keeps them
  const query = new URLSearchParams(modes);
  for (const f of fields) {
    const c = control(f);
    if (f.page === 'checkbox') {
      if ((c as HTMLInputElement).checked) query.set(queryName(f), '1');
    } else if (c.value !== '') query.set(queryName(f), c.value);
  }
  history.replaceState(null, '', `?${query}`);
}
