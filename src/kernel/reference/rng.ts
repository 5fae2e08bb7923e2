// Pure-TS twin of assembly/rng.ts: Philox4x32-10 words, Marsaglia–Tsang ziggurat with disjoint
// layer and value bits, retries from counter (i, attempt, 0); the tail retried until accepted.
import type { KernelMemory } from '../kernelMemory.js';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const INV_2_32 = 2.3283064365386963e-10;
const TWO_32 = 4294967296;
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
const ZIG_SCALE = 2147483648.0;

const kn = new Float64Array(128), wn = new Float64Array(128), fn = new Float64Array(128);
(function buildTables() {
  let dn = ZIG_R, tn = dn;
  const q = ZIG_V / Math.exp(-0.5 * dn * dn);
  kn[0] = (dn / q) * ZIG_SCALE;
  kn[1] = 0;
  wn[0] = q / ZIG_SCALE;
  wn[127] = dn / ZIG_SCALE;
  fn[0] = 1;
  fn[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(ZIG_V / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = (dn / tn) * ZIG_SCALE;
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / ZIG_SCALE;
  }
})();

/** High 32 bits of the exact 64-bit product of two u32 (doubles hold only 53 bits). */
function mulHi(a: number, b: number): number {
  const aLo = a & 0xffff, aHi = a >>> 16, bLo = b & 0xffff, bHi = b >>> 16;
  const hiLo = aHi * bLo;
  const cross = ((aLo * bLo) >>> 16) + (hiLo & 0xffff) + aLo * bHi;
  return (aHi * bHi + (hiLo >>> 16) + Math.floor(cross / 65536)) >>> 0;
}

/** The 4 words of Philox4x32-10 for key (seed, stream) and counter (c0, c1, c2, 0). */
function philox(seed: number, stream: number, c0: number, c1: number, c2: number, out: Uint32Array): void {
  let c3 = 0, k0 = seed >>> 0, k1 = stream >>> 0;
  c0 >>>= 0;
  c1 >>>= 0;
  c2 >>>= 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulHi(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulHi(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

const unitOpen = (r: number) => (r + 0.5) * INV_2_32;
const retry = new Uint32Array(4);

/** Standard normal number `index` of (seed, stream), whose first word is `u`. */
function normalFromWord(seed: number, stream: number, index: number, u: number): number {
  for (let attempt = 1; ; ) {
    const iz = u & 127;
    const hz = u & ~127; // as a signed 32-bit integer
    const x = hz * wn[iz];
    if (Math.abs(hz) < kn[iz]) return x;
    if (iz === 0) {
      // the tail beyond R, retried until accepted (Marsaglia & Tsang 2000)
      for (; ; attempt++) {
        philox(seed, stream, index % TWO_32, Math.floor(index / TWO_32), attempt, retry);
        const tx = -Math.log(unitOpen(retry[0])) / ZIG_R;
        const ty = -Math.log(unitOpen(retry[1]));
        if (ty + ty >= tx * tx) return hz > 0 ? ZIG_R + tx : -ZIG_R - tx;
      }
    }
    philox(seed, stream, index % TWO_32, Math.floor(index / TWO_32), attempt++, retry);
    if (fn[iz] + unitOpen(retry[0]) * (fn[iz - 1] - fn[iz]) < Math.exp(-0.5 * x * x)) return x;
    u = retry[2];
  }
}

export function fillNormal(mem: KernelMemory, ptr: number, count: number, seed: number, stream: number, first: number, scale: number): void {
  const f32 = mem.f32;
  const words = new Uint32Array(4);
  let block = -1;
  for (let i = 0; i < count; i++) {
    const index = first + i;
    const b = Math.floor(index / 4);
    if (b !== block) {
      philox(seed, stream, b % TWO_32, Math.floor(b / TWO_32), 0, words);
      block = b;
    }
    f32[(ptr >>> 2) + i] = scale * normalFromWord(seed, stream, index, words[index % 4]);
  }
}
