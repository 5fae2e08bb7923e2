// Builds the WASM kernel (asc: the release and relaxed-SIMD targets) and bundles the CLI (esbuild).
// --if-stale skips the work when every output is newer than every source.
import { bundleJsdom } from './jsdomBundle.mjs';
import { writeSingleFile } from './singleFile.mjs';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ifStale = process.argv.includes('--if-stale');

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) t = Math.max(t, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return t;
}
const mtime = (f) => (existsSync(join(root, f)) ? statSync(join(root, f)).mtimeMs : 0);
const inputsAt = Math.max(newest('assembly'), newest('src'), ...['bench'].filter((d) => existsSync(join(root, d))).map(newest), mtime('asconfig.json'), mtime('package.json'), mtime('scripts/build.mjs'), mtime('scripts/singleFile.mjs'), mtime('scripts/jsdomBundle.mjs'));
const outputs = ['build/release.wasm', 'build/relaxed.wasm', 'dist/cli.js', 'dist/index.js', 'dist/types/index.d.ts', 'dist/nodeShardWorker.js', 'dist/web/main.js', 'dist/web/index.html', 'dist/relu-spread-check.html', 'dist/vendor/jsdom.cjs', 'dist/vendor/jsdom.cjs.v8cache'];
if (ifStale && outputs.every((f) => mtime(f) > inputsAt)) process.exit(0);

const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
for (const target of ['release', 'relaxed']) {
  execFileSync(process.execPath, [asc, 'assembly/index.ts', '--target', target], { cwd: root, stdio: 'inherit' });
}
// chunk names carry content hashes: drop the previous build's, or they pile up
rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });
await build({
  entryPoints: {
    cli: join(root, 'src/cli.ts'),
    index: join(root, 'src/index.ts'),
    nodeShardWorker: join(root, 'src/shards/nodeShardWorker.ts'),
    bench: join(root, 'bench/bench.ts'),
    benchWorker: join(root, 'bench/gemmWorker.ts'),
    jsdomCodeCache: join(root, 'src/figures/jsdomCodeCacheMain.ts'),
  },
  outdir: join(root, 'dist'),
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // every package stays an import except d3, which is bundled: only the parts figures use are loaded.
  // Importing the whole of d3 made the figure code's import 119–126 ms against 75–80 ms, and 4 MB more RSS
  plugins: [{ name: 'packages-but-d3', setup: (b) => b.onResolve({ filter: /^[^./]/ }, ({ path, kind }) => (kind === 'entry-point' || /^d3(-|\/|$)/.test(path) ? undefined : { path, external: true })) }],
  logLevel: 'warning',
});

// jsdom as one file (scripts/jsdomBundle.mjs), then the V8 code cache of it that figure drawing loads with.
await bundleJsdom(root);
execFileSync(process.execPath, [join(root, 'dist', 'jsdomCodeCache.js')], { cwd: root, stdio: 'inherit' });

// Type declarations of the library entry (src/index.ts).
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.types.json'], { cwd: root, stdio: 'inherit' });

// The page: the same .wasm files and figure code, bundled for the browser, plus the bundled font.
const web = join(root, 'dist', 'web');
mkdirSync(web, { recursive: true });
await build({
  entryPoints: { main: join(root, 'src/web/main.ts'), shardWorker: join(root, 'src/shards/browserShardWorker.ts') },
  outdir: web,
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'chrome110',
  logLevel: 'warning',
});
// The two faces the figures use (regular, and bold for titles) travel with the package once, in dist/web/, where
// the page loads them and the rasterizer reads them (src/figures/rasterize.ts), so the font package itself
// (12 MB, the whole family) is only a build-time dependency.
rmSync(join(root, 'dist', 'fonts'), { recursive: true, force: true });
for (const [from, to] of [
  ['src/web/index.html', 'index.html'],
  ['src/web/style.css', 'style.css'],
  ['build/release.wasm', 'release.wasm'],
  ['build/relaxed.wasm', 'relaxed.wasm'],
  ['node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf', 'DejaVuSans.ttf'],
  ['node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf', 'DejaVuSans-Bold.ttf'],
  ['node_modules/dejavu-fonts-ttf/LICENSE', 'LICENSE-DejaVu'],
]) copyFileSync(join(root, from), join(web, to));
// The same page as one file that opens from disk (scripts/singleFile.mjs).
writeSingleFile(web, join(root, 'dist', 'relu-spread-check.html'));
