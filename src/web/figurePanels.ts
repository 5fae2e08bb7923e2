// The page's figure area: its tab panels, each drawn from the shown results when it is on screen,
// the line charts' read-outs and the charts that grow while a run goes, and the out-of-date marker.
import { depthFigure } from '../figures/depthFigure.js';
import { figureSet, histogramFileName, patternFileName, type FigureJob, type FigurePanel } from '../figures/figureSet.js';
import { histogramFigure } from '../figures/histogramFigure.js';
import { lineFigure, type LineFigureSpec } from '../figures/lineFigure.js';
import { serializeSvg } from '../figures/serializeSvg.js';
import type { PatternResult } from '../metrics/results.js';
import { attachReadout } from './lineReadout.js';
import { markFigureTerms } from './glossary.js';
import { onSharedAxes } from '../figures/sharedAxes.js';
import { download, rasterizeInPage } from './rasterizeInPage.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** A figure card: the SVG with its SVG and PNG downloads (serialized when asked for), and a line chart's read-out. */
export function figureCard(name: string, svg: SVGSVGElement, chart?: LineFigureSpec): HTMLElement {
  const card = document.createElement('div');
  card.className = 'figure';
  card.dataset.name = name;
  // the file is the figure as drawn, before the read-out adds its crosshair and focus: a chart keeps a
  // copy to serialize when asked (a copy takes a fraction of a serialization, which a live change waited for)
  let text: string | undefined, drawn = svg;
  const file = () => (text ??= serializeSvg(drawn));
  const buttons = document.createElement('div');
  buttons.className = 'downloads';
  const svgButton = Object.assign(document.createElement('button'), { type: 'button', textContent: `${name}.svg` });
  svgButton.onclick = () => download(`${name}.svg`, file(), 'image/svg+xml');
  const pngButton = Object.assign(document.createElement('button'), { type: 'button', textContent: `${name}.png` });
  pngButton.onclick = async () => download(`${name}.png`, await rasterizeInPage(file()));
  buttons.append(svgButton, pngButton);
  // drawn at its card's width: never scaled up past the size its text was set for, but in lecture mode, which
  // draws it smaller and scales it up to the card
  if (lectureScale > 1) svg.style.width = '100%';
  else svg.style.maxWidth = `${svg.getAttribute('width')}px`;
  markFigureTerms(svg);
  card.append(buttons, svg);
  if (chart) {
    drawn = svg.cloneNode(true) as SVGSVGElement;
    attachReadout(card, svg, chart);
  }
  return card;
}

/** Lecture mode's enlargement of every chart (1: none); see pageModes.ts. */
let lectureScale = 1;
export function setLectureScale(scale: number): void {
  lectureScale = scale;
  drawFigures();
}

/** The compare view's second run: its results and the two runs' labels (pageModes.ts's ?compare=FLAG:VALUE). */
let compared: { patterns: PatternResult[]; labels: [string, string] } | undefined;
export function showComparison(patterns: PatternResult[] | undefined, labels: [string, string]): void {
  compared = patterns && { patterns, labels };
  stalePanels.add('panel-compare');
  drawVisiblePanels();
}

/** Each line chart of the shown run beside the compared run's, on shared axes: A in the left column, B in the right. */
function drawComparison(jobs: FigureJob[]): void {
  const container = $('compare-figures');
  if (!compared) return void container.replaceChildren();
  const other = figureSet(compared.patterns), width = cardWidth(container);
  container.replaceChildren(...jobsOf(jobs, 'lines').flatMap((job) => {
    const twin = other.find((o) => o.name === job.name);
    if (!job.chart || !twin?.chart) return [];
    return onSharedAxes(job.chart, twin.chart, compared!.labels).map((chart, i) => figureCard(`${job.name}_${'AB'[i]}`, lineFigure(chart, { document, width }), chart));
  }));
}

/** The last results drawn, so a resize, a tab or the layer slider redraws without a run. */
let shown: { patterns: PatternResult[]; jobs: FigureJob[]; logCounts: boolean } | undefined;

/** New results: drawn now in the panel on screen, in the others when they are opened. */
export function showResults(patterns: PatternResult[], options: { logCounts: boolean }): void {
  shown = { patterns, jobs: figureSet(patterns, options), logCounts: options.logCounts };
  $('results').hidden = false;
  drawFigures();
}

/** The depth view again, at the layer its slider shows. */
export function redrawDepth(): void {
  if (shown) drawDepth(shown.patterns, shown.jobs, figureAreaWidth(), shown.logCounts);
}

const figureAreaWidth = () => Math.max(300, ($('results').clientWidth || 800) - 20);
/**
 * The width a figure card in `container` gives its drawing: measured on a probe card placed where the
 * first card goes (a grid's first column), so a chart is drawn at the size it is shown and its text
 * keeps its set size (11–15 px) at every screen width.
 */
export function cardWidth(container: HTMLElement, at = Infinity): number {
  const probe = Object.assign(document.createElement('div'), { className: 'figure' });
  container.prepend(probe);
  const style = getComputedStyle(probe);
  const width = probe.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  probe.remove();
  return Math.floor(Math.max(240, Math.min(at, Math.floor(width || figureAreaWidth()))) / lectureScale);
}
// measured once per drawing: each measurement lays the page out again
const lineCellWidth = () => cardWidth($('figures'));
const jobsOf = (jobs: FigureJob[], panel: FigurePanel) => jobs.filter((j) => j.panels.includes(panel));

/** The jobs' figures as the cards of container `id`, all at the card width measured once (at most `at`); line charts with their read-out where `readouts`. */
function drawCards(id: string, jobs: FigureJob[], at = Infinity, readouts = false): void {
  const width = cardWidth($(id), at);
  $(id).replaceChildren(...jobs.map((j) => figureCard(j.name, j.build({ document, width }), readouts ? j.chart : undefined)));
}

/** Each tab panel's drawing of the shown results. Only the panel on screen is drawn; the others when their tab opens. */
const PANEL_DRAWERS: Record<string, (results: NonNullable<typeof shown>) => void> = {
  'panel-lines': ({ jobs }) => drawCards('figures', jobsOf(jobs, 'lines'), Infinity, true),
  'panel-depth': ({ patterns, jobs, logCounts }) => drawDepth(patterns, jobs, cardWidth($('depth-figures')), logCounts),
  'panel-hist': ({ jobs }) => drawCards('hist-figures', jobsOf(jobs, 'histograms'), 1100),
  'panel-spp': ({ jobs }) => drawCards('spp-figures', jobsOf(jobs, 'spp'), 1600),
  'panel-spectrum': ({ jobs }) => drawCards('spectrum-figures', jobsOf(jobs, 'spectrum'), 1400),
  'panel-transformer': ({ jobs }) => drawCards('tokens-figures', jobsOf(jobs, 'tokens'), 1100, true),
  'panel-compare': ({ jobs }) => drawComparison(jobs),
  'panel-corr': ({ jobs }) => {
    const cmaps = jobsOf(jobs, 'correlation');
    // a tab with nothing to draw says why, and what to set to fill it
    if (cmaps.length === 0) return void $('cmap-figures').replaceChildren(Object.assign(document.createElement('p'), { className: 'phase-hint', textContent: 'No c-maps: the correlation map belongs to plain MLP blocks. Set norm to none, leave residual empty and block at mlp to draw one per pattern.' }));
    drawCards('cmap-figures', cmaps, 620);
  },
};
/** Panels whose figures are older than the shown results (or than the width they were drawn at). */
const stalePanels = new Set<string>();

function drawVisiblePanels(): void {
  if (!shown) return;
  for (const id of [...stalePanels]) {
    if ($(id).hidden) continue;
    stalePanels.delete(id);
    PANEL_DRAWERS[id](shown);
  }
}

/** Draws the shown results again: now the panel on screen, the others when they are opened. */
export function drawFigures(): void {
  for (const id of Object.keys(PANEL_DRAWERS)) stalePanels.add(id);
  $('figures').classList.remove('growing');
  drawVisiblePanels();
}

/** The line charts of a run in progress, over the whole depth to come, as its layers arrive. */
export function drawGrowing(partial: PatternResult[], depth: number): void {
  if ($('panel-lines').hidden) return;
  const lines = $('figures'), width = lineCellWidth();
  lines.replaceChildren(...figureSet(partial).filter((j) => j.chart).map((j) => {
    const chart = { ...j.chart!, xDomain: [1, depth] as [number, number] };
    return figureCard(j.name, lineFigure(chart, { document, width }), chart);
  }));
  lines.classList.add('growing');
  // what is on screen is no longer the shown results: a tab switch or resize must draw them again
  stalePanels.add('panel-lines');
}

function drawDepth(patterns: PatternResult[], jobs: FigureJob[], width: number, logCounts: boolean): void {
  const slider = $<HTMLInputElement>('layer'), depth = $('depth-figures');
  const layers = patterns[0]?.histograms.map((h) => h.layer) ?? [];
  if (layers.length === 0) {
    depth.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'No histograms: set hist-layers to all (or a list of layers).' }));
    return;
  }
  slider.min = '0';
  slider.max = String(layers.length - 1);
  const index = Math.min(Number(slider.value) || 0, layers.length - 1);
  slider.value = String(index);
  const layer = layers[index];
  $('layer-value').textContent = `layer ${layer} of ${patterns[0].layers.length}`;
  const cards: HTMLElement[] = [];
  for (const p of patterns) {
    const job = jobsOf(jobs, 'depth').find((j) => j.name === `depth_${patternFileName(p.name)}`);
    if (job) cards.push(figureCard(job.name, depthFigure(p, { document, width }, { highlightLayer: layer, normalized: $<HTMLInputElement>('depth-normalized').checked })));
    const h = p.histograms.find((entry) => entry.layer === layer);
    if (h) cards.push(figureCard(`${histogramFileName(p.name)}_layer${layer}`, histogramFigure({ ...p, histograms: [h] }, { document, width: Math.min(width, 1100) }, { logCounts })));
  }
  depth.replaceChildren(...cards);
}

/** Tabs over the figure area: one panel shown, arrow keys move between tabs. */
export function initTabs(): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const select = (tab: HTMLButtonElement) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')!).hidden = !on;
    }
    drawVisiblePanels();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (step === 0) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  });
}

/** The figures no longer match the controls (a change, a pending run, invalid input): dimmed and labelled. */
export function markOutOfDate(outOfDate: boolean): void {
  $('results').classList.toggle('out-of-date', outOfDate);
  $('out-of-date').hidden = !outOfDate;
}
