import { WASM_PAGE_BYTES } from './layout.js';

/**
 * Typed views over a kernel's memory. Byte offsets reach 2³² − 1 (a wasm32 instance addresses 4 GiB),
 * so they become element indices by unsigned shifts (`>>>`), never `>>`, which goes negative at 2³¹;
 * an end may be 2³² itself, so ends are start + count, never a shifted end offset.
 * Growing a WebAssembly.Memory detaches every view of the
 * old buffer, so views are rebuilt lazily whenever the buffer object changes.
 */
export class KernelMemory {
  private buffer: ArrayBuffer | null = null;
  private f32View = new Float32Array(0);
  private f64View = new Float64Array(0);
  private u32View = new Uint32Array(0);

  constructor(readonly memory: WebAssembly.Memory) {}

  /** Grows the memory so that bytes [0, end) are addressable. */
  ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / WASM_PAGE_BYTES));
  }

  private refresh(): void {
    const buffer = this.memory.buffer as ArrayBuffer;
    if (buffer === this.buffer) return;
    this.buffer = buffer;
    this.f32View = new Float32Array(buffer);
    this.f64View = new Float64Array(buffer);
    this.u32View = new Uint32Array(buffer);
  }

  get f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }
  get f64(): Float64Array {
    this.refresh();
    return this.f64View;
  }
  get u32(): Uint32Array {
    this.refresh();
    return this.u32View;
  }

  /** Copies `bytes` (a multiple of 4) from byte offset `from` to `to`; the ranges may overlap. */
  copy(from: number, to: number, bytes: number): void {
    this.f32.copyWithin(to >>> 2, from >>> 2, (from >>> 2) + bytes / 4);
  }

  /** Writes `values` as f64 at byte offset `at`. */
  setF64(at: number, values: ArrayLike<number>): void {
    this.f64.set(values, at >>> 3);
  }

  /** A copy of `count` f64 values at byte offset `at`. */
  f64Slice(at: number, count: number): Float64Array {
    return this.f64.slice(at >>> 3, (at >>> 3) + count);
  }

  /** A copy of `count` u32 values at byte offset `at`. */
  u32Slice(at: number, count: number): Uint32Array {
    return this.u32.slice(at >>> 2, (at >>> 2) + count);
  }

  /** A copy of the first `cols` f32 values of each of `rows` rows (`stride` elements apart) at byte offset `at`, packed. */
  f32Rows(at: number, rows: number, cols: number, stride: number): Float32Array {
    const out = new Float32Array(rows * cols), f32 = this.f32;
    for (let r = 0; r < rows; r++) out.set(f32.subarray((at >>> 2) + r * stride, (at >>> 2) + r * stride + cols), r * cols);
    return out;
  }

  /** Sets `count` u32 values at byte offset `at` to `value`. */
  fillU32(at: number, count: number, value: number): void {
    this.u32.fill(value, at >>> 2, (at >>> 2) + count);
  }

  /** Sets `count` f32 values at byte offset `at` to `value`. */
  fillF32(at: number, count: number, value: number): void {
    this.f32.fill(value, at >>> 2, (at >>> 2) + count);
  }
}
