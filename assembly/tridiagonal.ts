// Householder reduction of a symmetric matrix to tridiagonal form (Golub & Van Loan, "Matrix
// Computations", 4th ed., §8.3.1), the O(n³) part of the eigenvalues of JJᵀ. Twin:
// src/kernel/reference/tridiagonal.ts (the same operations in the same order: f64x2 lanes are the
// twin's even and odd partial sums, and the rank-2 update is elementwise).

/**
 * Reduces the lower triangle of the n × n f64 matrix at `aPtr` (overwritten), last row first: row i's
 * part left of the diagonal is reflected onto its last entry and the rest transformed alike. Leaves the
 * diagonal at `diagonalPtr` and the subdiagonal at `offPtr` (off[i] couples rows i − 1 and i; off[0] = 0).
 */
export function householderTridiagonal(aPtr: usize, n: i32, diagonalPtr: usize, offPtr: usize): void {
  for (let i = n - 1; i > 0; i--) {
    const last = i - 1, ui = aPtr + ((<usize>i * <usize>n) << 3);
    if (last == 0) {
      store<f64>(offPtr + (<usize>i << 3), load<f64>(ui));
      continue;
    }
    let scale: f64 = 0, h: f64 = 0;
    for (let k = 0; k <= last; k++) scale += abs(load<f64>(ui + (<usize>k << 3)));
    if (scale == 0) {
      store<f64>(offPtr + (<usize>i << 3), load<f64>(ui + (<usize>last << 3)));
      continue;
    }
    for (let k = 0; k <= last; k++) {
      const at = ui + (<usize>k << 3), v = load<f64>(at) / scale;
      store<f64>(at, v);
      h += v * v;
    }
    const f = load<f64>(ui + (<usize>last << 3)), g = f >= 0 ? -sqrt(h) : sqrt(h);
    store<f64>(offPtr + (<usize>i << 3), scale * g);
    h -= f * g;
    store<f64>(ui + (<usize>last << 3), f - g);
    // p = A·u over the leading block, from the lower triangle row by row, kept in off[0 … last]
    memory.fill(offPtr, 0, <usize>(last + 1) << 3);
    for (let j = 0; j <= last; j++) {
      const row = aPtr + ((<usize>j * <usize>n) << 3), uj = load<f64>(ui + (<usize>j << 3)), ujs = f64x2.splat(uj);
      let acc = f64x2.replace_lane(f64x2.splat(0), 0, load<f64>(row + (<usize>j << 3)) * uj);
      let k = 0;
      for (; k + 1 < j; k += 2) {
        const at = <usize>k << 3, ajk = v128.load(row + at);
        acc = f64x2.add(acc, f64x2.mul(ajk, v128.load(ui + at)));
        v128.store(offPtr + at, f64x2.add(v128.load(offPtr + at), f64x2.mul(ajk, ujs)));
      }
      let s0 = f64x2.extract_lane(acc, 0);
      if (k < j) {
        const at = <usize>k << 3, ajk = load<f64>(row + at);
        s0 += ajk * load<f64>(ui + at);
        store<f64>(offPtr + at, load<f64>(offPtr + at) + ajk * uj);
      }
      const at = offPtr + (<usize>j << 3);
      store<f64>(at, load<f64>(at) + (s0 + f64x2.extract_lane(acc, 1)));
    }
    let uDotP: f64 = 0;
    for (let j = 0; j <= last; j++) {
      const at = offPtr + (<usize>j << 3), p = load<f64>(at) / h;
      store<f64>(at, p);
      uDotP += p * load<f64>(ui + (<usize>j << 3));
    }
    const K = uDotP / (h + h);
    // A ← A − u·qᵀ − q·uᵀ with q = p − K·u, on the lower triangle
    for (let j = 0; j <= last; j++) {
      const row = aPtr + ((<usize>j * <usize>n) << 3), u = load<f64>(ui + (<usize>j << 3)), qAt = offPtr + (<usize>j << 3);
      const q = load<f64>(qAt) - K * u;
      store<f64>(qAt, q);
      const us = f64x2.splat(u), qs = f64x2.splat(q);
      let k = 0;
      for (; k + 1 <= j; k += 2) {
        const at = <usize>k << 3;
        v128.store(row + at, f64x2.sub(v128.load(row + at), f64x2.add(f64x2.mul(us, v128.load(offPtr + at)), f64x2.mul(qs, v128.load(ui + at)))));
      }
      if (k <= j) {
        const at = <usize>k << 3;
        store<f64>(row + at, load<f64>(row + at) - (u * load<f64>(offPtr + at) + q * load<f64>(ui + at)));
      }
    }
  }
  store<f64>(offPtr, 0);
  for (let i = 0; i < n; i++) store<f64>(diagonalPtr + (<usize>i << 3), load<f64>(aPtr + ((<usize>i * <usize>n + <usize>i) << 3)));
}
