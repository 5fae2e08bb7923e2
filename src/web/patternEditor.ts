// The pattern editor: one row of init, activation and norm selects per pattern, kept equal to the
// pattern field's INIT:ACT(:NORM) tokens; at most MAX_PATTERNS rows.
import { INIT_NAMES } from '../model/inits.js';
import { ORIGINAL_PATTERNS } from '../model/patterns.js';
import { ACTIVATION_NAMES } from '../theory/activations.js';
import { NORMS } from '../theory/residualStream.js';

/** At most this many patterns on the page (each is a run of its own): the editor's rows, and a link asking for more is refused. */
export const MAX_PATTERNS = 6;

/** The refusal of a pattern field with more than MAX_PATTERNS patterns, or undefined. */
export function patternLimitError(value: string): string | undefined {
  const count = patternTokens(value).length;
  return count > MAX_PATTERNS ? `pattern: at most ${MAX_PATTERNS} patterns on the page, got ${count} (the CLI takes any number)` : undefined;
}

/**
 * Builds the editor in `editor`, kept equal to the pattern field `input`; returns its redraw, for when
 * code sets the field (the URL, the original's button).
 */
export function buildPatternEditor(editor: HTMLElement, input: HTMLInputElement): () => void {
  const current = () => {
    const tokens = patternTokens(input.value);
    return tokens.length > 0 ? tokens : ORIGINAL_PATTERNS.map((p) => `${p.init}:${p.activation}`);
  };
  const write = (tokens: string[]) => {
    input.value = tokens.join(',');
    input.dispatchEvent(new Event('input', { bubbles: true }));
    render();
  };
  const select = (choices: readonly string[], value: string, label: string, onChange: (v: string) => void) => {
    const el = document.createElement('select');
    for (const c of choices) el.append(Object.assign(document.createElement('option'), { value: c, textContent: c }));
    el.value = choices.includes(value) ? value : choices[0];
    el.setAttribute('aria-label', label);
    el.addEventListener('change', (event) => {
      event.stopPropagation();
      onChange(el.value);
    });
    el.addEventListener('input', (event) => event.stopPropagation());
    return el;
  };
  const render = () => {
    // at most MAX_PATTERNS rows: a link asking for more is refused when it runs
    const tokens = current().slice(0, MAX_PATTERNS);
    editor.replaceChildren();
    tokens.forEach((token, i) => {
      const [init, activation, norm = ''] = token.split(':');
      // a pattern's own norm is its third part; '' leaves it to the norm field
      const tokenOf = (a: string, b: string, c: string) => (c === '' ? `${a}:${b}` : `${a}:${b}:${c}`);
      const replace = (next: string) => write(tokens.map((t, j) => (j === i ? next : t)));
      const row = Object.assign(document.createElement('div'), { className: 'pattern-row' });
      const name = String.fromCharCode(65 + i);
      row.append(Object.assign(document.createElement('span'), { textContent: `pattern ${name}`, className: 'pattern-name' }));
      row.append(select(INIT_NAMES, init, `pattern ${name} init`, (v) => replace(tokenOf(v, activation, norm))));
      row.append(select(ACTIVATION_NAMES, activation, `pattern ${name} activation`, (v) => replace(tokenOf(init, v, norm))));
      const normSelect = select(['', ...NORMS], norm, `pattern ${name} norm`, (v) => replace(tokenOf(init, activation, v)));
      normSelect.options[0].textContent = 'norm: as set';
      row.append(normSelect);
      const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: '×', disabled: tokens.length === 1 });
      remove.setAttribute('aria-label', `remove pattern ${name}`);
      remove.onclick = () => write(tokens.filter((_, j) => j !== i));
      row.append(remove);
      editor.append(row);
    });
    const add = Object.assign(document.createElement('button'), { type: 'button', textContent: 'add pattern', disabled: tokens.length >= MAX_PATTERNS, className: 'add-pattern' });
    add.onclick = () => write([...tokens, 'he:relu']);
    editor.append(add);
  };
  input.addEventListener('input', (event) => {
    if (event.isTrusted) render();
  });
  render();
  return render;
}

/** The pattern field's INIT:ACT tokens (commas or spaces between them). */
export const patternTokens = (value: string) => value.split(/[\s,]+/).filter((t) => t !== '');
