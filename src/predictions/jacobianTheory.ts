import type { PatternResult } from '../metrics/results.js';
import { layerWidths, normOf, type ExperimentConfig } from '../model/config.js';
import { moments } from '../theory/moments.js';
import { log10 } from '../theory/portableMath.js';
import { spectrumMoments, type SpectrumLayer } from '../theory/jacobianSpectrum.js';
import { spectrumLaw } from '../theory/spectrumDensity.js';

/**
 * E‖J_l‖²_F/n₀ of the input–output Jacobian J_l = D_l W_l ⋯ D_1 W_1 at every layer: a unit tangent
 * v gains σw²·(n_l/n_{l−1})·E[φ′(z_l)²] = χ_l in E‖·‖² per layer (W_l has variance σw²/n_{l−1} per
 * entry and n_l rows; D_l = diag φ′(z_l) with z_l ~ N(0, q_l) of the length map), so the mean over
 * the n₀ unit tangents is ∏_{k ≤ l} χ_k (Pennington, Schoenholz & Ganguli 2017, arXiv 1711.04735,
 * §2.2: with χ = σw²⟨φ′(h)²⟩, the mean squared singular value of J is χ^L; equation number not checked here). q_l is the length map's, or the measured E[z²]
 * with LSUV (whose σw² is fitted to the batch); `weightVariances` holds each layer's σw² as drawn.
 */
export function attachJacobianTheory(config: ExperimentConfig, result: PatternResult, weightVariances: number[]): void {
  const widths = layerWidths(config);
  const pattern = config.patterns.find((p) => p.name === result.name)!;
  // a norm's Jacobian (its scale, and layer norm's projection) and a residual block's skip are not in this
  // product: no theory is drawn for normalized or residual blocks
  if (normOf(config, pattern) !== 'none' || config.residual !== undefined) {
    for (const record of result.layers) if (record.theory) record.theory.jacobian_sq_mean = null;
    return;
  }
  const { S } = moments(pattern.activation, config.leakyAlpha);
  let product: number | null = 1;
  result.layers.forEach((record, i) => {
    const q = pattern.init === 'lsuv' ? record.z_ex2 : record.theory?.z_ex2 ?? record.z_ex2;
    const chi = weightVariances[i] * (widths[i + 1] / widths[i]) * S(q);
    product = product !== null && q > 0 && Number.isFinite(q) && Number.isFinite(chi) ? product * chi : null;
    if (record.theory) record.theory.jacobian_sq_mean = product;
  });
}

/**
 * The free-probability mean, variance, right edge and density of each measured spectrum layer's eigenvalues
 * (theory/jacobianSpectrum.ts, spectrumSystem.ts, spectrumDensity.ts), from layer 1 up: σw² as drawn, orthogonal
 * rows for orthogonal and LSUV inits, q of the length map (measured E[z²] with LSUV), and the layers' widths.
 */
export function attachSpectrumTheory(config: ExperimentConfig, result: PatternResult, weightVariances: number[]): void {
  if (!result.spectrum) return;
  const widths = layerWidths(config);
  const pattern = config.patterns.find((p) => p.name === result.name)!;
  // nor for normalized or residual blocks (see attachJacobianTheory)
  if (normOf(config, pattern) !== 'none' || config.residual !== undefined) return;
  const kind: SpectrumLayer['weights'] = pattern.init === 'orthogonal' || pattern.init === 'lsuv' ? 'orthogonal' : 'gaussian';
  const layers: SpectrumLayer[] = result.layers.map((record, i) => ({
    sigmaW2: weightVariances[i], weights: kind, q: pattern.init === 'lsuv' ? record.z_ex2 : record.theory?.z_ex2 ?? record.z_ex2, fanIn: widths[i], fanOut: widths[i + 1],
  }));
  for (const entry of result.spectrum.layers) {
    const upTo = layers.slice(0, entry.layer), { mean, normalizedVariance } = spectrumMoments(pattern.activation, config.leakyAlpha, upTo);
    if (!Number.isFinite(mean) || !Number.isFinite(normalizedVariance)) {
      entry.theory = null;
      continue;
    }
    const law = spectrumLaw(pattern.activation, config.leakyAlpha, upTo, (edge) => densityGrid(entry.log10_edges, edge));
    entry.theory = { eig_mean: mean, eig_var: normalizedVariance * mean * mean, eig_max: law.edge, log10_lambda: law.density ? law.grid : null, density: law.density, zero_fraction: law.zeroFraction };
  }
}

/** Where the density is drawn: the histogram's range widened by two bins each side and up to the theory's edge, four points per bin. */
function densityGrid(edges: readonly number[], eigMax: number): number[] {
  const top = log10(eigMax);
  if (edges.length < 2) return Array.from({ length: 121 }, (_, i) => top - 3 + (3.2 * i) / 120);
  const bin = edges[1] - edges[0], from = edges[0] - 2 * bin, to = Math.max(edges[edges.length - 1], top) + 2 * bin;
  const points = Math.round(((to - from) / bin) * 4) + 1;
  return Array.from({ length: points }, (_, i) => from + ((to - from) * i) / (points - 1));
}
