// Pure-TS twin of assembly/scale.ts.
import type { KernelMemory } from '../kernelMemory.js';

export function scaleInPlace(mem: KernelMemory, ptr: number, count: number, factor: number): void {
  const f32 = mem.f32;
  const base = ptr >> 2;
  for (let i = 0; i < count; i++) f32[base + i] = f32[base + i] * factor;
}
