import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS_VERSION } from '../../src/metrics/metricsJson.js';

const root = join(import.meta.dirname, '..', '..');

describe('the packed package', () => {
  it('carries what runs (bundles, page, both kernels) and none of test/, bench/, docs/, figures/, .ci/, src/', () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const [pack] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
    const paths: string[] = pack.files.map((f: { path: string }) => f.path);
    expect(paths.filter((p) => /^(test|bench|docs|figures|\.ci|src|assembly|scripts)\//.test(p))).toEqual([]);
    for (const needed of ['dist/cli.js', 'dist/index.js', 'dist/nodeShardWorker.js', 'dist/types/index.d.ts', 'dist/web/index.html', 'dist/relu-spread-check.html', 'dist/vendor/jsdom.cjs', 'dist/vendor/jsdom.cjs.v8cache', 'dist/vendor/jsdom-licences.txt', 'build/release.wasm', 'build/relaxed.wasm', 'package.json', 'README.md']) {
      expect(paths, needed).toContain(needed);
    }
    // the fonts once, where the page and the rasterizer both read them, with their licence
    expect(paths.filter((p) => p.endsWith('.ttf')).sort()).toEqual(['dist/web/DejaVuSans-Bold.ttf', 'dist/web/DejaVuSans.ttf']);
    expect(paths).toContain('dist/web/LICENSE-DejaVu');
    // jsdom travels bundled (with its code cache and the bundled packages' licences), not as a dependency; the cache's maker stays home
    expect(paths).not.toContain('dist/jsdomCodeCache.js');
    expect(Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies)).not.toContain('jsdom');
    // no install-time script reaches a consumer (npm 11 warns about them); the build runs before packing
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.scripts).filter((s) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(s))).toEqual([]);
    expect(manifest.scripts.prepack).toBe('node scripts/build.mjs');
    // README images resolve where the package is shown
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\/github\.com\//);
  }, 60_000);
});

describe('the package as a user installs it', () => {
  it('installs from the packed tarball into a fresh project (≤ 45 MB) and runs there: npx relu-spread-check, an ESM import of runExperiment, and a consumer type-checked with moduleResolution nodenext', () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const project = mkdtempSync(join(tmpdir(), 'rsc-consumer-'));
    const [pack] = JSON.parse(execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', project], { cwd: root, encoding: 'utf8' }));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    // from npm's cache where it can (npm ci filled it), so this stays quick and works offline after one install
    execFileSync(npm, ['install', join(project, pack.filename), '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project, stdio: 'pipe' });
    const megabytes = Number(execFileSync('du', ['-sk', join(project, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]) / 1024;
    expect(megabytes, 'node_modules of the consumer in MB').toBeLessThanOrEqual(45);

    const cli = spawnSync('npx', ['relu-spread-check', '--batch', '64', '--width', '16', '--depth', '2', '--out', 'out', '--quiet'], { cwd: project, encoding: 'utf8' });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(readdirSync(join(project, 'out'))).toContain('metrics.json');
    expect(readdirSync(join(project, 'out')).filter((f) => f.endsWith('.png')).length).toBeGreaterThan(0);

    const esm = spawnSync(process.execPath, ['--input-type=module', '-e', "import { runExperiment } from 'relu-spread-check'; const r = await runExperiment({ batch: 64, width: 16, depth: 2 }); console.log(r.patterns.length, JSON.parse(r.metricsJson).version);"], { cwd: project, encoding: 'utf8' });
    expect(esm.stderr).toBe('');
    expect(esm.stdout.trim()).toBe(`3 ${METRICS_VERSION}`);

    // the figure set and the sweep, as exported: a run drawn to SVG and PNG, and a two-point sweep with its figure
    const more = spawnSync(process.execPath, ['--input-type=module', '-e', [
      "import { runExperiment, renderFigures, runSweep, renderSweepFigures } from 'relu-spread-check';",
      "const r = await runExperiment({ batch: 64, width: 16, depth: 2, patterns: ['he:relu'] });",
      'const files = await renderFigures(r.patterns);',
      "const ex2 = files.find((f) => f.name === 'relu_spread_check_ex2.png').data;",
      "const s = await runSweep({ batch: 32, width: 8, depth: 2, patterns: ['xavier:tanh'], gain: [1, 2] });",
      "const sweepFiles = await renderSweepFigures(s.record, ['svg']);",
      "console.log(files.some((f) => f.name === 'relu_spread_check_ex2.svg' && f.data.startsWith('<?xml')), Buffer.from(ex2).subarray(1, 4).toString(), s.record.points.length, JSON.parse(s.sweepJson).points.length, sweepFiles.map((f) => f.name).join(','));",
    ].join(' ')], { cwd: project, encoding: 'utf8' });
    expect(more.stderr).toBe('');
    expect(more.stdout.trim()).toBe('true PNG 2 2 sweep_gain.svg');

    writeFileSync(join(project, 'consumer.ts'), [
      "import { runExperiment, OptionError, renderFigures, runSweep, type RunOptions, type PatternResult, type FigureFile, type SweepOptions } from 'relu-spread-check';",
      "const sweepOptions: SweepOptions = { gain: '0.5:2:4', patterns: ['xavier:tanh'] };",
      'const drawn: FigureFile[] = await renderFigures([], { formats: [\'svg\'] });',
      'const swept = runSweep;',
      "const options: RunOptions = { batch: 64, width: 16, seeds: 2, backward: true, patterns: ['he:relu'], gain: 'auto', kernel: 'simd' };",
      'const result = await runExperiment(options);',
      'const first: PatternResult = result.patterns[0];',
      'const energy: number = first.layers[0].a_ex2;',
      '// @ts-expect-error: the library\'s keys are typed, so a misspelt one does not compile',
      'const misspelt: RunOptions = { widht: 5 };',
      "// @ts-expect-error: and so are the values",
      "const wrong: RunOptions = { fanMode: 'both' };",
      'export { energy, misspelt, wrong, OptionError, sweepOptions, drawn, swept };',
    ].join('\n'));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: [] }, files: ['consumer.ts'] }));
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 240_000);
});
