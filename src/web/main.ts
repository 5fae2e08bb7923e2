// The page: reads the config from the URL query, validates it with the CLI's own rules, runs the
// experiment in Web Workers on the same .wasm files, and draws the CLI's figures on the real DOM.
import { copyButton } from './copyButton.js';
import { followWidth } from './followWidth.js';
import { INIT_NAMES } from '../model/inits.js';
import { ACTIVATION_NAMES } from '../theory/activations.js';
import { NORMS } from '../theory/residualStream.js';
import { ORIGINAL_PATTERNS } from '../model/patterns.js';
import { allOptionErrors, OptionError, PAGE_NAMING, parseRunOptions, type OptionTexts, type RunChoices } from '../options/parseOptions.js';
import { defaultText, OPTIONS, type OptionSpec } from '../model/optionTable.js';
import type { PatternResult } from '../metrics/results.js';
import type { KernelBuild } from '../kernel/kernelBuilds.js';
import { histogramsCsv, layersCsv } from '../metrics/csv.js';
import { metricsJson } from '../metrics/metricsJson.js';
import { cliCommand } from '../options/cliCommand.js';
import { browserRun } from '../run/browserRun.js';
import { download } from './rasterizeInPage.js';
import { drawFigures, drawGrowing, initTabs, markOutOfDate, redrawDepth, showResults } from './figurePanels.js';
import { recordsTable } from './recordsTable.js';
import { initPhaseView, redrawPhase, updatePhasePatterns } from './phaseView.js';

/** The options the page shows, in table order. */
const FIELDS = OPTIONS.filter((o) => 'page' in o) as readonly (OptionSpec & Required<Pick<OptionSpec, 'page' | 'label' | 'group'>>)[];
type Field = (typeof FIELDS)[number];
/** Small enough that an update (run and draw) takes a few hundred ms on 2 cores (npm run bench:page, README), with every
 * layer histogrammed for the depth view; "full size" and "The original's config" switch to 8192 × 1024. */
const PAGE_SIZES: Record<string, string> = { batch: '256', width: '128', 'hist-layers': 'all' };
const FULL_SIZE: Record<string, string> = { batch: '8192', width: '1024' };
/** At most this many patterns in the editor (each is a run of its own). */
const MAX_PATTERNS = 6;
const threadsDefault = navigator.hardwareConcurrency || 2;
/** A control at the CLI's default: text fields empty (which means the table's default), threads the cores. */
const defaultValue = (f: Field): string => (f.flag === 'threads' ? String(threadsDefault) : f.page === 'text' || f.page === 'checkbox' ? '' : String(f.default));
/** The field's value before the URL or the user sets it: the live size, else the default. */
const initialValue = (f: Field): string => PAGE_SIZES[f.flag] ?? defaultValue(f);
const queryName = (f: Field) => f.query ?? f.flag;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('config');
const field = (f: Field | string) => form.elements.namedItem(typeof f === 'string' ? f : f.flag) as HTMLInputElement | HTMLSelectElement;
const checked = (f: Field | string) => (field(f) as HTMLInputElement).checked;
/** The run in progress, if any: aborting it closes its workers wherever it is (compiling, starting, computing). */
let current: AbortController | undefined;

function setState(state: 'idle' | 'running' | 'done' | 'error' | 'invalid' | 'cancelled'): void {
  document.body.dataset.state = state;
  $<HTMLButtonElement>('run').disabled = state === 'running';
  $<HTMLButtonElement>('cancel').disabled = state !== 'running';
}

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

/** One label per field, made from its table entry, in its fieldset. */
function buildForm(): void {
  for (const f of FIELDS) {
    const label = document.createElement('label');
    label.append(`${f.label} `);
    let control: HTMLInputElement | HTMLSelectElement;
    if (f.page === 'select') {
      control = document.createElement('select');
      for (const choice of f.choices!) control.append(Object.assign(document.createElement('option'), { value: choice, textContent: choice }));
    } else {
      control = Object.assign(document.createElement('input'), { type: f.page === 'checkbox' ? 'checkbox' : 'text' });
      if (f.page === 'number') control.inputMode = 'numeric';
      if (f.page === 'text') control.placeholder = defaultText(f);
    }
    control.name = f.flag;
    label.append(control);
    if (f.slider) label.append(sliderFor(f, control as HTMLInputElement));
    if (f.page !== 'checkbox') {
      const error = Object.assign(document.createElement('span'), { className: 'error' });
      error.dataset.for = f.flag;
      label.append(error);
    }
    const fieldset = form.querySelector(`fieldset[data-group="${f.group}"]`)!;
    fieldset.insertBefore(label, fieldset.querySelector('ul'));
  }
}

/** A range input beside a field, two-way: moving it types the value into the field; typing moves it. */
function sliderFor(f: Field, input: HTMLInputElement): HTMLInputElement {
  const spec = f.slider!;
  const slider = Object.assign(document.createElement('input'), { type: 'range', min: String(spec.min), max: String(spec.max), step: String(spec.powersOfTwo ? 1 : spec.step ?? 1) });
  slider.className = 'slider';
  slider.setAttribute('aria-label', `${f.flag} slider`);
  const toValue = (position: number) => (spec.powersOfTwo ? String(2 ** position) : String(position));
  const toPosition = (text: string): number | undefined => {
    const v = Number(text.trim() === '' ? (f.default ?? NaN) : text);
    if (!Number.isFinite(v) || v <= 0 && spec.powersOfTwo) return undefined;
    return spec.powersOfTwo ? Math.round(Math.log2(v)) : v;
  };
  slider.addEventListener('input', (event) => {
    event.stopPropagation();
    input.value = toValue(Number(slider.value));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  slider.addEventListener('change', (event) => event.stopPropagation());
  const follow = () => {
    const position = toPosition(input.value);
    if (position !== undefined) slider.value = String(position);
  };
  input.addEventListener('input', follow);
  followers.push(follow);
  return slider;
}
/** What re-reads each field after the code sets its value (the URL, the original's button, full size). */
const followers: (() => void)[] = [];
const syncControls = () => followers.forEach((f) => f());

/** The pattern editor: one row of init, activation and norm selects per pattern, kept equal to the pattern field. */
function buildPatternEditor(): void {
  const editor = $('pattern-editor'), input = field('pattern') as HTMLInputElement;
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
  followers.push(render);
  render();
}

/** The pattern field's INIT:ACT tokens (commas or spaces between them). */
const patternTokens = (value: string) => value.split(/[\s,]+/).filter((t) => t !== '');

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

function writeQuery(): void {
  const query = new URLSearchParams();
  for (const f of FIELDS) {
    if (f.page === 'checkbox') {
      if (checked(f)) query.set(queryName(f), '1');
    } else if (field(f).value !== '') query.set(queryName(f), field(f).value);
  }
  // a link runs when opened (autorun=0 opts out), so the page writes none: a shared link shows figures
  history.replaceState(null, '', `?${query}`);
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
  $('header-patterns').textContent = choices.config.patterns.map((p) => p.name).join(', ');
}

/** Each run has a number; a newer one cancels it, and a cancelled run neither renders nor sets the state. */
let generation = 0;

function cancelRun(): void {
  current?.abort();
  current = undefined;
}

async function run(): Promise<void> {
  const mine = ++generation;
  cancelRun();
  clearErrors();
  const texts = readTexts();
  // the editor shows MAX_PATTERNS rows; a link asking for more is refused at the field, not run
  const patternCount = patternTokens(field('pattern').value).length;
  if (patternCount > MAX_PATTERNS) {
    showFieldError('pattern', `pattern: at most ${MAX_PATTERNS} patterns on the page, got ${patternCount} (the CLI takes any number)`);
    markOutOfDate(true);
    setState('invalid');
    return;
  }
  let choices: RunChoices;
  try {
    choices = parseRunOptions(texts, threadsDefault, PAGE_NAMING);
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    // every invalid field at once, next to the field
    for (const e of allOptionErrors(texts, threadsDefault, PAGE_NAMING)) showFieldError(e.option, e.message);
    markOutOfDate(true);
    setState('invalid');
    return;
  }
  writeQuery();
  markOutOfDate(true);
  setState('running');
  const controller = (current = new AbortController());
  const { config, threads } = choices;
  const progress = $<HTMLProgressElement>('progress'), progressText = $('progress-text');
  const seeds = config.seeds ?? 1, total = seeds * config.patterns.length * config.depth;
  progress.value = 0;
  const started = performance.now();
  // the line charts grow as records arrive (the first seed's), redrawn at most every GROW_EVERY_MS
  const growing: PatternResult[] = [];
  let growTimer: ReturnType<typeof setTimeout> | undefined, grownAt = 0;
  const grow = () => {
    growTimer = undefined;
    grownAt = performance.now();
    if (current === controller) drawGrowing(growing.filter(Boolean), config.depth);
  };
  try {
    const { patterns, build } = await browserRun(choices, {
      onBuild: (build) => ($('build').textContent = `kernel ${build}, ${threads} worker${threads > 1 ? 's' : ''}`),
      signal: controller.signal,
      onProgress: (p) => {
        progress.value = (p.seedIndex * config.patterns.length * config.depth + p.patternIndex * config.depth + p.layer) / total;
        progressText.textContent = `${p.pattern}: layer ${p.layer}/${p.depth}${seeds > 1 ? `, seed ${p.seedIndex + 1} of ${seeds}` : ''}`;
        if (p.seedIndex !== 0) return;
        const pattern = config.patterns[p.patternIndex];
        (growing[p.patternIndex] ??= { name: pattern.name, init: pattern.init, activation: pattern.activation, overflow_layer: null, underflow_layer: null, layers: [], histograms: [] }).layers.push(p.record);
        growTimer ??= setTimeout(grow, Math.max(0, grownAt + GROW_EVERY_MS - performance.now()));
      },
    });
    clearTimeout(growTimer);
    if (mine !== generation) return;
    await renderResults(choices, patterns, build);
    markOutOfDate(false);
    progressText.textContent = `Done in ${((performance.now() - started) / 1000).toFixed(2)} s (${config.batch} × ${config.width}, ${config.depth} layers).`;
    setState('done');
  } catch (error) {
    clearTimeout(growTimer);
    $('figures').classList.remove('growing');
    if (mine !== generation) return; // superseded by a newer run
    const cancelled = controller.signal.aborted;
    progressText.textContent = cancelled ? 'Cancelled.' : 'Failed.';
    if (!cancelled) Object.assign($('error'), { textContent: `Run failed: ${error instanceof Error ? error.message : String(error)}`, hidden: false });
    setState(cancelled ? 'cancelled' : 'error');
  } finally {
    if (current === controller) current = undefined;
  }
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
const GROW_EVERY_MS = 100;

function init(): void {
  $('patterns').replaceChildren(
    Object.assign(document.createElement('li'), { textContent: `INIT ∈ ${INIT_NAMES.join(', ')}` }),
    Object.assign(document.createElement('li'), { textContent: `ACT ∈ ${ACTIVATION_NAMES.join(', ')}` }),
    Object.assign(document.createElement('li'), { textContent: `default: ${ORIGINAL_PATTERNS.map((p) => p.name).join(', ')}` }),
  );
  buildForm();
  initTabs();
  const query = new URLSearchParams(location.search);
  for (const f of FIELDS) {
    const given = query.get(queryName(f)) ?? query.get(f.flag) ?? query.get(f.key);
    if (f.page === 'checkbox') (field(f) as HTMLInputElement).checked = given === '1' || given === 'true';
    else field(f).value = given ?? initialValue(f);
  }
  buildPatternEditor();
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
  // exactly the original: its size and three patterns, every other option at its default
  $('original').addEventListener('click', () => {
    for (const f of FIELDS) {
      if (f.page === 'checkbox') (field(f) as HTMLInputElement).checked = false;
      else field(f).value = defaultValue(f);
    }
    fullSize.checked = true;
    syncControls();
    scheduleRun();
  });
  copyButton($<HTMLButtonElement>('copy-link'), $('copy-link-status'), () => (writeQuery(), location.href));
  setState('idle');
  // a bare visit and every link run at once (the live size unless the link says otherwise): figures with no click
  if (query.get('autorun') !== '0') void run();
}

window.addEventListener('error', (event) => {
  Object.assign($('error'), { textContent: `Unexpected error: ${event.message}`, hidden: false });
  setState('error');
});
init();
