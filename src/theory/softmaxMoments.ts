// The moments of softmax attention rows at initialization that the token kernel's map needs (tokenCorrelation.ts),
// at infinite width: a query row's logits over T keys are then jointly Gaussian, and per pair of rows (i, i′) and
// key j, after the terms that are constant along a row are dropped (softmax ignores them),
//   s_ij = (u + v)·G_ij + v·G_i′j + v·√(T − 2)·Z_j,   s_i′j = v·G_ij + (u + v)·G_i′j + v·√(T − 2)·Z_j,
// with G, Z independent standard normals, i.i.d. over j (derivation in tokenCorrelation.ts). No closed form is
// known to us for E[Σ_j p_ij²], E[Σ_j p_ij·p_i′j] or the row entropy, so they are averages over a fixed set of
// 2048 row pairs drawn once per T from a seeded generator with the portable log: the same numbers on every
// engine, smooth in (u, v) (common random numbers), with a relative standard error near 0.5%.
import { exp, log } from './portableMath.js';

export interface SoftmaxMoments {
  /** E[Σ_j p_ij²]: 1/T for uniform rows, 1 for one-hot ones. */
  ownSquare: number;
  /** E[Σ_j p_ij·p_i′j] for two rows i ≠ i′ of one head: 1/T for uniform rows. */
  shared: number;
  /** E[−Σ_j p_ij log p_ij]: log T for uniform rows. */
  entropy: number;
}

export const MOMENT_SAMPLES = 2048;
const drawn = new Map<number, Float64Array>();

/** 3·T standard normals per row pair (G_ij, G_i′j, Z_j for each j), MOMENT_SAMPLES pairs, the same for every call with this T. */
function normalsFor(tokens: number): Float64Array {
  const known = drawn.get(tokens);
  if (known) return known;
  const values = new Float64Array(MOMENT_SAMPLES * tokens * 3);
  // xorshift32, then Marsaglia's polar method: only the portable log and the correctly rounded √
  let state = 0x9e3779b9 ^ tokens;
  const uniform = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2147483648 - 1;
  };
  for (let k = 0; k < values.length; k += 2) {
    let x = 0, y = 0, s = 0;
    do {
      x = uniform();
      y = uniform();
      s = x * x + y * y;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * log(s)) / s);
    values[k] = x * f;
    if (k + 1 < values.length) values[k + 1] = y * f;
  }
  drawn.set(tokens, values);
  return values;
}

/** The moments for logit coefficients u (a key's own) and v (the column's shared part), over `tokens` keys. */
export function softmaxMoments(u: number, v: number, tokens: number): SoftmaxMoments {
  const z = normalsFor(tokens), spread = Math.sqrt(Math.max(0, tokens - 2));
  const first = new Float64Array(tokens), second = new Float64Array(tokens);
  let own = 0, shared = 0, entropy = 0;
  for (let n = 0; n < MOMENT_SAMPLES; n++) {
    let top1 = -Infinity, top2 = -Infinity;
    for (let j = 0; j < tokens; j++) {
      const at = (n * tokens + j) * 3, g1 = z[at], g2 = z[at + 1], common = v * spread * z[at + 2];
      first[j] = (u + v) * g1 + v * g2 + common;
      second[j] = v * g1 + (u + v) * g2 + common;
      if (first[j] > top1) top1 = first[j];
      if (second[j] > top2) top2 = second[j];
    }
    let z1 = 0, z2 = 0, w1 = 0, w2 = 0;
    for (let j = 0; j < tokens; j++) {
      const d1 = first[j] - top1, d2 = second[j] - top2, e1 = exp(d1), e2 = exp(d2);
      first[j] = e1;
      second[j] = e2;
      z1 += e1;
      z2 += e2;
      w1 += e1 * d1;
      w2 += e2 * d2;
    }
    let squares = 0, products = 0;
    for (let j = 0; j < tokens; j++) {
      const p1 = first[j] / z1, p2 = second[j] / z2;
      squares += p1 * p1 + p2 * p2;
      products += p1 * p2;
    }
    own += squares / 2;
    shared += products;
    // −Σ p log p = log Z − Σ p·(s − max)
    entropy += (log(z1) - w1 / z1 + log(z2) - w2 / z2) / 2;
  }
  return { ownSquare: own / MOMENT_SAMPLES, shared: shared / MOMENT_SAMPLES, entropy: entropy / MOMENT_SAMPLES };
}
