// Pure-TS twin of assembly/rng.ts: Philox4x32-10 keyed by (seed, stream), Box–Muller per pair.
import type { KernelMemory } from '../kernelMemory.js';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO_PI = 6.283185307179586;
const INV_2_32 = 2.3283064365386963e-10;
const TWO_32 = 4294967296;

/** High 32 bits of the exact 64-bit product of two u32 (doubles hold only 53 bits). */
function mulHi(a: number, b: number): number {
  const aLo = a & 0xffff, aHi = a >>> 16, bLo = b & 0xffff, bHi = b >>> 16;
  const hiLo = aHi * bLo;
  const cross = ((aLo * bLo) >>> 16) + (hiLo & 0xffff) + aLo * bHi;
  return (aHi * bHi + (hiLo >>> 16) + Math.floor(cross / 65536)) >>> 0;
}

/** The 4 standard normals of counter block `block` for (seed, stream). */
export function philoxNormals(seed: number, stream: number, block: number, out: Float64Array): void {
  let c0 = block % TWO_32 >>> 0, c1 = Math.floor(block / TWO_32) >>> 0, c2 = 0, c3 = 0;
  let k0 = seed >>> 0, k1 = stream >>> 0;
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
  const r01 = Math.sqrt(-2 * Math.log((c0 + 0.5) * INV_2_32));
  const t01 = TWO_PI * ((c1 + 0.5) * INV_2_32);
  const r23 = Math.sqrt(-2 * Math.log((c2 + 0.5) * INV_2_32));
  const t23 = TWO_PI * ((c3 + 0.5) * INV_2_32);
  out[0] = r01 * Math.cos(t01);
  out[1] = r01 * Math.sin(t01);
  out[2] = r23 * Math.cos(t23);
  out[3] = r23 * Math.sin(t23);
}

export function fillNormal(mem: KernelMemory, ptr: number, count: number, seed: number, stream: number, first: number, scale: number): void {
  const f32 = mem.f32;
  const lanes = new Float64Array(4);
  let block = -1;
  for (let i = 0; i < count; i++) {
    const index = first + i;
    const b = Math.floor(index / 4);
    if (b !== block) {
      philoxNormals(seed, stream, b, lanes);
      block = b;
    }
    f32[(ptr >> 2) + i] = scale * lanes[index % 4];
  }
}
