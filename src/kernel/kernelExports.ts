import type { KernelMemory } from './kernelMemory.js';
import type * as twins from './reference/surface.js';

/** A twin (memory first) as the kernel exports it (no memory argument). */
type Exported<F> = F extends (mem: KernelMemory, ...args: infer A) => infer R ? (...args: A) => R : never;

/**
 * The kernel's exported functions, derived from the twin's surface: the WASM module (assembly/index.ts)
 * and the pure-TS twin (reference/surface.ts) both implement exactly these, and
 * test/kernel/kernelParity.test.ts checks that the module's export names are the twin's. All pointers are
 * byte offsets into the instance's memory, aligned to the element size they point at, and all strides
 * are in elements.
 */
export type KernelFunctions = { [Name in keyof typeof twins]: Exported<(typeof twins)[Name]> };

export interface KernelExports extends KernelFunctions {
  /** First byte the host may use. */
  heapBase(): number;
}

/** A kernel bound to its memory: what the host needs to run a shard. */
export interface Kernel {
  /** Which implementation runs: "wasm-simd" or "ts-reference". */
  readonly build: string;
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
}
