import type { PatternResult } from '../metrics/results.js';
import { depthFigure } from './depthFigure.js';
import { ex2Chart } from './ex2Figure.js';
import { histogramFigure, type HistogramOptions } from './histogramFigure.js';
import { lineFigure, type LineFigureSpec } from './lineFigure.js';
import { reluRatioChart } from './reluRatioFigure.js';
import type { FigureContext } from './svgRoot.js';
import { finiteWidthFigure } from './finiteWidthFigure.js';
import { gradientChart } from './gradientFigure.js';
import { jacobianChart, spectrumDepthChart, spectrumEdgeChart } from './jacobianFigure.js';
import { spectrumFigure } from './spectrumFigure.js';
import { isReluFamily } from './patternSeries.js';
import { zex2Chart } from './zex2Figure.js';
import { zeroFractionChart } from './zeroFractionFigure.js';
import { corrChart } from './corrFigure.js';
import { cMapFigure } from './cMapFigure.js';
import { sppFigure } from './sppFigure.js';
import { attentionGradientChart, tokensChart } from './tokensFigure.js';

/** Where the page shows a figure: its tabs (the line charts, the depth view, the histograms, the SPPs, the correlation). */
export type FigurePanel = 'lines' | 'depth' | 'histograms' | 'spp' | 'correlation' | 'spectrum' | 'tokens';

export interface FigureJob {
  /** File name without extension, as the original script names it. */
  name: string;
  /** The page's tabs that show it. */
  panels: readonly FigurePanel[];
  build: (context: FigureContext) => SVGSVGElement;
  /** A line chart's data: the page reads values off it under the pointer, and redraws it as layers arrive. */
  chart?: LineFigureSpec;
}

const lineJob = (name: string, chart: LineFigureSpec): FigureJob => ({ name, panels: ['lines'], chart, build: (c) => lineFigure(chart, c) });

/** A pattern's name as part of a file name: spaces and '/' become '_' (the original's rule for its histograms). */
export function patternFileName(patternName: string): string {
  return patternName.replace(/[ /]/g, '_');
}

/** The original's file name for a pattern's histograms. */
export function histogramFileName(patternName: string): string {
  return `hist_${patternFileName(patternName)}`;
}

/** Every figure of a run: the original's, in its order, then E[z²]. */
export type FigureOptions = HistogramOptions;

export function figureSet(patterns: PatternResult[], options: FigureOptions = {}): FigureJob[] {
  const jobs: FigureJob[] = patterns.filter((p) => p.histograms.length > 0).map((p): FigureJob => ({ name: histogramFileName(p.name), panels: ['histograms'], build: (c) => histogramFigure(p, c, options) }));
  // with every layer histogrammed (--hist-layers all): the heat strips over depth
  for (const p of patterns) if (p.histograms.length > 1 && p.histograms.length === p.layers.length) jobs.push({ name: `depth_${patternFileName(p.name)}`, panels: ['depth'], build: (c) => depthFigure(p, c) });
  jobs.push(lineJob('relu_spread_check_ex2', ex2Chart(patterns)));
  if (patterns.some(isReluFamily)) {
    jobs.push(lineJob('relu_spread_check_relu_ratio', reluRatioChart(patterns)));
    jobs.push(lineJob('relu_zero_fraction', zeroFractionChart(patterns)));
  }
  jobs.push(lineJob('relu_spread_check_zex2', zex2Chart(patterns)));
  if (patterns.some((p) => p.layers.some((l) => l.z_corr !== undefined))) jobs.push(lineJob('relu_spread_check_corr', corrChart(patterns)));
  if (patterns.some((p) => p.layers.some((l) => l.grad_z_ex2 !== undefined))) jobs.push(lineJob('relu_spread_check_grad', gradientChart(patterns)));
  if (patterns.some((p) => p.layers.some((l) => l.jacobian_sq_mean !== undefined))) jobs.push(lineJob('relu_spread_check_jacobian', jacobianChart(patterns)));
  // where the results carry the finite-width prediction (He + ReLU, equal widths, no bias, gain 1)
  patterns.forEach((p, i) => {
    if (p.finite_width) jobs.push({ name: `finite_width_${patternFileName(p.name)}`, panels: ['lines'], build: (c) => finiteWidthFigure(p, i, c) });
  });
  // --spectrum: the eigenvalues of JJᵀ at the histogram layers, and their spread across depth
  if (patterns.some((p) => (p.spectrum?.layers.length ?? 0) > 1)) {
    jobs.push({ ...lineJob('spectrum_depth', spectrumDepthChart(patterns)), panels: ['spectrum'] });
    jobs.push({ ...lineJob('spectrum_edge', spectrumEdgeChart(patterns)), panels: ['spectrum'] });
  }
  patterns.forEach((p, i) => {
    if (p.spectrum && p.spectrum.layers.length > 0) jobs.push({ name: `spectrum_${patternFileName(p.name)}`, panels: ['spectrum'], build: (c) => spectrumFigure(p, i, c) });
  });
  // --seq-len: each pattern's tokens across blocks (token_corr, attn_entropy)
  patterns.forEach((p) => {
    if (p.layers.some((l) => l.token_corr !== undefined)) jobs.push({ ...lineJob(`tokens_${patternFileName(p.name)}`, tokensChart(p)), panels: ['tokens'] });
    if (p.layers.some((l) => l.grad_wq_ex2 !== undefined)) jobs.push({ ...lineJob(`tokens_grad_${patternFileName(p.name)}`, attentionGradientChart(p)), panels: ['tokens'] });
  });
  // the c-map, where there is one and at least two layers to step between
  patterns.forEach((p, i) => {
    if (p.c_map && p.layers.length > 1) jobs.push({ name: `c_map_${patternFileName(p.name)}`, panels: ['lines', 'correlation'], build: (c) => cMapFigure(p, i, c) });
  });
  // blocks with a norm or a residual: one Signal Propagation Plot per INIT:ACT, its norms overlaid
  const families = [...new Set(patterns.filter((p) => p.layers.some((l) => l.x_ch_var !== undefined)).map((p) => `${p.init}:${p.activation}`))];
  for (const family of families) {
    const [init, activation] = family.split(':');
    const keep = (p: PatternResult) => p.init === init && p.activation === activation;
    jobs.push({ name: `spp_${patternFileName(`${init}_${activation}`)}`, panels: ['spp'], build: (c) => sppFigure(patterns, keep, sppTitle(patterns.filter(keep)), c) });
  }
  return jobs;
}

function sppTitle(patterns: PatternResult[]): string {
  return `Signal propagation plot: ${patterns.map((p) => p.name).join(' vs ')}`;
}
