import { describe, expect, it } from 'vitest';
import { defaultConfig, type ExperimentConfig } from '../../src/model/config.js';
import { runExperiment } from '../../src/experiment/runExperiment.js';
import { HAND_BACK_MIN_BYTES, handBack, type ShardHandle } from '../../src/experiment/shardProtocol.js';
import { localShards } from '../../src/shards/localShards.js';
import { nodeWorkerShards } from '../../src/shards/nodeWorkerShards.js';
import { loadNodeKernel, nodeWasmModule } from '../../src/kernel/wasmFile.js';

// The host asks plain layers ahead (a worker no longer idles a round trip per layer) and hands the
// step arrays it has read back to the shards (no new arrays per layer, none piling up on the host).

type Event = { shard: number; what: 'send' | 'reply' | 'histogram'; layer: number };

/** Shards whose every runLayer and histogram request is logged as sent and as answered. */
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
      histogram: (...args: Parameters<ShardHandle['histogram']>) => {
        log.push({ shard, what: 'histogram', layer: sent });
        return s.histogram(...args);
      },
      startPattern: (i: number) => ((sent = answered = 0), s.startPattern(i)),
    };
  });
}

const he = [{ name: 'He + ReLU', init: 'he' as const, activation: 'relu' as const }, { name: 'Xavier + Identity', init: 'xavier' as const, activation: 'identity' as const }];
const config: ExperimentConfig = defaultConfig({ batch: 256, width: 40, depth: 9, histLayers: [3, 7], patterns: he });
const local = (c: ExperimentConfig) => localShards(c, () => loadNodeKernel('wasm-simd'), 2);

describe('layers asked ahead', () => {
  it('sends the next layers before the last one is answered, never more than 2 beyond it and never past a histogram layer before its histograms', async () => {
    const log: Event[] = [];
    const results = await runExperiment(config, { openShards: async (c) => recorded(await local(c), log) });
    for (const shard of [0, 1]) {
      const own = log.filter((e) => e.shard === shard);
      // per pattern: layers sent in order, and how many were in flight at each send
      let inFlight = 0, sentAheadOfReply = 0;
      for (const e of own) {
        if (e.what === 'send') {
          inFlight++;
          if (inFlight > 1) sentAheadOfReply++;
          expect(inFlight).toBeLessThanOrEqual(3);
        } else if (e.what === 'reply') inFlight--;
      }
      expect(sentAheadOfReply).toBeGreaterThan(0);
      // a histogram layer's two histograms come before any later layer is sent
      for (const hist of config.histLayers) {
        const sends = own.map((e, i) => ({ ...e, i })).filter((e) => e.what === 'send' && e.layer === hist + 1);
        const histograms = own.map((e, i) => ({ ...e, i })).filter((e) => e.what === 'histogram' && e.layer === hist);
        expect(sends).toHaveLength(he.length);
        expect(histograms).toHaveLength(2 * he.length);
        sends.forEach((send, p) => expect(histograms[2 * p + 1].i).toBeLessThan(send.i));
      }
    }
    // the same results as shards answered one layer at a time
    const oneAtATime = await runExperiment(config, {
      openShards: async (c) => (await local(c)).map((s) => ({ ...s, runLayer: (...a: Parameters<ShardHandle['runLayer']>) => new Promise((r) => setTimeout(r, 1)).then(() => s.runLayer(...a)) })),
    });
    expect(JSON.stringify(results)).toBe(JSON.stringify(oneAtATime));
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
