/** The WASM builds of the kernel (asconfig.json targets) and what `--kernel` may ask for. */
export const KERNEL_BUILDS = {
  'wasm-simd': { file: 'release.wasm' },
  'wasm-relaxed-simd': { file: 'relaxed.wasm' },
} as const;

export type KernelBuild = keyof typeof KERNEL_BUILDS;
export const KERNEL_CHOICES = ['simd', 'relaxed', 'auto'] as const;
export type KernelChoice = (typeof KERNEL_CHOICES)[number];

// The smallest module using a relaxed-SIMD instruction (f32x4.relaxed_madd), to feature-detect it.
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a,
  0x3d, 0x01, 0x3b, 0x00, 0xfd, 0x0c, ...new Array(16).fill(0), 0xfd, 0x0c, ...new Array(16).fill(0), 0xfd, 0x0c, ...new Array(16).fill(0), 0xfd, 0x85, 0x02, 0x0b,
]);

export function runtimeHasRelaxedSimd(): boolean {
  return WebAssembly.validate(RELAXED_PROBE);
}

/** simd → wasm-simd; relaxed → wasm-relaxed-simd (or an error); auto → the fastest the runtime runs. */
export function resolveKernelBuild(choice: KernelChoice, hasRelaxed: boolean): KernelBuild {
  if (choice === 'simd') return 'wasm-simd';
  if (choice === 'relaxed' && !hasRelaxed) throw new Error('kernel relaxed: this runtime cannot run relaxed SIMD (use simd or auto)');
  return hasRelaxed ? 'wasm-relaxed-simd' : 'wasm-simd';
}
