import type { PatternResult } from '../experiment/results.js';
import type { OutputFile } from '../metrics/writeOutputs.js';
import { figureSet } from './figureSet.js';
import { jsdomDocument } from './jsdomDocument.js';
import { rasterize } from './rasterize.js';
import { serializeSvg } from './serializeSvg.js';

export type FigureFormat = 'png' | 'svg';

/** Every figure of a run as output files (Node: jsdom builds the SVG, resvg the PNG). */
export function figureFiles(patterns: PatternResult[], formats: readonly FigureFormat[]): OutputFile[] {
  const document = jsdomDocument();
  const files: OutputFile[] = [];
  for (const job of figureSet(patterns)) {
    const svg = serializeSvg(job.build({ document }));
    if (formats.includes('png')) files.push({ name: `${job.name}.png`, data: rasterize(svg) });
    if (formats.includes('svg')) files.push({ name: `${job.name}.svg`, data: svg });
  }
  return files;
}
