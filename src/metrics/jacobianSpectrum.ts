// The measured spectrum of JJᵀ at one layer: every input's eigenvalues (the shards' kernels form them:
// assembly/gram.ts, tridiagonal.ts), pooled, summarized as the record's moments, extremes and a histogram over log10 λ.
import { countInBins, histogramEdges } from './histogram.js';
import { log10 } from '../theory/portableMath.js';
import type { MeasuredSpectrum } from './results.js';

/** Moments (population variance), extremes and the histogram of log10 λ of the pooled eigenvalues. */
export function measuredSpectrum(eigenvalues: readonly Float64Array[], bins: number): MeasuredSpectrum {
  let count = 0, sum = 0, max = -Infinity, min = Infinity;
  for (const part of eigenvalues) for (const v of part) {
    count++;
    sum += v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const mean = sum / count;
  let squares = 0;
  for (const part of eigenvalues) for (const v of part) squares += (v - mean) * (v - mean);
  const floor = max * 1e-12, logs: number[] = [];
  for (const part of eigenvalues) for (const v of part) if (v > floor) logs.push(log10(v));
  let lo = Infinity, hi = -Infinity;
  for (const v of logs) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const edges = logs.length > 0 ? histogramEdges(lo, hi, bins) : new Float64Array(0);
  return { eig_mean: mean, eig_var: squares / count, eig_max: max, eig_min: min, zeros: count - logs.length, log10_edges: Array.from(edges), counts: logs.length > 0 ? countInBins(edges, logs) : [] };
}

/** var/mean² of a spectrum's eigenvalues, measured or predicted: how far JJᵀ is from isometry (0). */
export function spreadOf(spectrum: { eig_mean: number; eig_var: number }): number {
  return spectrum.eig_var / (spectrum.eig_mean * spectrum.eig_mean);
}
