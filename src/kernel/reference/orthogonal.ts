// Pure-TS twin of assembly/orthogonal.ts (the same modified Gram–Schmidt in f64; dot products pair
// lanes as the kernel's f64x2 does, so results agree to rounding).
import type { KernelMemory } from '../kernelMemory.js';

function dot(a: Float64Array, ai: number, b: Float64Array, bi: number, n: number): number {
  let s0 = 0, s1 = 0, i = 0;
  for (; i + 2 <= n; i += 2) {
    s0 += a[ai + i] * b[bi + i];
    s1 += a[ai + i + 1] * b[bi + i + 1];
  }
  let total = s0 + s1;
  for (; i < n; i++) total += a[ai + i] * b[bi + i];
  return total;
}

export function orthonormalizeRows(mem: KernelMemory, wPtr: number, rows: number, cols: number, _scratchPtr: number): void {
  const f32 = mem.f32, w = wPtr >>> 2;
  const m = Float64Array.from(f32.subarray(w, w + rows * cols));
  for (let i = 0; i < rows; i++) {
    const v = i * cols;
    for (let j = 0; j < i; j++) {
      const q = j * cols;
      const r = dot(m, q, m, v, cols);
      for (let c = 0; c < cols; c++) m[v + c] -= r * m[q + c];
    }
    const inv = 1 / Math.sqrt(dot(m, v, m, v, cols));
    for (let c = 0; c < cols; c++) m[v + c] *= inv;
  }
  f32.set(m, w);
}

export function transpose(mem: KernelMemory, srcPtr: number, dstPtr: number, rows: number, cols: number): void {
  const f32 = mem.f32, s = srcPtr >>> 2, d = dstPtr >>> 2;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) f32[d + c * rows + r] = f32[s + r * cols + c];
}
