// The page: reads the config from the URL query, validates it with the CLI's own rules, runs the
// experiment in Web Workers on the same .wasm files, and draws the CLI's figures on the real DOM.
import { finiteWidthPremise } from '../model/config.js';
import { INIT_NAMES } from '../model/inits.js';
import { ACTIVATION_NAMES, ORIGINAL_PATTERNS } from '../model/patterns.js';
import { OptionError, parseRunOptions, type OptionTexts, type RunChoices } from '../options/optionSpecs.js';
import type { PatternResult } from '../metrics/results.js';
import { runExperiment } from '../experiment/runExperiment.js';
import type { ShardHandle } from '../experiment/shardProtocol.js';
import { figureSet } from '../figures/figureSet.js';
import { serializeSvg } from '../figures/serializeSvg.js';
import { KERNEL_BUILDS, resolveKernelBuild, runtimeHasRelaxedSimd } from '../kernel/kernelBuilds.js';
import { metricsJson } from '../metrics/metricsJson.js';
import { browserWorkerShards } from '../shards/browserWorkerShards.js';
import { download, rasterizeInPage } from './rasterizeInPage.js';
import { recordsTable } from './recordsTable.js';

const FIELDS = ['batch', 'width', 'depth', 'seed', 'seeds', 'hist-layers', 'bins', 'threads', 'kernel', 'pattern', 'widths', 'gain', 'bias-std', 'fan-mode', 'leaky-alpha'] as const;
/** Fields whose empty value means "the default" rather than bad input. */
const OPTIONAL: readonly Field[] = ['hist-layers', 'pattern', 'widths', 'gain', 'bias-std', 'leaky-alpha'];
type Field = (typeof FIELDS)[number];
/** Small enough to answer in about a second; "The original's config" switches to 8192 × 1024. */
const PAGE_DEFAULTS: Record<Field, string> = {
  batch: '1024', width: '512', depth: '20', seed: '0', seeds: '1', 'hist-layers': '', bins: '60', threads: String(navigator.hardwareConcurrency || 2), kernel: 'auto',
  pattern: '', widths: '', gain: '', 'bias-std': '', 'fan-mode': 'in', 'leaky-alpha': '',
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('config');
const field = (name: Field) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
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

function readTexts(): OptionTexts {
  const texts: OptionTexts = {};
  for (const name of FIELDS) {
    const value = field(name).value;
    if (OPTIONAL.includes(name) && value.trim() === '') continue;
    if (name === 'pattern') texts.pattern = value.split(/[\s,]+/).filter((t) => t !== '');
    else if (name === 'widths' || name === 'width' || name === 'depth') {
      // --widths replaces width and depth
      if (name !== 'widths' && field('widths').value.trim() !== '') continue;
      texts[name] = value;
    } else texts[name] = value;
  }
  return texts;
}

function writeQuery(autorun: boolean): void {
  const query = new URLSearchParams();
  for (const name of FIELDS) if (field(name).value !== '') query.set(name === 'hist-layers' ? 'histLayers' : name, field(name).value);
  if ((form.elements.namedItem('log-counts') as HTMLInputElement).checked) query.set('logCounts', '1');
  if (autorun) query.set('autorun', '1');
  history.replaceState(null, '', `?${query}`);
}

async function renderResults(choices: RunChoices, patterns: PatternResult[]): Promise<void> {
  const figures = $('figures');
  figures.replaceChildren();
  // the line charts carry the conclusion: show them before the histograms
  const logCounts = (form.elements.namedItem('log-counts') as HTMLInputElement).checked;
  const jobs = figureSet(patterns, { logCounts, leakyAlpha: choices.config.leakyAlpha, uniformWidth: finiteWidthPremise(choices.config) }).sort((a, b) => Number(a.name.startsWith('hist_')) - Number(b.name.startsWith('hist_')));
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
  const metrics = metricsJson(choices.config, patterns);
  $('metrics').textContent = metrics;
  $<HTMLButtonElement>('download-metrics').onclick = () => download('metrics.json', metrics, 'application/json');
  $('results').hidden = false;
}

async function run(): Promise<void> {
  clearErrors();
  let choices: RunChoices;
  try {
    choices = parseRunOptions(readTexts(), PAGE_DEFAULTS.threads === '' ? 1 : Number(PAGE_DEFAULTS.threads));
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    showFieldError(error.option, error.message.replace(/^--/, ''));
    setState('invalid');
    return;
  }
  writeQuery(false);
  setState('running');
  cancelled = false;
  const { config, threads, kernel } = choices;
  const progress = $<HTMLProgressElement>('progress'), progressText = $('progress-text');
  const total = config.patterns.length * config.depth;
  progress.value = 0;
  const started = performance.now();
  try {
    const build = resolveKernelBuild(kernel, runtimeHasRelaxedSimd());
    $('build').textContent = `kernel ${build}, ${threads} worker${threads > 1 ? 's' : ''}`;
    const module = await WebAssembly.compileStreaming(fetch(KERNEL_BUILDS[build].file));
    const patterns = await runExperiment(config, {
      openShards: async (c) => (openShards = await browserWorkerShards(c, threads, module, build)),
      onProgress: (p) => {
        progress.value = (p.patternIndex * config.depth + p.layer) / total;
        progressText.textContent = `${p.pattern}: layer ${p.layer}/${p.depth}`;
      },
    });
    await renderResults(choices, patterns);
    progressText.textContent = `Done in ${((performance.now() - started) / 1000).toFixed(2)} s (${config.batch} × ${config.width}, ${config.depth} layers).`;
    setState('done');
  } catch (error) {
    const message = cancelled ? 'Cancelled.' : `Run failed: ${error instanceof Error ? error.message : String(error)}`;
    progressText.textContent = cancelled ? 'Cancelled.' : 'Failed.';
    if (!cancelled) Object.assign($('error'), { textContent: message, hidden: false });
    setState(cancelled ? 'cancelled' : 'error');
  } finally {
    openShards = [];
  }
}

function init(): void {
  $('patterns').replaceChildren(
    Object.assign(document.createElement('li'), { textContent: `INIT ∈ ${INIT_NAMES.join(', ')}` }),
    Object.assign(document.createElement('li'), { textContent: `ACT ∈ ${ACTIVATION_NAMES.join(', ')}` }),
    Object.assign(document.createElement('li'), { textContent: `default: ${ORIGINAL_PATTERNS.map((p) => p.name).join(', ')}` }),
  );
  const query = new URLSearchParams(location.search);
  for (const name of FIELDS) field(name).value = query.get(name === 'hist-layers' ? 'histLayers' : name) ?? query.get(name) ?? PAGE_DEFAULTS[name];
  (form.elements.namedItem('log-counts') as HTMLInputElement).checked = query.get('logCounts') === '1';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  $('cancel').addEventListener('click', () => {
    cancelled = true;
    for (const s of openShards) s.close();
  });
  $('original').addEventListener('click', () => {
    field('batch').value = '8192';
    field('width').value = '1024';
    field('depth').value = '20';
    field('hist-layers').value = '';
    field('bins').value = '60';
    field('seed').value = '0';
  });
  setState('idle');
  if (query.get('autorun') === '1') void run();
}

window.addEventListener('error', (event) => {
  Object.assign($('error'), { textContent: `Unexpected error: ${event.message}`, hidden: false });
  setState('error');
});
init();
