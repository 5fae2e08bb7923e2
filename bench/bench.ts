// `npm run bench [-- --quick]`: GEMM throughput of every kernel (WASM dense on 1 and N threads,
// WASM fused layer, WASM zero-skipping on a half-zero input, pure-TS blocked and naive) at the
// default shape and over a sweep of widths, then the full default run end to end.
// Writes bench/results.json, bench/results.md, figures/bench.png, and the README's table.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { builtFile } from '../src/kernel/builtFile.js';
import { createReferenceKernel } from '../src/kernel/reference/index.js';
import type { KernelBuild } from '../src/kernel/kernelBuilds.js';
import { loadNodeKernel, nodeHasRelaxedSimd, nodeWasmModule } from '../src/kernel/wasmFile.js';
import { benchFigure, type BenchBar } from '../src/figures/benchFigure.js';
import { jsdomDocument } from '../src/figures/jsdomDocument.js';
import { rasterize } from '../src/figures/rasterize.js';
import { serializeSvg } from '../src/figures/serializeSvg.js';
import { writeOutputs } from '../src/metrics/writeOutputs.js';
import { GemmCase, type GemmShape, type GemmVariant } from './gemmCase.js';
import { round1, round2, summarize } from './stats.js';

const quick = process.argv.includes('--quick');
const RUNS = 5;
const root = join(builtFile('package.json'), '..');
const threads = availableParallelism();

interface GemmResult {
  name: string;
  build: string;
  threads: number;
  m: number;
  k: number;
  n: number;
  zeroFraction: number;
  gflops: number;
  min: number;
  max: number;
  runs: number;
}

const NAMES: Record<GemmVariant, string> = { dense: 'wasm-dense', 'dense-layer': 'wasm-dense-layer', 'zero-skip': 'wasm-zero-skip', 'ts-naive': 'ts-naive', 'ts-blocked': 'ts-blocked' };

async function timeInProcess(variant: GemmVariant, build: KernelBuild, shape: GemmShape, runs: number): Promise<number[]> {
  const kernel = variant.startsWith('ts-') ? createReferenceKernel() : await loadNodeKernel(build);
  const c = new GemmCase(kernel, variant, shape);
  c.run(); // warm-up (and V8 tier-up)
  c.check();
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    c.restore();
    const t = performance.now();
    c.run();
    seconds.push((performance.now() - t) / 1000);
    c.check();
  }
  return seconds;
}

async function timeThreaded(variant: GemmVariant, build: KernelBuild, shape: GemmShape, count: number, runs: number): Promise<number[]> {
  const module = await nodeWasmModule(build);
  const script = builtFile('dist/benchWorker.js');
  const rowsEach = Math.ceil(shape.m / count);
  const workers = Array.from({ length: count }, () => new Worker(script));
  const ask = (w: Worker, msg: object) =>
    new Promise<void>((resolve, reject) => {
      w.once('message', (r: { ok: boolean; error?: string }) => (r.ok ? resolve() : reject(new Error(r.error))));
      w.postMessage(msg);
    });
  try {
    await Promise.all(workers.map((w, i) => ask(w, { op: 'init', module, variant, shape: { ...shape, m: Math.min(rowsEach, shape.m - i * rowsEach) }, seed: 1 + i })));
    const all = (op: string) => Promise.all(workers.map((w) => ask(w, { op })));
    await all('run');
    await all('check');
    const seconds: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await all('run');
      seconds.push((performance.now() - t) / 1000);
      await all('check');
    }
    return seconds;
  } finally {
    for (const w of workers) void w.terminate();
  }
}

async function measure(variant: GemmVariant, shape: GemmShape, count = 1, build: KernelBuild = 'wasm-simd'): Promise<GemmResult> {
  const seconds = count > 1 ? await timeThreaded(variant, build, shape, count, RUNS) : await timeInProcess(variant, build, shape, RUNS);
  const flops = 2 * shape.m * shape.n * shape.k;
  const g = summarize(seconds.map((s) => flops / s / 1e9));
  const result = { name: NAMES[variant], build: variant.startsWith('ts-') ? 'ts' : build, threads: count, ...shape, gflops: round1(g.median), min: round1(g.min), max: round1(g.max), runs: RUNS };
  console.error(`${result.name.padEnd(17)} ${result.build.padEnd(17)} t=${count} m=${shape.m} k=${shape.k} n=${shape.n} zeros=${shape.zeroFraction}: ${result.gflops} GFLOP/s (${result.min}–${result.max})`);
  return result;
}

function endToEnd(args: string[]): { wall_s: number; peak_rss_mb: number; args: string[] } {
  const out = mkdtempSync(join(tmpdir(), 'rsc-bench-'));
  try {
    const t = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args, '--out', out, '--quiet'], { stdio: 'inherit' });
    const wall = (performance.now() - t) / 1000;
    if (r.status !== 0) throw new Error(`end-to-end run failed with exit ${r.status}`);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    return { wall_s: round2(wall), peak_rss_mb: run.peak_rss_mb, args };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function markdown(gemm: GemmResult[], e2e: ReturnType<typeof endToEnd>): string {
  const rows = gemm.map((g) => `| ${g.name} | ${g.build} | ${g.threads} | ${g.m}×${g.k}·${g.k}×${g.n} | ${g.zeroFraction} | **${g.gflops}** | ${g.min}–${g.max} |`);
  return [
    '| kernel | build | threads | shape (m×k·k×n) | zeros in x | GFLOP/s (median) | min–max |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `End to end (\`relu-spread-check${e2e.args.length ? ' ' + e2e.args.join(' ') : ''}\`: the default run, figures included): **${e2e.wall_s} s** wall, **${e2e.peak_rss_mb} MB** peak RSS.`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; ${RUNS} timed runs after a warm-up, each checked; GFLOP/s = 2·m·n·k / seconds (dense-equivalent).`,
  ].join('\n');
}

async function main(): Promise<void> {
  const D = { m: 8192, k: 1024, n: 1024, zeroFraction: 0 };
  const gemm: GemmResult[] = [];
  const builds: KernelBuild[] = nodeHasRelaxedSimd() ? ['wasm-simd', 'wasm-relaxed-simd'] : ['wasm-simd'];
  for (const build of builds) {
    gemm.push(await measure('dense', D, 1, build));
    gemm.push(await measure('dense', D, threads, build));
    gemm.push(await measure('dense-layer', { ...D, zeroFraction: 0.5 }, 1, build));
    gemm.push(await measure('zero-skip', { ...D, zeroFraction: 0.5 }, 1, build));
    gemm.push(await measure('zero-skip', { ...D, zeroFraction: 0.5 }, threads, build));
  }
  // the pure-TS kernels take seconds per call at full size: fewer rows, same k and n
  gemm.push(await measure('ts-blocked', { ...D, m: quick ? 32 : 128 }));
  gemm.push(await measure('ts-naive', { ...D, m: quick ? 16 : 64 }));
  for (const n of quick ? [128, 512, 2048] : [128, 256, 512, 1024, 2048]) {
    const shape = { m: 2048, k: n, n, zeroFraction: 0 };
    gemm.push(await measure('dense', shape));
    gemm.push(await measure('dense', shape, threads));
    gemm.push(await measure('zero-skip', { ...shape, zeroFraction: 0.5 }));
  }
  const e2e = endToEnd(quick ? ['--batch', '2048'] : []);
  console.error(`end to end: ${e2e.wall_s} s, ${e2e.peak_rss_mb} MB`);

  const results = { machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version }, builds, quick, gemm, endToEnd: e2e };
  const table = markdown(gemm, e2e);
  const bars: BenchBar[] = gemm
    .filter((g) => g.m !== 2048)
    .map((g) => ({ label: `${g.name}${g.build === 'wasm-relaxed-simd' ? ' (relaxed)' : ''} ×${g.threads}${g.zeroFraction ? ', ½ zeros' : ''}${g.m !== 8192 ? `, m=${g.m}` : ''}`, value: g.gflops, min: g.min, max: g.max }));
  const svg = serializeSvg(benchFigure({ title: `GEMM throughput at 8192×1024·1024×1024 (${cpus().length} cores)`, bars }, { document: jsdomDocument() }));
  writeOutputs(join(root, 'bench'), [{ name: 'results.json', data: JSON.stringify(results, null, 2) + '\n' }, { name: 'results.md', data: table + '\n' }]);
  writeOutputs(join(root, 'figures'), [{ name: 'bench.png', data: rasterize(svg) }, { name: 'bench.svg', data: svg }]);
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const marked = /(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/;
  if (!quick && marked.test(readme)) writeFileSync(readmePath, readme.replace(marked, `$1${table}\n$2`));
  console.log(table);
}

await main();
