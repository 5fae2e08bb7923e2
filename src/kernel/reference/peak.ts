// Pure-TS twin of peakMadd in assembly/peak.ts, plain build (one lane: all four lanes are equal).
import type { KernelMemory } from '../kernelMemory.js';

export function peakMadd(mem: KernelMemory, iterations: number, sinkPtr: number): number {
  const f = Math.fround, w0 = f(1 - 2 ** -20), w1 = 2 ** -20;
  const a = [1, 1, 1], s = new Array<number>(6).fill(0);
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < 3; j++) {
      a[j] = f(a[j] + w1);
      s[2 * j] = f(s[2 * j] + f(a[j] * w0));
      s[2 * j + 1] = f(s[2 * j + 1] + f(a[j] * w1));
    }
  }
  mem.f32[sinkPtr >>> 2] = f(f(f(s[0] + s[1]) + f(s[2] + s[3])) + f(s[4] + s[5]));
  return 60 * iterations;
}
