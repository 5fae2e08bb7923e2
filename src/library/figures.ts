// The library's figures: a run's (or a sweep's) results drawn as the CLI draws them, as files in memory.
import type { PatternResult } from '../metrics/results.js';
import type { SweepRecord } from '../metrics/sweepRecord.js';
import type { ComparedKey, ComparedRun } from '../figures/comparisonFigure.js';

export type FigureFormat = 'png' | 'svg';

export interface FigureFile {
  /** The CLI's file name, e.g. relu_spread_check_ex2.png. */
  name: string;
  /** SVG text, or PNG bytes. */
  data: string | Uint8Array;
}

/** Every figure of a run's results (runExperiment's `patterns`), as SVG text and/or PNG bytes; PNG and SVG by default. */
export async function renderFigures(patterns: PatternResult[], options: { formats?: FigureFormat[]; logCounts?: boolean } = {}): Promise<FigureFile[]> {
  // jsdom and resvg load only when a figure is asked for
  const { figureFiles } = await import('../figures/figureFiles.js');
  return figureFiles(patterns, options.formats ?? ['png', 'svg'], { logCounts: options.logCounts });
}

/**
 * Several runs' patterns on one chart (`key`: token_corr by default, or attn_entropy), each under its label:
 * the figure `name` (comparison by default) as SVG text and/or PNG bytes.
 */
export async function renderComparison(runs: ComparedRun[], options: { key?: ComparedKey; name?: string; formats?: FigureFormat[] } = {}): Promise<FigureFile[]> {
  const [{ jobFiles }, { comparisonChart }, { lineFigure }] = await Promise.all([import('../figures/figureFiles.js'), import('../figures/comparisonFigure.js'), import('../figures/lineFigure.js')]);
  const chart = comparisonChart(runs, options.key);
  return jobFiles([{ name: options.name ?? 'comparison', panels: ['tokens'], chart, build: (c) => lineFigure(chart, c) }], options.formats ?? ['png', 'svg']);
}

/** A sweep's figures (phase diagrams or the 1-D panels), as the CLI's sweep draws them. */
export async function renderSweepFigures(record: SweepRecord, formats: FigureFormat[] = ['png', 'svg']): Promise<FigureFile[]> {
  const [{ jobFiles }, { sweepFigureSet }] = await Promise.all([import('../figures/figureFiles.js'), import('../figures/sweepFigureSet.js')]);
  return jobFiles(sweepFigureSet(record), formats);
}
