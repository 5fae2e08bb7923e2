// The page's run lifecycle: one run at a time (a newer one cancels it), its workers, its progress and
// the line charts growing as records arrive, then the results handed to the page to render, or the
// failure or cancellation shown. The form decides what to run; this carries it out.
import type { Progress } from '../experiment/runExperiment.js';
import type { PatternResult } from '../metrics/results.js';
import type { KernelBuild } from '../model/kernelBuilds.js';
import type { RunChoices } from '../options/parseOptions.js';
import { browserRun } from '../run/browserRun.js';
import { drawGrowing, markOutOfDate } from './figurePanels.js';

export type RunState = 'idle' | 'running' | 'done' | 'error' | 'invalid' | 'cancelled';

/** Line charts grow at most this often while a run is in progress. */
const GROW_EVERY_MS = 100;
/**
 * ...and first this long after it started: a run done sooner (a live change at the live size) goes
 * straight to its figures, instead of drawing and laying out the charts once more half-way. Until
 * then the run also leaves the page as it is (no progress, no dimmed figures): each of those changes
 * costs the main thread a style, layout and paint of the page while it relays the workers' messages.
 */
export const FIRST_GROW_MS = 250;

/** How long from `now` until the line charts may grow next, for a run started at `started` that last grew at `grownAt`. */
export const growDelay = (now: number, started: number, grownAt?: number): number => Math.max(0, (grownAt === undefined ? started + FIRST_GROW_MS : grownAt + GROW_EVERY_MS) - now);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export function setRunState(state: RunState): void {
  document.body.dataset.state = state;
  $<HTMLButtonElement>('run').disabled = state === 'running';
  $<HTMLButtonElement>('cancel').disabled = state !== 'running';
}

/** The run in progress, if any: aborting it closes its workers wherever it is (compiling, starting, computing). */
let current: AbortController | undefined;
/** Each run has a number; a newer one cancels it, and a cancelled run neither renders nor sets the state. */
let generation = 0;

export function cancelRun(): void {
  current?.abort();
  current = undefined;
}

/** A new run supersedes the one in progress: returns its number (for `isCurrent`). */
export function supersede(): number {
  cancelRun();
  return ++generation;
}

/** Runs `choices` as run number `mine` (from supersede), then `render`s its results unless a newer run came. */
export async function execute(mine: number, choices: RunChoices, render: (patterns: PatternResult[], build: KernelBuild) => Promise<void>): Promise<void> {
  setRunState('running');
  const controller = (current = new AbortController());
  const { config, threads } = choices;
  const progress = $<HTMLProgressElement>('progress'), progressText = $('progress-text');
  const seeds = config.seeds ?? 1, total = seeds * config.patterns.length * config.depth;
  const started = performance.now();
  // progress is shown once the run has lasted FIRST_GROW_MS, then at most once a frame
  let latest: Progress | undefined, shown = false, frame: number | undefined;
  const showProgress = () => {
    frame = undefined;
    if (current !== controller || !latest) return;
    const p = latest;
    progress.value = (p.seedIndex * config.patterns.length * config.depth + p.patternIndex * config.depth + p.layer) / total;
    progressText.textContent = `${p.pattern}: layer ${p.layer}/${p.depth}${seeds > 1 ? `, seed ${p.seedIndex + 1} of ${seeds}` : ''}`;
  };
  const reveal = setTimeout(() => {
    if (current !== controller) return;
    shown = true;
    markOutOfDate(true);
    progress.value = 0;
    showProgress();
  }, FIRST_GROW_MS);
  // the line charts grow as records arrive (the first seed's), redrawn at most every GROW_EVERY_MS
  const growing: PatternResult[] = [];
  let growTimer: ReturnType<typeof setTimeout> | undefined, grownAt: number | undefined;
  const grow = () => {
    growTimer = undefined;
    grownAt = performance.now();
    if (current === controller) drawGrowing(growing.filter(Boolean), config.depth);
  };
  // once the run settles, nothing of it is drawn any more: its pending progress, reveal and growth
  const stopWatching = () => {
    clearTimeout(growTimer);
    clearTimeout(reveal);
    if (frame !== undefined) cancelAnimationFrame(frame);
  };
  try {
    const { patterns, build } = await browserRun(choices, {
      onBuild: (build) => ($('build').textContent = `kernel ${build}, ${threads} worker${threads > 1 ? 's' : ''}`),
      signal: controller.signal,
      onProgress: (p) => {
        latest = p;
        if (shown) frame ??= requestAnimationFrame(showProgress);
        if (p.seedIndex !== 0) return;
        const pattern = config.patterns[p.patternIndex];
        (growing[p.patternIndex] ??= { name: pattern.name, init: pattern.init, activation: pattern.activation, overflow_layer: null, underflow_layer: null, layers: [], histograms: [] }).layers.push(p.record);
        growTimer ??= setTimeout(grow, growDelay(performance.now(), started, grownAt));
      },
    }).finally(stopWatching);
    if (mine !== generation) return;
    await render(patterns, build);
    markOutOfDate(false);
    // a run done before it showed any progress is full too
    progress.value = 1;
    progressText.textContent = `Done in ${((performance.now() - started) / 1000).toFixed(2)} s (${config.batch} × ${config.width}, ${config.depth} layers).`;
    setRunState('done');
  } catch (error) {
    $('figures').classList.remove('growing');
    if (mine !== generation) return; // superseded by a newer run
    // the figures shown are not of the form's values, however soon the run ended
    markOutOfDate(true);
    const cancelled = controller.signal.aborted;
    progressText.textContent = cancelled ? 'Cancelled.' : 'Failed.';
    if (!cancelled) Object.assign($('error'), { textContent: `Run failed: ${error instanceof Error ? error.message : String(error)}`, hidden: false });
    setRunState(cancelled ? 'cancelled' : 'error');
  } finally {
    if (current === controller) current = undefined;
  }
}
