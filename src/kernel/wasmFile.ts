import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { builtFile } from '../builtFile.js';
import { KERNEL_BUILDS, runtimeHasRelaxedSimd, type KernelBuild } from '../model/kernelBuilds.js';
import type { Kernel } from './kernelExports.js';
import { loadWasmKernel } from './loadWasmKernel.js';

/**
 * Whether this Node can run the relaxed-SIMD build. Node 20's V8 has relaxed SIMD behind
 * --experimental-wasm-relaxed-simd; the flag is process-wide and takes effect for modules compiled
 * after it is set, workers included.
 */
export function nodeHasRelaxedSimd(): boolean {
  if (runtimeHasRelaxedSimd()) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return runtimeHasRelaxedSimd();
}

const compiled = new Map<KernelBuild, Promise<WebAssembly.Module>>();

/** A kernel build compiled from build/*.wasm, once per process. */
export function nodeWasmModule(build: KernelBuild = 'wasm-simd'): Promise<WebAssembly.Module> {
  let module = compiled.get(build);
  if (!module) {
    if (build === 'wasm-relaxed-simd' && !nodeHasRelaxedSimd()) throw new Error('this Node cannot run relaxed SIMD');
    module = WebAssembly.compile(readFileSync(builtFile(`build/${KERNEL_BUILDS[build].file}`)));
    compiled.set(build, module);
  }
  return module;
}

/** Node entry: a fresh kernel instance of a built .wasm. */
export async function loadNodeKernel(build: KernelBuild = 'wasm-simd'): Promise<Kernel> {
  return loadWasmKernel(await nodeWasmModule(build), build);
}
