// W (nOut × k) rearranged into panels of output columns, the layout both GEMM kernels stream.

/** Packs W (nOut × k, row-major, f32) into ceil(nOut/cols) panels of `cols` output columns; panel p
 * holds, for each k, the weights W[p·cols … p·cols+cols−1][k] next to each other, zero-padded past nOut. */
export function packColumnPanels(wPtr: usize, packedPtr: usize, nOut: i32, k: i32, cols: i32): void {
  const panels = (nOut + cols - 1) / cols;
  let out = packedPtr;
  for (let p = 0; p < panels; p++) {
    for (let kk = 0; kk < k; kk++) {
      for (let c = 0; c < cols; c++) {
        const j = p * cols + c;
        store<f32>(out, j < nOut ? load<f32>(wPtr + ((<usize>j * <usize>k + <usize>kk) << 2)) : 0);
        out += 4;
      }
    }
  }
}
