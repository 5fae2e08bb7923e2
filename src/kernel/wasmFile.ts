import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadWasmKernel } from './loadWasmKernel.js';
import type { Kernel } from './kernelExports.js';

/** Finds build/release.wasm from either src/kernel/ (tests) or dist/ (the bundled CLI). */
export function wasmPath(name = 'release.wasm'): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    const candidate = join(dir, 'build', name);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`kernel not built: build/${name} is missing (run \`npm run build\`)`);
}

/** Node entry: the kernel from the built .wasm file. */
export function loadNodeKernel(): Promise<Kernel> {
  return loadWasmKernel(readFileSync(wasmPath()));
}
