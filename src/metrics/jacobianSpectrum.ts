// The measured spectrum of JJᵀ at one layer: every input's eigenvalues, pooled, summarized as the
// record's moments, extremes and a histogram over log10 λ.
import { countInBins, histogramEdges } from './histogram.js';
import { symmetricEigenvalues } from './symmetricEigen.js';
import { log10 } from '../theory/portableMath.js';
import type { MeasuredSpectrum } from './results.js';

/**
 * The nonzero eigenvalues of JJᵀ from the rows of Jᵀ (n₀ rows of n_l values, one per unit tangent):
 * the Gram matrix of the smaller side, JᵀJ (n₀ × n₀) or JJᵀ (n_l × n_l), whose nonzero eigenvalues are
 * the same, formed in float64 from the float32 tangents and solved in float64. min(n₀, n_l) values.
 */
export function gramEigenvalues(rowsOfJt: Float32Array, n0: number, nl: number): Float64Array {
  const m = Math.min(n0, nl), gram = new Float64Array(m * m);
  if (n0 <= nl) {
    // JᵀJ[i][j] = Σ_c T[i][c]·T[j][c]
    for (let i = 0; i < n0; i++) for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = 0; c < nl; c++) s += rowsOfJt[i * nl + c] * rowsOfJt[j * nl + c];
      gram[i * m + j] = s;
    }
  } else {
    // JJᵀ[a][b] = Σ_r T[r][a]·T[r][b], accumulated row by row of T
    for (let r = 0; r < n0; r++) {
      const row = r * nl;
      for (let a = 0; a < nl; a++) {
        const ta = rowsOfJt[row + a];
        for (let b = 0; b <= a; b++) gram[a * m + b] += ta * rowsOfJt[row + b];
      }
    }
  }
  return symmetricEigenvalues(gram, m);
}


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
