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
  // the Gram of the rows (n0 ≤ nl) or of the columns, as the rows of one float64 matrix (columns transposed once)
  const long = Math.max(n0, nl), rows = new Float64Array(m * long);
  if (n0 <= nl) rows.set(rowsOfJt);
  else for (let r = 0; r < n0; r++) for (let c = 0; c < nl; c++) rows[c * n0 + r] = rowsOfJt[r * nl + c];
  // G[i][j] = Σ_c R[i][c]·R[j][c] on the lower triangle, in 2 × 2 blocks of (i, j) (four independent sums,
  // each in c's order); an odd m's last row, and the diagonal blocks' upper entry, come out of the same sums
  const dot = (ri: number, rj: number) => {
    let s = 0;
    for (let c = 0; c < long; c++) s += rows[ri + c] * rows[rj + c];
    return s;
  };
  for (let i = 0; i + 1 < m; i += 2) {
    const r0 = i * long, r1 = r0 + long;
    for (let j = 0; j <= i; j += 2) {
      const q0 = j * long, q1 = q0 + long;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let c = 0; c < long; c++) {
        const a0 = rows[r0 + c], a1 = rows[r1 + c], b0 = rows[q0 + c], b1 = rows[q1 + c];
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
      }
      gram[i * m + j] = s00;
      gram[(i + 1) * m + j] = s10;
      gram[(i + 1) * m + j + 1] = s11;
      if (j + 1 <= i) gram[i * m + j + 1] = s01;
    }
  }
  if (m % 2 === 1) for (let j = 0; j < m; j++) gram[(m - 1) * m + j] = dot((m - 1) * long, j * long);
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
