// Export surface of the kernel. The host (src/kernel/) owns all memory: it places every buffer
// above heapBase() and passes byte offsets; nothing here allocates.

export { fillNormal } from "./rng";
export { scaleInPlace } from "./scale";
export { packPanels, gemm, denseLayer, layerScratchBytes } from "./gemm";
export { packWide, zeroSkipLayer, zeroSkipScratchBytes } from "./zeroSkip";
export { multiplyByDerivative, multiplyBySlopeAtZ } from "./activations";
export { activateWithStats } from "./epilogue";
export { orthonormalizeRows, transpose } from "./orthogonal";
export { histogram } from "./stats";
export { peakMadd } from "./peak";
// The layout constants, as WASM globals: the parity test reads each and compares it with its twin.
export {
  ACT_IDENTITY, ACT_RELU, ACT_LEAKY_RELU, ACT_TANH, ACT_SIGMOID, ACT_GELU, ACT_SELU, ACT_SILU,
  STAT_Z_SUM, STAT_Z_SUMSQ, STAT_Z_MIN, STAT_Z_MAX, STAT_A_SUM, STAT_A_SUMSQ, STAT_A_MIN, STAT_A_MAX, STAT_A_ZEROS, STAT_FIELDS,
  PANEL_COLS, BLOCK_ROWS, WIDE_COLS, K_BLOCK, ROW_ACC_BYTES, HIST_LANES,
} from "./layout";

/** First byte the host may use: everything below belongs to the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
