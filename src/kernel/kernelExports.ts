/**
 * The kernel's exported functions. The WASM module (assembly/index.ts) and the pure-TS twin
 * (reference/index.ts) both implement exactly this; all pointers are byte offsets into the
 * instance's memory, aligned to the element size they point at, and all strides are in elements.
 */
export interface KernelExports {
  heapBase(): number;
  fillNormal(ptr: number, count: number, seed: number, stream: number, first: number, scale: number): void;
  scaleInPlace(ptr: number, count: number, factor: number): void;
  packPanels(wPtr: number, packedPtr: number, nOut: number, k: number): void;
  gemm(xPtr: number, xStride: number, packedPtr: number, zPtr: number, zStride: number, rows: number, k: number, nOut: number): void;
  layerScratchBytes(stride: number): number;
  denseLayer(xPtr: number, stride: number, packedPtr: number, zPtr: number, rows: number, k: number, nOut: number, activation: number, alpha: number, biasPtr: number, scratchPtr: number, statsPtr: number): void;
  packWide(wPtr: number, widePtr: number, nOut: number, k: number): void;
  zeroSkipScratchBytes(stride: number, k: number): number;
  zeroSkipLayer(xPtr: number, stride: number, widePtr: number, zPtr: number, rows: number, k: number, nOut: number, activation: number, alpha: number, biasPtr: number, scratchPtr: number, statsPtr: number): void;
  activateWithStats(zPtr: number, zStride: number, aPtr: number, aStride: number, rows: number, cols: number, activation: number, alpha: number, statsPtr: number, accPtr: number): void;
  multiplyByDerivative(deltaPtr: number, aPtr: number, stride: number, rows: number, cols: number, activation: number, alpha: number): void;
  multiplyBySlopeAtZ(deltaPtr: number, zPtr: number, stride: number, rows: number, cols: number, activation: number, alpha: number): void;
  orthonormalizeRows(wPtr: number, rows: number, cols: number, scratchPtr: number): void;
  transpose(srcPtr: number, dstPtr: number, rows: number, cols: number): void;
  histogram(ptr: number, stride: number, rows: number, cols: number, edgesPtr: number, bins: number, countsPtr: number): void;
  /** The benchmark's calibration loop: this build's multiply-add with no memory traffic; writes an f32 at sinkPtr, returns the flops done. */
  peakMadd(iterations: number, sinkPtr: number): number;
}

/** A kernel bound to its memory: what the host needs to run a shard. */
export interface Kernel {
  /** Which implementation runs: "wasm-simd" or "ts-reference". */
  readonly build: string;
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
}
