// What a block's channel statistics measure over a finite batch of B rows, against residualStream's infinite
// batch. The tool measures, per channel j over the B rows, the batch mean m̂_j = (1/B)·Σ_b x_bj and the population
// variance v̂_j = (1/B)·Σ_b (x_bj − m̂_j)², and reports x_sq_ch_mean = mean_j m̂_j², x_ch_var = mean_j v̂_j (their
// sum is E[x²] over all entries, which is unbiased). With rows independent given the weights (no norm, layer
// norm, NF: each row is normalized on its own) and channel j of mean μ_j and variance σ_j²,
//   E[m̂_j²] = μ_j² + σ_j²/B   and   E[v̂_j] = σ_j²·(B − 1)/B,
// so the measured squared channel mean carries x_ch_var/B more than the infinite batch's, and the channel variance
// as much less. Batch norm couples the rows: h = (z − m̂)/ŝ is exactly centred and scaled over the batch, so φ(h)'s
// batch mean ā moves less than σ²/B and is biased. To leading order in 1/B (the ε of 1e-5 left out):
//   ĥ is symmetric with E[ĥ²] = 1 and excess kurtosis −6/(B + 1), so (Edgeworth; E[f⁗(u)] = E[He₄(u)·f(u)])
//     E[f(ĥ)] = E[f(u)] − E[He₄(u)·f(u)]/(4B),   u ~ N(0, 1), He₄(u) = u⁴ − 6u² + 3;
//   ā − E[ā] ≈ the batch mean of φ(u) − E[uφ]·u − E[(u² − 1)φ]·(u² − 1)/2 (the delta method: batch norm removes
//     the batch's own mean and scale), of variance (Var φ − E[uφ]² − E[(u² − 1)φ]²/2)/B.
// ReLU: E[ā²] = 1/(2π) + 0.0908/B; a 2e5-batch Monte Carlo gives 0.0957/B at B = 16, 0.093/B at 64, 0.088/B at 512.
import type { ActivationName } from './activations.js';
import { ACTIVATIONS, LEAKY_ALPHA_DEFAULT } from './activations.js';
import { evenExpectation } from './gaussianExpectation.js';
import { moments } from './moments.js';
import type { BlockTheory, NormName } from './residualStream.js';

/** A block's stream statistics as measured over a batch of B rows: what the record's own fields estimate. */
export interface MeasuredBlockTheory {
  x_ex2: number;
  x_sq_ch_mean: number | null;
  x_ch_var: number | null;
  branch_ch_var?: number;
}

/**
 * Batch norm at unit input (q_h = 1): E[ā²] = M(1)² + shift/B and E[φ(ĥ)²] = V(1) + square/B, to leading order in
 * 1/B (see above): shift = 2·M·β + (Var φ − a² − b²/2) with β = −E[He₄φ]/4, a = E[uφ], b = E[(u² − 1)φ];
 * square = −E[He₄φ²]/4.
 */
export function batchNormTerms(activation: ActivationName, alpha = LEAKY_ALPHA_DEFAULT): { shift: number; square: number } {
  const phi = (z: number) => ACTIVATIONS[activation].phi(z, alpha);
  const he4 = (z: number) => z ** 4 - 6 * z * z + 3;
  // evenExpectation takes the even part at |z|: odd parts cancel and are left out
  const even = (f: (z: number) => number) => (z: number) => (f(z) + f(-z)) / 2;
  const { V, M } = moments(activation, alpha), m = M(1);
  const a = evenExpectation(even((z) => z * phi(z)), 1);
  const b = evenExpectation(even((z) => (z * z - 1) * phi(z)), 1);
  const beta = -evenExpectation(even((z) => he4(z) * phi(z)), 1) / 4;
  const square = -evenExpectation(even((z) => he4(z) * phi(z) ** 2), 1) / 4;
  return { shift: 2 * m * beta + (V(1) - m * m - a * a - (b * b) / 2), square };
}

/**
 * residualStream's blocks as a batch of `batch` rows measures them (see above). `sigmaW2`, σb², `residual` and
 * `unitLinear` as residualStream was given them.
 */
export function measuredBlocks(blocks: readonly BlockTheory[], activation: ActivationName, norm: NormName, batch: number, sigmaW2: readonly number[], sigmaB2: number, residual?: number, alpha = LEAKY_ALPHA_DEFAULT, unitLinear = false): MeasuredBlockTheory[] {
  if (norm !== 'batch') {
    return blocks.map((b) => {
      if (b.x_sq_ch_mean === null || b.x_ch_var === null) return { x_ex2: b.x_ex2, x_sq_ch_mean: null, x_ch_var: null };
      const out: MeasuredBlockTheory = { x_ex2: b.x_ex2, x_sq_ch_mean: b.x_sq_ch_mean + b.x_ch_var / batch, x_ch_var: (b.x_ch_var * (batch - 1)) / batch };
      if (b.branch_ch_var !== undefined) out.branch_ch_var = (b.branch_ch_var * (batch - 1)) / batch;
      return out;
    });
  }
  const { V, M } = moments(activation, alpha), { shift, square } = batchNormTerms(activation, alpha);
  const meanSquare = M(1) ** 2 + shift / batch, ex2 = V(1) + square / batch;
  if (residual === undefined) return blocks.map(() => ({ x_ex2: ex2, x_sq_ch_mean: meanSquare, x_ch_var: ex2 - meanSquare }));
  // the stream: x₀ ~ N(0, 1) has E[m̂²] = 1/B; each block adds α²·(σw²·E[ā²] + σb²) to it (fresh W: no cross terms)
  // and α²·(σw²·E[φ(ĥ)²] + σb²) to E[x²]
  let q = 1, sqMean = 1 / batch;
  return blocks.map((_, i) => {
    const s2 = unitLinear ? 1 / V(1) : sigmaW2[i], b2 = unitLinear ? 0 : sigmaB2;
    q += residual * residual * (s2 * ex2 + b2);
    sqMean += residual * residual * (s2 * meanSquare + b2);
    return { x_ex2: q, x_sq_ch_mean: sqMean, x_ch_var: q - sqMean, branch_ch_var: s2 * (ex2 - meanSquare) };
  });
}
