import type { PatternResult } from '../metrics/results.js';
import { depthFigure } from './depthFigure.js';
import { ex2Figure } from './ex2Figure.js';
import { histogramFigure, type HistogramOptions } from './histogramFigure.js';
import { reluRatioFigure } from './reluRatioFigure.js';
import type { FigureContext } from './svgRoot.js';
import { finiteWidthFigure } from './finiteWidthFigure.js';
import { gradientFigure } from './gradientFigure.js';
import { isReluFamily } from './patternSeries.js';
import { zex2Figure } from './zex2Figure.js';
import { zeroFractionFigure } from './zeroFractionFigure.js';

export interface FigureJob {
  /** File name without extension, as the original script names it. */
  name: string;
  build: (context: FigureContext) => SVGSVGElement;
}

/** The original's file name for a pattern's histograms: spaces and '/' become '_'. */
export function histogramFileName(patternName: string): string {
  return `hist_${patternName.replace(/[ /]/g, '_')}`;
}

/** Every figure of a run: the original's, in its order, then E[z²]. */
export type FigureOptions = HistogramOptions;

export function figureSet(patterns: PatternResult[], options: FigureOptions = {}): FigureJob[] {
  const jobs: FigureJob[] = patterns.filter((p) => p.histograms.length > 0).map((p) => ({ name: histogramFileName(p.name), build: (c) => histogramFigure(p, c, options) }));
  // with every layer histogrammed (--hist-layers all): the heat strips over depth
  for (const p of patterns) if (p.histograms.length > 1 && p.histograms.length === p.layers.length) jobs.push({ name: `depth_${histogramFileName(p.name).slice(5)}`, build: (c) => depthFigure(p, c) });
  jobs.push({ name: 'relu_spread_check_ex2', build: (c) => ex2Figure(patterns, c) });
  if (patterns.some(isReluFamily)) {
    jobs.push({ name: 'relu_spread_check_relu_ratio', build: (c) => reluRatioFigure(patterns, c) });
    jobs.push({ name: 'relu_zero_fraction', build: (c) => zeroFractionFigure(patterns, c) });
  }
  jobs.push({ name: 'relu_spread_check_zex2', build: (c) => zex2Figure(patterns, c) });
  if (patterns.some((p) => p.layers.some((l) => l.grad_z_ex2 !== undefined))) jobs.push({ name: 'relu_spread_check_grad', build: (c) => gradientFigure(patterns, c) });
  // where the results carry the finite-width prediction (He + ReLU, equal widths, no bias, gain 1)
  patterns.forEach((p, i) => {
    if (p.finite_width) jobs.push({ name: `finite_width_${histogramFileName(p.name).slice(5)}`, build: (c) => finiteWidthFigure(p, i, c) });
  });
  return jobs;
}
