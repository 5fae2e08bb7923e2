// Counter-based standard normals: value i of stream s for seed k is a pure function of (k, s, i),
// so a buffer filled in one call or in many chunks holds the same numbers.
// Bits: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11) keyed
// by (seed, stream), counter (i / 4, 0, 0): one 32-bit word per value.
// Normal: the ziggurat of Marsaglia & Tsang (J. Stat. Softw. 5(8), 2000), 128 layers, with the
// layer index and the value taken from disjoint bits of the word (Doornik 2005). The rare
// rejections (≈1.2%) draw further words from counter (i, attempt, 0), attempt = 1, 2, …, still a
// function of i; a tail proposal is retried until accepted.
// Twin: src/kernel/reference/rng.ts.

const PHILOX_M0: u64 = 0xD2511F53;
const PHILOX_M1: u64 = 0xCD9E8D57;
const PHILOX_W0: u32 = 0x9E3779B9;
const PHILOX_W1: u32 = 0xBB67AE85;
const INV_2_32: f64 = 2.3283064365386963e-10;

// Ziggurat tables: layer boundaries kn (on the integer scale), widths wn, densities fn.
const ZIG_R: f64 = 3.442619855899;
const ZIG_V: f64 = 9.91256303526217e-3;
const ZIG_SCALE: f64 = 2147483648.0;
const kn = memory.data(128 * 8);
const wn = memory.data(128 * 8);
const fn = memory.data(128 * 8);

function buildTables(): void {
  let dn = ZIG_R, tn = dn;
  const q = ZIG_V / Math.exp(-0.5 * dn * dn);
  store<f64>(kn, (dn / q) * ZIG_SCALE);
  store<f64>(kn + 8, 0);
  store<f64>(wn, q / ZIG_SCALE);
  store<f64>(wn + 127 * 8, dn / ZIG_SCALE);
  store<f64>(fn, 1.0);
  store<f64>(fn + 127 * 8, Math.exp(-0.5 * dn * dn));
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2.0 * Math.log(ZIG_V / dn + Math.exp(-0.5 * dn * dn)));
    store<f64>(kn + <usize>(i + 1) * 8, (dn / tn) * ZIG_SCALE);
    tn = dn;
    store<f64>(fn + <usize>i * 8, Math.exp(-0.5 * dn * dn));
    store<f64>(wn + <usize>i * 8, dn / ZIG_SCALE);
  }
}
buildTables();

// The 4 words of one Philox block.
let r0: u32 = 0, r1: u32 = 0, r2: u32 = 0, r3: u32 = 0;

function philox(seed: u32, stream: u32, c0: u32, c1: u32, c2: u32): void {
  let c3: u32 = 0;
  let k0 = seed, k1 = stream;
  for (let round = 0; round < 10; round++) {
    const p0 = PHILOX_M0 * <u64>c0;
    const p1 = PHILOX_M1 * <u64>c2;
    const hi0 = <u32>(p0 >> 32), lo0 = <u32>p0;
    const hi1 = <u32>(p1 >> 32), lo1 = <u32>p1;
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
  r0 = c0; r1 = c1; r2 = c2; r3 = c3;
}

// Philox of 8 consecutive blocks at once, one per i32x4 lane of two sets (counter (block + i, 0, 0)):
// the same rounds as philox(), but 8 independent chains instead of one long dependency chain (one set
// of 4 left half the core idle on the rounds' latency). Word j of block + i lands at
// WORDS + 16·j + 4·i for i < 4, and at WORDS + 64 + 16·j + 4·(i − 4) for the rest.
const WORDS = memory.data(128, 16);
const M0 = i32x4.splat(<i32>PHILOX_M0);
const M1 = i32x4.splat(<i32>PHILOX_M1);

@inline function counterLow(block: u64): v128 {
  return i32x4(<i32>block, <i32>(block + 1), <i32>(block + 2), <i32>(block + 3));
}
@inline function counterHigh(block: u64): v128 {
  return i32x4(<i32>(block >> 32), <i32>((block + 1) >> 32), <i32>((block + 2) >> 32), <i32>((block + 3) >> 32));
}

function philox8(seed: u32, stream: u32, block: u64): void {
  let c0 = counterLow(block), c1 = counterHigh(block), c2 = i32x4.splat(0), c3 = c2;
  let d0 = counterLow(block + 4), d1 = counterHigh(block + 4), d2 = c2, d3 = c2;
  let k0 = seed, k1 = stream;
  for (let round = 0; round < 10; round++) {
    const key0 = i32x4.splat(<i32>k0), key1 = i32x4.splat(<i32>k1);
    const p0a = i64x2.extmul_low_i32x4_u(c0, M0), p0b = i64x2.extmul_high_i32x4_u(c0, M0);
    const p1a = i64x2.extmul_low_i32x4_u(c2, M1), p1b = i64x2.extmul_high_i32x4_u(c2, M1);
    const q0a = i64x2.extmul_low_i32x4_u(d0, M0), q0b = i64x2.extmul_high_i32x4_u(d0, M0);
    const q1a = i64x2.extmul_low_i32x4_u(d2, M1), q1b = i64x2.extmul_high_i32x4_u(d2, M1);
    c0 = v128.xor(v128.xor(v128.shuffle<u32>(p1a, p1b, 1, 3, 5, 7), c1), key0);
    c1 = v128.shuffle<u32>(p1a, p1b, 0, 2, 4, 6);
    c2 = v128.xor(v128.xor(v128.shuffle<u32>(p0a, p0b, 1, 3, 5, 7), c3), key1);
    c3 = v128.shuffle<u32>(p0a, p0b, 0, 2, 4, 6);
    d0 = v128.xor(v128.xor(v128.shuffle<u32>(q1a, q1b, 1, 3, 5, 7), d1), key0);
    d1 = v128.shuffle<u32>(q1a, q1b, 0, 2, 4, 6);
    d2 = v128.xor(v128.xor(v128.shuffle<u32>(q0a, q0b, 1, 3, 5, 7), d3), key1);
    d3 = v128.shuffle<u32>(q0a, q0b, 0, 2, 4, 6);
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
  v128.store(WORDS, c0); v128.store(WORDS, c1, 16); v128.store(WORDS, c2, 32); v128.store(WORDS, c3, 48);
  v128.store(WORDS, d0, 64); v128.store(WORDS, d1, 80); v128.store(WORDS, d2, 96); v128.store(WORDS, d3, 112);
}

// (r + 0.5)·2⁻³² lies strictly inside (0, 1), so log never sees 0.
@inline function unitOpen(r: u32): f64 {
  return (<f64>r + 0.5) * INV_2_32;
}

/** Slow path of the ziggurat for value `index` whose first word fell outside its layer's core. */
function zigguratReject(seed: u32, stream: u32, index: u64, word: u32): f64 {
  let u = word;
  let attempt: u32 = 1;
  for (;;) {
    const iz = <i32>(u & 127);
    const hz = <i32>(u & ~127);
    const x = <f64>hz * load<f64>(wn + <usize>iz * 8);
    if (Math.abs(<f64>hz) < load<f64>(kn + <usize>iz * 8)) return x;
    if (iz == 0) {
      // the tail beyond R (Marsaglia 1964), retried until accepted: falling back to a fresh layer
      // after a rejected tail proposal thins the tail by ~7% (Marsaglia & Tsang 2000 loop here)
      for (;; attempt++) {
        philox(seed, stream, <u32>index, <u32>(index >> 32), attempt);
        const tx = -Math.log(unitOpen(r0)) / ZIG_R;
        const ty = -Math.log(unitOpen(r1));
        if (ty + ty >= tx * tx) return hz > 0 ? ZIG_R + tx : -ZIG_R - tx;
      }
    }
    philox(seed, stream, <u32>index, <u32>(index >> 32), attempt++);
    const f0 = load<f64>(fn + <usize>(iz - 1) * 8), f1 = load<f64>(fn + <usize>iz * 8);
    if (f1 + unitOpen(r0) * (f0 - f1) < Math.exp(-0.5 * x * x)) return x;
    u = r2;
  }
  return 0;
}

@inline function normalFromWord(seed: u32, stream: u32, index: u64, u: u32): f64 {
  const iz = <i32>(u & 127);
  const hz = <i32>(u & ~127);
  if (Math.abs(<f64>hz) < load<f64>(kn + <usize>iz * 8)) return <f64>hz * load<f64>(wn + <usize>iz * 8);
  return zigguratReject(seed, stream, index, u);
}

/** Writes `count` f32 values scale·N(0,1) at `ptr`: values first..first+count−1 of (seed, stream). */
export function fillNormal(ptr: usize, count: i32, seed: u32, stream: u32, first: f64, scale: f64): void {
  let index = <u64>first;
  const end = index + <u64>count;
  let out = ptr;
  while (index < end) {
    const block = index >> 2;
    if ((index & 3) == 0 && end - index >= 32) {
      philox8(seed, stream, block);
      for (let j: u32 = 0; j < 32; j++) {
        // value index + j is word j & 3 of block + j / 4: in set j / 16, at lane (j / 4) mod 4
        const u = load<u32>(WORDS + (<usize>(j >> 4) << 6) + (<usize>(j & 3) << 4) + (<usize>((j >> 2) & 3) << 2));
        store<f32>(out, <f32>(scale * normalFromWord(seed, stream, index + <u64>j, u)));
        out += 4;
      }
      index += 32;
      continue;
    }
    philox(seed, stream, <u32>block, <u32>(block >> 32), 0);
    const w0 = r0, w1 = r1, w2 = r2, w3 = r3;
    const blockEnd = (block + 1) << 2;
    const stop = blockEnd < end ? blockEnd : end;
    while (index < stop) {
      const l = <u32>(index & 3);
      const u = l == 0 ? w0 : l == 1 ? w1 : l == 2 ? w2 : w3;
      store<f32>(out, <f32>(scale * normalFromWord(seed, stream, index, u)));
      out += 4;
      index++;
    }
  }
}
