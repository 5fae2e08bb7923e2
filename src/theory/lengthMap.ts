import type { ActivationName } from './activations.js';
import { correlationStep } from './correlationMap.js';
import { moments, zeroProbability } from './moments.js';

/** What mean-field theory predicts for one layer (the `theory` object of a metrics.json record). */
export interface LayerTheory {
  z_ex2: number;
  a_ex2: number;
  relu_ex2_ratio: number | null;
  zero_frac: number;
  /** The correlation of two inputs' z at this layer (the correlation map from --input-corr); null where q is 0 or not finite. */
  c: number | null;
  /** --seq-len T > 1: the mean pair cosine of a sequence's tokens in the block's output (tokenCorrelation.ts). */
  token_corr?: number | null;
  /** Attention blocks: the rows' expected entropy over log T (tokenCorrelation.ts). */
  attn_entropy?: number | null;
  /**
   * Blocks with a norm or a residual (see residualStream.ts): of the block's output x, E[x²], the mean channel
   * variance and the mean squared channel mean, as a batch of B rows measures them (finiteBatch.ts).
   */
  x_ex2?: number;
  x_ch_var?: number | null;
  x_sq_ch_mean?: number | null;
  /** Residual blocks: the branch r's mean channel variance. */
  branch_ch_var?: number;
  /** --backward: E[(δz)²] going down from the measured last layer by the layers' χ (null past a dead layer). */
  grad_z_ex2?: number | null;
  /**
   * --spectrum: E‖J‖²_F/n₀ of the input–output Jacobian J at this layer, the product of the layers' χ
   * = σw²·(n_l/n_{l−1})·E[φ′(z_l)²] from the first layer up (Pennington, Schoenholz & Ganguli 2017,
   * arXiv 1711.04735, §2.2: the mean squared singular value of J is ∏ χ); null past a dead layer.
   */
  jacobian_sq_mean?: number | null;
  /** --backward, residual blocks: the stream's E[(δx)²] going down likewise. */
  grad_x_ex2?: number | null;
}

/**
 * The mean-field length map (Poole et al. 2016, "Exponential expressivity in deep neural networks
 * through transient chaos"): q¹ = σw²·E[x²] + σb² with E[x²] = 1 for the N(0,1) input, and
 * qˡ = σw²·V(qˡ⁻¹) + σb². `sigmaW2[l]` is layer l+1's weight variance × fan-in. Beside it the
 * correlation map from inputs of correlation `inputCorr`.
 */
export function lengthMap(activation: ActivationName, sigmaW2: readonly number[], sigmaB2 = 0, alpha?: number, inputCorr = 0): LayerTheory[] {
  return [...lengthMapLayers(activation, sigmaW2, sigmaB2, alpha, inputCorr)];
}

/** lengthMap one layer at a time, so a caller can work out each layer's theory while that layer runs. */
export function* lengthMapLayers(activation: ActivationName, sigmaW2: readonly number[], sigmaB2 = 0, alpha?: number, inputCorr = 0): Generator<LayerTheory> {
  const { V } = moments(activation, alpha);
  const qs: number[] = [];
  const trail = correlationTrail(activation, qs, sigmaW2, sigmaB2, alpha, inputCorr);
  let inputEx2 = 1;
  for (const s2 of sigmaW2) {
    const q = s2 * inputEx2 + sigmaB2;
    const v = V(q);
    qs.push(q);
    yield { z_ex2: q, a_ex2: v, relu_ex2_ratio: q === 0 ? null : v / q, zero_frac: zeroProbability(activation, alpha), c: trail.next().value as number | null };
    inputEx2 = v;
  }
}

/**
 * The correlation of z layer by layer (Poole et al. 2016; Schoenholz et al. 2017), iterated with each
 * layer's own q (not q*): c¹ = (σw²·c₀ + σb²)/(σw² + σb²) for inputs with E[x²] = 1 and correlation c₀,
 * then cˡ⁺¹ = (σw²·E[φ(u₁)φ(u₂)] + σb²)/(σw²·V(qˡ) + σb²) over (u₁, u₂) with variance qˡ and correlation cˡ.
 * Null from the first layer whose q is 0 or not finite (no direction left to compare). Layer l's value
 * needs qs[0 … l − 2] only, so `qs` may grow while the values are taken.
 */
export function* correlationTrail(activation: ActivationName, qs: readonly number[], sigmaW2: readonly number[], sigmaB2: number, alpha: number | undefined, inputCorr: number): Generator<number | null> {
  let c: number | null = sigmaW2[0] + sigmaB2 > 0 ? (sigmaW2[0] * inputCorr + sigmaB2) / (sigmaW2[0] + sigmaB2) : null;
  for (let l = 0; l < sigmaW2.length; l++) {
    if (l > 0) {
      const q = qs[l - 1];
      c = c !== null && q > 0 && Number.isFinite(q) ? correlationStep(activation, q, c, sigmaW2[l], sigmaB2, alpha) : null;
      if (c !== null && !Number.isFinite(c)) c = null;
    }
    yield c;
  }
}
