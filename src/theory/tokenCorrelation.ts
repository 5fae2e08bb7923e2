// The token kernel of a sequence through attention blocks at initialization, where attention is uniform
// (--qk-gain 0: softmax of zero logits, so every head outputs its sequence's mean of V). This is the
// baseline the softmax blocks are measured against (issue 27; Dong, Cordonnier & Loukas 2021 for the pure
// attention's collapse, Noci et al. 2022, arXiv 2206.03126, for the residual's role).
//
// Derivation. Write the T tokens of a sequence as x_i = m + e_i, m their mean (Σ_i e_i = 0). Uniform
// attention maps every token to A·m̃ with A = W_O·W_V (heads concatenated: W_V stacks the heads' rows) and
// m̃ the mean of the normalized tokens. Without a skip, x_i′ = A·m̃ for every i: all tokens are one vector,
// token_corr = 1 after one block. With a skip of strength α, x_i′ = x_i + α·A·m̃, so the deviations e_i
// pass unchanged and only the mean moves: m′ = m + α·A·m̃. With independent W_V, W_O of entry variances
// σ_V²/n and σ_O²/n, A·m̃ has E|A·m̃|² = σ_V²σ_O²·|m̃|² and is uncorrelated with m, so per entry
//   M′ = M + α²σ_V²σ_O²·M̃,   D′ = D,
// with M = |m|²/n, D = (1/T)Σ|e_i|²/n and M̃ the normalized tokens' M: M̃ = M without a norm, M/q with one
// (layer norm divides each token by its √(E over entries of x²) ≈ √q; nf by the predicted √q; batch norm
// each channel by its batch std ≈ √q, the batch holding many sequences, whose means average out).
// The tokens' second moment q and mean pair cosine c determine M and D, and are determined by them:
//   M = q(1 + (T − 1)c)/T,   D = q(T − 1)(1 − c)/T,   q = M + D,   c = (M − D/(T − 1))/q,
// since Σ_{j≠i} e_i·e_j = −|e_i|². The mean's energy grows by 1 + α²σ_V²σ_O² a block (without a norm)
// while the deviations stay: c → 1, the rank collapse, geometrically in depth unless α shrinks with it.
import type { ActivationName } from './activations.js';
import { pairMoment } from './correlationMap.js';
import type { NormName } from './residualStream.js';

/** What the token kernel needs of a sequence: E[x²] per entry and the mean pair cosine of its tokens. */
export interface TokenState {
  q: number;
  c: number;
}

/** The sequence's mean energy M and the tokens' deviation energy D (per entry), from (q, c). */
export function meanAndDeviation(state: TokenState, tokens: number): { M: number; D: number } {
  return { M: (state.q * (1 + (tokens - 1) * state.c)) / tokens, D: (state.q * (tokens - 1) * (1 - state.c)) / tokens };
}

/**
 * One uniform-attention block: x ← A·N(x)'s sequence mean (no skip, `alpha` undefined) or x ← x + α·A·mean(N(x)),
 * with σ_V², σ_O² the value and output projections' σw² (entry variance × fan-in).
 */
export function uniformAttentionStep(state: TokenState, tokens: number, sigmaV2: number, sigmaO2: number, norm: NormName, alpha?: number): TokenState {
  const { M, D } = meanAndDeviation(state, tokens);
  const normalizedM = norm === 'none' ? M : M / state.q;
  const added = sigmaV2 * sigmaO2 * normalizedM;
  if (alpha === undefined) return { q: added, c: 1 };
  const mean = M + alpha * alpha * added;
  return { q: mean + D, c: (mean - D / (tokens - 1)) / (mean + D) };
}

/** The token kernel after each of `depth` uniform-attention blocks, from the input's (q, c). */
export function uniformAttentionMap(input: TokenState, depth: number, tokens: number, sigmaV2: number, sigmaO2: number, norm: NormName, alpha?: number): TokenState[] {
  const states: TokenState[] = [];
  let state = input;
  for (let l = 0; l < depth; l++) states.push((state = uniformAttentionStep(state, tokens, sigmaV2, sigmaO2, norm, alpha)));
  return states;
}

/**
 * The MLP sub-block of a transformer block, token by token (it mixes no tokens, so (q, c) is all it sees):
 * with a skip, x ← x + α·(W·φ(N(x)) + b), the residual block of residualStream.ts: r is uncorrelated with x
 * (W is fresh), E[r_i·r_j]/n = σw²·E[φ(h_i)φ(h_j)] + σb² with (h_i, h_j) of variance q_h (1 with a norm, q
 * without; each norm keeps the tokens' cosine) and correlation c, so q′ = q + α²(σw²E[φ(h)²] + σb²) and
 * q′c′ = qc + α²(σw²E[φ(h_i)φ(h_j)] + σb²). Without a skip it is today's plain block z = W·x + b, h = N(z),
 * x ← φ(h): the c-map of Poole et al. 2016 (correlationMap.ts) on (q, c).
 */
export function mlpStep(state: TokenState, activation: ActivationName, leakyAlpha: number, sigmaW2: number, sigmaB2: number, norm: NormName, alpha?: number): TokenState {
  if (alpha === undefined) {
    const qz = sigmaW2 * state.q + sigmaB2, cz = (sigmaW2 * state.q * state.c + sigmaB2) / qz, qh = norm === 'none' ? qz : 1;
    const q = pairMoment(activation, qh, qh, 1, leakyAlpha);
    return { q, c: pairMoment(activation, qh, qh, cz, leakyAlpha) / q };
  }
  const qh = norm === 'none' ? state.q : 1;
  const q = state.q + alpha * alpha * (sigmaW2 * pairMoment(activation, qh, qh, 1, leakyAlpha) + sigmaB2);
  return { q, c: (state.q * state.c + alpha * alpha * (sigmaW2 * pairMoment(activation, qh, qh, state.c, leakyAlpha) + sigmaB2)) / q };
}
