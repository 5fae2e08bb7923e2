// How much of one sample's finite-width spread (finiteWidth.ts) a batch shares, He + ReLU, zero bias. Layer l multiplies
// sample b's ‖a‖² by R_b = (2/n)·Σ_j ReLU(z_bj)², z_bj = w_j·a_b/‖a_b‖·√n over the n units j, with the same W for every
// sample. For two samples whose z have correlation c_l (the correlation map from --input-corr), the units' terms
// are independent over j, so (small fluctuations, ln R ≈ R − 1)
//   Cov(ln R₁, ln R₂) ≈ (4/n)·(E[ReLU(u₁)²·ReLU(u₂)²] − ¼),   E[ReLU(u₁)²ReLU(u₂)²] = J₂(θ)/(2π),  θ = arccos c,
// J₂(θ) = 3 sin θ cos θ + (π − θ)(1 + 2cos²θ) (Cho & Saul 2009, "Kernel methods for deep learning", eq. 6–7, n = 2).
// At c = 1 this is the variance 5/n; a pair shares the share ρ_l = (J₂(θ_l)/(2π) − ¼)/(3/2 − ¼) of it, and we take the
// share of the exact per-layer variance v = Var ln R (layerLogMoments). Layers are independent given the inputs' path,
// so across draws of W the per-sample log ratio Y_b = G + E_b splits into a part G that the whole batch shares, of
// variance κ_l = Σ_{k ≤ l} ρ_k·v, and a part E_b of variance l·v − κ_l that a batch of B samples averages down, B
// times. So ln E[a²]_l, the batch mean, spreads across seeds with variance κ_l + (l·v − κ_l)/B (to leading order),
// not l·v: with c₀ = 0 and B = 512, 200 seeds measure sd log10 E[a²]₂₀ = 0.463 / 0.323 / 0.239 ± 5% at n = 64 / 128 /
// 256 against 0.466 / 0.324 / 0.228 here and the per-sample law's 0.560 / 0.390 / 0.273.
import { correlationStep } from './correlationMap.js';
import { layerLogMoments } from './finiteWidth.js';
import { acos, cos, sin } from './portableMath.js';

/** Per layer l = 1 … L, variances of ln: one sample's (l·v), the batch's shared part κ_l, and ln E[a²]_l's across draws of W. */
export interface BatchSpread {
  sample: number[];
  shared: number[];
  batchMean: number[];
}

/** The share of a layer's log-variance that two samples with correlation c share: (J₂(θ)/(2π) − ¼)/(5/4). */
export function sharedShare(c: number): number {
  const theta = acos(Math.max(-1, Math.min(1, c)));
  const j2 = 3 * sin(theta) * cos(theta) + (Math.PI - theta) * (1 + 2 * cos(theta) ** 2);
  return (j2 / (2 * Math.PI) - 0.25) / 1.25;
}

/** The spreads of `layers` He + ReLU layers of width n, inputs of pair correlation c₀, batches of B rows. */
export function heReluBatchSpread(n: number, layers: number, inputCorr: number, batch: number): BatchSpread {
  const v = layerLogMoments(n).variance;
  const out: BatchSpread = { sample: [], shared: [], batchMean: [] };
  let c = inputCorr, shared = 0;
  for (let l = 1; l <= layers; l++) {
    shared += sharedShare(c) * v;
    const sample = l * v;
    out.sample.push(sample);
    out.shared.push(shared);
    out.batchMean.push(shared + (sample - shared) / batch);
    // the correlation of z one layer up: the normalized arc-cosine map at σw² = 2, σb² = 0 (any q: ReLU is homogeneous)
    c = correlationStep('relu', 1, c, 2, 0);
  }
  return out;
}
