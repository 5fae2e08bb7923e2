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
import { drawFigures, initTabs, markOutOfDate, redrawDepth, showResults } from './figurePanels.js';
import { cancelRun, execute, setRunState, supersede } from './runController.js';
import { recordsTable } from './recordsTable.js';
import { initPhaseView, redrawPhase, updatePhasePatterns } from './phaseView.js';
import { buildForm, FIELDS, followers, syncControls, type Field } from './formControls.js';
import { buildPatternEditor, patternLimitError, patternTokens } from './patternEditor.js';
import { autorun, readQuery, writeQuery } from './urlState.js';

/** Small enough that an update (run and draw) takes a few hundred ms on 2 cores (npm run bench:page, README), with every
 * layer histogrammed for the depth view; "full size" and "The original's config" switch to 8192 × 1024. */
const PAGE_SIZES: Record<string, string> = { batch: '256', width: '128', 'hist-layers': 'all' };
const FULL_SIZE: Record<string, string> = { batch: '8192', width: '1024' };
/**
 * The transformer at the live size: 32 sequences of 16 tokens, 24 pre-LN transformer blocks of 4 heads with a
 * skip of strength 1, so the Transformer tab shows the tokens collapsing (token_corr near 0.95 by block 24).
 */
const TRANSFORMER_PRESET: Record<string, string> = { pattern: 'he:relu', block: 'transformer', 'seq-len': '16', heads: '4', batch: '512', width: '64', depth: '24', residual: '1', norm: 'layer' };
const threadsDefault = navigator.hardwareConcurrency || 2;
/** A control at the CLI's default: text fields empty (which means the table's default), threads the cores. */
const defaultValue = (f: Field): string => (f.flag === 'threads' ? String(threadsDefault) : f.page === 'text' || f.page === 'checkbox' ? '' : String(f.default));
/** The field's value before the URL or the user sets it: the live size, else the default. */
const initialValue = (f: Field): string => PAGE_SIZES[f.flag] ?? defaultValue(f);

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
  writeQuery(FIELDS, field);
  showPatternNames(choices);
  await execute(mine, choices, (patterns, build) => renderResults(choices, patterns, build));
}

/**
 * Live: a change re-runs, cancelling the run in progress. Typed text waits for a pause (no run per
 * key); a slider, a select, a checkbox or the pattern editor runs at once.
 */
let pending: ReturnType<typeof setTimeout> | undefined;
function scheduleRun(event?: Event): void {
  markOutOfDate(true);
  clearTimeout(pending);
  const target = event?.target;
  const typed = event?.isTrusted === true && target instanceof HTMLInputElement && (target.type === 'text' || target.type === 'number');
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
    if (f.page === 'checkbox') (field(f) as HTMLInputElement).checked = given === '1' || given === 'true';
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
    preset({ ...TRANSFORMER_PRESET, 'hist-layers': PAGE_SIZES['hist-layers'] });
    $('tab-transformer').click();
  });
  copyButton($<HTMLButtonElement>('copy-link'), $('copy-link-status'), () => (writeQuery(FIELDS, field), location.href));
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

window.addEventListener('error', (event) => {
  Object.assign($('error'), { textContent: `Unexpected error: ${event.message}`, hidden: false });
  setRunState('error');
});
init();
