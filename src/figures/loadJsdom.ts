// jsdom as the build bundles it (scripts/jsdomBundle.mjs: one minified file), run with the V8 code
// cache the build makes of it. From node_modules, jsdom's ~500 modules cost the figure phase their
// resolution, reads and compiles; the default run's figure phase went 1.56 → 1.25 s (medians of 6
// alternating runs). A cache V8 refuses (another V8, other V8 flags) only costs that speed: the bundle
// is then compiled from its source.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import { Script } from 'node:vm';
import { builtFile } from '../builtFile.js';
import { nodeHasRelaxedSimd } from '../kernel/wasmFile.js';
import { writeOutputs } from '../metrics/writeOutputs.js';

type Jsdom = typeof import('jsdom');

export const JSDOM_BUNDLE = 'dist/vendor/jsdom.cjs';
const cacheOf = (bundle: string) => `${bundle}.v8cache`;
// V8 checks a cache against its source's length only: the cache file starts with the source's sha256
const DIGEST_BYTES = 32;

interface Bundle {
  path: string;
  source: string;
  digest: Buffer;
}

/**
 * The bundle's text. It is ASCII (esbuild's charset: 'ascii'), so latin1 gives the same string as UTF-8
 * would, without UTF-8's decoding (1 ms against 45–60 ms for its 4.7 MB). In slices under 1 MB: Node makes
 * a longer latin1 string an external one in malloc'd memory, and that raised the figure phase's peak RSS.
 */
function asciiText(bytes: Buffer): string {
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += ASCII_SLICE) parts.push(bytes.toString('latin1', at, Math.min(at + ASCII_SLICE, bytes.length)));
  return parts.join('');
}
const ASCII_SLICE = 1 << 19;

// the CommonJS wrapper, as Node puts around a module, so the bundle runs as the module it was built as
const WRAP_START = '(function (exports, require, module, __filename, __dirname) {', WRAP_END = '\n})';

/** sha256 of the wrapped source's UTF-8, from the bundle's bytes: it is ASCII, so they are its UTF-8 (hashing the string would encode its 4.7 MB again: 32 ms against 3). */
export const bundleDigest = (bytes: Buffer): Buffer => createHash('sha256').update(WRAP_START).update(bytes).update(WRAP_END).digest();

function readBundle(): Bundle {
  const path = builtFile(JSDOM_BUNDLE);
  const bytes = readFileSync(path);
  return { path, source: `${WRAP_START}${asciiText(bytes)}${WRAP_END}`, digest: bundleDigest(bytes) };
}

function run(script: Script, { path }: Bundle): Jsdom {
  const module = { exports: {} as Jsdom };
  script.runInThisContext()(module.exports, createRequire(path), module, path, dirname(path));
  return module.exports;
}

// A cache holds only under the V8 flags it was made with. The CLI and the library turn relaxed SIMD on
// where Node 20 has it behind a flag; both the build and every load set it first, so the flags agree.
const sameFlagsAsTheBuild = () => nodeHasRelaxedSimd();

/** The V8 cache in a cache file (`digest` then the cache), when it was made of the source with this digest. */
export function cacheFor(file: Buffer | undefined, digest: Buffer): Buffer | undefined {
  return file && file.length > DIGEST_BYTES && file.subarray(0, DIGEST_BYTES).equals(digest) ? file.subarray(DIGEST_BYTES) : undefined;
}

let loaded: { jsdom: Jsdom; cached: boolean } | undefined;

/** jsdom, loaded once per process; `cached` says whether V8 took the code cache. */
export function loadJsdom(): { jsdom: Jsdom; cached: boolean } {
  if (loaded) return loaded;
  sameFlagsAsTheBuild();
  const bundle = readBundle();
  const cacheFile = cacheOf(bundle.path);
  const cachedData = cacheFor(existsSync(cacheFile) ? readFileSync(cacheFile) : undefined, bundle.digest);
  const script = new Script(bundle.source, { filename: bundle.path, cachedData });
  loaded = { jsdom: run(script, bundle), cached: cachedData !== undefined && script.cachedDataRejected === false };
  return loaded;
}

/**
 * The build's step: runs the bundle without a cache, draws through the DOM calls figures make (D3's
 * selections, attributes, text, serialization), so the cache holds those functions compiled too, and
 * writes the cache beside the bundle. Returns its size in bytes.
 */
export function writeJsdomCodeCache(draw: (document: Document) => void): number {
  sameFlagsAsTheBuild();
  const bundle = readBundle();
  const script = new Script(bundle.source, { filename: bundle.path });
  const { JSDOM } = run(script, bundle);
  const window = new JSDOM('<!DOCTYPE html><html><body></body></html>').window;
  draw(window.document);
  window.close();
  const data = Buffer.concat([bundle.digest, script.createCachedData()]);
  const target = cacheOf(bundle.path);
  writeOutputs(dirname(target), [{ name: basename(target), data }]);
  return data.length;
}
