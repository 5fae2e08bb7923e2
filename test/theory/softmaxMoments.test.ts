// Softmax attention's row moments at infinite width (theory/softmaxMoments.ts) and the token-kernel step built on
// them (theory/tokenCorrelation.ts attentionStep): exact at uniform rows, against quadrature at T = 2, and against
// an independent Monte Carlo of whole T × T logit matrices S = g²·K̂^½·G·K̂^½ (not the reduced rows the theory samples).
import { describe, expect, it } from 'vitest';
import { MOMENT_SAMPLES, softmaxMoments } from '../../src/theory/softmaxMoments.js';
import { attentionStep, uniformAttentionStep } from '../../src/theory/tokenCorrelation.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** E[f(d, d′)] for (d, d′) Gaussian with variances s², s² and covariance r·s², by the midpoint rule on ±8 sd (400² cells). */
function bivariate(s2: number, r: number, f: (d: number, e: number) => number): number {
  const s = Math.sqrt(s2), cells = 400, h = 16 / cells;
  let total = 0;
  for (let i = 0; i < cells; i++) for (let k = 0; k < cells; k++) {
    const x = -8 + (i + 0.5) * h, y = -8 + (k + 0.5) * h;
    // (x, y) standard; d = s·x, d′ = s·(r·x + √(1 − r²)·y)
    total += Math.exp(-(x * x + y * y) / 2) * f(s * x, s * (r * x + Math.sqrt(1 - r * r) * y));
  }
  return (total * h * h) / (2 * Math.PI);
}

/** A seeded N(0, 1) stream (mulberry32 and Box–Muller), independent of the theory's generator. */
function gaussians(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Whole logit matrices of a symmetric kernel (q̂, ĉ): each row's Σp², each pair of rows' Σ p·p′ and each row's entropy, with their means and standard errors. */
function wholeMatrices(g: number, qh: number, ch: number, T: number, samples: number) {
  const next = gaussians(12345);
  // K̂^½ = √q̂·(A·I + B·J), written out as a matrix
  const A = Math.sqrt(1 - ch), B = (Math.sqrt(1 - ch + T * ch) - A) / T;
  const root = Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => Math.sqrt(qh) * ((i === j ? A : 0) + B)));
  const stats = { own: [] as number[], shared: [] as number[], entropy: [] as number[] };
  for (let n = 0; n < samples; n++) {
    const G = Array.from({ length: T }, () => Array.from({ length: T }, next));
    const left = root.map((row) => Array.from({ length: T }, (_, j) => row.reduce((t, r, k) => t + r * G[k][j], 0)));
    const S = left.map((row) => Array.from({ length: T }, (_, j) => g * g * row.reduce((t, r, k) => t + r * root[k][j], 0)));
    const P = S.map((row) => {
      const top = Math.max(...row), e = row.map((s) => Math.exp(s - top)), z = e.reduce((t, v) => t + v, 0);
      return e.map((v) => v / z);
    });
    stats.own.push(P[0].reduce((t, p) => t + p * p, 0));
    stats.shared.push(P[0].reduce((t, p, j) => t + p * P[1][j], 0));
    stats.entropy.push(-P[0].reduce((t, p) => t + (p > 0 ? p * Math.log(p) : 0), 0));
  }
  const summary = (v: number[]) => {
    const m = v.reduce((t, x) => t + x, 0) / v.length;
    return { mean: m, se: Math.sqrt(v.reduce((t, x) => t + (x - m) ** 2, 0) / (v.length - 1) / v.length) };
  };
  return { own: summary(stats.own), shared: summary(stats.shared), entropy: summary(stats.entropy) };
}

describe('softmax attention rows at infinite width', () => {
  it('uniform rows (u = v = 0): Σp² = Σp·p′ = 1/T and the entropy is log T', () => {
    for (const T of [2, 3, 16, 64]) {
      const m = softmaxMoments(0, 0, T);
      expect(Math.abs(m.ownSquare - 1 / T)).toBeLessThan(1e-12);
      expect(Math.abs(m.shared - 1 / T)).toBeLessThan(1e-12);
      expect(Math.abs(m.entropy - Math.log(T))).toBeLessThan(1e-12);
    }
  });

  it('T = 2: each row is a logistic of a Gaussian difference, against 2-D quadrature (0.02, about 4 standard errors of the 2048 pairs)', () => {
    for (const [u, v] of [[1, 0], [1.5, 0.4], [0.7, -0.2]]) {
      // d_i = s_i1 − s_i2 = (u + v)·ΔG_i + v·ΔG_i′, d_i′ = v·ΔG_i + (u + v)·ΔG_i′, ΔG ~ N(0, 2)
      const s2 = 2 * ((u + v) ** 2 + v * v), r = (2 * 2 * v * (u + v)) / s2;
      const own = bivariate(s2, r, (d) => sigmoid(d) ** 2 + sigmoid(-d) ** 2);
      const shared = bivariate(s2, r, (d, e) => sigmoid(d) * sigmoid(e) + sigmoid(-d) * sigmoid(-e));
      const entropy = bivariate(s2, r, (d) => -(sigmoid(d) * Math.log(sigmoid(d)) + sigmoid(-d) * Math.log(sigmoid(-d))));
      const m = softmaxMoments(u, v, 2);
      expect(Math.abs(m.ownSquare - own), `Σp² at u ${u}, v ${v}`).toBeLessThan(0.02);
      expect(Math.abs(m.shared - shared), `Σp·p′ at u ${u}, v ${v}`).toBeLessThan(0.02);
      expect(Math.abs(m.entropy - entropy), `entropy at u ${u}, v ${v}`).toBeLessThan(0.02);
    }
    // the rows' coupling through v matters at this tolerance: without it Σp·p′ is off by more than 0.05
    const coupled = softmaxMoments(1, 0.8, 2).shared, uncoupled = bivariate(2 * 1.8 ** 2 + 2 * 0.64, 0, (d, e) => sigmoid(d) * sigmoid(e) + sigmoid(-d) * sigmoid(-e));
    expect(Math.abs(coupled - uncoupled)).toBeGreaterThan(0.05);
  });

  it.each([[1, 1, 0, 16], [1, 1, 0.4, 16], [2, 1, 0.2, 8], [0.8, 2.5, 0.1, 16]])('g = %s, q̂ = %s, ĉ = %s, T = %i: the sampled rows agree with whole logit matrices within 4 combined standard errors', (g, qh, ch, T) => {
    const whole = wholeMatrices(g, qh, ch, T, 3000);
    const A = Math.sqrt(1 - ch), B = (Math.sqrt(1 - ch + T * ch) - A) / T;
    const m = softmaxMoments(g * g * qh * A * A, g * g * qh * A * B, T);
    // the theory's own standard error is below the whole matrices' (2048 pairs of two rows against 3000 single rows)
    for (const [key, value] of [['own', m.ownSquare], ['shared', m.shared], ['entropy', m.entropy]] as const) {
      const se = whole[key].se * Math.sqrt(1 + 3000 / (2 * MOMENT_SAMPLES));
      expect(Math.abs(value - whole[key].mean), `${key}: ${value} against ${whole[key].mean} ± ${whole[key].se}`).toBeLessThan(4 * se);
    }
  });

  it('the step: g = 0 is the uniform map exactly; shaped attention keeps the tokens\' cosine; larger g keeps the tokens further apart', () => {
    const state = { q: 1.3, c: 0.2 };
    const uniform = uniformAttentionStep(state, 16, 1, 2, 'layer', 0.5);
    expect(attentionStep(state, 16, { qkGain: 0, shaped: false }, 1, 2, 'layer', 0.5)).toEqual({ ...uniform, entropy: 1 });
    const shaped = attentionStep(state, 16, { qkGain: 1, shaped: true }, 1, 2, 'none', 0.5);
    expect(shaped.c).toBeCloseTo(0.2, 14);
    expect(shaped.q).toBeCloseTo(1.3 + 0.25 * 2 * 1.3, 12);
    const c = [0, 0.5, 1, 2, 3].map((g) => attentionStep(state, 16, { qkGain: g, shaped: false }, 1, 1, 'layer', 1).c);
    for (let k = 1; k < c.length; k++) expect(c[k]).toBeLessThan(c[k - 1]);
    const entropy = [0.5, 1, 2].map((g) => attentionStep(state, 16, { qkGain: g, shaped: false }, 1, 1, 'layer', 1).entropy);
    expect(entropy[0]).toBeGreaterThan(entropy[1]);
    expect(entropy[1]).toBeGreaterThan(entropy[2]);
  });
});
