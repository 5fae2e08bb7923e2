// The eigensolver the spectrum takes its eigenvalues with, against spectra known by construction and
// against an independent algorithm (cyclic Jacobi rotations, written here).
import { describe, expect, it } from 'vitest';
import { symmetricEigenvalues } from '../../src/metrics/symmetricEigen.js';

let state = 987654321;
const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

/** Q·diag(λ)·Qᵀ with Q a product of 3 random Householder reflections: a symmetric matrix whose eigenvalues are λ exactly (up to rounding). */
function withSpectrum(lambda: number[]): Float64Array {
  const n = lambda.length, a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = lambda[i];
  for (let reflection = 0; reflection < 3; reflection++) {
    const v = Array.from({ length: n }, normal), norm2 = v.reduce((t, x) => t + x * x, 0);
    // A ← H A H with H = I − 2vvᵀ/‖v‖²
    const apply = (m: Float64Array, left: boolean) => {
      for (let col = 0; col < n; col++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += v[k] * (left ? m[k * n + col] : m[col * n + k]);
        for (let k = 0; k < n; k++) {
          if (left) m[k * n + col] -= (2 * v[k] * dot) / norm2;
          else m[col * n + k] -= (2 * v[k] * dot) / norm2;
        }
      }
    };
    apply(a, true);
    apply(a, false);
  }
  return a;
}

/** Cyclic Jacobi: rotate away every off-diagonal entry in turn until they are negligible. */
function jacobiEigenvalues(source: Float64Array, n: number): number[] {
  const a = Float64Array.from(source);
  for (let sweep = 0; sweep < 100; sweep++) {
    let offNorm = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) offNorm += a[p * n + q] ** 2;
    if (offNorm < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1)), c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => a[i * n + i]).sort((x, y) => x - y);
}

describe('symmetricEigenvalues (Householder tridiagonalization, implicit QL)', () => {
  it.each([1, 2, 3, 5, 17, 64, 129])('recovers a spectrum known by construction at n = %i, repeated and spread eigenvalues included, to 1e-12 of the largest', (n) => {
    const lambda = Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 2 : Math.exp(4 * normal())) * (i % 5 === 0 ? 0 : 1));
    const got = symmetricEigenvalues(withSpectrum(lambda), n);
    const want = [...lambda].sort((x, y) => x - y), top = Math.max(...want.map(Math.abs));
    want.forEach((w, i) => expect(Math.abs(got[i] - w), `λ${i}`).toBeLessThanOrEqual(1e-12 * top));
  });

  it.each([4, 9, 33, 50])('agrees with cyclic Jacobi on a random Gram matrix (n = %i) to 1e-11 of the largest eigenvalue', (n) => {
    const m = n + 3, x = Array.from({ length: n * m }, normal), a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < m; k++) a[i * n + j] += x[i * m + k] * x[j * m + k];
    const reference = jacobiEigenvalues(a, n), got = symmetricEigenvalues(Float64Array.from(a), n);
    const top = reference[n - 1];
    reference.forEach((w, i) => expect(Math.abs(got[i] - w), `λ${i}`).toBeLessThanOrEqual(1e-11 * top));
  });

  it('converges on a graded spectrum spanning 32 decades (as a deep linear product\'s Gram matrix is), n = 200', () => {
    const n = 200, lambda = Array.from({ length: n }, (_, i) => 10 ** (-30 + (32 * i) / (n - 1)));
    const got = symmetricEigenvalues(withSpectrum(lambda), n);
    expect(Math.abs(got[n - 1] / 100 - 1)).toBeLessThan(1e-12);
    got.forEach((v, i) => expect(Math.abs(v - lambda[i])).toBeLessThanOrEqual(1e-12 * 100));
  });

  it('is deterministic: the same bits from the same matrix, and zero and diagonal matrices give their diagonal', () => {
    const a = withSpectrum([3, 1, 4, 1, 5, 9, 2, 6]);
    expect(Array.from(symmetricEigenvalues(Float64Array.from(a), 8))).toEqual(Array.from(symmetricEigenvalues(Float64Array.from(a), 8)));
    expect(Array.from(symmetricEigenvalues(new Float64Array(9), 3))).toEqual([0, 0, 0]);
    expect(Array.from(symmetricEigenvalues(Float64Array.from([5, 0, 0, 0, -1, 0, 0, 0, 2]), 3))).toEqual([-1, 2, 5]);
  });
});
