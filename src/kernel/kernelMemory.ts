import { WASM_PAGE_BYTES } from './layout.js';

/**
 * Typed views over a kernel's memory. Growing a WebAssembly.Memory detaches every view of the
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
}
