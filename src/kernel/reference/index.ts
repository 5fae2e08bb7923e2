// The pure-TS kernel: the same exports as the WASM module, over a WebAssembly.Memory of its own.
// It is the oracle in tests and the baseline in the benchmark.
import type { Kernel, KernelExports, KernelFunctions } from '../kernelExports.js';
import { KernelMemory } from '../kernelMemory.js';
import * as twins from './surface.js';

const REFERENCE_HEAP_BASE = 64;

export function createReferenceKernel(): Kernel {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  const mem = new KernelMemory(memory);
  const bound = Object.fromEntries(
    Object.entries(twins).map(([name, twin]) => [name, (...args: number[]) => (twin as (m: KernelMemory, ...a: number[]) => number | void)(mem, ...args)]),
  ) as unknown as KernelFunctions;
  const exports: KernelExports = { heapBase: () => REFERENCE_HEAP_BASE, ...bound };
  return { build: 'ts-reference', exports, memory };
}
