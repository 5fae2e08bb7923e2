import type { PatternResult } from '../experiment/results.js';
import type { OutputFile } from '../metrics/writeOutputs.js';
import { figureSet } from './figureSet.js';
import { jsdomDocument } from './jsdomDocument.js';
import { rasterizeAsync } from './rasterize.js';
import { serializeSvg } from './serializeSvg.js';

export type FigureFormat = 'png' | 'svg';

/** Every figure of a run as output files (Node: jsdom builds the SVG, resvg the PNGs in parallel). */
export async function figureFiles(patterns: PatternResult[], formats: readonly FigureFormat[]): Promise<OutputFile[]> {
  const document = jsdomDocument();
  const files: Promise<OutputFile>[] = [];
  for (const job of figureSet(patterns)) {
    const svg = serializeSvg(job.build({ document }));
    if (formats.includes('png')) files.push(rasterizeAsync(svg).then((data) => ({ name: `${job.name}.png`, data })));
    if (formats.includes('svg')) files.push(Promise.resolve({ name: `${job.name}.svg`, data: svg }));
  }
  return Promise.all(files);
}
