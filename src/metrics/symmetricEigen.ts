// Eigenvalues of a real symmetric matrix in float64, deterministically: Householder reduction to a
// tridiagonal matrix, then the QL algorithm with implicit Wilkinson shifts (Golub & Van Loan,
// "Matrix Computations", 4th ed., §8.3.1 and §8.3.5). Only +, −, ×, ÷ and √ (IEEE basic operations),
// in a fixed order: the same bits in Node and every browser.

/** √(a² + b²) without overflow or underflow on the way. */
function hypot(a: number, b: number): number {
  const x = Math.abs(a), y = Math.abs(b);
  if (x > y) return x * Math.sqrt(1 + (y / x) * (y / x));
  return y === 0 ? 0 : y * Math.sqrt(1 + (x / y) * (x / y));
}

/**
 * The n eigenvalues of the symmetric n × n matrix `a` (row-major; only its lower triangle is read, and
 * it is overwritten), in ascending order.
 */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  const diagonal = new Float64Array(n), off = new Float64Array(n);
  tridiagonalize(a, n, diagonal, off);
  tridiagonalQl(diagonal, off, n);
  return diagonal.sort();
}

/**
 * Householder reduction of the lower triangle, last row first: row i's part left of the diagonal is
 * reflected onto its last entry, and the rest of the matrix transformed by the same reflection. Leaves
 * the diagonal in `diagonal` and the subdiagonal in off[1 … n−1] (off[i] couples rows i − 1 and i).
 */
function tridiagonalize(a: Float64Array, n: number, diagonal: Float64Array, off: Float64Array): void {
  const at = (r: number, c: number) => r * n + c;
  for (let i = n - 1; i > 0; i--) {
    const last = i - 1;
    let h = 0;
    if (last > 0) {
      let scale = 0;
      for (let k = 0; k <= last; k++) scale += Math.abs(a[at(i, k)]);
      if (scale === 0) off[i] = a[at(i, last)];
      else {
        // the reflector's vector u is row i scaled, with u_last shifted so that the row maps onto ∓‖row‖
        for (let k = 0; k <= last; k++) {
          a[at(i, k)] /= scale;
          h += a[at(i, k)] * a[at(i, k)];
        }
        const f = a[at(i, last)], g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        off[i] = scale * g;
        h -= f * g;
        a[at(i, last)] = f - g;
        // p = A·u/h over the leading block (kept in off[0 … last] until it is consumed), then K = uᵀp/2h;
        // A·u from the lower triangle row by row, each entry used for both of its places (rows stay in cache)
        // (two partial sums, even and odd k, in a fixed order)
        const ui = at(i, 0);
        for (let j = 0; j <= last; j++) off[j] = 0;
        for (let j = 0; j <= last; j++) {
          const uj = a[ui + j], row = at(j, 0);
          let s0 = a[row + j] * uj, s1 = 0, k = 0;
          for (; k + 1 < j; k += 2) {
            const a0 = a[row + k], a1 = a[row + k + 1];
            s0 += a0 * a[ui + k];
            s1 += a1 * a[ui + k + 1];
            off[k] += a0 * uj;
            off[k + 1] += a1 * uj;
          }
          if (k < j) {
            const a0 = a[row + k];
            s0 += a0 * a[ui + k];
            off[k] += a0 * uj;
          }
          off[j] += s0 + s1;
        }
        let uDotP = 0;
        for (let j = 0; j <= last; j++) {
          off[j] /= h;
          uDotP += off[j] * a[at(i, j)];
        }
        const K = uDotP / (h + h);
        // A ← A − u·qᵀ − q·uᵀ with q = p − K·u, on the lower triangle
        for (let j = 0; j <= last; j++) {
          const u = a[ui + j], row = at(j, 0);
          const q = (off[j] -= K * u);
          for (let k = 0; k <= j; k++) a[row + k] -= u * off[k] + q * a[ui + k];
        }
      }
    } else off[i] = a[at(i, last)];
  }
  for (let i = 0; i < n; i++) diagonal[i] = a[at(i, i)];
}

/**
 * The eigenvalues of the symmetric tridiagonal matrix (diagonal, off[1 … n−1]) into `diagonal`, by QL
 * sweeps with the implicit shift from the trailing 2 × 2 block, chasing the bulge with plane rotations.
 */
function tridiagonalQl(diagonal: Float64Array, off: Float64Array, n: number): void {
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
