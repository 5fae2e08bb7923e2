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
//
// Softmax attention (--qk-gain g > 0), derived here for infinite width and many heads (the record's heads
// average the same way; measured at 4 heads the maps agree within 0.005 over 12 blocks). In the symmetric
// kernel of a sequence, K̂ = q̂·((1 − ĉ)·I + ĉ·J) of the block's normalized input (q̂ = q, ĉ = c without a norm;
// q̂ = 1 with layer norm), a head's queries and keys have K̂·g² as their covariance across tokens, so its logits
// S = Q·Kᵀ/√d_h tend to a Gaussian matrix of covariance g⁴·K̂ ⊗ K̂: S = g²·K̂^½·G·K̂^½ with G standard normal and
// K̂^½ = √q̂·(A·I + B·J), A = √(1 − ĉ), B = (√(1 − ĉ + T·ĉ) − A)/T. Dropping what is constant along a row leaves
// s_ij = u·G_ij + v·Σ_a G_aj with u = g²q̂A², v = g²q̂AB (softmaxMoments.ts samples its rows). V is independent
// of the weights p (W_V is), so a head's output kernel is P·σ_V²K̂·Pᵀ and, averaged over heads and W_O,
//   E[r_i·r_i]/n = σ_V²σ_O²·q̂·((1 − ĉ)·a + ĉ),   E[r_i·r_i′]/n = σ_V²σ_O²·q̂·((1 − ĉ)·b + ĉ),
// a = E[Σ_j p_ij²], b = E[Σ_j p_ij·p_i′j], since Σ_j p_ij = 1. Uniform rows (g = 0: a = b = 1/T) give the map
// above. Shaped attention (V_i + Σ_j (p_ij − 1/m)·V_j, logits over √width) tends to V_i itself: a = 1, b = 0.
// Then q′ = q + α²·r_ii, q′c′ = qc + α²·r_ii′ with a skip, and q′ = r_ii, c′ = r_ii′/r_ii without.
import type { ActivationName } from './activations.js';
import { pairMoment } from './correlationMap.js';
import type { NormName } from './residualStream.js';
import { softmaxMoments } from './softmaxMoments.js';
import { log } from './portableMath.js';

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

/** How a block's attention rows are formed: softmax of logits with gain g (0: uniform), or shaped (its infinite-width limit). */
export interface AttentionRows {
  qkGain: number;
  shaped: boolean;
}

/**
 * One attention sub-block of softmax (or shaped) attention on the token kernel (derivation above), and the
 * rows' expected entropy over log T (attn_entropy's theory).
 */
export function attentionStep(state: TokenState, tokens: number, rows: AttentionRows, sigmaV2: number, sigmaO2: number, norm: NormName, alpha?: number): TokenState & { entropy: number } {
  if (rows.qkGain === 0 && !rows.shaped) return { ...uniformAttentionStep(state, tokens, sigmaV2, sigmaO2, norm, alpha), entropy: 1 };
  const qh = norm === 'none' ? state.q : 1, ch = state.c, g2 = rows.qkGain * rows.qkGain;
  const A = Math.sqrt(Math.max(0, 1 - ch)), B = (Math.sqrt(Math.max(0, 1 - ch + tokens * ch)) - A) / tokens;
  const m = rows.shaped ? { ownSquare: 1, shared: 0, entropy: log(tokens) } : softmaxMoments(g2 * qh * A * A, g2 * qh * A * B, tokens);
  const scale = sigmaV2 * sigmaO2 * qh, own = scale * ((1 - ch) * m.ownSquare + ch), shared = scale * ((1 - ch) * m.shared + ch);
  const entropy = m.entropy / log(tokens);
  if (alpha === undefined) return { q: own, c: own === 0 ? 1 : shared / own, entropy };
  const q = state.q + alpha * alpha * own;
  return { q, c: (state.q * state.c + alpha * alpha * shared) / q, entropy };
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
