import type { SweepRecord } from '../metrics/sweepRecord.js';
import { patternFileName, type FigureJob } from './figureSet.js';
import { phaseFigure } from './phaseFigure.js';
import { sweepFigure } from './sweepFigure.js';

/** A sweep's figures: a 2-D sweep's phase_<pattern> per pattern, a 1-D sweep's sweep_<option>. */
export function sweepFigureSet(record: SweepRecord): FigureJob[] {
  if (record.points.length === 0) return [];
  if (record.axes.length === 2) {
    const patterns = [...new Set(record.points.map((p) => p.pattern as string))];
    return patterns.map((pattern): FigureJob => ({ name: `phase_${patternFileName(pattern)}`, panels: ['lines'], build: (c) => phaseFigure(record, pattern, c) }));
  }
  return [{ name: `sweep_${record.axes[0].option}`, panels: ['lines'], build: (c) => sweepFigure(record, c) }];
}
