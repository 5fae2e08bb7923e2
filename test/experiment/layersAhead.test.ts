import { describe, expect, it } from 'vitest';
import { defaultConfig, type ExperimentConfig } from '../../src/model/config.js';
import { runExperiment } from '../../src/experiment/runExperiment.js';
import { HAND_BACK_MIN_BYTES, handBack, type ShardHandle } from '../../src/experiment/shardProtocol.js';
import { localShards } from '../../src/shards/localShards.js';
import { LAYERS_AHEAD } from '../../src/experiment/layersAhead.js';
import { nodeWorkerShards } from '../../src/shards/nodeWorkerShards.js';
import { loadNodeKernel, nodeWasmModule } from '../../src/kernel/wasmFile.js';

// The host asks plain layers ahead (a worker no longer idles a round trip per layer) and hands the
// step arrays it has read back to the shards (no new arrays per layer, none piling up on the host).

type Event = { shard: number; what: 'send' | 'reply' | 'histogram' | 'histogram answered' | 'start'; layer: number; asks?: ('z' | 'a')[] };

/** Shards whose every runLayer and histogram request is logged as sent (a histogram with its layer) and as answered. */
function recorded(shards: ShardHandle[], log: Event[]): ShardHandle[] {
  return shards.map((s, shard) => {
    let sent = 0, answered = 0;
    return {
      ...s,
      runLayer: (...args: Parameters<ShardHandle['runLayer']>) => {
        const layer = ++sent;
        log.push({ shard, what: 'send', layer });
        return s.runLayer(...args).then((step) => (log.push({ shard, what: 'reply', layer: ++answered }), step));
      },
      histograms: (...args: Parameters<ShardHandle['histograms']>) => {
        log.push({ shard, what: 'histogram', layer: args[0], asks: args[1] && args[2] ? ['z', 'a'] : args[1] ? ['z'] : ['a'] });
        return s.histograms(...args).then((counts) => (log.push({ shard, what: 'histogram answered', layer: args[0] }), counts));
      },
      startPattern: (i: number) => (log.push({ shard, what: 'start', layer: i }), (sent = answered = 0), s.startPattern(i)),
    };
  });
}

const he = [{ name: 'He + ReLU', init: 'he' as const, activation: 'relu' as const }, { name: 'Xavier + Identity', init: 'xavier' as const, activation: 'identity' as const }];
const config: ExperimentConfig = defaultConfig({ batch: 256, width: 40, depth: 9, histLayers: [3, 5, 9], patterns: he });
const local = (c: ExperimentConfig) => localShards(c, () => loadNodeKernel('wasm-simd'), 2);

/** Per shard and pattern, the log's events with their place in it. */
function perPattern(log: Event[], shard: number, patterns: number): (Event & { i: number })[][] {
  const own = log.map((e, i) => ({ ...e, i })).filter((e) => e.shard === shard);
  const starts = own.filter((e) => e.what === 'send' && e.layer === 1).map((e) => e.i);
  return Array.from({ length: patterns }, (_, p) => own.filter((e) => e.i >= starts[p] && (p + 1 === patterns || e.i < starts[p + 1])));
}

describe('layers asked ahead', () => {
  it('sends the next layers before the last one is answered, never more than LAYERS_AHEAD beyond it; plain blocks run past a histogram layer before its histograms are asked, but the next histogram layer waits for them', async () => {
    const log: Event[] = [];
    const results = await runExperiment(config, { openShards: async (c) => recorded(await local(c), log) });
    for (const shard of [0, 1]) {
      for (const [p, events] of perPattern(log, shard, he.length).entries()) {
        let inFlight = 0, sentAheadOfReply = 0;
        for (const e of events) {
          if (e.what === 'send') {
            inFlight++;
            if (inFlight > 1) sentAheadOfReply++;
            expect(inFlight).toBeLessThanOrEqual(LAYERS_AHEAD + 1);
          } else if (e.what === 'reply') inFlight--;
        }
        expect(sentAheadOfReply).toBeGreaterThan(0);
        const sendOf = (layer: number) => events.find((e) => e.what === 'send' && e.layer === layer)!.i;
        const histogramsOf = (layer: number) => events.filter((e) => e.what === 'histogram' && e.layer === layer).map((e) => e.i);
        const [first, second] = config.histLayers;
        // z's and a's in one request, but the identity's a is z: its histogram is z's, not counted again
        expect(histogramsOf(first)).toHaveLength(1);
        expect(events.find((e) => e.what === 'histogram' && e.layer === first)!.asks).toEqual(he[p].activation === 'identity' ? ['z'] : ['z', 'a']);
        // the layer after a histogram layer went out before that layer's histograms were asked
        expect(sendOf(first + 1)).toBeLessThan(histogramsOf(first)[0]);
        // and the next histogram layer, whose z overwrites the kept one, after them
        expect(histogramsOf(first).at(-1)!).toBeLessThan(sendOf(second));
      }
    }
    const identity = results[he.findIndex((p) => p.activation === 'identity')];
    expect(identity.histograms.map((h) => h.a.counts)).toEqual(identity.histograms.map((h) => h.z.counts));
    // the same results as shards answered one layer at a time
    const oneAtATime = await runExperiment(config, {
      openShards: async (c) => (await local(c)).map((s) => ({ ...s, runLayer: (...a: Parameters<ShardHandle['runLayer']>) => new Promise((r) => setTimeout(r, 1)).then(() => s.runLayer(...a)) })),
    });
    expect(JSON.stringify(results)).toBe(JSON.stringify(oneAtATime));
  });

  it('the next pattern starts with the last layer\'s requests, not after the host has awaited the pattern\'s histograms', async () => {
    const log: Event[] = [];
    const plain = await runExperiment(config, { openShards: async (c) => recorded(await local(c), log) });
    for (const shard of [0, 1]) {
      const own = log.filter((e) => e.shard === shard);
      const start = own.findIndex((e) => e.what === 'start' && e.layer === 1);
      const lastAnswered = own.findIndex((e) => e.what === 'histogram answered' && e.layer === config.depth);
      expect(start).toBeGreaterThan(0);
      expect(start).toBeLessThan(lastAnswered);
    }
    // with a pass after the forward pass (--backward), a pattern starts only after it
    const backward = { ...config, backward: true };
    const backLog: Event[] = [];
    await runExperiment(backward, { openShards: async (c) => recorded(await local(c), backLog), createKernel: () => loadNodeKernel('wasm-simd') });
    const own = backLog.filter((e) => e.shard === 0);
    expect(own.findIndex((e) => e.what === 'start' && e.layer === 1)).toBeGreaterThan(own.findIndex((e) => e.what === 'histogram answered' && e.layer === config.depth));
    expect(plain.map((p) => p.histograms.map((h) => h.layer))).toEqual(config.patterns.map(() => config.histLayers));
  });

  it('blocks that overwrite what a histogram counts (layer norm) send nothing past a histogram layer before its histograms are asked', async () => {
    const normed = { ...config, patterns: [{ name: 'He + ReLU + LN', init: 'he' as const, activation: 'relu' as const, norm: 'layer' as const }] };
    const log: Event[] = [];
    await runExperiment(normed, { openShards: async (c) => recorded(await local(c), log) });
    for (const shard of [0, 1]) {
      const [events] = perPattern(log, shard, 1);
      for (const h of normed.histLayers.filter((l) => l < normed.depth)) {
        const send = events.find((e) => e.what === 'send' && e.layer === h + 1)!.i;
        const histograms = events.filter((e) => e.what === 'histogram' && e.layer === h);
        expect(histograms.map((e) => e.asks)).toEqual([['z', 'a']]);
        expect(histograms[0].i).toBeLessThan(send);
      }
    }
  });

  it('a shard copies its next steps into the arrays handed back, a worker shard gets them moved, not copied, and arrays too small to be worth a message stay', async () => {
    // 2048 rows of width 64: 147 KB of row statistics, 16 KB of unit sums each
    const big = defaultConfig({ batch: 2048, width: 64, depth: 4, histLayers: [], patterns: he });
    const [shard] = await localShards(big, () => loadNodeKernel('wasm-simd'), 1);
    await shard.startPattern(0);
    const first = await shard.runLayer();
    handBack([shard], [[first.zUnitSums, first.aUnitSums, first.rows]]);
    const second = await shard.runLayer();
    expect(second.zUnitSums).toBe(first.zUnitSums);
    expect(second.aUnitSums).toBe(first.aUnitSums);
    expect(second.rows).toBe(first.rows);
    // below HAND_BACK_MIN_BYTES nothing is sent
    expect(second.zUnitSums.byteLength).toBeLessThan(HAND_BACK_MIN_BYTES);
    handBack([shard], [[second.zUnitSums]]);
    expect((await shard.runLayer()).zUnitSums).not.toBe(second.zUnitSums);

    const module = await nodeWasmModule('wasm-simd');
    const workers = await nodeWorkerShards(big, 2, module, 'wasm-simd');
    try {
      await Promise.all(workers.map((w) => w.startPattern(0)));
      const steps = await Promise.all(workers.map((w) => w.runLayer()));
      const lengths = steps.map((s) => s.zUnitSums.length);
      expect(lengths.every((n) => n > 0)).toBe(true);
      handBack(workers, steps.map((s) => [s.zUnitSums, s.rows]));
      expect(steps.map((s) => s.zUnitSums.length + s.rows.length)).toEqual([0, 0]);
      // and the workers still answer in order with full steps
      const next = await Promise.all(workers.map((w) => w.runLayer()));
      expect(next.map((s) => s.zUnitSums.length)).toEqual(lengths);
    } finally {
      for (const w of workers) w.close();
    }
  });
});
