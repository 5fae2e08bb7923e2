// A lesson on the page: the lessons menu, and the current lesson's title, explanation, "try this" change and
// links to the lessons before and after it. ?lesson=ID opens one (main.ts applies its preset and runs it).
import { linkTerms } from './glossary.js';
import { LESSONS, type Lesson } from './lessons.js';

/** A lesson's link, keeping lecture mode when it is on. */
export const lessonHref = (id: string, lecture: boolean) => `?lesson=${id}${lecture ? '&lecture=1' : ''}`;

/** The menu: every lesson's title, the current one marked. */
export function renderLessonMenu(list: HTMLElement, current: string | undefined, lecture: boolean): void {
  list.replaceChildren(...LESSONS.map((l) => {
    const item = document.createElement('li');
    const link = Object.assign(document.createElement('a'), { href: lessonHref(l.id, lecture), textContent: l.title });
    if (l.id === current) link.setAttribute('aria-current', 'page');
    item.append(link);
    return item;
  }));
}

/**
 * The lesson's section: its title, its paragraphs (the element marked data-lesson-text, terms linked to the
 * glossary), a button that makes its "try this" change through `tryIt`, and the neighbouring lessons' links.
 */
export function renderLesson(section: HTMLElement, lesson: Lesson, lecture: boolean, tryIt: (set: Record<string, string>) => void): void {
  const index = LESSONS.indexOf(lesson);
  const text = document.createElement('div');
  text.dataset.lessonText = '';
  text.append(...lesson.paragraphs.map((p) => Object.assign(document.createElement('p'), { textContent: p })));
  linkTerms(text);
  const attempt = document.createElement('p');
  attempt.className = 'try-this';
  const button = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Try this' });
  button.addEventListener('click', () => tryIt(lesson.tryThis.set));
  attempt.append(button, ` ${lesson.tryThis.text}`);
  const neighbours = document.createElement('nav');
  neighbours.className = 'lesson-steps';
  neighbours.setAttribute('aria-label', 'Lessons before and after');
  const step = (other: Lesson | undefined, label: string) => other && Object.assign(document.createElement('a'), { href: lessonHref(other.id, lecture), textContent: `${label}: ${other.title}` });
  neighbours.append(...[step(LESSONS[index - 1], 'Before'), step(LESSONS[index + 1], 'Next')].filter((a): a is HTMLAnchorElement => a !== undefined));
  section.replaceChildren(Object.assign(document.createElement('h2'), { textContent: `Lesson ${index + 1} of ${LESSONS.length}: ${lesson.title}` }), text, attempt, neighbours);
  section.hidden = false;
}
