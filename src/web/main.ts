// The page: reads the config from the URL query, validates it with the CLI's own rules, runs the
// experiment in Web Workers on the same .wasm files, and draws the CLI's figures on the real DOM.
import { copyButton } from './copyButton.js';
import { followWidth } from './followWidth.js';
import { INIT_NAMES } from '../model/inits.js';
import { ACTIVATION_NAMES } from '../theory/activations.js';
import { ORIGINAL_PATTERNS } from '../model/patterns.js';
import { OptionError, PAGE_NAMING, type OptionTexts, type RunChoices } from '../options/parseOptions.js';
import { allOptionErrors, parseRunChoices } from '../run/runChoices.js';
import type { PatternResult } from '../metrics/results.js';
import type { KernelBuild } from '../model/kernelBuilds.js';
import { histogramsCsv, layersCsv } from '../metrics/csv.js';
import { metricsJson } from '../metrics/metricsJson.js';
import { cliCommand } from '../options/cliCommand.js';
import { download } from './rasterizeInPage.js';
import { drawFigures, initTabs, markOutOfDate, redrawDepth, showComparison, showResults } from './figurePanels.js';
import { cancelRun, execute, setRunState, supersede } from './runController.js';
import { recordsTable } from './recordsTable.js';
import { initPhaseView, redrawPhase, updatePhasePatterns } from './phaseView.js';
import { buildForm, FIELDS, followers, syncControls, type Field } from './formControls.js';
import { buildPatternEditor, patternLimitError, patternTokens } from './patternEditor.js';
import { autorun, readQuery, writeQuery } from './urlState.js';

import { FULL_SIZE, PAGE_SIZES } from './liveSize.js';
import { LESSONS, lessonById, type Lesson } from './lessons.js';

const LESSON_IDS = LESSONS.map((l) => l.id).join(', ');
import { renderLesson, renderLessonMenu } from './lessonView.js';
import { initTermTips, renderGlossary } from './glossary.js';
import { hideControls, modeParams, readModes, setLecture } from './pageModes.js';
import { COMPARABLE, runComparison } from './compareRun.js';

/** The link's lesson, hidden controls and lecture mode; a link the page writes keeps them. */
const modes = readModes(location.search);
const lesson: Lesson | undefined = lessonById(modes.lesson ?? null);
const threadsDefault = navigator.hardwareConcurrency || 2;
/** A control at the CLI's default: text fields empty (which means the table's default), threads the cores. */
const defaultValue = (f: Field): string => (f.flag === 'threads' ? String(threadsDefault) : f.page === 'text' || f.page === 'checkbox' ? '' : String(f.default));
/** The field's value before the URL or the user sets it: the live size, else the default. */
const initialValue = (f: Field): string => lesson?.preset[f.flag] ?? PAGE_SIZES[f.flag] ?? defaultValue(f);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('config');
const field = (f: Field | string) => form.elements.namedItem(typeof f === 'string' ? f : f.flag) as HTMLInputElement | HTMLSelectElement;
const checked = (f: Field | string) => (field(f) as HTMLInputElement).checked;
function showFieldError(name: string, message: string): void {
  const target = form.querySelector<HTMLElement>(`.error[data-for="${name}"]`) ?? form.querySelector<HTMLElement>('.error[data-for="batch"]')!;
  target.textContent = message;
  (form.elements.namedItem(name) as HTMLElement | null)?.setAttribute('aria-invalid', 'true');
}

function clearErrors(): void {
  form.querySelectorAll<HTMLElement>('.error').forEach((e) => (e.textContent = ''));
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  $('error').hidden = true;
}

function readTexts(): OptionTexts {
  const texts: Record<string, string | string[] | boolean> = {};
  for (const f of FIELDS) {
    if (f.scope === 'figures') continue;
    if (f.page === 'checkbox') {
      if (checked(f)) texts[f.flag] = true;
      continue;
    }
    const value = field(f).value;
    if (f.page === 'text' && value.trim() === '') continue;
    if (f.kind === 'patterns') texts[f.flag] = patternTokens(value);
    else if (f.flag === 'width' || f.flag === 'depth') {
      // --widths replaces width and depth
      if (field('widths').value.trim() === '') texts[f.flag] = value;
    } else texts[f.flag] = value;
  }
  return texts;
}


async function renderResults(choices: RunChoices, patterns: PatternResult[], build: KernelBuild): Promise<void> {
  showResults(patterns, { logCounts: checked('log-counts') });
  void compareWith(choices.threads);
  $('records').replaceChildren(recordsTable(patterns, document));
  const metrics = metricsJson(choices.config, patterns, build);
  $('metrics').textContent = metrics;
  $<HTMLButtonElement>('download-metrics').onclick = () => download('metrics.json', metrics, 'application/json');
  $<HTMLButtonElement>('download-layers').onclick = () => download('layers.csv', layersCsv(choices.config, patterns), 'text/csv');
  $<HTMLButtonElement>('download-histograms').onclick = () => download('histograms.csv', histogramsCsv(patterns), 'text/csv');
  const command = cliCommand({ ...readTexts(), ...(checked('log-counts') ? { 'log-counts': true } : {}) });
  $('cli-command').textContent = command;
  updatePhasePatterns(readTexts(), threadsDefault);
  redrawPhase(readTexts(), threadsDefault);
  copyButton($<HTMLButtonElement>('copy-cli'), $('copy-cli-status'), () => command);
}

/** The header names the patterns set (the page's HTML names the original's until then). */
const showPatternNames = (choices: RunChoices) => ($('header-patterns').textContent = choices.config.patterns.map((p) => p.name).join(', '));

async function run(): Promise<void> {
  const mine = supersede();
  clearErrors();
  const texts = readTexts();
  // the editor shows MAX_PATTERNS rows; a link asking for more is refused at the field, not run
  const tooMany = patternLimitError(field('pattern').value);
  if (tooMany) {
    showFieldError('pattern', tooMany);
    markOutOfDate(true);
    setRunState('invalid');
    return;
  }
  let choices: RunChoices;
  try {
    choices = parseRunChoices(texts, threadsDefault, PAGE_NAMING);
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    // every invalid field at once, next to the field
    for (const e of allOptionErrors(texts, threadsDefault, PAGE_NAMING)) showFieldError(e.option, e.message);
    markOutOfDate(true);
    setRunState('invalid');
    return;
  }
  // the URL is written once the run has started: Chromium spends ~8 ms on a replaceState, which the
  // main thread has to spare while the workers compute
  const query = modeParams(modes);
  setTimeout(() => writeQuery(FIELDS, field, query));
  showPatternNames(choices);
  await execute(mine, choices, (patterns, build) => renderResults(choices, patterns, build));
}

/**
 * Live: a change re-runs, cancelling the run in progress. Typed text waits for a pause (no run per
 * key); a slider, a select, a checkbox or the pattern editor runs at once.
 */
let pending: ReturnType<typeof setTimeout> | undefined;
function scheduleRun(event?: Event): void {
  clearTimeout(pending);
  const target = event?.target;
  const typed = event?.isTrusted === true && target instanceof HTMLInputElement && (target.type === 'text' || target.type === 'number');
  // typing marks the figures at once (the run waits for a pause); any other change runs now, and its run marks them if it lasts
  if (typed) markOutOfDate(true);
  pending = setTimeout(() => void run(), typed ? TYPING_PAUSE_MS : 0);
}
const TYPING_PAUSE_MS = 150;

function init(): void {
  $('patterns').replaceChildren(
    Object.assign(document.createElement('li'), { textContent: `INIT ∈ ${INIT_NAMES.join(', ')}` }),
    Object.assign(document.createElement('li'), { textContent: `ACT ∈ ${ACTIVATION_NAMES.join(', ')}` }),
    Object.assign(document.createElement('li'), { textContent: `default: ${ORIGINAL_PATTERNS.map((p) => p.name).join(', ')}` }),
  );
  buildForm(form);
  initTabs();
  const query = readQuery(FIELDS, location.search);
  for (const f of FIELDS) {
    const given = query.get(f);
    if (f.page === 'checkbox') (field(f) as HTMLInputElement).checked = (given ?? lesson?.preset[f.flag]) === '1' || given === 'true';
    else field(f).value = given ?? initialValue(f);
  }
  followers.push(buildPatternEditor($('pattern-editor'), field('pattern') as HTMLInputElement));
  syncControls();
  const fullSize = $<HTMLInputElement>('full-size');
  fullSize.checked = field('batch').value === FULL_SIZE.batch && field('width').value === FULL_SIZE.width;
  fullSize.addEventListener('change', (event) => {
    event.stopPropagation();
    for (const [flag, value] of Object.entries(FULL_SIZE)) field(flag).value = fullSize.checked ? value : PAGE_SIZES[flag];
    syncControls();
    scheduleRun();
  });
  $<HTMLInputElement>('layer').addEventListener('input', redrawDepth);
  $<HTMLInputElement>('depth-normalized').addEventListener('change', (event) => (event.stopPropagation(), redrawDepth()));
  initPhaseView(readTexts, threadsDefault, (gain, biasStd) => {
    field('gain').value = String(gain);
    field('bias-std').value = String(biasStd);
    syncControls();
    scheduleRun();
  });
  // each chart is drawn at its card's width: a new width draws them again
  followWidth($('results'), () => (drawFigures(), redrawPhase(readTexts(), threadsDefault)));
  // on a phone the controls start folded, so the first screen shows the figures
  if (window.innerWidth < 600) ($('controls') as HTMLDetailsElement).open = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  form.addEventListener('input', scheduleRun);
  // typed text has run on its input events already; its change (on leaving the field) would run it again
  form.addEventListener('change', (event) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement && (target.type === 'text' || target.type === 'number'))) scheduleRun(event);
  });
  $('cancel').addEventListener('click', () => {
    clearTimeout(pending);
    cancelRun();
  });
  /** Every option at its default but those `values` gives (by flag), then a run. */
  const preset = (values: Record<string, string>) => {
    for (const f of FIELDS) {
      if (f.page === 'checkbox') (field(f) as HTMLInputElement).checked = values[f.flag] === '1';
      else field(f).value = values[f.flag] ?? defaultValue(f);
    }
    fullSize.checked = field('batch').value === FULL_SIZE.batch && field('width').value === FULL_SIZE.width;
    syncControls();
    scheduleRun();
  };
  // exactly the original: its size and three patterns, every other option at its default
  $('original').addEventListener('click', () => preset(FULL_SIZE));
  $('preset-transformer').addEventListener('click', () => {
    preset({ ...PAGE_SIZES, ...lessonById('rank-collapse')!.preset });
    $('tab-transformer').click();
  });
  initLessons();
  initCompare();
  copyButton($<HTMLButtonElement>('copy-link'), $('copy-link-status'), () => (writeQuery(FIELDS, field, modeParams(modes)), location.href));
  setRunState('idle');
  // a bare visit and every link run at once (the live size unless the link says otherwise): figures with no click
  if (autorun(location.search)) void run();
  else if (!patternLimitError(field('pattern').value)) {
    try {
      showPatternNames(parseRunChoices(readTexts(), threadsDefault, PAGE_NAMING));
    } catch {
      // an invalid link is marked when it runs
    }
  }
}

/** The compare view's second run, when the link or the compare form asks for one; a refusal shows in its panel. */
async function compareWith(threads: number): Promise<void> {
  const note = $('compare-error');
  note.textContent = '';
  if (!modes.compare) return showComparison(undefined, ['', '']);
  const refused = await runComparison(readTexts(), modes.compare, threads);
  if (refused) note.textContent = refused;
}

function initCompare(): void {
  const flag = $<HTMLSelectElement>('compare-flag'), value = $<HTMLInputElement>('compare-value');
  flag.replaceChildren(...COMPARABLE.map((f) => Object.assign(document.createElement('option'), { value: f.flag, textContent: f.flag })));
  if (modes.compare) [flag.value, value.value] = [modes.compare.flag, modes.compare.value];
  // a compare link opens on its view, unless it is a lesson's
  if (modes.compare && !lesson) $('tab-compare').click();
  $('compare-form').addEventListener('submit', (event) => {
    event.preventDefault();
    modes.compare = value.value.trim() === '' ? undefined : { flag: flag.value, value: value.value.trim() };
    writeQuery(FIELDS, field, modeParams(modes));
    void compareWith(threadsDefault);
  });
  // its own form: its inputs do not re-run the configuration
  for (const type of ['input', 'change']) $('compare-form').addEventListener(type, (event) => event.stopPropagation());
}

/** The lessons menu, the link's lesson (its text, its tab, "try this"), the glossary, hidden controls and lecture mode. */
function initLessons(): void {
  renderLessonMenu($('lesson-list'), lesson?.id, modes.lecture);
  renderGlossary($('glossary-list'));
  initTermTips($('term-tip'));
  if (lesson) {
    // the lesson's change: the fields it sets on top of the current ones
    renderLesson($('lesson'), lesson, modes.lecture, (set) => {
      for (const [flag, value] of Object.entries(set)) field(flag).value = value;
      syncControls();
      scheduleRun();
    });
    document.body.dataset.lesson = lesson.id;
    $(lesson.tab).click();
  } else if (modes.lesson) Object.assign($('error'), { textContent: `lesson: "${modes.lesson}" is not a lesson (one of ${LESSON_IDS})`, hidden: false });
  const refused = hideControls(form, modes.hide);
  if (refused) Object.assign($('error'), { textContent: refused, hidden: false });
  const lecture = $<HTMLInputElement>('lecture');
  lecture.checked = modes.lecture;
  setLecture(modes.lecture);
  lecture.addEventListener('change', (event) => {
    event.stopPropagation();
    modes.lecture = lecture.checked;
    setLecture(lecture.checked);
    writeQuery(FIELDS, field, modeParams(modes));
    renderLessonMenu($('lesson-list'), lesson?.id, modes.lecture);
  });
}

window.addEventListener('error', (event) => {
  Object.assign($('error'), { textContent: `Unexpected error: ${event.message}`, hidden: false });
  setRunState('error');
});
init();
