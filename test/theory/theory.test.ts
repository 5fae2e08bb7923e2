import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, LEAKY_ALPHA_DEFAULT, type ActivationName } from '../../src/theory/activations.js';
import { erf, erfcx, normalCdf } from '../../src/theory/erf.js';
import { fft } from '../../src/theory/fft.js';
import { CELLS_PER_SD, heReluLogNormLaw, lawBinMasses, lawCdf, lawQuantile, layerLogMoments } from '../../src/theory/finiteWidth.js';
import { digamma, logGamma, trigamma } from '../../src/theory/gammaFunctions.js';
import { heReluLogNormRatios } from '../helpers/logNormRatioSamples.js';
import { lengthMap } from '../../src/theory/lengthMap.js';
import { moments } from '../../src/theory/moments.js';

// every row of the activation table: a new one fails here until it has its reference below
const ALL: ActivationName[] = ACTIVATION_NAMES;

// An independent reference, written here from the definitions and sharing no code with src/theory:
// the double-exponential (exp-sinh) rule of Takahasi & Mori on the half-line, t = exp((π/2)·sinh u)
// with step 1/64 in u. It is geometric in t, so it resolves the Gaussian's scale √q and the
// activation's scale 1 at once, whatever their ratio. Against mpmath at 30 digits it agrees to ~1e-15.
const SQRT_2PI = Math.sqrt(2 * Math.PI);
function referenceEvenExpectation(even: (absZ: number) => number, q: number): number {
  const s = Math.sqrt(q), h = 1 / 64;
  let sum = 0;
  for (let k = -4.5 * 64; k <= 2.5 * 64; k++) {
    const u = k * h, t = Math.exp((Math.PI / 2) * Math.sinh(u)), density = Math.exp(-0.5 * t * t);
    if (density === 0) continue;
    sum += even(s * t) * density * (Math.PI / 2) * Math.cosh(u) * t;
  }
  return (2 * sum * h) / SQRT_2PI;
}

/** erf by its all-positive series (2/√π)·e^{−x²}·Σ 2ⁿx^{2n+1}/(2n+1)!!, exact to rounding for |x| ≤ 6; 1 beyond. */
function referenceErf(x: number): number {
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x);
  let term = ax, sum = ax;
  for (let n = 1; term > 1e-17 * sum; n++) sum += (term *= (2 * ax * ax) / (2 * n + 1));
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum;
}

const LAMBDA = 1.0507009873554804934, ALPHA_SELU = 1.6732632423543772848; // Klambauer et al. 2017
const logistic = (z: number) => 1 / (1 + Math.exp(-z));
const Phi = (z: number) => 0.5 * (1 + referenceErf(z / Math.SQRT2));
const normal = (z: number) => Math.exp(-0.5 * z * z) / SQRT_2PI;

/** φ, φ′ and the even part of φ (what E[φ] integrates, written so that its two halves do not cancel). */
function referenceActivation(name: ActivationName, a: number): { phi: (z: number) => number; slope: (z: number) => number; evenPhi: (z: number) => number } {
  switch (name) {
    case 'identity': return { phi: (z) => z, slope: () => 1, evenPhi: () => 0 };
    case 'relu': return { phi: (z) => Math.max(z, 0), slope: (z) => (z > 0 ? 1 : 0), evenPhi: (z) => z / 2 };
    case 'leaky_relu': return { phi: (z) => (z > 0 ? z : a * z), slope: (z) => (z > 0 ? 1 : a), evenPhi: (z) => ((1 - a) * z) / 2 };
    case 'tanh': return { phi: Math.tanh, slope: (z) => 1 / Math.cosh(z) ** 2, evenPhi: () => 0 };
    case 'sigmoid': return { phi: logistic, slope: (z) => logistic(z) * logistic(-z), evenPhi: () => 0.5 };
    case 'gelu': return { phi: (z) => z * Phi(z), slope: (z) => Phi(z) + z * normal(z), evenPhi: (z) => (z / 2) * referenceErf(z / Math.SQRT2) };
    case 'selu': return {
      phi: (z) => LAMBDA * (z > 0 ? z : ALPHA_SELU * Math.expm1(z)),
      slope: (z) => LAMBDA * (z > 0 ? 1 : ALPHA_SELU * Math.exp(z)),
      evenPhi: (z) => (LAMBDA * (z + ALPHA_SELU * Math.expm1(-z))) / 2,
    };
    case 'silu': return { phi: (z) => z * logistic(z), slope: (z) => logistic(z) * (1 + z * logistic(-z)), evenPhi: (z) => (z / 2) * Math.tanh(z / 2) };
    default: throw new Error(`no reference for the activation ${name satisfies never}`);
  }
}

/** The reference V, M and S = E[φ′²], and the scale M's error is measured against: E[|even part of φ|]. */
function referenceMoments(name: ActivationName, alpha: number, q: number) {
  const { phi, slope, evenPhi } = referenceActivation(name, alpha);
  const evenSquare = (f: (z: number) => number) => (z: number) => (f(z) ** 2 + f(-z) ** 2) / 2;
  return {
    V: referenceEvenExpectation(evenSquare(phi), q),
    M: referenceEvenExpectation(evenPhi, q),
    S: referenceEvenExpectation(evenSquare(slope), q),
    scaleOfM: referenceEvenExpectation((z) => Math.abs(evenPhi(z)), q),
  };
}

/** q = 10^k for k = −30, −29.75, …, 6. */
const LOG_GRID = Array.from({ length: 145 }, (_, i) => 10 ** (-30 + i / 4));

describe('theory', () => {
  it('erf and Φ match tabulated values to 1e-15', () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 15);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 15);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
  });

  it('erfcx(x) = e^{x²}·erfc(x) to 1e-14 relative from 0 to 1e8 (tabulated by mpmath at 40 digits)', () => {
    const table: [number, number][] = [
      [0.5, 0.61569034419292587], [1, 0.427583576155807], [2.5, 0.21080636406114358],
      [27, 0.020881607990420941], [1e4, 5.6418958072680841e-5], [1e8, 5.6418958354775626e-9],
    ];
    for (const [x, value] of table) expect(Math.abs(erfcx(x) / value - 1), `erfcx(${x})`).toBeLessThan(1e-14);
  });

  it('the reference rule itself: E[z²] = q, E[z⁴] = 3q², E[e^z; z < 0] = e^{q/2}Φ(−√q) to 1e-13 across the grid', () => {
    for (const q of LOG_GRID) {
      expect(Math.abs(referenceEvenExpectation((z) => z * z, q) / q - 1)).toBeLessThan(1e-13);
      expect(Math.abs(referenceEvenExpectation((z) => z ** 4, q) / (3 * q * q) - 1)).toBeLessThan(1e-13);
    }
    // e^{1/2}Φ(−1) = 0.26157829186512337 (mpmath)
    expect(Math.abs(referenceEvenExpectation((z) => Math.exp(-z) / 2, 1) / 0.26157829186512337 - 1)).toBeLessThan(1e-13);
  });

  // The requirement is 1e-10 relative; M is measured against E[|even part of φ|], which is |M| where
  // that part keeps one sign (all but SELU, whose mean crosses 0 at q = 1 by design), and M is
  // exactly 0 for the odd tanh and identity.
  it.each([...ALL.map((name) => [name, LEAKY_ALPHA_DEFAULT] as const), ['leaky_relu', 0] as const, ['leaky_relu', 0.3] as const])(
    '%s (α = %s): V, M and E[φ′²] within 1e-10 relative of the reference for q from 1e-30 to 1e6',
    (name, alpha) => {
      const m = moments(name, alpha);
      let worst = { error: 0, at: '' };
      for (const q of LOG_GRID) {
        const ref = referenceMoments(name, alpha, q);
        const errors = { V: Math.abs(m.V(q) / ref.V - 1), S: Math.abs(m.S(q) / ref.S - 1), M: ref.scaleOfM === 0 ? Math.abs(m.M(q)) : Math.abs(m.M(q) - ref.M) / ref.scaleOfM };
        for (const [key, error] of Object.entries(errors)) if (!(error <= worst.error) && !Number.isNaN(worst.error)) worst = { error, at: `${key}(${q.toExponential(2)})` }; // NaN sticks
      }
      expect(worst.error, `worst at ${worst.at}`).toBeLessThan(1e-10);
    },
  );

  it('SELU far out: V is finite above q = 355 (771.517 at q = 1395, mpmath) and right below q = 1e-30, where the length map goes at σw² = 0.01', () => {
    const seluV = moments('selu').V;
    expect(Math.abs(seluV(1395) / referenceMoments('selu', 0, 1395).V - 1)).toBeLessThan(1e-10);
    expect(seluV(1395)).toBeCloseTo(771.51684256, 7);
    // lecun:selu --gain 0.1 --depth 60: q falls by ~σw²λ²(1 + α²)/2 ≈ 0.021 a layer, to ~1e-93 at layer 55
    let q = 1;
    const layers = lengthMap('selu', new Array(60).fill(0.01));
    for (const [l, layer] of layers.entries()) {
      q = 0.01 * (l === 0 ? 1 : referenceMoments('selu', 0, q).V);
      expect(Math.abs(layer.z_ex2 / q - 1), `layer ${l + 1}`).toBeLessThan(1e-9);
    }
    expect(layers[54].a_ex2).toBeLessThan(1e-90);
  });

  it('SELU with σw² = 1 is self-normalizing: the length map stays at q = 1', () => {
    for (const l of lengthMap('selu', new Array(20).fill(1))) expect(l.z_ex2).toBeCloseTo(1, 9);
  });

  it('the length map gives 2^−l for Xavier + ReLU and 1 for He + ReLU', () => {
    const xavier = lengthMap('relu', new Array(20).fill(1));
    expect(xavier[19].a_ex2).toBeCloseTo(2 ** -20, 15);
    for (const l of lengthMap('relu', new Array(20).fill(2))) (expect(l.a_ex2).toBe(1), expect(l.relu_ex2_ratio).toBe(0.5));
  });

  it('leaky ReLU with α = 0 is ReLU: theory.zero_frac is ½, as for ReLU; with α > 0 it is 0', () => {
    expect(lengthMap('leaky_relu', [2, 2], 0, 0).map((l) => l.zero_frac)).toEqual([0.5, 0.5]);
    expect(lengthMap('leaky_relu', [2], 0, 0.01)[0].zero_frac).toBe(0);
  });

  it('docs/theory.md states the finite-width spread √(5L/n) in ln at n = 1024, L = 20 and its factor e^spread, to 2 digits', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'theory.md'), 'utf8');
    const spread = Math.sqrt((5 * 20) / 1024);
    const stated = /±([0-9.]+) in ln, i\.e\. a factor of about ([0-9.]+)/.exec(readme);
    expect(stated, 'docs/theory.md sentence on the spread').not.toBeNull();
    expect(Number(stated![1])).toBeCloseTo(spread, 2);
    expect(Number(stated![2])).toBeCloseTo(Math.exp(spread), 2);
  });

  it('ln Γ, ψ and ψ′ match closed forms to 1e-13: Γ(½) = √π, ψ(1) = −γ, ψ(½) = −γ − 2 ln 2, ψ′(1) = π²/6, ψ′(½) = π²/2, ln 100! (mpmath)', () => {
    const euler = 0.5772156649015329;
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 10);
    expect(digamma(1)).toBeCloseTo(-euler, 13);
    expect(digamma(0.5)).toBeCloseTo(-euler - 2 * Math.LN2, 13);
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 13);
    expect(trigamma(0.5)).toBeCloseTo(Math.PI ** 2 / 2, 13);
    expect(digamma(1000.5) - digamma(999.5)).toBeCloseTo(1 / 999.5, 14);
  });

  it('the FFT equals the direct DFT on 64 random points to 1e-13, and inverts itself', () => {
    const n = 64, re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) + (i % 5)), im = Float64Array.from({ length: n }, (_, i) => Math.cos(i * i));
    const [r0, i0] = [re.slice(), im.slice()];
    fft(re, im);
    for (const k of [0, 1, 7, 31, 63]) {
      let sr = 0, si = 0;
      for (let j = 0; j < n; j++) (sr += r0[j] * Math.cos((-2 * Math.PI * j * k) / n) - i0[j] * Math.sin((-2 * Math.PI * j * k) / n)), (si += r0[j] * Math.sin((-2 * Math.PI * j * k) / n) + i0[j] * Math.cos((-2 * Math.PI * j * k) / n));
      expect(re[k]).toBeCloseTo(sr, 12);
      expect(im[k]).toBeCloseTo(si, 12);
    }
    fft(re, im, true);
    for (let j = 0; j < n; j++) expect(re[j]).toBeCloseTo(r0[j], 13);
  });

  // the law of log10(‖aᴸ‖²/‖x‖²) for He + ReLU, from the grid, against what it must be
  const LN10_2 = Math.LN10 ** 2;
  it.each([[2, 5], [16, 3], [128, 20], [1024, 50]])('finite-width law at n = %i, L = %i: mass (1 − 2⁻ⁿ)ᴸ, mean L·E ln R exact, variance within the stated cell-rounding bound', (n, layers) => {
    const law = heReluLogNormLaw(n, layers);
    const at = (i: number) => law.start + i * law.step;
    const mean = law.mass.reduce((t, p, i) => t + p * at(i), 0) / law.finite;
    const variance = law.mass.reduce((t, p, i) => t + p * (at(i) - mean) ** 2, 0) / law.finite;
    const exact = layerLogMoments(n);
    expect(Math.abs(law.finite - (1 - 2 ** -n) ** layers)).toBeLessThan(1e-9);
    expect(Math.abs(mean - (layers * exact.mean) / Math.LN10)).toBeLessThan(1e-9);
    // cell centres add L·h²/12 ≤ Var/(12·CELLS_PER_SD²) (h is the narrowest component's SD / CELLS_PER_SD)
    const relative = variance / ((layers * exact.variance) / LN10_2) - 1;
    expect(relative).toBeGreaterThanOrEqual(-1e-6);
    expect(relative).toBeLessThanOrEqual(1 / (12 * CELLS_PER_SD ** 2) + 1e-6);
    // Var ln R ≈ 5/n per layer for K ≈ n/2 (4/n from χ², 1/n from K), which docs/theory.md uses
    if (n >= 128) expect((exact.variance * n) / 5).toBeCloseTo(1, 1);
    expect(lawBinMasses(law, [-Infinity, lawQuantile(law, 0.5), Infinity]).map((p) => p / law.finite)).toEqual([expect.closeTo(0.5, 9), expect.closeTo(0.5, 9)]);
  });

  it('docs/theory.md states the finite-width grid as the code has it: CELLS_PER_SD cells per SD, a variance widened by at most 1/(12·CELLS_PER_SD²)', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'theory.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(`a grid of ${CELLS_PER_SD} cells per SD`);
    expect(readme).toContain(`at most 1/${12 * CELLS_PER_SD ** 2} of it`);
  });

  it.each([[16, 3], [128, 20]])('finite-width law at n = %i, L = %i agrees with 200 000 Monte Carlo draws: Kolmogorov–Smirnov D below the α = 0.001 bound 1.95/√N', (n, layers) => {
    // the bound is 0.0044: a law off by that much anywhere in its CDF (e.g. a mean shifted by 1% of an SD) fails
    const law = heReluLogNormLaw(n, layers);
    const draws = Float64Array.from(heReluLogNormRatios(n, layers, 200_000)).sort();
    const finite = draws.filter(Number.isFinite);
    let d = 0;
    for (let i = 0; i < finite.length; i += 7) {
      const cdf = lawCdf(law, finite[i]) / law.finite;
      d = Math.max(d, Math.abs(cdf - i / finite.length), Math.abs(cdf - (i + 1) / finite.length));
    }
    expect(d).toBeLessThan(1.95 / Math.sqrt(finite.length));
    expect(finite.length / draws.length).toBeCloseTo(law.finite, 2);
  }, 60_000);
});
