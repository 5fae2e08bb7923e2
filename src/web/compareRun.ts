// The compare view's second run: the current configuration with one control set to another value
// (?compare=FLAG:VALUE, e.g. compare=pattern:he:relu or compare=residual:0.2), run after the first and drawn beside
// it on shared axes (figurePanels.ts). A bad flag or value is refused in one line naming it, and nothing runs.
import { OptionError, PAGE_NAMING, type OptionTexts } from '../options/parseOptions.js';
import { parseRunChoices } from '../run/runChoices.js';
import { browserRun } from '../run/browserRun.js';
import { FIELDS } from './formControls.js';
import { patternTokens } from './patternEditor.js';
import { showComparison } from './figurePanels.js';

export interface Comparison {
  flag: string;
  value: string;
}

/** FLAG:VALUE (the value may hold colons: pattern:he:relu), or undefined. */
export function parseComparison(text: string | null): Comparison | undefined {
  const at = text?.indexOf(':') ?? -1;
  return text && at > 0 ? { flag: text.slice(0, at), value: text.slice(at + 1) } : undefined;
}

/** The controls a comparison may change: every run field but the run's own settings (threads, kernel). */
export const COMPARABLE = FIELDS.filter((f) => f.scope === 'experiment');

let latest = 0;
/**
 * Runs `texts` with the comparison's change and shows it beside the first run; returns the refusal line for a bad
 * comparison (and shows none). A newer call makes an older one's result be dropped.
 */
export async function runComparison(texts: OptionTexts, comparison: Comparison, threads: number): Promise<string | undefined> {
  const mine = ++latest, field = COMPARABLE.find((f) => f.flag === comparison.flag);
  if (!field) return `compare: "${comparison.flag}" is not a control to compare (one of ${COMPARABLE.map((f) => f.flag).join(', ')})`;
  const changed: Record<string, OptionTexts[string]> = { ...texts, [field.flag]: field.kind === 'patterns' ? patternTokens(comparison.value) : field.page === 'checkbox' ? comparison.value === '1' : comparison.value };
  let choices;
  try {
    choices = parseRunChoices(changed, threads, PAGE_NAMING);
  } catch (error) {
    if (error instanceof OptionError) return `compare: ${error.message}`;
    throw error;
  }
  const before = texts[field.flag], shown = (v: OptionTexts[string]) => (v === undefined ? 'default' : Array.isArray(v) ? v.join(',') : String(v));
  const { patterns } = await browserRun(choices);
  if (mine === latest) showComparison(patterns, [`A (${field.flag} ${shown(before)})`, `B (${field.flag} ${comparison.value})`]);
  return undefined;
}
