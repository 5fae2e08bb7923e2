// Mean-field theory of residual blocks with normalization (Brock, De & Smith 2021, "Characterizing
// signal propagation to close the performance gap in unnormalized ResNets"; He et al. 2016 v2 for the
// pre-activation block). Block l: h = N(x), a = φ(h), r = a·Wᵀ + b, x ← x + α·r; a plain block is
// z = x·Wᵀ + b, h = N(z), a = φ(h), x ← a. N: none; batch (per channel over the batch), layer (per row)
// and nf (x / the predicted √E[x²], Brock et al.'s β) all give E[h²] = 1, which is all the map needs.
//
// The stream's second moment: r's entries are sums of n products with independent W, so
// E[r²] = σw²·E[φ(h)²] + σb² = σw²·V(q_h) + σb², and r is uncorrelated with x (W is fresh), hence
//   q_{l+1} = q_l + α²·(σw²·V(q_h) + σb²),   q_h = q_l without normalization, 1 with it.
// Channel means: channel j of r has batch mean Σ_k W_jk·ā_k + b_j, with ā_k the batch mean of φ(h_k);
// over channels (W random) its square averages σw²·mean_k(ā_k²) + σb², and the blocks' W are
// independent, so each block adds α²·(σw²·mean_k(ā_k²) + σb²) to the average squared channel mean, the
// "mean shift" of Brock et al.'s SPPs. Batch norm centres every channel of h, so ā_k = M(1) for all k.
// Without it (none, layer, nf) channel k of h keeps a mean μ_k, spread over channels with variance
// s² = x_sq_ch_mean/q (a share of h's q_h), so h_k = μ_k + noise and mean_k(ā_k²) = E[φ(u)φ(u′)] for
// u, u′ of variance q_h sharing μ: the pair moment at correlation s². The channel variance is the rest:
// E[x²] − x_sq_ch_mean.
import type { ActivationName } from './activations.js';
import { LEAKY_ALPHA_DEFAULT } from './activations.js';
import { pairMoment } from './correlationMap.js';
import { moments } from './moments.js';

export const NORMS = ['none', 'batch', 'layer', 'nf'] as const;
export type NormName = (typeof NORMS)[number];
/** How a pattern's name spells its norm ("C) He + ReLU, batch norm"). */
export const NORM_LABELS: Record<NormName, string> = { none: 'no norm', batch: 'batch norm', layer: 'layer norm', nf: 'NF' };

/** What theory predicts for one block's output x (and, for residual blocks, its branch r). */
export interface BlockTheory {
  /** E[x²] of the block's output. */
  x_ex2: number;
  /** The mean over channels of (the channel's batch mean)²; null for a plain block without normalization (see below). */
  x_sq_ch_mean: number | null;
  /** The mean over channels of the channel's batch variance (null likewise). */
  x_ch_var: number | null;
  /** E[h²] of φ's input (q_h). */
  h_ex2: number;
  /** E[·²] of N's input: the block's x (residual) or z (plain); nf divides by its square root, Brock et al.'s β. */
  norm_input_ex2: number;
  /** The mean channel variance of N's input (what batch norm divides by): its E[·²] less its squared channel means. */
  norm_input_ch_var: number;
  /** Residual blocks: the mean channel variance of the branch r. */
  branch_ch_var?: number;
}

/**
 * Each block's prediction for inputs x ~ N(0, 1) (E[x²] = 1, channel means 0). `sigmaW2[l]` is block
 * l+1's weight variance × fan-in, σb² the bias variance, `residual` α (undefined: plain blocks). `unitLinear`
 * (LSUV): every block's linear output has E[·²] = 1 by construction (σw² fitted to it, no bias).
 */
export function residualStream(activation: ActivationName, norm: NormName, sigmaW2: readonly number[], sigmaB2: number, residual?: number, alpha = LEAKY_ALPHA_DEFAULT, unitLinear = false): BlockTheory[] {
  const { V, M } = moments(activation, alpha);
  const out: BlockTheory[] = [];
  let q = 1, sqMean = 0;
  for (const drawn of sigmaW2) {
    if (residual !== undefined) {
      const qh = norm === 'none' ? q : 1;
      const s2 = unitLinear ? 1 / V(qh) : drawn, b2 = unitLinear ? 0 : sigmaB2;
      const meanShare = norm === 'batch' || !(q > 0) ? 0 : Math.min(1, sqMean / q);
      const squaredMeans = meanShare === 0 ? M(qh) ** 2 : pairMoment(activation, qh, qh, meanShare, alpha);
      const branch = s2 * V(qh) + b2, shift = s2 * squaredMeans + b2;
      const input = q, inputVar = q - sqMean;
      q += residual * residual * branch;
      sqMean += residual * residual * shift;
      out.push({ x_ex2: q, x_sq_ch_mean: sqMean, x_ch_var: q - sqMean, h_ex2: qh, norm_input_ex2: input, norm_input_ch_var: inputVar, branch_ch_var: branch - shift });
    } else if (norm !== 'none') {
      // plain and normalized: E[h²] = 1. z = x·Wᵀ + b has E[z²] = σw²·q + σb², of which σw²·(x's squared channel
      // means) + σb² is channel means (W mixes x's channel means into z's) and σw²·(q − x's squared channel means) the
      // channel variance. Batch norm centres every channel of h, so x ← φ(h) has channel means M(1); layer norm and
      // nf keep z's channel means (a row's mean over n channels is ~1/√n of them), a share s of E[h²], so channel k
      // of h is μ_k + noise and mean_k(ā_k²) is the pair moment at correlation s, as in the residual stream above
      const s2 = unitLinear ? 1 / q : drawn, b2 = unitLinear ? 0 : sigmaB2, input = unitLinear ? 1 : s2 * q + sigmaB2, inputVar = s2 * (q - sqMean);
      const meanShare = norm === 'batch' || !(input > 0) ? 0 : Math.min(1, (s2 * sqMean + b2) / input);
      q = V(1);
      sqMean = meanShare === 0 ? M(1) ** 2 : pairMoment(activation, 1, 1, meanShare, alpha);
      out.push({ x_ex2: q, x_sq_ch_mean: sqMean, x_ch_var: q - sqMean, h_ex2: 1, norm_input_ex2: input, norm_input_ch_var: inputVar });
    } else {
      // plain without normalization (today's network): the length map's q; the channel means of φ(z) depend on
      // how W mixes the previous layer's channel means, which the mean-field map does not follow
      const qz = drawn * q + sigmaB2;
      q = V(qz);
      out.push({ x_ex2: q, x_sq_ch_mean: null, x_ch_var: null, h_ex2: qz, norm_input_ex2: qz, norm_input_ch_var: qz });
    }
  }
  return out;
}
