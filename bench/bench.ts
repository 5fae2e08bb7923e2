// `npm run bench [-- --quick]`: GEMM throughput of every kernel (WASM dense on 1 and N threads,
// WASM fused layer, WASM zero-skipping on a half-zero input, pure-TS blocked and naive) at the
// default shape and over a sweep of widths, then the full default run end to end. Cases that are
// compared (1 vs N threads, dense vs zero-skipping) run in alternation and their ratio is taken
// round by round.
// Writes bench/results.json, bench/results.md, figures/bench.png, and the table in bench/README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { builtFile } from '../src/builtFile.js';
import { createReferenceKernel } from '../src/kernel/reference/index.js';
import type { KernelBuild } from '../src/model/kernelBuilds.js';
import { loadNodeKernel, nodeHasRelaxedSimd, nodeWasmModule } from '../src/kernel/wasmFile.js';
import { benchFigure, type BenchBar } from '../src/figures/benchFigure.js';
import { jsdomDocument } from '../src/figures/jsdomDocument.js';
import { rasterize } from '../src/figures/rasterize.js';
import { serializeSvg } from '../src/figures/serializeSvg.js';
import { writeOutputs } from '../src/metrics/writeOutputs.js';
import { GemmCase, type GemmShape, type GemmVariant } from './gemmCase.js';
import { CorrelationCase } from './corrCase.js';
import { batchNormCost, type NormCost } from './normCost.js';
import { portsCase, portsMarkdown, type PortsResult } from './portsCase.js';
import { spectrumCost, spectrumMarkdown, type SpectrumCost } from './spectrumCost.js';
import { transformerCost, transformerMarkdown, type TransformerCost } from './transformerCost.js';
import { round1, round2, summarize } from './stats.js';
import { endToEnd, sweepTiming } from './cliRuns.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 5 : 9;
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

/** One benchmark case, set up, warmed up and checked; time() performs one checked run of `flops`. */
interface Timed {
  name: string;
  build: string;
  threads: number;
  /** The GEMM's shape; absent for the calibration loop. */
  shape?: GemmShape;
  flops: number;
  time(): Promise<number>;
  close(): void;
}

const gemmFlops = (shape: GemmShape) => 2 * shape.m * shape.n * shape.k;

// One run of the calibration loop: about 40 ms.
const PEAK_ITERATIONS = 1 << 24;

/** The build's multiply-add peak on one core (assembly/peak.ts), measured alongside the kernels. */
async function peakLoop(build: KernelBuild): Promise<Timed> {
  const kernel = await loadNodeKernel(build);
  const sink = kernel.exports.heapBase();
  const flops = kernel.exports.peakMadd(PEAK_ITERATIONS, sink); // warm-up
  return {
    name: 'wasm-peak-loop', build, threads: 1, flops,
    async time() {
      const t = performance.now();
      kernel.exports.peakMadd(PEAK_ITERATIONS, sink);
      return (performance.now() - t) / 1000;
    },
    close() {},
  };
}

async function inProcess(variant: GemmVariant, build: KernelBuild, shape: GemmShape): Promise<Timed> {
  const kernel = variant.startsWith('ts-') ? createReferenceKernel() : await loadNodeKernel(build);
  const c = new GemmCase(kernel, variant, shape);
  c.run(); // warm-up (and V8 tier-up)
  c.check();
  return {
    name: NAMES[variant], build: variant.startsWith('ts-') ? 'ts' : build, threads: 1, shape, flops: gemmFlops(shape),
    async time() {
      c.restore();
      const t = performance.now();
      c.run();
      const seconds = (performance.now() - t) / 1000;
      c.check();
      return seconds;
    },
    close() {},
  };
}

async function threaded(variant: GemmVariant, build: KernelBuild, shape: GemmShape, count: number): Promise<Timed> {
  const module = await nodeWasmModule(build);
  const script = builtFile('dist/benchWorker.js');
  const rowsEach = Math.ceil(shape.m / count);
  const workers = Array.from({ length: count }, () => new Worker(script));
  const ask = (w: Worker, msg: object) =>
    new Promise<void>((resolve, reject) => {
      w.once('message', (r: { ok: boolean; error?: string }) => (r.ok ? resolve() : reject(new Error(r.error))));
      w.postMessage(msg);
    });
  const all = (op: string) => Promise.all(workers.map((w) => ask(w, { op })));
  await Promise.all(workers.map((w, i) => ask(w, { op: 'init', module, variant, shape: { ...shape, m: Math.min(rowsEach, shape.m - i * rowsEach) }, seed: 1 + i })));
  await all('run');
  await all('check');
  return {
    name: NAMES[variant], build, threads: count, shape, flops: gemmFlops(shape),
    async time() {
      await all('restore');
      const t = performance.now();
      await all('run');
      const seconds = (performance.now() - t) / 1000;
      await all('check');
      return seconds;
    },
    close() {
      for (const w of workers) void w.terminate();
    },
  };
}

/**
 * Runs the cases in turn, RUNS rounds: cases compared with each other are measured under the same
 * conditions (this VM's speed changes by up to 2× for seconds at a time). Returns seconds per case.
 */
async function interleaved(cases: Timed[]): Promise<number[][]> {
  const seconds = cases.map(() => [] as number[]);
  try {
    for (let round = 0; round < RUNS; round++) for (const [i, c] of cases.entries()) seconds[i].push(await c.time());
  } finally {
    for (const c of cases) c.close();
  }
  return seconds;
}

function gflopsOf(c: Timed, seconds: number[]): number[] {
  return seconds.map((s) => c.flops / s / 1e9);
}

function result(c: Timed, seconds: number[]): GemmResult {
  const g = summarize(gflopsOf(c, seconds));
  const shape = c.shape ?? { m: 0, k: 0, n: 0, zeroFraction: 0 };
  const r = { name: c.name, build: c.build, threads: c.threads, ...shape, gflops: round1(g.median), min: round1(g.min), max: round1(g.max), runs: seconds.length };
  console.error(`${r.name.padEnd(17)} ${r.build.padEnd(17)} t=${r.threads} m=${r.m} k=${r.k} n=${r.n} zeros=${r.zeroFraction}: ${r.gflops} GFLOP/s (${r.min}–${r.max})`);
  return r;
}

/** Speed of case a over case b, round by round (median, min, max over the rounds). */
interface PairedRatio {
  compare: string;
  build: string;
  ratio: number;
  min: number;
  max: number;
}

function paired(compare: string, a: Timed, aSeconds: number[], b: Timed, bSeconds: number[]): PairedRatio {
  const ga = gflopsOf(a, aSeconds), gb = gflopsOf(b, bSeconds);
  const r = summarize(ga.map((v, i) => v / gb[i]));
  const p = { compare, build: a.build, ratio: round2(r.median), min: round2(r.min), max: round2(r.max) };
  console.error(`${compare} (${a.build}): ${p.ratio}× (${p.min}–${p.max})`);
  return p;
}

/** Measures the cases interleaved; returns their results and the seconds for pairing. */
async function measure(cases: Timed[]): Promise<{ results: GemmResult[]; seconds: number[][] }> {
  const seconds = await interleaved(cases);
  return { results: cases.map((c, i) => result(c, seconds[i])), seconds };
}

/** The correlation sums' share of a layer at the default shape on one core, both timed within each pass. */
async function correlationCost(build: KernelBuild, rows: number): Promise<{ build: string; rows: number; width: number; layer_ms: number; sums_ms: number; share: number; min: number; max: number }> {
  const c = new CorrelationCase(await loadNodeKernel(build), rows, 1024);
  c.run(); // warm-up
  const passes = Array.from({ length: RUNS }, () => c.run());
  const share = summarize(passes.map((p) => p.sums / p.layer));
  const r = { build, rows, width: 1024, layer_ms: round2(summarize(passes.map((p) => p.layer)).median * 1000), sums_ms: round2(summarize(passes.map((p) => p.sums)).median * 1000), share: round2(share.median * 1000) / 1000, min: round2(share.min * 1000) / 1000, max: round2(share.max * 1000) / 1000 };
  console.error(`correlation sums (${build}): ${r.sums_ms} ms beside the layer's ${r.layer_ms} ms: +${(share.median * 100).toFixed(2)}% (${(share.min * 100).toFixed(2)}–${(share.max * 100).toFixed(2)}%)`);
  return r;
}

function markdown(gemm: GemmResult[], peaks: GemmResult[], ratios: PairedRatio[], shape: GemmShape, e2e: ReturnType<typeof endToEnd>, corr: Awaited<ReturnType<typeof correlationCost>>[], sweep: ReturnType<typeof sweepTiming>, norms: NormCost[], ports: PortsResult, spectra: SpectrumCost[], transformer: TransformerCost): string {
  const rows = gemm.map((g) => `| ${g.name} | ${g.build} | ${g.threads} | ${g.m}×${g.k}·${g.k}×${g.n} | ${g.zeroFraction} | **${g.gflops}** | ${g.min}–${g.max} |`);
  return [
    '| kernel | build | threads | shape (m×k·k×n) | zeros in x | GFLOP/s (median) | min–max |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `This core's peak while the table was measured (\`assembly/peak.ts\`: independent chains of the build's multiply-add, no memory traffic): ${peaks.map((p) => `${p.build} **${p.gflops}** GFLOP/s (${p.min}–${p.max})`).join(', ')}.`,
    '',
    `Paired ratios at ${shape.m}×${shape.k}·${shape.k}×${shape.n} (the cases measured in alternation, ratio per round):`,
    '',
    '| comparison | build | ratio (median) | min–max |',
    '|---|---|---|---|',
    ...ratios.map((r) => `| ${r.compare} | ${r.build} | **${r.ratio}×** | ${r.min}–${r.max} |`),
    '',
    `The correlation sums (z_corr and a_corr: two \`blockColumnSums\` per layer call, \`bench/corrCase.ts\`) at ${corr[0].rows} × 1024, one core, beside the layer itself, each part timed within the same passes: ${corr.map((c) => `${c.build} ${c.sums_ms} ms, **+${(c.share * 100).toFixed(1)}%** of the layer's ${c.layer_ms} ms (${(c.min * 100).toFixed(1)}–${(c.max * 100).toFixed(1)}% over the passes)`).join(', ')}.`,
    '',
    `Batch norm's cross-worker reduction (\`bench/normCost.ts\`: the same He + ReLU blocks with \`--norm batch\` against \`--norm nf\`, which normalizes alike from the theory, per-layer times from the run's progress, in alternation): ${norms.map((c) => `${c.block} blocks at ${c.batch} × ${c.width} on ${c.threads} workers, ${c.batch_layer_ms} ms a layer against ${c.nf_layer_ms} ms, **${(c.share * 100).toFixed(1)}%** of the layer (${(c.min * 100).toFixed(1)}–${(c.max * 100).toFixed(1)}% over the rounds)`).join('; ')}.`,
    '',
    `Sweep (\`relu-spread-check ${sweep.args.join(' ')}\`, ${sweep.points} points): **${sweep.wall_s} s** wall; Σ of the points' compute ${sweep.compute_s} s (opening pooled workers ${sweep.open_s} s), so wall ÷ compute = **${sweep.overhead}** (below 1: small points run one per worker, all workers at once, and each point's compute is counted in full).`,
    '',
    portsMarkdown(ports),
    '',
    spectrumMarkdown(spectra),
    '',
    transformerMarkdown(transformer, gemm.find((g) => g.name === 'wasm-dense' && g.m === 2048 && g.k === 256 && g.threads > 1)),
    '',
    `End to end (\`relu-spread-check${e2e.args.length ? ' ' + e2e.args.join(' ') : ''}\`: the default run${e2e.args.length ? ' with that change' : ''}, figures included): **${e2e.wall_s} s** wall, **${e2e.peak_rss_mb} MB** peak RSS.`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; ${RUNS} timed runs after a warm-up, each checked, cases of a group run in alternation; GFLOP/s = 2·m·n·k / seconds (dense-equivalent).`,
  ].join('\n');
}

async function main(): Promise<void> {
  // --ports: only the side-by-side case (the acceptance measurement), printed, nothing written
  if (process.argv.includes('--ports')) return void console.log(portsMarkdown(portsCase(root, quick ? ['--batch', '2048'] : [], quick ? 1 : 3)));
  // --transformer: only the transformer case, printed, nothing written
  if (process.argv.includes('--transformer')) return void console.log(transformerMarkdown(await transformerCost(quick ? 2 : 3), undefined));
  // --quick: a quarter of the default batch, same k and n
  const D = { m: quick ? 2048 : 8192, k: 1024, n: 1024, zeroFraction: 0 }, H = { ...D, zeroFraction: 0.5 };
  const gemm: GemmResult[] = [], peaks: GemmResult[] = [], ratios: PairedRatio[] = [];
  const builds: KernelBuild[] = nodeHasRelaxedSimd() ? ['wasm-simd', 'wasm-relaxed-simd'] : ['wasm-simd'];
  for (const build of builds) {
    const dense = [await peakLoop(build), await inProcess('dense', build, D), await threaded('dense', build, D, threads)];
    const d = await measure(dense);
    peaks.push(d.results[0]);
    gemm.push(...d.results.slice(1));
    ratios.push(paired('wasm-dense, 1 thread vs the peak loop', dense[1], d.seconds[1], dense[0], d.seconds[0]));
    ratios.push(paired(`wasm-dense, ${threads} threads vs 1`, dense[2], d.seconds[2], dense[1], d.seconds[1]));
    const layers = [await inProcess('dense-layer', build, H), await inProcess('zero-skip', build, H), await threaded('zero-skip', build, H, threads)];
    const l = await measure(layers);
    gemm.push(...l.results);
    ratios.push(paired('wasm-zero-skip vs wasm-dense-layer, ½ zeros', layers[1], l.seconds[1], layers[0], l.seconds[0]));
  }
  // the pure-TS kernels take seconds per call at full size: fewer rows, same k and n
  gemm.push(...(await measure([await inProcess('ts-blocked', 'wasm-simd', { ...D, m: quick ? 32 : 128 })])).results);
  gemm.push(...(await measure([await inProcess('ts-naive', 'wasm-simd', { ...D, m: quick ? 16 : 64 })])).results);
  const atDefaultShape = gemm.slice();
  for (const n of quick ? [128, 512, 2048] : [128, 256, 512, 1024, 2048]) {
    const shape = { m: 2048, k: n, n, zeroFraction: 0 };
    gemm.push(...(await measure([await inProcess('dense', 'wasm-simd', shape), await threaded('dense', 'wasm-simd', shape, threads), await inProcess('zero-skip', 'wasm-simd', { ...shape, zeroFraction: 0.5 })])).results);
  }
  const corr = [];
  for (const build of builds) corr.push(await correlationCost(build, D.m / 2));
  const norms = [await batchNormCost('plain', D.m, 1024, quick ? 4 : 8, 2, quick ? 3 : 5), await batchNormCost('residual', D.m, 1024, quick ? 4 : 8, 2, quick ? 3 : 5)];
  const spectra = [await spectrumCost(512, 32, quick ? 2 : 3), await spectrumCost(1024, 20, quick ? 1 : 3)];
  const transformer = await transformerCost(quick ? 2 : 3);
  const sweep = sweepTiming(root, quick);
  const e2e = endToEnd(root, quick ? ['--batch', '2048'] : []);
  console.error(`end to end: ${e2e.wall_s} s, ${e2e.peak_rss_mb} MB`);
  const ports = portsCase(root, quick ? ['--batch', '2048'] : [], quick ? 1 : 3);

  const results = { machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version }, builds, quick, gemm, peak: peaks.map(({ name, build, gflops, min, max, runs }) => ({ name, build, gflops, min, max, runs })), paired: ratios, correlation: corr, batchNorm: norms, sweep, endToEnd: e2e, ports, spectrum: spectra, transformer };
  const table = markdown(gemm, peaks, ratios, D, e2e, corr, sweep, norms, ports, spectra, transformer);
  const bars: BenchBar[] = [...peaks, ...atDefaultShape].map((g) => ({ label: `${g.name}${g.build === 'wasm-relaxed-simd' ? ' (relaxed)' : ''} ×${g.threads}${g.zeroFraction ? ', ½ zeros' : ''}${g.m && g.m !== 8192 ? `, m=${g.m}` : ''}`, value: g.gflops, min: g.min, max: g.max }));
  const svg = serializeSvg(benchFigure({ title: `GEMM throughput at ${D.m}×${D.k}·${D.k}×${D.n} (${cpus().length} cores)`, bars }, { document: jsdomDocument() }));
  writeOutputs(join(root, 'bench'), [{ name: 'results.json', data: JSON.stringify(results, null, 2) + '\n' }, { name: 'results.md', data: table + '\n' }]);
  writeOutputs(join(root, 'figures'), [{ name: 'bench.png', data: rasterize(svg) }, { name: 'bench.svg', data: svg }]);
  const readmePath = join(root, 'bench', 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const marked = /(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/;
  if (!quick && marked.test(readme)) writeFileSync(readmePath, readme.replace(marked, `$1${table}\n$2`));
  console.log(table);
}

await main();
