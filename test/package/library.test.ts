import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// the built entry the package's exports map points at, as a user's `import 'relu-spread-check'` loads it
const load = () => import(join(ROOT, pkg.exports['.'].default));

describe("import { runExperiment } from 'relu-spread-check'", () => {
  it('has an exports map with type declarations', () => {
    expect(pkg.exports['.']).toEqual({ types: './dist/types/index.d.ts', default: './dist/index.js' });
    const types = readFileSync(join(ROOT, pkg.exports['.'].types), 'utf8');
    expect(types).toContain('export declare function runExperiment(options?: RunOptions): Promise<RunResult>');
  });

  it('rejects bad input with a typed OptionError naming the library key (not the CLI flag), by the CLI\'s rules', async () => {
    const lib = await load();
    await expect(lib.runExperiment({ batch: 0 })).rejects.toMatchObject({ name: 'OptionError', option: 'batch', message: 'batch must be an integer in 1 … 1048576, got 0' });
    await expect(lib.runExperiment({ biasStd: -1 })).rejects.toMatchObject({ option: 'biasStd', message: 'biasStd must be a number in 0 … 100, got "-1"' });
    await expect(lib.runExperiment({ widths: [16, 32768] })).rejects.toMatchObject({ message: expect.stringMatching(/^widths 16,32768 does not fit/) });
    await expect(lib.runExperiment({ backward: 'yes' as unknown as boolean })).rejects.toMatchObject({ option: 'backward', message: 'backward must be true or false, got "yes"' });
    await expect(lib.runExperiment({ patterns: ['he:swish'] })).rejects.toBeInstanceOf(lib.OptionError);
    await expect(lib.runExperiment({ width: 1.5 as number })).rejects.toMatchObject({ option: 'width' });
  });

  it('is strict: an unknown key rejects, naming it and the nearest known key, instead of running the default job', async () => {
    const lib = await load();
    await expect(lib.runExperiment({ widht: 5 } as never)).rejects.toMatchObject({ name: 'OptionError', option: 'widht', message: expect.stringMatching(/^unknown option "widht" \(did you mean "width"\?\)/) });
    await expect(lib.runExperiment({ out: 'x' } as never)).rejects.toMatchObject({ option: 'out' });
  });

  it('runs and returns records and the exact metrics.json text', async () => {
    const lib = await load();
    const r = await lib.runExperiment({ batch: 128, width: 32, depth: 3, threads: 2, kernel: 'simd' });
    expect(r.kernel).toBe('wasm-simd');
    expect(r.patterns.map((p: { name: string }) => p.name)).toEqual(['A) Xavier + Identity', 'B) Xavier + ReLU', 'C) He + ReLU']);
    expect(JSON.parse(r.metricsJson).patterns[1].layers[2].layer).toBe(3);
  });

  it('renderComparison draws several runs on one chart, each under its label', async () => {
    const lib = await load();
    const runs = await Promise.all([{}, { residual: 1 }].map((o) => lib.runExperiment({ block: 'attention', seqLen: 4, heads: 2, patterns: ['xavier:identity'], batch: 32, width: 8, depth: 3, threads: 1, ...o })));
    const files = await lib.renderComparison(runs.map((r: { patterns: unknown[] }, i: number) => ({ label: ['no skip', 'α = 1'][i], result: r.patterns[0] })), { name: 'collapse', formats: ['svg'] });
    expect(files.map((f: { name: string }) => f.name)).toEqual(['collapse.svg']);
    expect(files[0].data).toContain('no skip');
    expect(files[0].data).toContain('α = 1');
  });

  it('a signal cancels it: aborted after the first layer, the run rejects with an AbortError', async () => {
    const lib = await load();
    const controller = new AbortController();
    let layers = 0;
    const run = lib.runExperiment({ batch: 256, width: 64, depth: 50, threads: 2, kernel: 'simd', signal: controller.signal, onProgress: () => ++layers === 1 && controller.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(layers).toBeLessThanOrEqual(2);
  });
});
