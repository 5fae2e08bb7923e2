// Pure-TS twin of assembly/tridiagonal.ts.
import type { KernelMemory } from '../kernelMemory.js';
import { householderInPlace } from './householder.js';

export function householderTridiagonal(mem: KernelMemory, aPtr: number, n: number, diagonalPtr: number, offPtr: number): void {
  householderInPlace(mem.f64, aPtr >>> 3, n, diagonalPtr >>> 3, offPtr >>> 3);
}
