// W (nOut × k) rearranged into panels of output columns, the layout both GEMM kernels stream.

/** Packs W (nOut × k, row-major, f32) into ceil(nOut/cols) panels of `cols` output columns; panel p
 * holds, for each k, the weights W[p·cols … p·cols+cols−1][k] next to each other, zero-padded past nOut.
 * `cols` is a multiple of 4. */
export function packColumnPanels(wPtr: usize, packedPtr: usize, nOut: i32, k: i32, cols: i32): void {
  const panels = (nOut + cols - 1) / cols;
  const rowBytes = <usize>k << 2, stepBytes = <usize>cols << 2;
  const k4 = k & ~3;
  for (let p = 0; p < panels; p++) {
    const panel = packedPtr + <usize>p * <usize>k * stepBytes;
    for (let c = 0; c < cols; c += 4) {
      const j = p * cols + c;
      const out = panel + (<usize>c << 2);
      if (j + 4 <= nOut) {
        // 4 rows × 4 k at a time, transposed in registers: 4 loads and 4 stores instead of 16 of each
        const w0 = wPtr + <usize>j * rowBytes, w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
        for (let kk = 0; kk < k4; kk += 4) {
          const at = <usize>kk << 2;
          const r0 = v128.load(w0 + at), r1 = v128.load(w1 + at), r2 = v128.load(w2 + at), r3 = v128.load(w3 + at);
          const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
          const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
          const o = out + <usize>kk * stepBytes;
          v128.store(o, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
          v128.store(o + stepBytes, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
          v128.store(o + 2 * stepBytes, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
          v128.store(o + 3 * stepBytes, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
        }
        for (let kk = k4; kk < k; kk++) {
          const o = out + <usize>kk * stepBytes, at = <usize>kk << 2;
          store<f32>(o, load<f32>(w0 + at)); store<f32>(o, load<f32>(w1 + at), 4);
          store<f32>(o, load<f32>(w2 + at), 8); store<f32>(o, load<f32>(w3 + at), 12);
        }
      } else {
        // the last, partial group of a panel: the rows past nOut are zeros
        for (let kk = 0; kk < k; kk++) {
          const o = out + <usize>kk * stepBytes;
          for (let q = 0; q < 4; q++) store<f32>(o + (<usize>q << 2), j + q < nOut ? load<f32>(wPtr + <usize>(j + q) * rowBytes + (<usize>kk << 2)) : 0);
        }
      }
    }
  }
}
