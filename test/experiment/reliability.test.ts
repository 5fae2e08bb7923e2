import { Arena } from '../../src/kernel/arena.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFreeMemory } from '../../src/cli/memoryCheck.js';
import { parseOptions } from '../../src/cli/options.js';
import { defaultConfig } from '../../src/model/config.js';
import { INIT_NAMES } from '../../src/model/inits.js';
import { ACTIVATION_NAMES, ACTIVATIONS } from '../../src/theory/activations.js';
import { PANEL_COLS, STAT_FIELDS, layerScratchBytes } from '../../src/kernel/layout.js';
import { kernelPair } from '../helpers/kernels.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

describe('option parsing (property)', () => {
  it('any valid set of options round-trips through argv', () => {
    fc.assert(
      fc.property(
        fc.record({
          batch: fc.integer({ min: 1, max: 4096 }),
          width: fc.integer({ min: 1, max: 512 }),
          depth: fc.integer({ min: 1, max: 40 }),
          seed: fc.integer({ min: 0, max: 4294967295 }),
          bins: fc.integer({ min: 1, max: 200 }),
          threads: fc.integer({ min: 1, max: 8 }),
          biasStd: fc.double({ min: 0, max: 100, noNaN: true }),
          leakyAlpha: fc.double({ min: 0, max: 1, noNaN: true }),
          // distinct: a pattern given twice is refused
          patterns: fc.uniqueArray(fc.tuple(fc.constantFrom(...INIT_NAMES), fc.constantFrom(...ACTIVATION_NAMES)), { maxLength: 4, selector: ([i, a]) => `${i}:${a}` }),
        }),
        (o) => {
          const argv = ['--batch', `${o.batch}`, '--width', `${o.width}`, '--depth', `${o.depth}`, '--seed', `${o.seed}`, '--bins', `${o.bins}`, '--threads', `${o.threads}`,
            '--bias-std', `${o.biasStd}`, '--leaky-alpha', `${o.leakyAlpha}`, ...o.patterns.flatMap(([i, a]) => ['--pattern', `${i}:${a}`])];
          const { config, threads } = parseOptions(argv);
          expect(config).toMatchObject({ batch: o.batch, width: o.width, depth: o.depth, seed: o.seed, bins: o.bins, biasStd: o.biasStd, leakyAlpha: o.leakyAlpha });
          expect(threads).toBe(o.threads);
          if (o.patterns.length) expect(config.patterns.map((p) => `${p.init}:${p.activation}`)).toEqual(o.patterns.map(([i, a]) => `${i}:${a}`));
          for (const l of config.histLayers) expect(l >= 1 && l <= o.depth).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('kernel parity (property)', () => {
  it('denseLayer equals its twin bit for bit on random shapes and activations', async () => {
    const k = await kernelPair(8 << 20);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), fc.constantFrom(ACTIVATIONS.identity.code, ACTIVATIONS.relu.code, ACTIVATIONS.leaky_relu.code), fc.integer({ min: 0, max: 1000 }),
        async (rows, kDim, nOut, act, seed) => {
          const stride = Math.max(kDim, nOut), a64 = Arena.alignUp;
          const x = k.base, w = a64(x + rows * stride * 4), packed = a64(w + nOut * kDim * 4), scratch = a64(packed + Math.ceil(nOut / PANEL_COLS) * 32 * kDim);
          const stats = a64(scratch + layerScratchBytes(stride));
          k.wasm.exports.fillNormal(x, rows * stride, seed, 1, 0, 1);
          k.wasm.exports.fillNormal(w, nOut * kDim, seed, 2, 0, 0.3);
          k.refMem.f32.set(k.wasmMem.f32.subarray(x >> 2, packed >> 2), x >> 2);
          for (const kernel of [k.wasm, k.ref]) {
            kernel.exports.packPanels(w, packed, nOut, kDim);
            kernel.exports.denseLayer(x, stride, packed, 0, rows, kDim, nOut, act, 0.05, 0, scratch, stats);
          }
          const cols = (f: Float32Array) => Array.from({ length: rows }, (_, r) => Array.from(f.subarray((x >> 2) + r * stride, (x >> 2) + r * stride + nOut)));
          expect(cols(k.wasmMem.f32)).toEqual(cols(k.refMem.f32));
          expect(Array.from(k.wasmMem.f64.subarray(stats >> 3, (stats >> 3) + rows * STAT_FIELDS))).toEqual(Array.from(k.refMem.f64.subarray(stats >> 3, (stats >> 3) + rows * STAT_FIELDS)));
        }),
      { numRuns: 40 },
    );
  });
});

describe('resources', () => {
  it('a run that needs more than the free memory is refused with the largest batch that fits', () => {
    const config = defaultConfig();
    // ~40 MB of WASM buffers per 4096 rows plus 256 MB for Node and the figure code
    expect(() => checkFreeMemory(config, 2, 300 * 2 ** 20)).toThrow(/--batch 8192 × --width 1024 needs 0\.[\d]+ GiB and 0\.3 GiB are free; the largest batch that fits is \d+/);
    expect(() => checkFreeMemory(config, 2, 64 * 2 ** 30)).not.toThrow();
  });
});

describe('interruption and overflow', () => {
  it('SIGINT mid-run exits 130, leaves no temporary files and earlier outputs byte-identical', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rsc-int-'));
    // earlier outputs of this tool (a run refuses to replace files it did not write)
    expect(spawnSync(process.execPath, [CLI, '--batch', '64', '--width', '16', '--depth', '2', '--format', 'svg', '--out', out, '--quiet']).status).toBe(0);
    const earlier = Object.fromEntries(readdirSync(out).sort().map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    const child = spawn(process.execPath, [CLI, '--batch', '8192', '--width', '1024', '--depth', '20', '--out', out, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted by SIGINT');
    expect(Object.fromEntries(readdirSync(out).sort().map((f) => [f, readFileSync(join(out, f), 'utf8')]))).toEqual(earlier);
  });

  it('SIGTERM exits 143', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rsc-term-'));
    const child = spawn(process.execPath, [CLI, '--batch', '8192', '--width', '1024', '--out', out, '--quiet'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 2000));
    child.kill('SIGTERM');
    expect(await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))).toBe(143);
    expect(readdirSync(out)).toEqual([]);
  });

  it('he:relu with gain 4 over 100 layers overflows float32: exit 0, nulls, overflow_layer, figures still drawn', () => {
    const out = mkdtempSync(join(tmpdir(), 'rsc-ovf-'));
    const r = spawnSync(process.execPath, [CLI, '--pattern', 'he:relu', '--gain', '4', '--depth', '100', '--batch', '128', '--width', '64', '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const p = m.patterns[0];
    // E[a²] grows ×16 per layer (gain² · 2 · ½ · … ≈ 16): float32 (3.4e38) gives out after ~60 layers
    expect(p.overflow_layer).toBeGreaterThan(40);
    expect(p.overflow_layer).toBeLessThan(90);
    expect(p.layers[p.overflow_layer - 1].z_ex2).toBeNull();
    expect(p.layers[99].a_ex2).toBeNull();
    // NaN ≠ 0, so a zero count of NaN values is meaningless: null from the overflow on, a number before it
    expect(p.layers.slice(p.overflow_layer - 1).every((l: { zero_frac: unknown }) => l.zero_frac === null)).toBe(true);
    expect(p.layers[p.overflow_layer - 2].zero_frac).toBeGreaterThan(0.3);
    const leftOut = 100 - p.overflow_layer + 1;
    expect(r.stdout).toMatch(new RegExp(`mean\\(zero_frac\\) over layers += 0\\.[45]\\d+  \\(intuition: ~0\\.5, leaving out ${leftOut} non-finite layers\\)`));
    expect(p.layers[p.overflow_layer - 2].z_ex2).toBeGreaterThan(1e30);
    expect(r.stdout).toContain(`overflow: float32 overflowed at layer ${p.overflow_layer}`);
    expect(readFileSync(join(out, 'relu_spread_check_ex2.svg'), 'utf8')).toContain('not drawn');
    // hist, ex2, relu ratio, zero fraction, zex2, corr, c-map
    expect(readdirSync(out).filter((f) => f.endsWith('.png'))).toHaveLength(7);
  });
});

describe('ensureDirectory', () => {
  it('creates missing ancestors, and fails at once where Node\'s recursive mkdir would spin (/proc)', async () => {
    const { ensureDirectory } = await import('../../src/metrics/writeOutputs.js');
    const base = mkdtempSync(join(tmpdir(), 'rsc-dir-'));
    ensureDirectory(join(base, 'a', 'b', 'c'));
    expect(readdirSync(join(base, 'a', 'b'))).toEqual(['c']);
    const t = performance.now();
    expect(() => ensureDirectory('/proc/no/such/dir')).toThrow();
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
