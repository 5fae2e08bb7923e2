// Export surface of the kernel: every export of these files is a kernel function (or, from layout.ts,
// a constant exported as a WASM global), and each has a twin of the same name in
// src/kernel/reference/. The host (src/kernel/) owns all memory: it places every buffer above
// heapBase() and passes byte offsets; nothing here allocates. Helpers the kernels share (φ, the
// epilogue, the panels, the row accumulator, lanes, madd) live in files not listed here.

export * from "./layout";
export * from "./rng";
export * from "./scale";
export * from "./gemm";
export * from "./zeroSkip";
export * from "./activate";
export * from "./derivatives";
export * from "./orthogonal";
export * from "./stats";
export * from "./columnSums";
export * from "./residual";
export * from "./peak";
export * from "./gram";
export * from "./tridiagonal";
export * from "./attention";

/** First byte the host may use: everything below belongs to the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
