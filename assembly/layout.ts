// Every constant the host must agree on: a leaf that imports nothing. index.ts exports
// the constants as WASM globals; test/kernel/kernelParity.test.ts compares each with its twin in
// src/kernel/layout.ts.

// Fields of the per-row statistics record (f64 each).
export const STAT_Z_SUM: i32 = 0;
export const STAT_Z_SUMSQ: i32 = 1;
export const STAT_Z_MIN: i32 = 2;
export const STAT_Z_MAX: i32 = 3;
export const STAT_A_SUM: i32 = 4;
export const STAT_A_SUMSQ: i32 = 5;
export const STAT_A_MIN: i32 = 6;
export const STAT_A_MAX: i32 = 7;
export const STAT_A_ZEROS: i32 = 8;
export const STAT_FIELDS: i32 = 9;

/** Output columns per packed W panel of the dense kernel. */
export const PANEL_COLS: i32 = 8;
/** Rows of x that stay in cache while one W panel is reused across them (the host sizes layer scratch with it). */
export const BLOCK_ROWS: i32 = 64;
/** Output columns per panel of the zero-skipping kernel. */
export const WIDE_COLS: i32 = 32;
/** k per block of the zero-skipping kernel: a 32-column slice of K_BLOCK × 4 bytes = 32 KiB stays in L1. */
export const K_BLOCK: i32 = 256;
/** Bytes of one row's statistics lanes (rowAccumulator.ts lays them out). */
export const ROW_ACC_BYTES: usize = 416;
/** Copies of the counts the histogram kernel counts into (4-way, to break store-to-load chains). */
export const HIST_LANES: i32 = 4;
