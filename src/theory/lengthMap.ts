import type { ActivationName } from './activations.js';
import { moments, zeroProbability } from './moments.js';

/** What mean-field theory predicts for one layer (the `theory` object of a metrics.json record). */
export interface LayerTheory {
  z_ex2: number;
  a_ex2: number;
  relu_ex2_ratio: number | null;
  zero_frac: number;
  /** --backward: E[(δz)²] going down from the measured last layer by the layers' χ (null past a dead layer). */
  grad_z_ex2?: number | null;
}

/**
 * The mean-field length map (Poole et al. 2016, "Exponential expressivity in deep neural networks
 * through transient chaos"): q¹ = σw²·E[x²] + σb² with E[x²] = 1 for the N(0,1) input, and
 * qˡ = σw²·V(qˡ⁻¹) + σb². `sigmaW2[l]` is layer l+1's weight variance × fan-in.
 */
export function lengthMap(activation: ActivationName, sigmaW2: readonly number[], sigmaB2 = 0, alpha?: number): LayerTheory[] {
  const { V } = moments(activation, alpha);
  const out: LayerTheory[] = [];
  let inputEx2 = 1;
  for (const s2 of sigmaW2) {
    const q = s2 * inputEx2 + sigmaB2;
    const v = V(q);
    out.push({ z_ex2: q, a_ex2: v, relu_ex2_ratio: q === 0 ? null : v / q, zero_frac: zeroProbability(activation, alpha) });
    inputEx2 = v;
  }
  return out;
}
