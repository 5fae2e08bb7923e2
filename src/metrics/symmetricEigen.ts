// Eigenvalues of a real symmetric matrix in float64, deterministically: Householder reduction to a
// tridiagonal matrix, then the QL algorithm with implicit Wilkinson shifts (Golub & Van Loan,
// "Matrix Computations", 4th ed., §8.3.1 and §8.3.5). Only +, −, ×, ÷ and √ (IEEE basic operations),
// in a fixed order: the same bits in Node and every browser.
import { householderInPlace } from '../kernel/reference/householder.js';

/** √(a² + b²) without overflow or underflow on the way. */
function hypot(a: number, b: number): number {
  const x = Math.abs(a), y = Math.abs(b);
  if (x > y) return x * Math.sqrt(1 + (y / x) * (y / x));
  return y === 0 ? 0 : y * Math.sqrt(1 + (x / y) * (x / y));
}

/**
 * The n eigenvalues of the symmetric n × n matrix `a` (row-major; only its lower triangle is read), in
 * ascending order: the kernel twin's Householder reduction (kernel/reference/householder.ts), then QL.
 */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  const work = new Float64Array(n * n + 2 * n);
  work.set(a.subarray(0, n * n));
  householderInPlace(work, 0, n, n * n, n * n + n);
  const diagonal = work.slice(n * n, n * n + n), off = work.slice(n * n + n);
  tridiagonalQl(diagonal, off, n);
  return diagonal.sort();
}

/**
 * The eigenvalues of the symmetric tridiagonal matrix (diagonal, off[1 … n−1]) into `diagonal`, by QL
 * sweeps with the implicit shift from the trailing 2 × 2 block, chasing the bulge with plane rotations.
 */
export function tridiagonalQl(diagonal: Float64Array, off: Float64Array, n: number): void {
  // off[i] now couples rows i and i + 1
  for (let i = 1; i < n; i++) off[i - 1] = off[i];
  if (n > 0) off[n - 1] = 0;
  const d = diagonal, e = off;
  // a budget over all eigenvalues, as LAPACK's dsterf keeps (30 per eigenvalue): graded spectra, spanning
  // many decades, need more sweeps on some eigenvalues than on others
  let sweeps = 0;
  for (let l = 0; l < n; l++) {
    for (;;) {
      // the first negligible coupling at or after l splits off the block [l, m]
      let m = l;
      for (; m < n - 1; m++) {
        const size = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) + size === size) break;
      }
      if (m === l) break;
      if (++sweeps > 30 * n) throw new Error(`symmetricEigenvalues: no convergence after ${30 * n} QL sweeps`);
      // the shift: the eigenvalue of the leading 2 × 2 block nearer to d[l]
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1, c = 1, p = 0, deflated = false;
      for (let i = m - 1; i >= l; i--) {
        const f = s * e[i], b = c * e[i];
        r = hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // an exact zero coupling appeared: the block splits here
          d[i + 1] -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}
