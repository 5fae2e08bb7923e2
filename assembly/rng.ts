// Counter-based standard normals: value i of stream s for seed k is a pure function of (k, s, i),
// so a buffer filled in one call or in many chunks holds the same numbers.
// Generator: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11)
// keyed by (seed, stream) with counter (block, 0, 0); each block gives 4 uniforms → 4 normals by
// Box–Muller. Twin: src/kernel/reference/rng.ts.

const PHILOX_M0: u64 = 0xD2511F53;
const PHILOX_M1: u64 = 0xCD9E8D57;
const PHILOX_W0: u32 = 0x9E3779B9;
const PHILOX_W1: u32 = 0xBB67AE85;
const TWO_PI: f64 = 6.283185307179586;
const INV_2_32: f64 = 2.3283064365386963e-10;

// The 4 normals of one block, kept in globals so the fill loop can consume them lane by lane.
let n0: f64 = 0, n1: f64 = 0, n2: f64 = 0, n3: f64 = 0;

// (r + 0.5)·2⁻³² lies strictly inside (0, 1), so log never sees 0.
@inline function unitOpen(r: u32): f64 {
  return (<f64>r + 0.5) * INV_2_32;
}

function philoxNormals(seed: u32, stream: u32, block: u64): void {
  let c0 = <u32>block, c1 = <u32>(block >> 32), c2: u32 = 0, c3: u32 = 0;
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
  const r01 = Math.sqrt(-2.0 * Math.log(unitOpen(c0)));
  const t01 = TWO_PI * unitOpen(c1);
  const r23 = Math.sqrt(-2.0 * Math.log(unitOpen(c2)));
  const t23 = TWO_PI * unitOpen(c3);
  n0 = r01 * Math.cos(t01);
  n1 = r01 * Math.sin(t01);
  n2 = r23 * Math.cos(t23);
  n3 = r23 * Math.sin(t23);
}

@inline function lane(i: u32): f64 {
  return i == 0 ? n0 : i == 1 ? n1 : i == 2 ? n2 : n3;
}

/** Writes `count` f32 values scale·N(0,1) at `ptr`: values first..first+count−1 of (seed, stream). */
export function fillNormal(ptr: usize, count: i32, seed: u32, stream: u32, first: f64, scale: f64): void {
  let index = <u64>first;
  const end = index + <u64>count;
  let out = ptr;
  while (index < end) {
    const block = index >> 2;
    philoxNormals(seed, stream, block);
    let l = <u32>(index & 3);
    const blockEnd = (block + 1) << 2;
    const stop = blockEnd < end ? blockEnd : end;
    while (index < stop) {
      store<f32>(out, <f32>(scale * lane(l)));
      out += 4;
      l++;
      index++;
    }
  }
}
