// The twin's export surface, file for file the kernel's (assembly/index.ts): every export of these files
// is a kernel function taking the twin's memory first. KernelExports (../kernelExports.ts) is derived
// from it, so a kernel function's signature is written once, here.
export * from './rng.js';
export * from './scale.js';
export * from './gemm.js';
export * from './denseLayer.js';
export * from './zeroSkip.js';
export * from './activate.js';
export * from './derivatives.js';
export * from './orthogonal.js';
export * from './stats.js';
export * from './columnSums.js';
export * from './residual.js';
export * from './peak.js';
export * from './gram.js';
export * from './tridiagonal.js';
export * from './attention.js';
