// Householder tridiagonalization on one Float64Array by element offsets: the twin of
// assembly/tridiagonal.ts (reference/tridiagonal.ts binds it to the kernel's memory) and the first half of
// metrics/symmetricEigen.ts. The same operations in the same order as the kernel's f64x2 lanes.

/**
 * Reduces the lower triangle of the n × n matrix at f64[a …] (overwritten), last row first: row i's part
 * left of the diagonal is reflected onto its last entry and the rest transformed alike. Leaves the diagonal
 * at f64[d …] and the subdiagonal at f64[o …] (o[i] couples rows i − 1 and i; o[0] = 0).
 */
export function householderInPlace(f64: Float64Array, a: number, n: number, d: number, o: number): void {
  for (let i = n - 1; i > 0; i--) {
    const last = i - 1, ui = a + i * n;
    if (last === 0) {
      f64[o + i] = f64[ui];
      continue;
    }
    let scale = 0, h = 0;
    for (let k = 0; k <= last; k++) scale += Math.abs(f64[ui + k]);
    if (scale === 0) {
      f64[o + i] = f64[ui + last];
      continue;
    }
    // the reflector's vector u is row i scaled, with u_last shifted so that the row maps onto ∓‖row‖
    for (let k = 0; k <= last; k++) {
      f64[ui + k] /= scale;
      h += f64[ui + k] * f64[ui + k];
    }
    const f = f64[ui + last], g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
    f64[o + i] = scale * g;
    h -= f * g;
    f64[ui + last] = f - g;
    // p = A·u over the leading block (kept in o[0 … last]), from the lower triangle row by row, each entry
    // used for both of its places; two partial sums over even and odd k
    f64.fill(0, o, o + last + 1);
    for (let j = 0; j <= last; j++) {
      const uj = f64[ui + j], row = a + j * n;
      let s0 = f64[row + j] * uj, s1 = 0, k = 0;
      for (; k + 1 < j; k += 2) {
        const a0 = f64[row + k], a1 = f64[row + k + 1];
        s0 += a0 * f64[ui + k];
        s1 += a1 * f64[ui + k + 1];
        f64[o + k] += a0 * uj;
        f64[o + k + 1] += a1 * uj;
      }
      if (k < j) {
        const a0 = f64[row + k];
        s0 += a0 * f64[ui + k];
        f64[o + k] += a0 * uj;
      }
      f64[o + j] += s0 + s1;
    }
    let uDotP = 0;
    for (let j = 0; j <= last; j++) {
      f64[o + j] /= h;
      uDotP += f64[o + j] * f64[ui + j];
    }
    const K = uDotP / (h + h);
    // A ← A − u·qᵀ − q·uᵀ with q = p − K·u, on the lower triangle
    for (let j = 0; j <= last; j++) {
      const u = f64[ui + j], row = a + j * n;
      const q = (f64[o + j] -= K * u);
      for (let k = 0; k <= j; k++) f64[row + k] -= u * f64[o + k] + q * f64[ui + k];
    }
  }
  f64[o] = 0;
  for (let i = 0; i < n; i++) f64[d + i] = f64[a + i * n + i];
}
