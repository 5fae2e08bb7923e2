// A wasm32 instance addresses 4 GiB, and the memory check allows a plan up to 4 GiB: every byte offset
// above 2³¹ must become the right view index (a signed shift, `at >> 2`, goes negative there).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Arena } from '../../src/kernel/arena.js';
import { KernelMemory } from '../../src/kernel/kernelMemory.js';
import { PANEL_COLS, STAT_FIELDS, WASM_MAX_BYTES, WASM_PAGE_BYTES, layerScratchBytes } from '../../src/kernel/layout.js';
import { bytesNeeded } from '../../src/kernel/memoryPlan.js';
import { shardShape } from '../../src/experiment/shard.js';
import { parseOptions } from '../../src/cli/options.js';
import { largestFitting } from '../../src/run/memoryFits.js';
import { ACTIVATIONS } from '../../src/theory/activations.js';
import { kernelPair } from '../helpers/kernels.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const GiB = 2 ** 30;

describe('KernelMemory above 2 GiB', () => {
  it('reads, writes, fills and copies at byte offsets from 2³¹ up to the last byte of a 4 GiB memory', () => {
    const mem = new KernelMemory(new WebAssembly.Memory({ initial: 1, maximum: WASM_MAX_BYTES / WASM_PAGE_BYTES }));
    mem.ensure(WASM_MAX_BYTES);
    expect(mem.f32.byteLength).toBe(WASM_MAX_BYTES);
    for (const at of [2 * GiB, 2 * GiB + 64, 3 * GiB + 8, WASM_MAX_BYTES - 64]) {
      mem.setF64(at, [1.5, -2.25]);
      expect(Array.from(mem.f64Slice(at, 2))).toEqual([1.5, -2.25]);
      // the same bytes through the other views: the index is the offset over the element size
      expect(mem.f64[at / 8 + 1]).toBe(-2.25);
      mem.fillU32(at + 16, 3, 7);
      expect(Array.from(mem.u32Slice(at + 16, 3))).toEqual([7, 7, 7]);
      expect(mem.u32[at / 4 + 4]).toBe(7);
      mem.fillF32(at + 32, 2, 0.5);
      expect(Array.from(mem.f32Rows(at + 32, 2, 1, 1))).toEqual([0.5, 0.5]);
    }
    // a copy whose source ends at the very last byte (its end offset is 2³² itself), and one back up from below 2³¹
    const last = WASM_MAX_BYTES - 16;
    mem.f32.set([1, 2, 3, 4], last / 4);
    mem.copy(last, 2 * GiB - 8, 16);
    expect(Array.from(mem.f32.subarray((2 * GiB - 8) / 4, (2 * GiB + 8) / 4))).toEqual([1, 2, 3, 4]);
    mem.fillF32(last, 4, 0);
    mem.copy(2 * GiB - 8, last, 16);
    expect(Array.from(mem.f32.subarray(last / 4))).toEqual([1, 2, 3, 4]);
  });

  it('the WASM kernel and its twin give bit for bit the same layer at offsets above 2³¹ as below', async () => {
    const rows = 67, kDim = 37, nOut = 41, stride = Math.max(kDim, nOut), a64 = Arena.alignUp;
    const k = await kernelPair(2 * GiB + (1 << 20));
    const layout = (base: number) => {
      const x = a64(base), w = a64(x + rows * stride * 4), packed = a64(w + nOut * kDim * 4), scratch = a64(packed + Math.ceil(nOut / PANEL_COLS) * PANEL_COLS * kDim * 4);
      return { x, w, packed, scratch, stats: a64(scratch + layerScratchBytes(stride)) };
    };
    const results = [];
    for (const base of [k.base, k.base + 2 * GiB]) {
      const b = layout(base);
      expect(b.stats + rows * STAT_FIELDS * 8).toBeLessThan(k.wasmMem.f32.byteLength);
      for (const [kernel, mem] of [[k.wasm, k.wasmMem], [k.ref, k.refMem]] as const) {
        kernel.exports.fillNormal(b.x, rows * stride, 7, 1, 0, 1);
        kernel.exports.fillNormal(b.w, nOut * kDim, 7, 2, 0, 0.3);
        kernel.exports.packPanels(b.w, b.packed, nOut, kDim);
        kernel.exports.denseLayer(b.x, stride, b.packed, 0, rows, kDim, nOut, ACTIVATIONS.relu.code, 0, 0, b.scratch, b.stats);
        results.push({ a: Array.from(mem.f32Rows(b.x, rows, nOut, stride)), stats: Array.from(mem.f64Slice(b.stats, rows * STAT_FIELDS)) });
      }
    }
    expect(results[0].a.some((v) => v > 0)).toBe(true);
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
  });
});

describe('a run at the 4 GiB limit', () => {
  // --widths 16,500 at depth 1: 4 KiB of buffers per row (x and the histogrammed z), so a batch near
  // the top of --batch's range puts the plan's end within one row of 4 GiB, while the layer stays cheap.
  const args = (batch: number) => ['--batch', `${batch}`, '--widths', '16,500', '--threads', '1', '--pattern', 'he:relu', '--format', 'csv', '--quiet'];
  const planEnd = (batch: number) => bytesNeeded(shardShape(parseOptions(args(1)).config, batch));
  const largest = largestFitting(1 << 20, (batch) => planEnd(batch) <= WASM_MAX_BYTES);

  it('the largest batch that fits ends within one row of 4 GiB, and one more row is refused', () => {
    expect(largest).toBeGreaterThan(1 << 19);
    expect(largest).toBeLessThan(1 << 20);
    expect(planEnd(largest)).toBeLessThanOrEqual(WASM_MAX_BYTES);
    expect(planEnd(largest)).toBeGreaterThan(WASM_MAX_BYTES - 8 * 1024);
    expect(planEnd(largest + 1)).toBeGreaterThan(WASM_MAX_BYTES);
    const out = join(mkdtempSync(join(tmpdir(), 'rsc-limit-')), 'out');
    const r = spawnSync(process.execPath, [CLI, ...args(largest + 1), '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`relu-spread-check: --batch ${largest + 1} × --widths 16,500 needs 4.1 GiB in one WASM instance (limit 4 GiB) with 1 thread; the largest batch that fits at this width is ${largest}\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('a run whose plan ends just below 4 GiB runs, and its last rows are measured', () => {
    const out = mkdtempSync(join(tmpdir(), 'rsc-limit-'));
    const r = spawnSync(process.execPath, [CLI, ...args(largest), '--out', out], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [layer] = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).patterns[0].layers;
    // He + ReLU, one layer over ~10⁶ rows of a fixed W: half the z are negative, to within a few 10⁻³
    expect(layer.zero_frac).toBeCloseTo(0.5, 2);
    expect(Number.isFinite(layer.a_ex2)).toBe(true);
  }, 120_000);
});

describe('a memory refusal names its cause and what would fit', () => {
  const refusal = (argv: string[]) => {
    try {
      parseOptions(argv);
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('--backward over 1000 layers of width 4096: the cause is what --backward keeps, so --depth and --backward are named, with the largest depth that fits', () => {
    const message = refusal(['--batch', '64', '--width', '4096', '--backward', '--depth', '1000', '--threads', '1']);
    expect(message).toBe("--batch 64 × --width 4096 needs 63.7 GiB in one WASM instance (limit 4 GiB) with 1 thread: --backward keeps every layer's activations and weights over --depth 1000; it fits with --depth 59 at most, or without --backward");
    // the depth it names fits, one more does not
    expect(refusal(['--batch', '64', '--width', '4096', '--backward', '--depth', '59', '--threads', '1'])).toBe('accepted');
    expect(refusal(['--batch', '64', '--width', '4096', '--backward', '--depth', '60', '--threads', '1'])).toMatch(/it fits with --depth 59 at most, or without --backward, or with --batch \d+ at most$/);
    expect(refusal(['--batch', '64', '--width', '4096', '--depth', '1000', '--threads', '1'])).toBe('accepted');
  });

  it('with --widths the depth is not a choice: --backward is named', () => {
    const widths = Array.from({ length: 71 }, () => '4096').join(',');
    expect(refusal(['--batch', '64', '--widths', widths, '--backward', '--threads', '1'])).toMatch(/: --backward keeps every layer's activations and weights; it fits without --backward$/);
  });

  it('a width too large for any batch or depth still names the width', () => {
    expect(refusal(['--batch', '64', '--width', '32768', '--backward', '--depth', '2'])).toBe('--width 32768 does not fit in one WASM instance (limit 4 GiB) even with --batch 1');
  });

  it('spawned: exit 2, that one line, nothing written', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rsc-refuse-')), 'out');
    const r = spawnSync(process.execPath, [CLI, '--batch', '64', '--width', '4096', '--backward', '--depth', '1000', '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--backward keeps every layer's activations and weights over --depth 1000; it fits with --depth 59 at most, or without --backward\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it('the free-memory check names the same cause', async () => {
    const { checkFreeMemory } = await import('../../src/cli/memoryCheck.js');
    const config = parseOptions(['--batch', '64', '--width', '1024', '--backward', '--depth', '500', '--threads', '1']).config;
    expect(() => checkFreeMemory(config, 1, GiB)).toThrow(/GiB are free: --backward keeps every layer's activations and weights over --depth 500; it fits with --depth \d+ at most, or without --backward$/);
  });
});
