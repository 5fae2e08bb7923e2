// The page's phase view: a small gain × bias-std sweep of the first pattern, computed on demand in
// the page's workers, drawn as the CLI's phase figure; clicking a cell loads its gain and bias-std.
import { patternSigmas } from '../experiment/patternTheory.js';
import { phaseFigure } from '../figures/phaseFigure.js';
import { patternFileName } from '../figures/figureSet.js';
import { resolveKernelBuild, runtimeHasRelaxedSimd } from '../kernel/kernelBuilds.js';
import { PAGE_NAMING, parseRunOptions, type OptionTexts } from '../options/parseOptions.js';
import { browserRun } from '../run/browserRun.js';
import { sweepAxes } from '../sweep/sweepAxes.js';
import { planSweep, runSweep } from '../sweep/runSweep.js';
import type { SweepRecord } from '../metrics/sweepRecord.js';
import { figureCard } from './figurePanels.js';

/** The phase view's grid and size: 11 gains × 6 biases at batch 64 × width 64, about a second or two on 2 cores. */
const PHASE_TEXTS = { gain: '0.5:3:11', 'bias-std': '0:0.5:6', batch: '64', width: '64', seeds: '1' };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let shown: { record: SweepRecord; pattern: string } | undefined;

/** The current config's (σw², σb²) for the first pattern: the ring on the diagram. */
function currentPoint(texts: OptionTexts, threads: number): { x: number; y: number } | undefined {
  try {
    const { config } = parseRunOptions(texts, threads, PAGE_NAMING);
    const s = patternSigmas(config, config.patterns[0]);
    return { x: s.sigma_w2, y: s.sigma_b2 };
  } catch {
    return undefined;
  }
}

/** Draws the last diagram again (after a run, the ring moves). */
export function redrawPhase(texts: OptionTexts, threads: number, width: number): void {
  if (!shown) return;
  const svg = phaseFigure(shown.record, shown.pattern, { document, width }, currentPoint(texts, threads));
  $('phase-figure').replaceChildren(figureCard(`phase_${patternFileName(shown.pattern)}`, svg));
}

/**
 * Wires the button and the cells. `readTexts` gives the explorer's option texts, `load` sets gain and
 * bias-std in the explorer and runs it.
 */
export function initPhaseView(readTexts: () => OptionTexts, threads: number, width: () => number, load: (gain: number, biasStd: number) => void): void {
  const status = $('phase-status'), button = $<HTMLButtonElement>('phase-run');
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'computing…';
    try {
      const base: Record<string, OptionTexts[string]> = { ...readTexts(), ...PHASE_TEXTS };
      delete base.widths;
      delete base.backward;
      delete base['hist-layers'];
      const pattern = base.pattern;
      if (Array.isArray(pattern)) base.pattern = pattern.slice(0, 1);
      const { axes, base: rest } = sweepAxes(base, PAGE_NAMING);
      const plan = planSweep(axes, rest, threads, PAGE_NAMING, false);
      const build = resolveKernelBuild(plan.points[0].choices.kernel, runtimeHasRelaxedSimd());
      const started = performance.now();
      const { record } = await runSweep(plan, build, (choices) => browserRun(choices, { cMap: false }), (done, total) => (status.textContent = `${done}/${total} points`));
      shown = { record, pattern: record.points[0].pattern as string };
      status.textContent = `${record.points.length} points in ${((performance.now() - started) / 1000).toFixed(1)} s`;
      redrawPhase(readTexts(), threads, width());
    } catch (error) {
      status.textContent = `could not compute: ${(error as Error).message}`;
    } finally {
      button.disabled = false;
    }
  });
  $('phase-figure').addEventListener('click', (event) => {
    const cell = (event.target as Element).closest('rect.cell');
    if (!cell || !shown) return;
    const point = shown.record.points.find((p) => p.index === Number(cell.getAttribute('data-index')));
    if (point) load(point.gain as number, point.bias_std as number);
  });
}
