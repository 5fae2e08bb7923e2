// Export surface of the kernel. The host (src/kernel/) owns all memory: it places every buffer
// above heapBase() and passes byte offsets; nothing here allocates.

export { fillNormal } from "./rng";
export { scaleInPlace } from "./scale";
export { packPanels, gemm, denseLayer, layerScratchBytes } from "./gemm";
export { packWide, zeroSkipLayer, zeroSkipScratchBytes } from "./zeroSkip";
export { activateWithStats, multiplyByDerivative, multiplyBySlopeAtZ } from "./activations";
export { orthonormalizeRows, transpose } from "./orthogonal";
export { histogram } from "./stats";
export { peakMadd } from "./peak";

/** First byte the host may use: everything below belongs to the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
