// A forward layer's W drawn once between the shards instead of once per shard. Every shard needs the
// whole W, and a value of W is a pure function of (seed, stream, index) (assembly/rng.ts), so it makes
// no difference which shard draws which part: the result is bit for bit the same. W is split into
// units; a shard claims the units no shard has claimed yet, draws them and publishes them in a ring of
// slots in a SharedArrayBuffer, and copies the units another shard has published. A unit another shard
// is still drawing is drawn again here rather than waited for, so no shard ever waits on another: the
// shard that reaches a layer first draws it, and the one that lags behind (the slower core) copies it.
import { attentionBlocks, layerWidths, type ExperimentConfig } from '../model/config.js';
import { WASM_PAGE_BYTES } from '../kernel/layout.js';

/** Layers the ring holds at once: a shard as far ahead of another as the host lets it (LAYERS_AHEAD, 2) still shares. */
export const DRAW_SLOTS = 3;
/** Units per W: shards that reach a layer together split it about evenly. */
export const DRAW_UNITS = 8;

/** Header words (Int32): each slot's key, each shard's progress, each slot's unit states; then the slots (f32). */
function layout(shards: number): { progress: number; states: number; slotsByte: number } {
  const progress = DRAW_SLOTS, states = progress + shards, words = states + DRAW_SLOTS * DRAW_UNITS;
  return { progress, states, slotsByte: Math.ceil((words * 4) / 64) * 64 };
}

/** Entries of the largest W of the config's layers (a slot's size). */
function slotFloats(config: ExperimentConfig): number {
  const widths = layerWidths(config);
  return Math.max(...widths.slice(1).map((n, l) => n * widths[l]));
}

/**
 * The ring `shards` shards of this config share, or undefined where sharing cannot help or cannot be had:
 * a single shard, attention blocks (their sublayers draw their own weights), or no SharedArrayBuffer (a
 * page that is not cross-origin isolated).
 */
export function createDrawRing(config: ExperimentConfig, shards: number): SharedArrayBuffer | undefined {
  if (shards < 2 || attentionBlocks(config) || typeof SharedArrayBuffer === 'undefined') return undefined;
  const bytes = layout(shards).slotsByte + DRAW_SLOTS * slotFloats(config) * 4, pages = Math.ceil(bytes / WASM_PAGE_BYTES);
  // A shared WebAssembly memory's buffer: V8 maps it itself. A SharedArrayBuffer of this size comes from
  // malloc, and once freed glibc raised its mmap threshold to the size, so the figure phase's buffers
  // then stayed in the heap: the default run peaked 209-227 MB against 192-204 MB.
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }).buffer as unknown as SharedArrayBuffer;
}

/** What a shard needs to use a ring: the ring, how many shards share it, and which of them it is. */
export interface DrawRingSeat {
  ring: SharedArrayBuffer;
  shards: number;
  index: number;
}

/** The key of a forward layer's W: ascending in the order every shard draws them, from 1. */
export const drawKey = (config: ExperimentConfig, patternIndex: number, layer: number): number => patternIndex * config.depth + layer;

// A unit's state word: 4·key + DRAWING or 4·key + READY for the key the slot holds; anything below 4·key is free.
const DRAWING = 1, READY = 2;

export class SharedDraws {
  private readonly words: Int32Array;
  private readonly progress: number;
  private readonly states: number;
  private readonly slots: Float32Array[];
  private readonly shards: number;
  private readonly index: number;
  /** Units this shard drew and published, copied, and drew again (another shard was still drawing them); layers it drew alone (no free slot). */
  readonly counts = { drawn: 0, copied: 0, redrawn: 0, alone: 0 };

  constructor({ ring, shards, index }: DrawRingSeat) {
    const { progress, states, slotsByte } = layout(shards);
    this.words = new Int32Array(ring, 0, slotsByte / 4);
    this.progress = progress;
    this.states = states;
    const floats = Math.floor((ring.byteLength - slotsByte) / 4 / DRAW_SLOTS);
    this.slots = Array.from({ length: DRAW_SLOTS }, (_, s) => new Float32Array(ring, slotsByte + s * floats * 4, floats));
    this.shards = shards;
    this.index = index;
  }

  /**
   * Puts the `count` values of W `key` at `target()` (a view of them in the kernel's memory, taken after
   * drawing): `draw(start, n)` draws values [start, start + n) there. `whole`: W cannot be drawn in parts
   * (an orthogonal init), so it is one unit.
   */
  fill(key: number, count: number, draw: (start: number, n: number) => void, target: () => Float32Array, whole = false): void {
    const s = key % DRAW_SLOTS, units = whole ? 1 : DRAW_UNITS;
    const bounds = (u: number): [number, number] => [Math.floor((u * count) / units), Math.floor(((u + 1) * count) / units)];
    if (!this.takeSlot(key, s)) {
      // the slot still holds a layer some shard has not finished: this one is drawn here alone
      draw(0, count);
      this.counts.alone++;
      return this.pass(key);
    }
    const slot = this.slots[s], at = this.states + s * DRAW_UNITS, ready = 4 * key + READY;
    const copy = (u: number) => {
      const [a, b] = bounds(u);
      target().set(slot.subarray(a, b), a);
      this.counts.copied++;
    };
    const skipped: number[] = [];
    for (let u = 0; u < units; u++) {
      const state = Atomics.load(this.words, at + u);
      if (state === ready) copy(u);
      else if (state < 4 * key && Atomics.compareExchange(this.words, at + u, state, 4 * key + DRAWING) === state) {
        const [a, b] = bounds(u);
        draw(a, b - a);
        slot.set(target().subarray(a, b), a);
        Atomics.store(this.words, at + u, ready);
        this.counts.drawn++;
      } else skipped.push(u);
    }
    for (const u of skipped) {
      if (Atomics.load(this.words, at + u) === ready) copy(u);
      else {
        const [a, b] = bounds(u);
        draw(a, b - a);
        this.counts.redrawn++;
      }
    }
    this.pass(key);
  }

  /** Whether slot `s` holds `key`, moving it on from an older key once every shard is past that one. */
  private takeSlot(key: number, s: number): boolean {
    for (;;) {
      const held = Atomics.load(this.words, s);
      if (held === key) return true;
      if (held > key) return false;
      for (let w = 0; w < this.shards; w++) if (Atomics.load(this.words, this.progress + w) < held) return false;
      if (Atomics.compareExchange(this.words, s, held, key) === held) return true;
    }
  }

  /** This shard is done with `key` (and every key before it). */
  private pass(key: number): void {
    Atomics.store(this.words, this.progress + this.index, key);
  }
}

/** Each of `shards` shards' seat at one new ring (all undefined where createDrawRing gives none). */
export function drawRingSeats(config: ExperimentConfig, shards: number): (DrawRingSeat | undefined)[] {
  const ring = createDrawRing(config, shards);
  return Array.from({ length: shards }, (_, index) => ring && { ring, shards, index });
}
