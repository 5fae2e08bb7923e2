import { KernelMemory } from '../../src/kernel/kernelMemory.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';

/** n standard normals × scale of (seed 0, stream), drawn by the pure-TS RNG: the values a run's stream holds. */
export function draw(stream: number, n: number, scale = 1): number[] {
  const k = createReferenceKernel(), mem = new KernelMemory(k.memory);
  mem.ensure(64 + n * 4);
  k.exports.fillNormal(64, n, 0, stream, 0, scale);
  return Array.from(mem.f32.subarray(16, 16 + n));
}
