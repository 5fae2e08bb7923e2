import { extent, median } from 'd3';

/** Median, min and max of a sample. */
export function summarize(values: number[]): { median: number; min: number; max: number } {
  const [min, max] = extent(values) as [number, number];
  return { median: median(values)!, min, max };
}

export const round1 = (v: number) => Math.round(v * 10) / 10;
export const round2 = (v: number) => Math.round(v * 100) / 100;
