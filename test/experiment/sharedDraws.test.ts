import { describe, expect, it } from 'vitest';
import { defaultConfig, type ExperimentConfig } from '../../src/model/config.js';
import { runExperiment } from '../../src/experiment/runExperiment.js';
import { Shard } from '../../src/experiment/shard.js';
import { createDrawRing, drawRingSeats, DRAW_SLOTS, DRAW_UNITS, SharedDraws } from '../../src/experiment/sharedDraws.js';
import { metricsJson } from '../../src/metrics/metricsJson.js';
import { localShard, localShards } from '../../src/shards/localShards.js';
import { LAYERS_AHEAD } from '../../src/experiment/layersAhead.js';
import { nodeWorkerShards } from '../../src/shards/nodeWorkerShards.js';
import { shardRanges } from '../../src/shards/shardRanges.js';
import { loadNodeKernel, nodeWasmModule } from '../../src/kernel/wasmFile.js';

// A forward layer's W is drawn once between the shards (src/experiment/sharedDraws.ts): whoever draws
// a part of it, every shard must end up with the W it would have drawn alone, bit for bit.

const WIDTH = 37;
/** value i of W `key`, as a draw would make it */
const valueOf = (key: number, i: number) => Math.fround(key * 1000 + i * 0.5);

/** A shard's seat, its own "kernel memory" of `count` floats, and a draw that writes W's values there and logs each part. */
function seat(ring: SharedArrayBuffer, shards: number, index: number, count: number) {
  const memory = new Float32Array(count), parts: [number, number][] = [];
  const draws = new SharedDraws({ ring, shards, index });
  const fill = (key: number, during?: () => void) => {
    memory.fill(NaN);
    draws.fill(key, count, (start, n) => {
      parts.push([start, n]);
      for (let i = start; i < start + n; i++) memory[i] = valueOf(key, i);
      during?.();
    }, () => memory);
    return Array.from(memory);
  };
  return { draws, fill, parts };
}

const expected = (key: number, count: number) => Array.from({ length: count }, (_, i) => valueOf(key, i));

describe('a forward layer\'s W drawn once between the shards', () => {
  const config = defaultConfig({ batch: 64, width: WIDTH, depth: 7 });
  const count = WIDTH * WIDTH;

  it('the first shard at a layer draws every unit, the next copies them all: each holds the whole W', () => {
    const ring = createDrawRing(config, 2)!;
    const [a, b] = [seat(ring, 2, 0, count), seat(ring, 2, 1, count)];
    expect(a.fill(1)).toEqual(expected(1, count));
    expect(b.fill(1)).toEqual(expected(1, count));
    expect(a.draws.counts).toEqual({ drawn: DRAW_UNITS, copied: 0, redrawn: 0, alone: 0 });
    expect(b.draws.counts).toEqual({ drawn: 0, copied: DRAW_UNITS, redrawn: 0, alone: 0 });
    // the units tile W: odd-sized parts (1369 / 8), none drawn twice
    expect(a.parts.reduce((n, [, len]) => n + len, 0)).toBe(count);
    expect(a.parts.map(([s]) => s)).toEqual(Array.from({ length: DRAW_UNITS }, (_, u) => Math.floor((u * count) / DRAW_UNITS)));
  });

  it('shards that reach a layer together split it, and a unit still being drawn elsewhere is drawn again rather than waited for', () => {
    const ring = createDrawRing(config, 2)!;
    const [a, b] = [seat(ring, 2, 0, count), seat(ring, 2, 1, count)];
    let bValues: number[] = [];
    // b comes to layer 1 while a is drawing its first unit: a's unit 0 is claimed, not ready
    let once = false;
    const aValues = a.fill(1, () => {
      if (!once) (once = true), (bValues = b.fill(1));
    });
    expect(aValues).toEqual(expected(1, count));
    expect(bValues).toEqual(expected(1, count));
    // b claimed units 1…7 and drew unit 0 again; a drew unit 0 and copied the rest
    expect(b.draws.counts).toEqual({ drawn: DRAW_UNITS - 1, copied: 0, redrawn: 1, alone: 0 });
    expect(a.draws.counts).toEqual({ drawn: 1, copied: DRAW_UNITS - 1, redrawn: 0, alone: 0 });
  });

  it('a slot is reused only once every shard is past its layer: a shard too far ahead draws alone, and nothing is overwritten under a shard', () => {
    const ring = createDrawRing(config, 2)!;
    const [a, b] = [seat(ring, 2, 0, count), seat(ring, 2, 1, count)];
    for (let key = 1; key <= DRAW_SLOTS; key++) expect(a.fill(key)).toEqual(expected(key, count));
    // key DRAW_SLOTS + 1 would take key 1's slot, which b has not passed
    expect(a.fill(DRAW_SLOTS + 1)).toEqual(expected(DRAW_SLOTS + 1, count));
    expect(a.draws.counts.alone).toBe(1);
    for (let key = 1; key <= DRAW_SLOTS; key++) expect(b.fill(key)).toEqual(expected(key, count));
    expect(b.draws.counts).toEqual({ drawn: 0, copied: DRAW_SLOTS * DRAW_UNITS, redrawn: 0, alone: 0 });
    // now both are past key 1: b takes its slot for key DRAW_SLOTS + 1 and draws it
    expect(b.fill(DRAW_SLOTS + 1)).toEqual(expected(DRAW_SLOTS + 1, count));
    expect(b.draws.counts.drawn).toBe(DRAW_UNITS);
  });

  it('the ring holds a slot more than the layers the host asks ahead, so a shard that far ahead still shares', () => {
    expect(DRAW_SLOTS).toBe(LAYERS_AHEAD + 1);
  });

  it('there is no ring for one shard, for attention blocks, or without SharedArrayBuffer (a page that is not cross-origin isolated)', () => {
    expect(createDrawRing(config, 1)).toBeUndefined();
    expect(createDrawRing(defaultConfig({ batch: 64, width: 32, depth: 2, block: 'attention', seqLen: 4, heads: 2 }), 2)).toBeUndefined();
    const saved = globalThis.SharedArrayBuffer;
    try {
      // @ts-expect-error: as in a page without cross-origin isolation
      delete globalThis.SharedArrayBuffer;
      expect(drawRingSeats(config, 2)).toEqual([undefined, undefined]);
    } finally {
      globalThis.SharedArrayBuffer = saved;
    }
  });
});

describe('runs with shared draws are byte-identical to shards that draw alone', () => {
  // odd widths (the units' bounds fall mid-row), a bias, an orthogonal init (drawn whole) and LSUV
  const config: ExperimentConfig = defaultConfig({
    batch: 200,
    widths: [37, 53, 29, 41, 37],
    depth: 4,
    biasStd: 0.2,
    histLayers: [2, 4],
    patterns: [
      { name: 'He + ReLU', init: 'he', activation: 'relu' },
      { name: 'Orthogonal + tanh', init: 'orthogonal', activation: 'tanh' },
      { name: 'LSUV + ReLU', init: 'lsuv', activation: 'relu' },
    ],
  });
  const kernel = () => loadNodeKernel('wasm-simd');
  /** 3 shards in this thread, each drawing every W itself. */
  const alone = async (c: ExperimentConfig) => Promise.all(shardRanges(c.batch, 3).map(async (r) => localShard(new Shard(await kernel(), c, r.rowStart, r.rows))));
  const json = (patterns: Awaited<ReturnType<typeof runExperiment>>) => metricsJson(config, patterns, 'wasm-simd');

  it('in this thread (each shard copies what the one before drew) and in worker threads (the workers split the draws)', async () => {
    const reference = json(await runExperiment(config, { openShards: alone }));
    expect(json(await runExperiment(config, { openShards: (c) => localShards(c, kernel, 3) }))).toBe(reference);
    const module = await nodeWasmModule('wasm-simd');
    expect(json(await runExperiment(config, { openShards: (c) => nodeWorkerShards(c, 3, module, 'wasm-simd') }))).toBe(reference);
  }, 60_000);
});
