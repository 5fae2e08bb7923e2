// Column sums over fixed blocks of rows: the vector reductions (Σᵢ uᵢ of the rows' unit vectors for
// the mean pair cosine) are formed per block here and the host adds the blocks in batch-row order,
// so the totals do not depend on how the batch is split across workers. Twin:
// src/kernel/reference/columnSums.ts.

/**
 * For rows × cols f32 values at `ptr` (row stride `stride` elements) and one f64 factor per row at
 * `rowScalesPtr`: out[b·cols + j] = Σ over rows r of block b (r = b·blockRows … b·blockRows + blockRows − 1)
 * of x[r][j]·scale[r], in f64 and in ascending r. Rows whose factor is 0 are left out (so an
 * overflowed row cannot turn 0·∞ into NaN). `outPtr` has room for ⌈rows/blockRows⌉·cols f64.
 */
export function blockColumnSums(ptr: usize, stride: i32, rows: i32, cols: i32, rowScalesPtr: usize, blockRows: i32, outPtr: usize): void {
  const blocks = (rows + blockRows - 1) / blockRows;
  memory.fill(outPtr, 0, (<usize>blocks * <usize>cols) << 3);
  for (let r = 0; r < rows; r++) {
    const scale = load<f64>(rowScalesPtr + (<usize>r << 3));
    if (scale == 0) continue;
    const row = ptr + ((<usize>r * <usize>stride) << 2);
    const out = outPtr + ((<usize>(r / blockRows) * <usize>cols) << 3);
    const factor = f64x2.splat(scale);
    let c = 0;
    // each column is its own sum, so two f64 lanes at a time give the scalar twin's values exactly
    for (; c + 4 <= cols; c += 4) {
      const v = v128.load(row + (<usize>c << 2));
      const at = out + (<usize>c << 3);
      v128.store(at, f64x2.add(v128.load(at), f64x2.mul(f64x2.promote_low_f32x4(v), factor)));
      v128.store(at, f64x2.add(v128.load(at, 16), f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)), factor)), 16);
    }
    for (; c < cols; c++) {
      const at = out + (<usize>c << 3);
      store<f64>(at, load<f64>(at) + <f64>load<f32>(row + (<usize>c << 2)) * scale);
    }
  }
}

/**
 * For two rows × cols f32 arrays at `aPtr` and `bPtr` (same stride): out[b·cols + j] = Σ over rows r of
 * block b of a[r][j]·b[r][j], in f64 and in ascending r (a product of two f32 is exact in f64). With
 * a = b it gives the per-channel sums of squares; with blockColumnSums at factor 1, the per-channel batch
 * means and variances a batch norm needs (and, of δh and h, its backward pass's), reduced like every
 * other vector sum.
 */
export function blockColumnProducts(aPtr: usize, bPtr: usize, stride: i32, rows: i32, cols: i32, blockRows: i32, outPtr: usize): void {
  const blocks = (rows + blockRows - 1) / blockRows;
  memory.fill(outPtr, 0, (<usize>blocks * <usize>cols) << 3);
  for (let r = 0; r < rows; r++) {
    const rowOffset = (<usize>r * <usize>stride) << 2;
    const rowA = aPtr + rowOffset, rowB = bPtr + rowOffset;
    const out = outPtr + ((<usize>(r / blockRows) * <usize>cols) << 3);
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const va = v128.load(rowA + (<usize>c << 2)), vb = v128.load(rowB + (<usize>c << 2));
      const loA = f64x2.promote_low_f32x4(va), hiA = f64x2.promote_low_f32x4(v128.shuffle<f32>(va, va, 2, 3, 0, 1));
      const loB = f64x2.promote_low_f32x4(vb), hiB = f64x2.promote_low_f32x4(v128.shuffle<f32>(vb, vb, 2, 3, 0, 1));
      const at = out + (<usize>c << 3);
      v128.store(at, f64x2.add(v128.load(at), f64x2.mul(loA, loB)));
      v128.store(at, f64x2.add(v128.load(at, 16), f64x2.mul(hiA, hiB)), 16);
    }
    for (; c < cols; c++) {
      const at = out + (<usize>c << 3);
      store<f64>(at, load<f64>(at) + <f64>load<f32>(rowA + (<usize>c << 2)) * <f64>load<f32>(rowB + (<usize>c << 2)));
    }
  }
}
