// The pure-TS kernel: the same exports as the WASM module, over a WebAssembly.Memory of its own.
// It is the oracle in tests and the baseline in the benchmark.
import type { Kernel, KernelExports } from '../kernelExports.js';
import { KernelMemory } from '../kernelMemory.js';
import { activateWithStats, multiplyByDerivative, multiplyBySlopeAtZ } from './activations.js';
import { denseLayer, layerScratchBytes } from './denseLayer.js';
import { packPanels } from './gemm.js';
import { gemmBlocked } from './gemmBlocked.js';
import { packWide, zeroSkipLayer, zeroSkipScratchBytes } from './zeroSkip.js';
import { orthonormalizeRows, transpose } from './orthogonal.js';
import { fillNormal } from './rng.js';
import { scaleInPlace } from './scale.js';
import { histogram } from './stats.js';
import { peakMadd } from './peak.js';

const REFERENCE_HEAP_BASE = 64;

export function createReferenceKernel(): Kernel {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  const mem = new KernelMemory(memory);
  const exports: KernelExports = {
    heapBase: () => REFERENCE_HEAP_BASE,
    fillNormal: (...args) => fillNormal(mem, ...args),
    scaleInPlace: (...args) => scaleInPlace(mem, ...args),
    packPanels: (...args) => packPanels(mem, ...args),
    gemm: (...args) => gemmBlocked(mem, ...args),
    layerScratchBytes,
    denseLayer: (...args) => denseLayer(mem, ...args),
    packWide: (...args) => packWide(mem, ...args),
    zeroSkipScratchBytes,
    zeroSkipLayer: (...args) => zeroSkipLayer(mem, ...args),
    activateWithStats: (...args) => activateWithStats(mem, ...args),
    multiplyByDerivative: (...args) => multiplyByDerivative(mem, ...args),
    multiplyBySlopeAtZ: (...args) => multiplyBySlopeAtZ(mem, ...args),
    orthonormalizeRows: (...args) => orthonormalizeRows(mem, ...args),
    transpose: (...args) => transpose(mem, ...args),
    histogram: (...args) => histogram(mem, ...args),
    peakMadd: (...args) => peakMadd(mem, ...args),
  };
  return { build: 'ts-reference', exports, memory };
}
