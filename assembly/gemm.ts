import { finishRows } from "./epilogue";
import { laneOf } from "./lanes";
import { BLOCK_ROWS, PANEL_COLS, ROW_ACC_BYTES, STAT_FIELDS } from "./layout";
import { packColumnPanels } from "./panels";
import { madd } from "./madd";

// z = x·Wᵀ with W packed into panels of PANEL_COLS output columns, computed by a register-blocked
// f32x4 micro-kernel holding a TILE_ROWS × PANEL_COLS tile of accumulators.
// Every z[r][j] is the f32 sum over k in increasing order of f32(x[r][k]·W[j][k]), starting at +0,
// with no fused multiply-add in the plain build (madd.ts), so the scalar twin (src/kernel/reference/gemm.ts) is bit-identical.

const TILE_ROWS: i32 = 4;

/** W packed for this kernel: panels of PANEL_COLS columns. */
export function packPanels(wPtr: usize, packedPtr: usize, nOut: i32, k: i32): void {
  packColumnPanels(wPtr, packedPtr, nOut, k, PANEL_COLS);
}

// Stores one row's 8 accumulated columns (only the first validCols exist).
@inline function storeRow(lo: v128, hi: v128, validCols: i32, zOut: usize): void {
  if (validCols >= PANEL_COLS) {
    v128.store(zOut, lo);
    v128.store(zOut, hi, 16);
  } else {
    for (let c = 0; c < validCols; c++) store<f32>(zOut + (<usize>c << 2), laneOf(lo, hi, c));
  }
}

// V8 (Node 20) schedules all loads of a loop body before its arithmetic, so a k-loop unrolled
// plainly runs out of its 15 vector registers and spills. A branch that is never taken between
// the unrolled steps keeps each step's arithmetic ahead of the next step's loads: no spills, and
// the loop overhead is paid once per 4 steps (+10–20%, measured against the plain loop). A loop
// index is never −1, but neither Binaryen nor V8 proves it, so the branch stays.
const NEVER_K: i32 = -1;
const BARRIER_SLOT = memory.data(128, 16);

@inline function schedulingBarrier(kk: i32, c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128): void {
  if (kk == NEVER_K) {
    v128.store(BARRIER_SLOT, c00); v128.store(BARRIER_SLOT, c01, 16); v128.store(BARRIER_SLOT, c10, 32); v128.store(BARRIER_SLOT, c11, 48);
    v128.store(BARRIER_SLOT, c20, 64); v128.store(BARRIER_SLOT, c21, 80); v128.store(BARRIER_SLOT, c30, 96); v128.store(BARRIER_SLOT, c31, 112);
  }
}

function tile4x8(x0: usize, xs: usize, panel: usize, k: i32, validCols: i32, z0: usize, zs: usize): void {
  const x1 = x0 + xs, x2 = x1 + xs, x3 = x2 + xs;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let w = panel;
  let kk = 0;
  // 4 steps per iteration, each exactly the single step below: the k order is unchanged
  for (; kk < k - 3; kk += 4) {
    const off = <usize>kk << 2;
    let b0 = v128.load(w), b1 = v128.load(w, 16);
    let a = v128.load32_splat(x0 + off);
    c00 = madd(c00, a, b0); c01 = madd(c01, a, b1);
    a = v128.load32_splat(x1 + off);
    c10 = madd(c10, a, b0); c11 = madd(c11, a, b1);
    a = v128.load32_splat(x2 + off);
    c20 = madd(c20, a, b0); c21 = madd(c21, a, b1);
    a = v128.load32_splat(x3 + off);
    c30 = madd(c30, a, b0); c31 = madd(c31, a, b1);
    schedulingBarrier(kk, c00, c01, c10, c11, c20, c21, c30, c31);
    b0 = v128.load(w, 32); b1 = v128.load(w, 48);
    a = v128.load32_splat(x0 + off, 4);
    c00 = madd(c00, a, b0); c01 = madd(c01, a, b1);
    a = v128.load32_splat(x1 + off, 4);
    c10 = madd(c10, a, b0); c11 = madd(c11, a, b1);
    a = v128.load32_splat(x2 + off, 4);
    c20 = madd(c20, a, b0); c21 = madd(c21, a, b1);
    a = v128.load32_splat(x3 + off, 4);
    c30 = madd(c30, a, b0); c31 = madd(c31, a, b1);
    schedulingBarrier(kk, c00, c01, c10, c11, c20, c21, c30, c31);
    b0 = v128.load(w, 64); b1 = v128.load(w, 80);
    a = v128.load32_splat(x0 + off, 8);
    c00 = madd(c00, a, b0); c01 = madd(c01, a, b1);
    a = v128.load32_splat(x1 + off, 8);
    c10 = madd(c10, a, b0); c11 = madd(c11, a, b1);
    a = v128.load32_splat(x2 + off, 8);
    c20 = madd(c20, a, b0); c21 = madd(c21, a, b1);
    a = v128.load32_splat(x3 + off, 8);
    c30 = madd(c30, a, b0); c31 = madd(c31, a, b1);
    schedulingBarrier(kk, c00, c01, c10, c11, c20, c21, c30, c31);
    b0 = v128.load(w, 96); b1 = v128.load(w, 112);
    a = v128.load32_splat(x0 + off, 12);
    c00 = madd(c00, a, b0); c01 = madd(c01, a, b1);
    a = v128.load32_splat(x1 + off, 12);
    c10 = madd(c10, a, b0); c11 = madd(c11, a, b1);
    a = v128.load32_splat(x2 + off, 12);
    c20 = madd(c20, a, b0); c21 = madd(c21, a, b1);
    a = v128.load32_splat(x3 + off, 12);
    c30 = madd(c30, a, b0); c31 = madd(c31, a, b1);
    w += 128;
  }
  for (; kk < k; kk++) {
    const off = <usize>kk << 2;
    const b0 = v128.load(w), b1 = v128.load(w, 16);
    const a0 = v128.load32_splat(x0 + off);
    c00 = madd(c00, a0, b0); c01 = madd(c01, a0, b1);
    const a1 = v128.load32_splat(x1 + off);
    c10 = madd(c10, a1, b0); c11 = madd(c11, a1, b1);
    const a2 = v128.load32_splat(x2 + off);
    c20 = madd(c20, a2, b0); c21 = madd(c21, a2, b1);
    const a3 = v128.load32_splat(x3 + off);
    c30 = madd(c30, a3, b0); c31 = madd(c31, a3, b1);
    w += 32;
  }
  storeRow(c00, c01, validCols, z0);
  storeRow(c10, c11, validCols, z0 + zs);
  storeRow(c20, c21, validCols, z0 + 2 * zs);
  storeRow(c30, c31, validCols, z0 + 3 * zs);
}

function tile1x8(x0: usize, panel: usize, k: i32, validCols: i32, z0: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  let w = panel;
  for (let kk = 0; kk < k; kk++) {
    const a = v128.load32_splat(x0 + (<usize>kk << 2));
    c0 = madd(c0, a, v128.load(w));
    c1 = madd(c1, a, v128.load(w, 16));
    w += 32;
  }
  storeRow(c0, c1, validCols, z0);
}

// 64-row blocks; in a block, each W panel is reused by every 4-row tile.
@inline function blockPanels(x: usize, xs: usize, packedPtr: usize, z: usize, zs: usize, rows: i32, k: i32, nOut: i32): void {
  const panels = (nOut + PANEL_COLS - 1) / PANEL_COLS;
  const panelBytes = <usize>k * <usize>(PANEL_COLS << 2);
  for (let p = 0; p < panels; p++) {
    const panel = packedPtr + <usize>p * panelBytes;
    const validCols = nOut - p * PANEL_COLS;
    const zc = z + (<usize>(p * PANEL_COLS) << 2);
    let r = 0;
    for (; r + TILE_ROWS <= rows; r += TILE_ROWS) tile4x8(x + <usize>r * xs, xs, panel, k, validCols, zc + <usize>r * zs, zs);
    for (; r < rows; r++) tile1x8(x + <usize>r * xs, panel, k, validCols, zc + <usize>r * zs);
  }
}

/**
 * z[r][j] = Σ_k x[r][k]·W[j][k] for r < rows, j < nOut. Row strides are in elements;
 * `packedPtr` holds W as written by packPanels.
 */
export function gemm(xPtr: usize, xStride: i32, packedPtr: usize, zPtr: usize, zStride: i32, rows: i32, k: i32, nOut: i32): void {
  const xs = <usize>xStride << 2, zs = <usize>zStride << 2;
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const r = <usize>r0;
    blockPanels(xPtr + r * xs, xs, packedPtr, zPtr + r * zs, zs, min(BLOCK_ROWS, rows - r0), k, nOut);
  }
}

/** Bytes of scratch denseLayer needs for a row stride (elements): one row accumulator and a block of rows.
 * Twin: layerScratchBytes in src/kernel/layout.ts. */
export function layerScratchBytes(stride: i32): usize {
  return ROW_ACC_BYTES + <usize>BLOCK_ROWS * (<usize>stride << 2);
}

/**
 * One whole layer in place: for every row, z = x·Wᵀ (+ b when biasPtr != 0: nOut f32 padded to a
 * multiple of 8), a = φ(z) (alpha: leaky ReLU's slope) overwrites x, and the row's statistics
 * record goes to statsPtr + row·STAT_FIELDS·8. z is also stored at zPtr (same stride) when
 * zPtr != 0, for histograms. Each block of 64 rows is finished (epilogue.ts) while its sums are in
 * cache. `scratchPtr` holds layerScratchBytes(stride). Results equal gemm followed by
 * activateWithStats, bit for bit.
 */
export function denseLayer(xPtr: usize, stride: i32, packedPtr: usize, zPtr: usize, rows: i32, k: i32, nOut: i32, activation: i32, alpha: f32, biasPtr: usize, scratchPtr: usize, statsPtr: usize): void {
  const s = <usize>stride << 2;
  const acc = scratchPtr, block = scratchPtr + ROW_ACC_BYTES;
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const n = min(BLOCK_ROWS, rows - r0), r = <usize>r0;
    blockPanels(xPtr + r * s, s, packedPtr, block, s, n, k, nOut);
    // x rows of this block are no longer needed: a takes their place
    finishRows(block, s, zPtr == 0 ? 0 : zPtr + r * s, s, xPtr + r * s, s, n, nOut, activation, alpha, biasPtr, statsPtr + r * <usize>(STAT_FIELDS << 3), acc);
  }
}
