import { describe, expect, it } from 'vitest';
import { loadWasmKernel } from '../../src/kernel/loadWasmKernel.js';
import { nodeWasmModule } from '../../src/kernel/wasmFile.js';

// In a Node worker the first touch of the global Response loads Node's fetch (~30 ms a worker, every
// run): a kernel made from a compiled module must not ask whether its source is a Response.
describe('a kernel from a compiled module', () => {
  it('is instantiated without touching the global Response, and works', async () => {
    const module = await nodeWasmModule('wasm-simd');
    const original = Object.getOwnPropertyDescriptor(globalThis, 'Response');
    let touched = 0;
    Object.defineProperty(globalThis, 'Response', { configurable: true, get: () => (touched++, original?.value ?? original?.get?.call(globalThis)) });
    try {
      const kernel = await loadWasmKernel(module, 'wasm-simd');
      expect(touched).toBe(0);
      expect(kernel.memory.buffer.byteLength).toBeGreaterThan(0);
      expect(typeof kernel.exports.denseLayer).toBe('function');
    } finally {
      if (original) Object.defineProperty(globalThis, 'Response', original);
      else delete (globalThis as { Response?: unknown }).Response;
    }
  });
});
