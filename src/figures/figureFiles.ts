import type { PatternResult } from '../metrics/results.js';
import type { OutputFile } from '../metrics/writeOutputs.js';
import { figureSet, type FigureJob } from './figureSet.js';
import type { FigureOptions } from './figureSet.js';
import { jsdomDocument } from './jsdomDocument.js';
import { rasterizeAsync } from './rasterize.js';
import { serializeSvg } from './serializeSvg.js';

export type FigureFormat = 'png' | 'svg';

/** PNGs rasterized at once (resvg on libuv's pool): two keep the second core busy; more only add memory. */
const RASTER_LANES = 2;

/** Every figure of a run as output files (Node: jsdom builds the SVGs, resvg rasterizes them off the main thread). */
export function figureFiles(patterns: PatternResult[], formats: readonly FigureFormat[], options: FigureOptions = {}, onFigure?: (done: number, total: number) => void): Promise<OutputFile[]> {
  return jobFiles(figureSet(patterns, options), formats, onFigure);
}

/** Figure jobs (a run's, a sweep's) as output files. */
export async function jobFiles(jobs: FigureJob[], formats: readonly FigureFormat[], onFigure?: (done: number, total: number) => void): Promise<OutputFile[]> {
  const document = jsdomDocument();
  const svgs: { name: string; svg: string }[] = [];
  const pngs: (Buffer | null)[] = new Array(jobs.length).fill(null);
  const rasterizing = new Set<Promise<void>>();
  let drawn = 0;
  // each SVG goes to the rasterizer as soon as it is built: resvg works on libuv's pool while the
  // next SVG is built here, at most RASTER_LANES at a time
  for (const [i, job] of jobs.entries()) {
    const svg = serializeSvg(job.build({ document }));
    svgs.push({ name: job.name, svg });
    if (!formats.includes('png')) continue;
    if (rasterizing.size >= RASTER_LANES) await Promise.race(rasterizing);
    const done: Promise<void> = rasterizeAsync(svg).then((png) => {
      pngs[i] = png;
      rasterizing.delete(done);
      onFigure?.(++drawn, jobs.length);
    });
    rasterizing.add(done);
  }
  document.defaultView?.close();
  await Promise.all(rasterizing);
  if (!formats.includes('png')) onFigure?.(svgs.length, svgs.length);
  const files: OutputFile[] = [];
  svgs.forEach(({ name, svg }, i) => {
    if (pngs[i]) files.push({ name: `${name}.png`, data: pngs[i] as Buffer });
    if (formats.includes('svg')) files.push({ name: `${name}.svg`, data: svg });
  });
  return files;
}
