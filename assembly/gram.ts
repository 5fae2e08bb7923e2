// The Gram matrix of a Jacobian's tangents, for the eigenvalues of JJᵀ: in float64, from the float32
// rows of Jᵀ. Twin: src/kernel/reference/gram.ts.

/**
 * The n0 tangents of one input (rows of Jᵀ: n0 × nl f32 at `tangentsPtr`, row stride `stride`) as the
 * m = min(n0, nl) rows of length max(n0, nl) whose Gram matrix has JJᵀ's nonzero eigenvalues: the
 * tangents themselves (JᵀJ) when n0 ≤ nl, else their columns (JJᵀ), into `rowsPtr` (f64); then the lower
 * triangle of that Gram matrix into `gramPtr` (m × m f64). Each entry is two sums over the row's even and
 * odd positions (an odd length's last term joins the even sum), then added: lane for lane what f64x2 forms.
 */
export function gramOfTangents(tangentsPtr: usize, stride: i32, n0: i32, nl: i32, rowsPtr: usize, gramPtr: usize): void {
  const m = min(n0, nl), long = max(n0, nl);
  for (let r = 0; r < n0; r++) {
    const from = tangentsPtr + ((<usize>r * <usize>stride) << 2);
    for (let c = 0; c < nl; c++) {
      const to = n0 <= nl ? <usize>r * <usize>long + <usize>c : <usize>c * <usize>long + <usize>r;
      store<f64>(rowsPtr + (to << 3), <f64>load<f32>(from + (<usize>c << 2)));
    }
  }
  const body = long & ~1;
  for (let i = 0; i < m; i++) {
    const ri = rowsPtr + ((<usize>i * <usize>long) << 3);
    for (let j = 0; j <= i; j++) {
      const rj = rowsPtr + ((<usize>j * <usize>long) << 3);
      let acc = f64x2.splat(0);
      for (let c = 0; c < body; c += 2) {
        const at = <usize>c << 3;
        acc = f64x2.add(acc, f64x2.mul(v128.load(ri + at), v128.load(rj + at)));
      }
      let even = f64x2.extract_lane(acc, 0);
      if (body < long) even += load<f64>(ri + (<usize>body << 3)) * load<f64>(rj + (<usize>body << 3));
      store<f64>(gramPtr + ((<usize>i * <usize>m + <usize>j) << 3), even + f64x2.extract_lane(acc, 1));
    }
  }
}
