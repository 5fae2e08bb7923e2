import { instantiate } from '@assemblyscript/loader';
import type { Kernel, KernelExports } from './kernelExports.js';

/**
 * Instantiates the kernel from the bytes of build/release.wasm. Node reads the file
 * (see wasmFile.ts); a browser fetches it; both hand the bytes here.
 */
export async function loadWasmKernel(wasmBytes: BufferSource, build = 'wasm-simd'): Promise<Kernel> {
  const { exports } = await instantiate<Record<string, unknown>>(wasmBytes, {});
  return { build, exports: exports as unknown as KernelExports, memory: exports.memory as WebAssembly.Memory };
}
