// Constants the host and the WASM kernel must agree on. Twin: assembly/layout.ts, which exports each
// as a WASM global; test/kernel/kernelParity.test.ts compares every one of them with its value here.

/** Output columns per packed W panel. */
export const PANEL_COLS = 8;

/** Fields of the per-row statistics record (f64 each). */
export const STAT_Z_SUM = 0;
export const STAT_Z_SUMSQ = 1;
export const STAT_Z_MIN = 2;
export const STAT_Z_MAX = 3;
export const STAT_A_SUM = 4;
export const STAT_A_SUMSQ = 5;
export const STAT_A_MIN = 6;
export const STAT_A_MAX = 7;
export const STAT_A_ZEROS = 8;
export const STAT_FIELDS = 9;


export const WASM_PAGE_BYTES = 65536;
/** wasm32 addresses 2³² bytes at most. */
export const WASM_MAX_BYTES = 4 * 1024 * 1024 * 1024;

/** Rows per block of the GEMM loop nest. */
export const BLOCK_ROWS = 64;
/** Bytes of one row's statistics lanes. */
export const ROW_ACC_BYTES = 416;

/** Scratch bytes of denseLayer for a row stride: one row accumulator and a block of rows. Twin: layerScratchBytes in assembly/gemm.ts. */
export function layerScratchBytes(stride: number): number {
  return ROW_ACC_BYTES + BLOCK_ROWS * stride * 4;
}

/** Output columns per panel of the zero-skipping kernel. */
export const WIDE_COLS = 32;

/** Bias vectors are zero-padded to the widest panel, which the epilogues read whole. */
export const BIAS_PAD = WIDE_COLS;

/** k per block of the zero-skipping kernel. */
export const K_BLOCK = 256;

/** Scratch bytes of zeroSkipLayer. Twin: zeroSkipScratchBytes in assembly/zeroSkip.ts. */
export function zeroSkipScratchBytes(stride: number, k: number): number {
  const paddedCols = Math.ceil(stride / WIDE_COLS) * WIDE_COLS;
  return ROW_ACC_BYTES + BLOCK_ROWS * (k * 8 + (Math.ceil(k / K_BLOCK) + 1) * 4 + paddedCols * 4);
}

/** Copies of the counts the histogram kernel counts into (countsPtr has room for HIST_LANES·bins u32). */
export const HIST_LANES = 4;
