// What a link says about the page beside the run's fields: the lesson it opens (?lesson=ID), the controls a
// teacher hides (?hide=NAME,NAME, by the option table's names) and lecture mode (?lecture=1). A link the page
// writes keeps them.
import { setLectureScale } from './figurePanels.js';
import { FIELDS } from './formControls.js';
import { parseComparison, type Comparison } from './compareRun.js';

export interface PageModes {
  lesson?: string;
  hide: string[];
  lecture: boolean;
  /** ?compare=FLAG:VALUE: a second run with that control changed, beside the first (compareRun.ts). */
  compare?: Comparison;
}

export function readModes(search: string): PageModes {
  const query = new URLSearchParams(search);
  const hide = (query.get('hide') ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
  return { lesson: query.get('lesson') ?? undefined, hide, lecture: query.get('lecture') === '1', compare: parseComparison(query.get('compare')) };
}

/** The query parameters that carry `modes`, in the order a link shows them. */
export function modeParams(modes: PageModes): [string, string][] {
  return [...(modes.lesson ? [['lesson', modes.lesson]] : []), ...(modes.hide.length ? [['hide', modes.hide.join(',')]] : []), ...(modes.lecture ? [['lecture', '1']] : []), ...(modes.compare ? [['compare', `${modes.compare.flag}:${modes.compare.value}`]] : [])] as [string, string][];
}

/**
 * Hides the controls named (a field's flag, e.g. depth, gain, pattern; the pattern editor with pattern);
 * returns a line naming the names that are none, with the names allowed, or undefined.
 */
export function hideControls(form: HTMLFormElement, names: readonly string[]): string | undefined {
  const unknown = names.filter((n) => !FIELDS.some((f) => f.flag === n));
  for (const name of names) {
    const control = form.elements.namedItem(name) as HTMLElement | null;
    const label = control?.closest('label');
    if (label) label.hidden = true;
    if (name === 'pattern') (document.getElementById('pattern-editor') as HTMLElement).hidden = true;
  }
  return unknown.length ? `hide: ${unknown.map((n) => `"${n}"`).join(', ')} ${unknown.length > 1 ? 'are not controls' : 'is not a control'} (one of ${FIELDS.map((f) => f.flag).join(', ')})` : undefined;
}

/** Lecture mode: one column, the controls folded, each chart drawn smaller and shown at its card's width, so its smallest text (11 px) renders at 15 px. */
export const LECTURE_SCALE = 1.36;
export function setLecture(on: boolean): void {
  document.body.classList.toggle('lecture', on);
  setLectureScale(on ? LECTURE_SCALE : 1);
  if (on) (document.getElementById('controls') as HTMLDetailsElement).open = false;
}
