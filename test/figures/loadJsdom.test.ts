import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JSDOM_PATCHES, patchJsdomSource } from '../../scripts/jsdomBundle.mjs';
import { bundleDigest, cacheFor, JSDOM_BUNDLE } from '../../src/figures/loadJsdom.js';

const root = join(import.meta.dirname, '..', '..');
const check = (nodeFlags: string[]) => spawnSync(process.execPath, [...nodeFlags, join(root, 'dist', 'jsdomCodeCache.js'), '--check'], { encoding: 'utf8' });

describe('jsdom, bundled with a V8 code cache', () => {
  it('a process that loads jsdom as the CLI does (relaxed SIMD flagged on Node 20) takes the build\'s code cache', () => {
    const r = check([]);
    expect([r.status, r.stdout.trim(), r.stderr]).toEqual([0, 'cached', '']);
  });

  it('under other V8 flags V8 refuses the cache and the bundle compiles from its source: slower, same jsdom', () => {
    const r = check(['--max-old-space-size=4096']);
    expect([r.status, r.stdout.trim(), r.stderr]).toEqual([0, 'compiled', '']);
  });

  it('a cache file is used only for the source whose sha256 it starts with (V8 itself compares lengths only)', () => {
    const digest = createHash('sha256').update('source').digest();
    const payload = Buffer.from([1, 2, 3]);
    expect(cacheFor(Buffer.concat([digest, payload]), digest)).toEqual(payload);
    expect(cacheFor(Buffer.concat([createHash('sha256').update('other source').digest(), payload]), digest)).toBeUndefined();
    expect(cacheFor(digest, digest)).toBeUndefined();
    expect(cacheFor(undefined, digest)).toBeUndefined();
  });

  it('the build patches each of jsdom\'s two file lookups exactly once, and stops on a jsdom where one is not found', () => {
    const styleRules = join(root, 'node_modules/jsdom/lib/jsdom/living/helpers/style-rules.js');
    const xhr = join(root, 'node_modules/jsdom/lib/jsdom/living/xhr/XMLHttpRequest-impl.js');
    expect(JSDOM_PATCHES).toHaveLength(2);
    const patched = patchJsdomSource(styleRules, readFileSync(styleRules, 'utf8'), root);
    expect(patched).not.toContain('default-stylesheet.css');
    expect(patched).toContain(JSON.stringify(readFileSync(join(root, 'node_modules/jsdom/lib/jsdom/browser/default-stylesheet.css'), 'utf8')).slice(0, 40));
    expect(patchJsdomSource(xhr, readFileSync(xhr, 'utf8'), root)).not.toContain('require.resolve(');
    expect(() => patchJsdomSource(styleRules, 'const sheet = readTheSheetSomehow();', root)).toThrow(/style-rules\.js has 0 matches .* where 1 was expected/);
    // a file no patch is for passes through as it is
    expect(patchJsdomSource('/x/node_modules/jsdom/lib/api.js', 'same text', root)).toBe('same text');
  });

  it('the bundle is ASCII, which the loader reads as latin1 (the same string UTF-8 would give, without decoding it)', () => {
    const bytes = readFileSync(join(root, JSDOM_BUNDLE));
    expect(bytes.length).toBeGreaterThan(1_000_000);
    expect(bytes.findIndex((b) => b > 0x7f)).toBe(-1);
    // so the digest over its bytes is the digest of the source as V8 is given it (latin1, wrapped)
    const wrapped = `(function (exports, require, module, __filename, __dirname) {${bytes.toString('latin1')}\n})`;
    expect(bundleDigest(bytes)).toEqual(createHash('sha256').update(wrapped).digest());
    expect(readFileSync(join(root, `${JSDOM_BUNDLE}.v8cache`)).subarray(0, 32)).toEqual(bundleDigest(bytes));
  });

  it('the licences beside the bundle name every package jsdom\'s code requires, each with its licence', () => {
    const text = readFileSync(join(root, 'dist', 'vendor', 'jsdom-licences.txt'), 'utf8');
    const listed = [...text.matchAll(/^(@?[^@\s]+)@(\S+) \(/gm)].map((m) => m[1]);
    // the packages jsdom's own files require (two of its declared dependencies, the proxy agents, no file requires)
    const lib = join(root, 'node_modules/jsdom/lib');
    const required = new Set<string>();
    for (const file of readdirSync(lib, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
      for (const [, name] of readFileSync(join(lib, file), 'utf8').matchAll(/require\("((?:@[^/"]+\/)?[^./"][^/"]*)/g)) {
        if (!name.startsWith('node:') && !builtinModules.includes(name) && name !== 'canvas') required.add(name);
      }
    }
    expect(required.size).toBeGreaterThan(10);
    for (const name of [...required, 'jsdom']) expect(listed, name).toContain(name);
    expect(text.split(/\n={72}\n/)).toHaveLength(listed.length);
    for (const section of text.split(/\n={72}\n/)) expect(section.length, section.slice(0, 60)).toBeGreaterThan(200);
  });
});
