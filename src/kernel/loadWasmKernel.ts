import { instantiate, instantiateSync } from '@assemblyscript/loader';
import type { Kernel, KernelExports } from './kernelExports.js';

/** What a kernel can be made from: the .wasm bytes, or a module compiled once and shared with workers. */
export type WasmSource = BufferSource | WebAssembly.Module;

/**
 * Instantiates the kernel. Node reads build/*.wasm (see wasmFile.ts), a browser fetches it; a
 * compiled WebAssembly.Module can be posted to workers so each instantiates without recompiling.
 */
export async function loadWasmKernel(source: WasmSource, build = 'wasm-simd'): Promise<Kernel> {
  // a compiled module is instantiated directly: the asynchronous path first asks whether the source is a
  // fetch Response, and in a Node worker touching Response loads Node's fetch, ~30 ms per worker and run
  const { exports } = source instanceof WebAssembly.Module ? instantiateSync<Record<string, unknown>>(source, {}) : await instantiate<Record<string, unknown>>(source, {});
  return { build, exports: exports as unknown as KernelExports, memory: exports.memory as WebAssembly.Memory };
}
