// The page's phase view: a small gain × bias-std sweep of one pattern (picked; the first nonlinear one by
// default), computed on demand in the page's workers, drawn as the CLI's phase figure; clicking a cell,
// or Enter on a focused one, loads its gain and bias-std.
import { patternSigmas } from '../predictions/patternTheory.js';
import { phaseFigure } from '../figures/phaseFigure.js';
import { patternFileName } from '../figures/figureSet.js';
import { resolveKernelBuild, runtimeHasRelaxedSimd } from '../model/kernelBuilds.js';
import { PAGE_NAMING, type OptionTexts } from '../options/parseOptions.js';
import { parseRunChoices } from '../run/runChoices.js';
import { browserRun } from '../run/browserRun.js';
import { sweepAxes } from '../sweep/sweepAxes.js';
import { planSweep, runSweep } from '../sweep/runSweep.js';
import type { SweepRecord } from '../metrics/sweepRecord.js';
import { cardWidth, figureCard } from './figurePanels.js';

/** The phase view's grid and size: 11 gains × 6 biases at batch 64 × width 64, about a second or two on 2 cores. */
const PHASE_TEXTS = { gain: '0.5:3:11', 'bias-std': '0:0.5:6', batch: '64', width: '64', seeds: '1' };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let shown: { record: SweepRecord; pattern: string } | undefined;

/** The picked pattern's index among the config's patterns. */
const picked = () => Number($<HTMLSelectElement>('phase-pattern').value || 0);

/** The picker lists the config's patterns; it keeps a pick that still exists, else the first nonlinear pattern (an identity net has no phases). */
export function updatePhasePatterns(texts: OptionTexts, threads: number): void {
  const select = $<HTMLSelectElement>('phase-pattern');
  let patterns: readonly { name: string; activation: string }[];
  try {
    patterns = parseRunChoices(texts, threads, PAGE_NAMING).config.patterns;
  } catch {
    return;
  }
  const before = select.options[select.selectedIndex]?.textContent;
  select.replaceChildren(...patterns.map((p, i) => Object.assign(document.createElement('option'), { value: String(i), textContent: p.name })));
  const kept = patterns.findIndex((p) => p.name === before);
  select.value = String(kept >= 0 ? kept : Math.max(0, patterns.findIndex((p) => p.activation !== 'identity')));
}

/** The current config's (σw², σb²) for the picked pattern: the ring on the diagram. */
function currentPoint(texts: OptionTexts, threads: number): { x: number; y: number } | undefined {
  try {
    const { config } = parseRunChoices(texts, threads, PAGE_NAMING);
    const s = patternSigmas(config, config.patterns[Math.min(picked(), config.patterns.length - 1)]);
    return { x: s.sigma_w2, y: s.sigma_b2 };
  } catch {
    return undefined;
  }
}

/** Draws the last diagram again, at its card's width (after a run the ring moves; a resize changes the width). */
export function redrawPhase(texts: OptionTexts, threads: number): void {
  if (!shown) return;
  const width = cardWidth($('phase-figure'), 980);
  const svg = phaseFigure(shown.record, shown.pattern, { document, width }, currentPoint(texts, threads));
  $('phase-figure').replaceChildren(figureCard(`phase_${patternFileName(shown.pattern)}`, svg));
  // every cell is a button for the keyboard and for screen readers, named by its σw², σb² and χ₁
  const readout = $('phase-readout');
  for (const cell of svg.querySelectorAll<SVGRectElement>('rect.cell')) {
    const point = shown.record.points.find((p) => p.index === Number(cell.dataset.index) && p.pattern === shown!.pattern);
    const t = point?.theory;
    const label = `σw² = ${t?.sigma_w2.toPrecision(3)}, σb² = ${t?.sigma_b2.toPrecision(3)}, χ₁ = ${t?.chi1 === null || t?.chi1 === undefined ? 'none' : t.chi1.toPrecision(3)} (gain ${point?.gain}, bias-std ${point?.bias_std})`;
    Object.assign(cell, { tabIndex: 0 });
    cell.setAttribute('role', 'button');
    cell.setAttribute('aria-label', label);
    const show = () => (readout.textContent = label);
    cell.addEventListener('focus', show);
    cell.addEventListener('pointerenter', show);
  }
}

/**
 * Wires the button and the cells. `readTexts` gives the explorer's option texts, `load` sets gain and
 * bias-std in the explorer and runs it.
 */
export function initPhaseView(readTexts: () => OptionTexts, threads: number, load: (gain: number, biasStd: number) => void): void {
  const status = $('phase-status'), button = $<HTMLButtonElement>('phase-run');
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'computing…';
    try {
      const base: Record<string, OptionTexts[string]> = { ...readTexts(), ...PHASE_TEXTS };
      delete base.widths;
      delete base.backward;
      delete base['hist-layers'];
      // the picked pattern alone, as its INIT:ACT(:NORM)
      const { config } = parseRunChoices(readTexts(), threads, PAGE_NAMING);
      const p = config.patterns[Math.min(picked(), config.patterns.length - 1)];
      base.pattern = [`${p.init}:${p.activation}${p.norm ? `:${p.norm}` : ''}`];
      const { axes, base: rest } = sweepAxes(base, PAGE_NAMING);
      const plan = planSweep(axes, rest, threads, PAGE_NAMING, false);
      const build = resolveKernelBuild(plan.points[0].choices.kernel, runtimeHasRelaxedSimd());
      const started = performance.now();
      const { record } = await runSweep(plan, build, (choices) => browserRun(choices, { cMap: false }), (done, total) => (status.textContent = `${done}/${total} points`));
      shown = { record, pattern: record.points[0].pattern as string };
      status.textContent = `${record.points.length} points in ${((performance.now() - started) / 1000).toFixed(1)} s`;
      redrawPhase(readTexts(), threads);
    } catch (error) {
      status.textContent = `could not compute: ${(error as Error).message}`;
    } finally {
      button.disabled = false;
    }
  });
  const choose = (target: EventTarget | null) => {
    const cell = (target as Element | null)?.closest('rect.cell');
    if (!cell || !shown) return;
    const point = shown.record.points.find((p) => p.index === Number(cell.getAttribute('data-index')));
    if (point) load(point.gain as number, point.bias_std as number);
  };
  $('phase-figure').addEventListener('click', (event) => choose(event.target));
  $('phase-figure').addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    choose(event.target);
  });
}
