/** Hands out 64-byte-aligned byte ranges of a kernel instance's memory, upwards from `base` (at least heapBase()). */
export class Arena {
  static readonly ALIGN = 64;
  private at: number;

  constructor(base: number) {
    this.at = Arena.alignUp(base);
  }

  static alignUp(n: number): number {
    return Math.ceil(n / Arena.ALIGN) * Arena.ALIGN;
  }

  /** The start of a fresh range of `bytes`. */
  take(bytes: number): number {
    const start = this.at;
    this.at = Arena.alignUp(this.at + bytes);
    return start;
  }

  /** One past the last byte handed out (what the memory must reach). */
  get end(): number {
    return this.at;
  }
}
