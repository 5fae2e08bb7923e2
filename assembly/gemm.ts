// z = x·Wᵀ with W packed into panels of PANEL_COLS output columns, computed by a register-blocked
// f32x4 micro-kernel holding a TILE_ROWS × PANEL_COLS tile of accumulators.
// Every z[r][j] is the f32 sum over k in increasing order of f32(x[r][k]·W[j][k]), starting at +0,
// with no fused multiply-add, so the scalar twin (src/kernel/reference/gemm.ts) is bit-identical.

// Twin: PANEL_COLS in src/kernel/layout.ts.
export const PANEL_COLS: i32 = 8;
const TILE_ROWS: i32 = 4;
// Rows of x that stay in cache while one W panel is reused across them.
const BLOCK_ROWS: i32 = 64;

/**
 * Packs W (nOut × k, row-major, f32) into ceil(nOut/8) panels; panel p holds, for each k,
 * the 8 weights W[8p..8p+7][k] next to each other, zero-padded past nOut.
 */
export function packPanels(wPtr: usize, packedPtr: usize, nOut: i32, k: i32): void {
  const panels = (nOut + PANEL_COLS - 1) / PANEL_COLS;
  let out = packedPtr;
  for (let p = 0; p < panels; p++) {
    for (let kk = 0; kk < k; kk++) {
      for (let c = 0; c < PANEL_COLS; c++) {
        const j = p * PANEL_COLS + c;
        const w: f32 = j < nOut ? load<f32>(wPtr + ((<usize>j * <usize>k + <usize>kk) << 2)) : 0;
        store<f32>(out, w);
        out += 4;
      }
    }
  }
}

// Stores 8 accumulated columns of one row, only those that exist when the panel is partial.
@inline function storeRow(zRow: usize, lo: v128, hi: v128, validCols: i32): void {
  if (validCols >= PANEL_COLS) {
    v128.store(zRow, lo);
    v128.store(zRow, hi, 16);
    return;
  }
  for (let c = 0; c < validCols; c++) {
    store<f32>(zRow + (<usize>c << 2), laneOf(lo, hi, c));
  }
}

@inline function laneOf(lo: v128, hi: v128, c: i32): f32 {
  switch (c) {
    case 0: return f32x4.extract_lane(lo, 0);
    case 1: return f32x4.extract_lane(lo, 1);
    case 2: return f32x4.extract_lane(lo, 2);
    case 3: return f32x4.extract_lane(lo, 3);
    case 4: return f32x4.extract_lane(hi, 0);
    case 5: return f32x4.extract_lane(hi, 1);
    case 6: return f32x4.extract_lane(hi, 2);
    default: return f32x4.extract_lane(hi, 3);
  }
}

function tile4x8(x0: usize, xStrideBytes: usize, panel: usize, z0: usize, zStrideBytes: usize, k: i32, validCols: i32): void {
  const x1 = x0 + xStrideBytes, x2 = x1 + xStrideBytes, x3 = x2 + xStrideBytes;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let w = panel;
  for (let kk = 0; kk < k; kk++) {
    const off = <usize>kk << 2;
    const b0 = v128.load(w);
    const b1 = v128.load(w, 16);
    const a0 = v128.load32_splat(x0 + off);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0));
    c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    const a1 = v128.load32_splat(x1 + off);
    c10 = f32x4.add(c10, f32x4.mul(a1, b0));
    c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    const a2 = v128.load32_splat(x2 + off);
    c20 = f32x4.add(c20, f32x4.mul(a2, b0));
    c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    const a3 = v128.load32_splat(x3 + off);
    c30 = f32x4.add(c30, f32x4.mul(a3, b0));
    c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    w += 32;
  }
  storeRow(z0, c00, c01, validCols);
  storeRow(z0 + zStrideBytes, c10, c11, validCols);
  storeRow(z0 + 2 * zStrideBytes, c20, c21, validCols);
  storeRow(z0 + 3 * zStrideBytes, c30, c31, validCols);
}

function tile1x8(x0: usize, panel: usize, z0: usize, k: i32, validCols: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  let w = panel;
  for (let kk = 0; kk < k; kk++) {
    const a = v128.load32_splat(x0 + (<usize>kk << 2));
    c0 = f32x4.add(c0, f32x4.mul(a, v128.load(w)));
    c1 = f32x4.add(c1, f32x4.mul(a, v128.load(w, 16)));
    w += 32;
  }
  storeRow(z0, c0, c1, validCols);
}

/**
 * z[r][j] = Σ_k x[r][k]·W[j][k] for r < rows, j < nOut. Row strides are in elements;
 * `packedPtr` holds W as written by packPanels.
 */
export function gemm(xPtr: usize, xStride: i32, packedPtr: usize, zPtr: usize, zStride: i32, rows: i32, k: i32, nOut: i32): void {
  const xs = <usize>xStride << 2, zs = <usize>zStride << 2;
  const panels = (nOut + PANEL_COLS - 1) / PANEL_COLS;
  const panelBytes = <usize>k * <usize>(PANEL_COLS << 2);
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const rEnd = min(r0 + BLOCK_ROWS, rows);
    for (let p = 0; p < panels; p++) {
      const panel = packedPtr + <usize>p * panelBytes;
      const validCols = nOut - p * PANEL_COLS;
      const zCol = <usize>(p * PANEL_COLS) << 2;
      let r = r0;
      for (; r + TILE_ROWS <= rEnd; r += TILE_ROWS) {
        tile4x8(xPtr + <usize>r * xs, xs, panel, zPtr + <usize>r * zs + zCol, zs, k, validCols);
      }
      for (; r < rEnd; r++) {
        tile1x8(xPtr + <usize>r * xs, panel, zPtr + <usize>r * zs + zCol, k, validCols);
      }
    }
  }
}
