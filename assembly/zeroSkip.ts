// z = x·Wᵀ for inputs with many exact zeros (after a ReLU about half of x is 0): each row of x is
// compacted to its nonzero entries, branch-free, and a 1-row × 32-column micro-kernel runs over
// them. Dropped terms are ±0 products added to a sum that is never −0, so every z, a and
// statistic is bit-identical to denseLayer's. Twin: src/kernel/reference/zeroSkip.ts.

import { fusedEpilogue8 } from "./epilogue";
import { madd } from "./madd";
import { BLOCK_ROWS, packColumnPanels } from "./gemm";
import { finishRow, resetRowAcc, ROW_ACC_BYTES } from "./rowAccumulator";
import { STAT_FIELDS } from "./stats";

// Twin: WIDE_COLS in src/kernel/layout.ts.
export const WIDE_COLS: i32 = 32;
const WIDE_BYTES: i32 = WIDE_COLS << 2; // one k-step of a wide panel

/** W packed for the zero-skipping kernel: panels of WIDE_COLS columns. */
export function packWide(wPtr: usize, widePtr: usize, nOut: i32, k: i32): void {
  packColumnPanels(wPtr, widePtr, nOut, k, WIDE_COLS);
}

// The dense kernel's epilogue, for one group of 8 columns of one row (none past nOut).
@inline function group(lo: v128, hi: v128, validCols: i32, zOut: usize, aOut: usize, acc: usize, activation: i32, alpha: f32, bias: usize): void {
  if (validCols > 0) fusedEpilogue8(lo, hi, validCols, zOut, aOut, acc, activation, alpha, bias);
}

const NEVER_T: i32 = -1;
const BARRIER_SLOT = memory.data(64, 16);

// One row × 32 columns over nonzeros t0..t1 of the row's compacted list (byte offsets k·128 and
// values). The sums start from `partial` (an earlier block of k) unless first, and are stored
// back there unless last; the last block of k runs the epilogue instead.
function tile1x32(offsets: usize, values: usize, t0: i32, t1: i32, panel: usize, partial: usize, first: bool, last: bool,
  validCols: i32, zOut: usize, aOut: usize, acc: usize, activation: i32, alpha: f32, bias: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  if (!first) {
    c0 = v128.load(partial); c1 = v128.load(partial, 16); c2 = v128.load(partial, 32); c3 = v128.load(partial, 48);
    c4 = v128.load(partial, 64); c5 = v128.load(partial, 80); c6 = v128.load(partial, 96); c7 = v128.load(partial, 112);
  }
  for (let t = t0; t < t1; t++) {
    const at = <usize>t << 2;
    const w = panel + <usize>load<u32>(offsets + at);
    const a = v128.load32_splat(values + at);
    c0 = madd(c0, a, v128.load(w));
    c1 = madd(c1, a, v128.load(w, 16));
    // (the plain build's separate mul and add need one more barrier per pair; measured)
    if (!ASC_FEATURE_RELAXED_SIMD && t == NEVER_T) {
      v128.store(BARRIER_SLOT, c0); v128.store(BARRIER_SLOT, c1, 16);
    }
    c2 = madd(c2, a, v128.load(w, 32));
    c3 = madd(c3, a, v128.load(w, 48));
    // keeps V8 from hoisting all eight loads above the arithmetic (see gemm.ts)
    if (t == NEVER_T) {
      v128.store(BARRIER_SLOT, c0); v128.store(BARRIER_SLOT, c1, 16); v128.store(BARRIER_SLOT, c2, 32); v128.store(BARRIER_SLOT, c3, 48);
    }
    c4 = madd(c4, a, v128.load(w, 64));
    c5 = madd(c5, a, v128.load(w, 80));
    if (!ASC_FEATURE_RELAXED_SIMD && t == NEVER_T) {
      v128.store(BARRIER_SLOT, c4); v128.store(BARRIER_SLOT, c5, 16);
    }
    c6 = madd(c6, a, v128.load(w, 96));
    c7 = madd(c7, a, v128.load(w, 112));
  }
  if (!last) {
    v128.store(partial, c0); v128.store(partial, c1, 16); v128.store(partial, c2, 32); v128.store(partial, c3, 48);
    v128.store(partial, c4, 64); v128.store(partial, c5, 80); v128.store(partial, c6, 96); v128.store(partial, c7, 112);
    return;
  }
  group(c0, c1, validCols, zOut, aOut, acc, activation, alpha, bias);
  group(c2, c3, validCols - 8, zOut == 0 ? 0 : zOut + 32, aOut + 32, acc, activation, alpha, bias == 0 ? 0 : bias + 32);
  group(c4, c5, validCols - 16, zOut == 0 ? 0 : zOut + 64, aOut + 64, acc, activation, alpha, bias == 0 ? 0 : bias + 64);
  group(c6, c7, validCols - 24, zOut == 0 ? 0 : zOut + 96, aOut + 96, acc, activation, alpha, bias == 0 ? 0 : bias + 96);
}

// k is processed in blocks of K_BLOCK so that the slice of a wide panel in use (32 columns ×
// K_BLOCK × 4 bytes = 32 KiB) stays in L1 while every row of the block reuses it.
const K_BLOCK: i32 = 256;

@inline function kBlocks(k: i32): i32 {
  return (k + K_BLOCK - 1) / K_BLOCK;
}

/** Scratch bytes zeroSkipLayer needs. Twin: zeroSkipScratchBytes in src/kernel/layout.ts. */
export function zeroSkipScratchBytes(stride: i32, k: i32): usize {
  const paddedCols = <usize>((stride + WIDE_COLS - 1) / WIDE_COLS * WIDE_COLS);
  return <usize>BLOCK_ROWS * ((<usize>stride << 2) + ROW_ACC_BYTES + (<usize>k << 3) + (<usize>(kBlocks(k) + 1) << 2) + (paddedCols << 2));
}

/**
 * denseLayer's contract (x replaced by a = φ(x·Wᵀ) in place, z kept at zPtr when nonzero,
 * per-row statistics at statsPtr), computed from the nonzero entries of x only. W comes packed
 * by packWide; `scratchPtr` holds zeroSkipScratchBytes(stride, k).
 */
export function zeroSkipLayer(xPtr: usize, stride: i32, widePtr: usize, zPtr: usize, rows: i32, k: i32, nOut: i32, activation: i32, alpha: f32, biasPtr: usize, scratchPtr: usize, statsPtr: usize): void {
  const s = <usize>stride << 2;
  const blocks = kBlocks(k);
  const paddedBytes = <usize>((stride + WIDE_COLS - 1) / WIDE_COLS * WIDE_COLS) << 2;
  const listBytes = <usize>k << 2, startsBytes = <usize>(blocks + 1) << 2;
  const aBlock = scratchPtr;
  const accBlock = aBlock + <usize>BLOCK_ROWS * s;
  const offsetsBlock = accBlock + <usize>BLOCK_ROWS * ROW_ACC_BYTES;
  const valuesBlock = offsetsBlock + <usize>BLOCK_ROWS * listBytes;
  const startsBlock = valuesBlock + <usize>BLOCK_ROWS * listBytes;
  const partialBlock = startsBlock + <usize>BLOCK_ROWS * startsBytes;
  const panels = (nOut + WIDE_COLS - 1) / WIDE_COLS;
  const panelBytes = <usize>k * <usize>WIDE_BYTES;
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const n = min(BLOCK_ROWS, rows - r0);
    for (let i = 0; i < n; i++) {
      resetRowAcc(accBlock + <usize>i * ROW_ACC_BYTES);
      // compact: always write, advance only past nonzeros (no data-dependent branch);
      // starts[b] is where block b of k begins in the list
      const xRow = xPtr + <usize>(r0 + i) * s;
      const offs = offsetsBlock + <usize>i * listBytes, vals = valuesBlock + <usize>i * listBytes;
      const starts = startsBlock + <usize>i * startsBytes;
      let nnz: usize = 0;
      for (let kk = 0; kk < k; kk++) {
        if (kk % K_BLOCK == 0) store<u32>(starts + (<usize>(kk / K_BLOCK) << 2), <u32>nnz);
        const v = load<f32>(xRow + (<usize>kk << 2));
        store<u32>(offs + (nnz << 2), <u32>kk * <u32>WIDE_BYTES);
        store<f32>(vals + (nnz << 2), v);
        nnz += <usize>(v != 0);
      }
      store<u32>(starts + (<usize>blocks << 2), <u32>nnz);
    }
    for (let b = 0; b < blocks; b++) {
      const first = b == 0, last = b == blocks - 1;
      for (let q = 0; q < panels; q++) {
        const panel = widePtr + <usize>q * panelBytes;
        const col = <usize>(q * WIDE_COLS) << 2;
        for (let i = 0; i < n; i++) {
          const row = <usize>(r0 + i);
          const starts = startsBlock + <usize>i * startsBytes;
          tile1x32(offsetsBlock + <usize>i * listBytes, valuesBlock + <usize>i * listBytes,
            <i32>load<u32>(starts + (<usize>b << 2)), <i32>load<u32>(starts + (<usize>(b + 1) << 2)), panel,
            partialBlock + <usize>i * paddedBytes + col, first, last,
            nOut - q * WIDE_COLS, zPtr == 0 ? 0 : zPtr + row * s + col, aBlock + <usize>i * s + col, accBlock + <usize>i * ROW_ACC_BYTES, activation, alpha,
            biasPtr == 0 ? 0 : biasPtr + col);
        }
      }
    }
    for (let i = 0; i < n; i++) finishRow(accBlock + <usize>i * ROW_ACC_BYTES, statsPtr + <usize>(r0 + i) * <usize>(STAT_FIELDS << 3));
    memory.copy(xPtr + <usize>r0 * s, aBlock, <usize>n * s);
  }
}
