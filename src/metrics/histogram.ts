// The one binning rule of the project, on the host: bins + 1 equal-width edges over [lo, hi], and
// value v in bin i when edges[i] ≤ v < edges[i + 1] (the last bin closed). The kernel's histogram
// (assembly/stats.ts) counts by the same rule; so do the sample norms and the Monte Carlo predictions.
import type { Histogram } from './results.js';

/**
 * bins + 1 equal-width edges over [lo, hi]; the last edge is hi exactly. A degenerate range
 * (all values equal) widens to [lo − ½, hi + ½], as numpy.histogram does.
 */
export function histogramEdges(lo: number, hi: number, bins: number): Float64Array {
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i < bins; i++) edges[i] = lo + ((hi - lo) * i) / bins;
  edges[bins] = hi;
  return edges;
}

/** The bin of v (edges[0] ≤ v ≤ edges[bins]): the arithmetic guess, corrected against the edges; −1 outside. */
export function binOf(edges: ArrayLike<number>, v: number): number {
  const bins = edges.length - 1, lo = edges[0], hi = edges[bins];
  if (!(v >= lo && v <= hi)) return -1;
  let i = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
  while (i > 0 && v < edges[i]) i--;
  while (i < bins - 1 && v >= edges[i + 1]) i++;
  return i;
}

/** Counts of `values` per bin of `edges` (values outside are not counted). */
export function countInBins(edges: ArrayLike<number>, values: Iterable<number>): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const v of values) {
    const i = binOf(edges, v);
    if (i >= 0) counts[i]++;
  }
  return counts;
}

/** The finite values binned over their own range, widened to take in `include` ([lo, hi]) where given. */
export function histogramOfValues(values: number[], bins: number, include?: [number, number]): Histogram {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { edges: [], counts: [] };
  // a loop, not Math.min(...values): a spread of batch × seeds values overflows the call stack above ~130k
  let lo = finite[0], hi = finite[0];
  for (const v of finite) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const edges = histogramEdges(Math.min(lo, include?.[0] ?? lo), Math.max(hi, include?.[1] ?? hi), bins);
  return { edges: Array.from(edges), counts: countInBins(edges, finite) };
}
