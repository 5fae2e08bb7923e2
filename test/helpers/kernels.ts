import type { Kernel } from '../../src/kernel/kernelExports.js';
import { KernelMemory } from '../../src/kernel/kernelMemory.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { loadNodeKernel } from '../../src/kernel/wasmFile.js';

export interface Pair {
  wasm: Kernel;
  ref: Kernel;
  wasmMem: KernelMemory;
  refMem: KernelMemory;
  /** A base offset valid in both (above the WASM module's static data). */
  base: number;
}

/** The WASM kernel and its pure-TS twin, each with `bytes` of usable memory above `base`. */
export async function kernelPair(bytes: number): Promise<Pair> {
  const wasm = await loadNodeKernel();
  const ref = createReferenceKernel();
  const base = Math.ceil(Math.max(wasm.exports.heapBase(), ref.exports.heapBase()) / 64) * 64;
  const wasmMem = new KernelMemory(wasm.memory), refMem = new KernelMemory(ref.memory);
  wasmMem.ensure(base + bytes);
  refMem.ensure(base + bytes);
  return { wasm, ref, wasmMem, refMem, base };
}
