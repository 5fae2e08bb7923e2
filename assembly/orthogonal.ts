// Orthonormal rows for orthogonal initialization: modified Gram–Schmidt in f64 (Björck 1967) over a
// Gaussian matrix, the Q of its QR factorization with a positive diagonal of R, which makes Q
// Haar-distributed (Mezzadri 2007). Twin: src/kernel/reference/orthogonal.ts.

@inline function dot(a: usize, b: usize, n: i32): f64 {
  let s = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) s = f64x2.add(s, f64x2.mul(v128.load(a + (<usize>i << 3)), v128.load(b + (<usize>i << 3))));
  let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) total += load<f64>(a + (<usize>i << 3)) * load<f64>(b + (<usize>i << 3));
  return total;
}

/**
 * Replaces the `rows` f32 rows of length `cols` (rows ≤ cols, row-major at wPtr) by an orthonormal
 * basis of their span, in order. `scratchPtr` holds rows·cols f64.
 */
export function orthonormalizeRows(wPtr: usize, rows: i32, cols: i32, scratchPtr: usize): void {
  const n = <usize>rows * <usize>cols;
  for (let i: usize = 0; i < n; i++) store<f64>(scratchPtr + (i << 3), <f64>load<f32>(wPtr + (i << 2)));
  const rowBytes = <usize>cols << 3;
  for (let i = 0; i < rows; i++) {
    const v = scratchPtr + <usize>i * rowBytes;
    for (let j = 0; j < i; j++) {
      const q = scratchPtr + <usize>j * rowBytes;
      const r = dot(q, v, cols);
      const rr = f64x2.splat(r);
      let c = 0;
      for (; c + 2 <= cols; c += 2) {
        const at = <usize>c << 3;
        v128.store(v + at, f64x2.sub(v128.load(v + at), f64x2.mul(rr, v128.load(q + at))));
      }
      for (; c < cols; c++) store<f64>(v + (<usize>c << 3), load<f64>(v + (<usize>c << 3)) - r * load<f64>(q + (<usize>c << 3)));
    }
    const inv = 1.0 / Math.sqrt(dot(v, v, cols));
    for (let c = 0; c < cols; c++) store<f64>(v + (<usize>c << 3), load<f64>(v + (<usize>c << 3)) * inv);
  }
  for (let i: usize = 0; i < n; i++) store<f32>(wPtr + (i << 2), <f32>load<f64>(scratchPtr + (i << 3)));
}

/** dst (cols × rows) = srcᵀ for an f32 rows × cols matrix. */
export function transpose(srcPtr: usize, dstPtr: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      store<f32>(dstPtr + ((<usize>c * <usize>rows + <usize>r) << 2), load<f32>(srcPtr + ((<usize>r * <usize>cols + <usize>c) << 2)));
    }
  }
}
