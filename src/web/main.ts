// The page: reads the config from the URL query, validates it with the CLI's own rules, runs the
// experiment in Web Workers on the same .wasm files, and draws the CLI's figures on the real DOM.
import { INIT_NAMES } from '../model/inits.js';
import { ACTIVATION_NAMES } from '../theory/activations.js';
import { ORIGINAL_PATTERNS } from '../model/patterns.js';
import { allOptionErrors, OptionError, PAGE_NAMING, parseRunOptions, type OptionTexts, type RunChoices } from '../options/parseOptions.js';
import { defaultText, OPTIONS, type OptionSpec } from '../model/optionTable.js';
import type { PatternResult } from '../metrics/results.js';
import type { KernelBuild } from '../kernel/kernelBuilds.js';
import type { ShardHandle } from '../experiment/shardProtocol.js';
import { figureSet } from '../figures/figureSet.js';
import { serializeSvg } from '../figures/serializeSvg.js';
import { histogramsCsv, layersCsv } from '../metrics/csv.js';
import { metricsJson } from '../metrics/metricsJson.js';
import { cliCommand } from '../options/cliCommand.js';
import { browserRun } from '../run/browserRun.js';
import { download, rasterizeInPage } from './rasterizeInPage.js';
import { recordsTable } from './recordsTable.js';

/** The options the page shows, in table order. */
const FIELDS = OPTIONS.filter((o) => 'page' in o) as readonly (OptionSpec & Required<Pick<OptionSpec, 'page' | 'label' | 'group'>>)[];
type Field = (typeof FIELDS)[number];
/** Small enough that an update (run and draw) takes about 0.2 s on 2 cores (npm run bench:page); "The original's config" switches to 8192 × 1024. */
const PAGE_SIZES: Record<string, string> = { batch: '256', width: '128' };
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
let openShards: ShardHandle[] = [];
let cancelled = false;

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
    if (f.page !== 'checkbox') {
      const error = Object.assign(document.createElement('span'), { className: 'error' });
      error.dataset.for = f.flag;
      label.append(error);
    }
    const fieldset = form.querySelector(`fieldset[data-group="${f.group}"]`)!;
    fieldset.insertBefore(label, fieldset.querySelector('ul'));
  }
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
    if (f.kind === 'patterns') texts[f.flag] = value.split(/[\s,]+/).filter((t) => t !== '');
    else if (f.flag === 'width' || f.flag === 'depth') {
      // --widths replaces width and depth
      if (field('widths').value.trim() === '') texts[f.flag] = value;
    } else texts[f.flag] = value;
  }
  return texts;
}

function writeQuery(autorun: boolean): void {
  const query = new URLSearchParams();
  for (const f of FIELDS) {
    if (f.page === 'checkbox') {
      if (checked(f)) query.set(queryName(f), '1');
    } else if (field(f).value !== '') query.set(queryName(f), field(f).value);
  }
  if (autorun) query.set('autorun', '1');
  history.replaceState(null, '', `?${query}`);
}

async function renderResults(choices: RunChoices, patterns: PatternResult[], build: KernelBuild): Promise<void> {
  const figures = $('figures');
  figures.replaceChildren();
  // the line charts carry the conclusion: show them before the histograms
  const logCounts = checked('log-counts');
  const jobs = figureSet(patterns, { logCounts }).sort((a, b) => Number(a.name.startsWith('hist_')) - Number(b.name.startsWith('hist_')));
  for (const job of jobs) {
    const card = document.createElement('div');
    card.className = 'figure';
    card.dataset.name = job.name;
    const svg = job.build({ document });
    const text = serializeSvg(svg);
    const buttons = document.createElement('div');
    buttons.className = 'downloads';
    const svgButton = Object.assign(document.createElement('button'), { type: 'button', textContent: `${job.name}.svg` });
    svgButton.onclick = () => download(`${job.name}.svg`, text, 'image/svg+xml');
    const pngButton = Object.assign(document.createElement('button'), { type: 'button', textContent: `${job.name}.png` });
    pngButton.onclick = async () => download(`${job.name}.png`, await rasterizeInPage(text));
    buttons.append(svgButton, pngButton);
    card.append(buttons, svg);
    figures.appendChild(card);
  }
  $('records').replaceChildren(recordsTable(patterns, document));
  const metrics = metricsJson(choices.config, patterns, build);
  $('metrics').textContent = metrics;
  $<HTMLButtonElement>('download-metrics').onclick = () => download('metrics.json', metrics, 'application/json');
  $<HTMLButtonElement>('download-layers').onclick = () => download('layers.csv', layersCsv(choices.config, patterns), 'text/csv');
  $<HTMLButtonElement>('download-histograms').onclick = () => download('histograms.csv', histogramsCsv(patterns), 'text/csv');
  const command = cliCommand({ ...readTexts(), ...(checked('log-counts') ? { 'log-counts': true } : {}) });
  $('cli-command').textContent = command;
  $<HTMLButtonElement>('copy-cli').onclick = () => void navigator.clipboard?.writeText(command);
  $('results').hidden = false;
}

/** The figures no longer match the controls (a change, a pending run, invalid input): dimmed and labelled. */
function markOutOfDate(outOfDate: boolean): void {
  $('results').classList.toggle('out-of-date', outOfDate);
  $('out-of-date').hidden = !outOfDate;
}

/** Each run has a number; a newer one cancels it, and a cancelled run neither renders nor sets the state. */
let generation = 0;

function cancelRun(): void {
  cancelled = true;
  for (const s of openShards) s.close();
  openShards = [];
}

async function run(): Promise<void> {
  const mine = ++generation;
  cancelRun();
  clearErrors();
  const texts = readTexts();
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
  writeQuery(false);
  markOutOfDate(true);
  setState('running');
  cancelled = false;
  const { config, threads } = choices;
  const progress = $<HTMLProgressElement>('progress'), progressText = $('progress-text');
  const total = config.patterns.length * config.depth;
  progress.value = 0;
  const started = performance.now();
  try {
    const { patterns, build } = await browserRun(choices, {
      onBuild: (build) => ($('build').textContent = `kernel ${build}, ${threads} worker${threads > 1 ? 's' : ''}`),
      onShards: (shards) => (openShards = shards),
      onProgress: (p) => {
        progress.value = (p.patternIndex * config.depth + p.layer) / total;
        progressText.textContent = `${p.pattern}: layer ${p.layer}/${p.depth}`;
      },
    });
    if (mine !== generation) return;
    await renderResults(choices, patterns, build);
    markOutOfDate(false);
    progressText.textContent = `Done in ${((performance.now() - started) / 1000).toFixed(2)} s (${config.batch} × ${config.width}, ${config.depth} layers).`;
    setState('done');
  } catch (error) {
    if (mine !== generation) return; // superseded by a newer run
    const message = cancelled ? 'Cancelled.' : `Run failed: ${error instanceof Error ? error.message : String(error)}`;
    progressText.textContent = cancelled ? 'Cancelled.' : 'Failed.';
    if (!cancelled) Object.assign($('error'), { textContent: message, hidden: false });
    setState(cancelled ? 'cancelled' : 'error');
  } finally {
    if (mine === generation) openShards = [];
  }
}

/** Live: a change re-runs after a short pause (typing does not start a run per key), cancelling the run in progress. */
let pending: ReturnType<typeof setTimeout> | undefined;
function scheduleRun(): void {
  markOutOfDate(true);
  clearTimeout(pending);
  pending = setTimeout(() => void run(), LIVE_DELAY_MS);
}
const LIVE_DELAY_MS = 150;

function init(): void {
  $('patterns').replaceChildren(
    Object.assign(document.createElement('li'), { textContent: `INIT ∈ ${INIT_NAMES.join(', ')}` }),
    Object.assign(document.createElement('li'), { textContent: `ACT ∈ ${ACTIVATION_NAMES.join(', ')}` }),
    Object.assign(document.createElement('li'), { textContent: `default: ${ORIGINAL_PATTERNS.map((p) => p.name).join(', ')}` }),
  );
  buildForm();
  const query = new URLSearchParams(location.search);
  for (const f of FIELDS) {
    const given = query.get(queryName(f)) ?? query.get(f.flag) ?? query.get(f.key);
    if (f.page === 'checkbox') (field(f) as HTMLInputElement).checked = given === '1' || given === 'true';
    else field(f).value = given ?? initialValue(f);
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  form.addEventListener('input', scheduleRun);
  form.addEventListener('change', scheduleRun);
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
    scheduleRun();
  });
  setState('idle');
  if (query.get('autorun') === '1') void run();
}

window.addEventListener('error', (event) => {
  Object.assign($('error'), { textContent: `Unexpected error: ${event.message}`, hidden: false });
  setState('error');
});
init();
