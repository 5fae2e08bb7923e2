// z = x·Wᵀ for inputs with many exact zeros (after a ReLU about half of x is 0): each row of x is
// compacted to its nonzero entries, branch-free, and a 1-row × 32-column micro-kernel runs over
// them; the dense kernel's epilogue then finishes each block of rows. Dropped terms are ±0
// products added to a sum that is never −0, so every z, a and statistic is bit-identical to
// denseLayer's. Twin: src/kernel/reference/zeroSkip.ts.

import { finishRows } from "./epilogue";
import { packColumnPanels } from "./panels";
import { BLOCK_ROWS, K_BLOCK, ROW_ACC_BYTES, STAT_FIELDS, WIDE_COLS } from "./layout";
import { madd } from "./madd";

const WIDE_BYTES: i32 = WIDE_COLS << 2; // one k-step of a wide panel

/** W packed for the zero-skipping kernel: panels of WIDE_COLS columns. */
export function packWide(wPtr: usize, widePtr: usize, nOut: i32, k: i32): void {
  packColumnPanels(wPtr, widePtr, nOut, k, WIDE_COLS);
}

// Offsets of 4 consecutive k-steps in a wide panel, and for a pair of 8-byte records by which of
// them is nonzero (bits 0, 1): the byte order that puts the nonzero ones first (only "second alone"
// moves anything).
const STEP_OFFSETS = i32x4(0, WIDE_BYTES, 2 * WIDE_BYTES, 3 * WIDE_BYTES);
const PAIR_ORDER = memory.data<u8>([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
], 16);

const NEVER_AT: usize = 1;
const BARRIER_SLOT = memory.data(128, 16);

// A record read whole, in one 8-byte load: its value splat over 4 lanes, and its k-step's byte offset.
// Two loads (a splat from memory and the offset) took 1.01–1.05× the time for a ReLU layer: the tile's
// 10 loads a nonzero are what bound it, more than its arithmetic.
@inline function recordValue(record: u64): v128 {
  return f32x4.splat(reinterpret<f32>(<u32>record));
}
@inline function recordStep(record: u64): usize {
  return <usize>(record >> 32);
}

// One row × 32 columns over nonzeros t0..t1 of the row's compacted list (records of 8 bytes: the
// value, then the byte offset k·128 of its k-step in the wide panel), added to the sums at
// `sums` (which start from 0 for the first block of k). `firstRecord` is the record at t0, which the
// caller read while the row before ran (unused when t0 == t1). The epilogue runs once the block of
// rows is complete, so this stays a small leaf function: V8 keeps its 8 accumulators in registers and
// calls are cheap.
function tile1x32(list: usize, t0: i32, t1: i32, panel: usize, sums: usize, first: bool, firstRecord: u64): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  if (!first) {
    c0 = v128.load(sums); c1 = v128.load(sums, 16); c2 = v128.load(sums, 32); c3 = v128.load(sums, 48);
    c4 = v128.load(sums, 64); c5 = v128.load(sums, 80); c6 = v128.load(sums, 96); c7 = v128.load(sums, 112);
  }
  let at = list + (<usize>t0 << 3);
  const end = list + (<usize>t1 << 3);
  // two nonzeros per trip (loop control paid once), in ascending order per column. Each trip's first
  // record is read a trip ahead, so its W address is ready when the trip starts: a ReLU layer took
  // 0.92–0.94× the time (bench/README.md). That read may reach 16 bytes past the list's end (into the
  // next row's list, or the row starts after the last list) and is then not used.
  let record = firstRecord;
  for (; at + 8 < end; at += 16) {
    let a = recordValue(record);
    let w = panel + recordStep(record);
    const second = load<u64>(at, 8);
    record = load<u64>(at, 16);
    c0 = madd(c0, a, v128.load(w)); c1 = madd(c1, a, v128.load(w, 16));
    c2 = madd(c2, a, v128.load(w, 32)); c3 = madd(c3, a, v128.load(w, 48));
    // keeps V8 from hoisting every load above the arithmetic (see gemm.ts)
    if (at == NEVER_AT) { v128.store(BARRIER_SLOT, c0); v128.store(BARRIER_SLOT, c1, 16); v128.store(BARRIER_SLOT, c2, 32); v128.store(BARRIER_SLOT, c3, 48); }
    c4 = madd(c4, a, v128.load(w, 64)); c5 = madd(c5, a, v128.load(w, 80));
    c6 = madd(c6, a, v128.load(w, 96)); c7 = madd(c7, a, v128.load(w, 112));
    if (at == NEVER_AT) { v128.store(BARRIER_SLOT, c4); v128.store(BARRIER_SLOT, c5, 16); v128.store(BARRIER_SLOT, c6, 32); v128.store(BARRIER_SLOT, c7, 48); }
    a = recordValue(second);
    w = panel + recordStep(second);
    c0 = madd(c0, a, v128.load(w)); c1 = madd(c1, a, v128.load(w, 16));
    c2 = madd(c2, a, v128.load(w, 32)); c3 = madd(c3, a, v128.load(w, 48));
    if (at == NEVER_AT) { v128.store(BARRIER_SLOT, c0); v128.store(BARRIER_SLOT, c1, 16); v128.store(BARRIER_SLOT, c2, 32); v128.store(BARRIER_SLOT, c3, 48); }
    c4 = madd(c4, a, v128.load(w, 64)); c5 = madd(c5, a, v128.load(w, 80));
    c6 = madd(c6, a, v128.load(w, 96)); c7 = madd(c7, a, v128.load(w, 112));
  }
  if (at < end) {
    // `record` holds this one already, but kept alive past the loop it cost V8's loop 5% (1.054×)
    const last = load<u64>(at);
    const a = recordValue(last);
    const w = panel + recordStep(last);
    c0 = madd(c0, a, v128.load(w)); c1 = madd(c1, a, v128.load(w, 16));
    c2 = madd(c2, a, v128.load(w, 32)); c3 = madd(c3, a, v128.load(w, 48));
    c4 = madd(c4, a, v128.load(w, 64)); c5 = madd(c5, a, v128.load(w, 80));
    c6 = madd(c6, a, v128.load(w, 96)); c7 = madd(c7, a, v128.load(w, 112));
  }
  v128.store(sums, c0); v128.store(sums, c1, 16); v128.store(sums, c2, 32); v128.store(sums, c3, 48);
  v128.store(sums, c4, 64); v128.store(sums, c5, 80); v128.store(sums, c6, 96); v128.store(sums, c7, 112);
}

// k is processed in blocks of K_BLOCK so that the slice of a wide panel in use stays in L1 while
// every row of the block reuses it.

const TOUCH_SINK = memory.data(4, 4);

// Reads one word of every cache line of [from, to) in address order. The rows read a slice at their
// nonzeros' k-steps, scattered, so their first reads of it wait on L3 one line at a time; read in
// order, the hardware prefetchers stream the lines in. (A 2048 × 1024 × 1024 ReLU layer: the same
// time on a quiet host, 3–5% faster a layer when the host is loaded, up to 18% in its slowest
// minutes; bench/README.md.) The words are kept in a sink so the reads are not dropped.
@inline function touchInOrder(from: usize, to: usize): void {
  let seen: u32 = 0;
  for (let at = from; at < to; at += 64) seen |= load<u32>(at);
  store<u32>(TOUCH_SINK, seen);
}

@inline function kBlocks(k: i32): i32 {
  return (k + K_BLOCK - 1) / K_BLOCK;
}

/** Scratch bytes zeroSkipLayer needs. Twin: zeroSkipScratchBytes in src/kernel/layout.ts. */
export function zeroSkipScratchBytes(stride: i32, k: i32): usize {
  const paddedCols = <usize>((stride + WIDE_COLS - 1) / WIDE_COLS * WIDE_COLS);
  return ROW_ACC_BYTES + <usize>BLOCK_ROWS * ((<usize>k << 3) + (<usize>(kBlocks(k) + 1) << 2) + (paddedCols << 2));
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
  const listBytes = <usize>k << 3, startsBytes = <usize>(blocks + 1) << 2;
  const acc = scratchPtr;
  const listBlock = acc + ROW_ACC_BYTES;
  const startsBlock = listBlock + <usize>BLOCK_ROWS * listBytes;
  const sumsBlock = startsBlock + <usize>BLOCK_ROWS * startsBytes;
  const panels = (nOut + WIDE_COLS - 1) / WIDE_COLS;
  const panelBytes = <usize>k * <usize>WIDE_BYTES;
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const n = min(BLOCK_ROWS, rows - r0);
    for (let i = 0; i < n; i++) {
      // compact: always write, advance only past nonzeros (no data-dependent branch);
      // starts[b] is where block b of k begins in the list
      const xRow = xPtr + <usize>(r0 + i) * s;
      const list = listBlock + <usize>i * listBytes;
      const starts = startsBlock + <usize>i * startsBytes;
      let nnz: usize = 0;
      for (let b = 0; b < blocks; b++) {
        store<u32>(starts + (<usize>b << 2), <u32>nnz);
        const kEnd = min(k, (b + 1) * K_BLOCK);
        let kk = b * K_BLOCK;
        // four at a time: each pair of records goes out in one 16-byte store with its nonzero ones
        // first; the next store starts after them (whatever else it wrote lies past the list's end, or
        // is overwritten). No store reaches past the row's k records: before the pair, nnz ≤ kk.
        for (; kk + 4 <= kEnd; kk += 4) {
          const v = v128.load(xRow + (<usize>kk << 2));
          const o = i32x4.add(i32x4.splat(kk * WIDE_BYTES), STEP_OFFSETS);
          // ne is true for NaN as for nonzeros, and false for ±0, as v != 0 below
          const bits = <usize>i32x4.bitmask(f32x4.ne(v, f32x4.splat(0)));
          const first = bits & 3, second = bits >> 2;
          v128.store(list + (nnz << 3), i8x16.swizzle(v128.shuffle<i32>(v, o, 0, 4, 1, 5), v128.load(PAIR_ORDER + (first << 4))));
          nnz += <usize>popcnt(first);
          v128.store(list + (nnz << 3), i8x16.swizzle(v128.shuffle<i32>(v, o, 2, 6, 3, 7), v128.load(PAIR_ORDER + (second << 4))));
          nnz += <usize>popcnt(second);
        }
        for (; kk < kEnd; kk++) {
          const v = load<f32>(xRow + (<usize>kk << 2));
          store<f32>(list + (nnz << 3), v);
          store<u32>(list + (nnz << 3), <u32>kk * <u32>WIDE_BYTES, 4);
          nnz += <usize>(v != 0);
        }
      }
      store<u32>(starts + (<usize>blocks << 2), <u32>nnz);
    }
    for (let b = 0; b < blocks; b++) {
      for (let q = 0; q < panels; q++) {
        const panel = widePtr + <usize>q * panelBytes;
        const col = <usize>(q * WIDE_COLS) << 2;
        touchInOrder(panel + <usize>(b * K_BLOCK) * <usize>WIDE_BYTES, panel + <usize>min(k, (b + 1) * K_BLOCK) * <usize>WIDE_BYTES);
        // each row's first record is read while the row before runs, so its tile starts without waiting
        // on it (a ReLU layer: median 0.984× the time over 12 sets, bench/README.md)
        let starts = startsBlock + (<usize>b << 2);
        let t0 = <i32>load<u32>(starts), t1 = <i32>load<u32>(starts, 4);
        // (read even for an empty range: t0 ≤ k, so it stays within the scratch, and the tile leaves it unused)
        let next = load<u64>(listBlock + (<usize>t0 << 3));
        for (let i = 0; i < n; i++) {
          const list = listBlock + <usize>i * listBytes, s0 = t0, s1 = t1, record = next;
          if (i + 1 < n) {
            starts += startsBytes;
            t0 = <i32>load<u32>(starts); t1 = <i32>load<u32>(starts, 4);
            next = load<u64>(list + listBytes + (<usize>t0 << 3));
          }
          tile1x32(list, s0, s1, panel, sumsBlock + <usize>i * paddedBytes + col, b == 0, record);
        }
      }
    }
    // the lists hold what the tiles needed of x: a takes its place
    finishRows(sumsBlock, paddedBytes, zPtr == 0 ? 0 : zPtr + <usize>r0 * s, s, xPtr + <usize>r0 * s, s, n, nOut, activation, alpha, biasPtr, statsPtr + <usize>r0 * <usize>(STAT_FIELDS << 3), acc);
  }
}
