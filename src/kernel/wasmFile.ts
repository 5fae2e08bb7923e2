import { readFileSync } from 'node:fs';
import { builtFile } from './builtFile.js';
import type { Kernel } from './kernelExports.js';
import { loadWasmKernel } from './loadWasmKernel.js';

/** The compiled release kernel, read from build/ once per process. */
let compiled: Promise<WebAssembly.Module> | undefined;
export function nodeWasmModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(readFileSync(builtFile('build/release.wasm')));
  return compiled;
}

/** Node entry: a fresh kernel instance of the built .wasm. */
export async function loadNodeKernel(): Promise<Kernel> {
  return loadWasmKernel(await nodeWasmModule());
}
