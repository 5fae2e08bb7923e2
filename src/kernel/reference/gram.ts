// Pure-TS twin of assembly/gram.ts.
import type { KernelMemory } from '../kernelMemory.js';

export function gramOfTangents(mem: KernelMemory, tangentsPtr: number, stride: number, n0: number, nl: number, rowsPtr: number, gramPtr: number): void {
  const f32 = mem.f32, f64 = mem.f64, m = Math.min(n0, nl), long = Math.max(n0, nl), rows = rowsPtr >>> 3, gram = gramPtr >>> 3;
  for (let r = 0; r < n0; r++) {
    const from = (tangentsPtr >>> 2) + r * stride;
    for (let c = 0; c < nl; c++) f64[rows + (n0 <= nl ? r * long + c : c * long + r)] = f32[from + c];
  }
  const body = long & ~1;
  for (let i = 0; i < m; i++) {
    const ri = rows + i * long;
    for (let j = 0; j <= i; j++) {
      const rj = rows + j * long;
      let even = 0, odd = 0;
      for (let c = 0; c < body; c += 2) {
        even += f64[ri + c] * f64[rj + c];
        odd += f64[ri + c + 1] * f64[rj + c + 1];
      }
      if (body < long) even += f64[ri + body] * f64[rj + body];
      f64[gram + i * m + j] = even + odd;
    }
  }
}
