// jsdom for the figures, bundled into one minified file at build time (dist/vendor/jsdom.cjs). Loaded
// from node_modules, jsdom's ~500 modules cost the default run's figure phase module resolution, file
// reads and compiles; one file plus the V8 code cache the build makes of it (src/figures/loadJsdom.ts)
// skips most of that. Licences of everything bundled go beside it.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/**
 * The two places where jsdom finds a file next to its own source, which a bundle no longer has. Each
 * `find` must occur exactly once in its file, or the build stops (a new jsdom must be looked at again).
 */
export const JSDOM_PATCHES = [
  {
    // the default stylesheet, read at load time: inlined as a string
    file: /living[\\/]helpers[\\/]style-rules\.js$/,
    find: /fs\.readFileSync\(\s*path\.resolve\(__dirname, "\.\.\/\.\.\/browser\/default-stylesheet\.css"\),\s*\{ encoding: "utf-8" \}\s*\)/,
    replace: (root) => JSON.stringify(readFileSync(join(root, 'node_modules/jsdom/lib/jsdom/browser/default-stylesheet.css'), 'utf8')),
  },
  {
    // synchronous XMLHttpRequest runs a helper file in a child process; figures never make requests, so a
    // sync request fails (the path names what is missing) instead of the whole bundle failing to load
    file: /living[\\/]xhr[\\/]XMLHttpRequest-impl\.js$/,
    find: /require\.resolve\("\.\/xhr-sync-worker\.js"\)/,
    replace: () => JSON.stringify('jsdom-synchronous-XMLHttpRequest-is-not-bundled'),
  },
];

/** `text` of `path` with the patches meant for it applied; throws when a patch's text is not there exactly once. */
export function patchJsdomSource(path, text, root) {
  for (const patch of JSDOM_PATCHES.filter((p) => p.file.test(path))) {
    const hits = text.match(new RegExp(patch.find.source, 'g')) ?? [];
    if (hits.length !== 1) throw new Error(`jsdom bundle: ${path} has ${hits.length} matches of ${patch.find} where 1 was expected; look at this jsdom version's source again`);
    text = text.replace(patch.find, patch.replace(root));
  }
  return text;
}

const STANDARD_LICENCES = {
  ISC: (holder) => `Copyright (c) ${holder}\n\nPermission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted, provided that the above copyright notice and this permission notice appear in all copies.\n\nTHE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.`,
};

const LICENCE_FILE = /^(licen[cs]e|copying|notice)([.-]|$)/i;

/** name@version and the licence texts of every package with a file in the bundle, in name order. */
function licences(root, metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const rest = input.slice(at + 'node_modules/'.length).split('/');
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    packages.set(name, join(root, input.slice(0, at), 'node_modules', name));
  }
  return [...packages].sort(([a], [b]) => a.localeCompare(b)).map(([name, dir]) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const files = readdirSync(dir).filter((f) => LICENCE_FILE.test(f)).sort();
    const texts = files.map((f) => readFileSync(join(dir, f), 'utf8').trim());
    if (texts.length === 0) {
      // a package without a licence file: the standard text of its declared licence, with its author as the holder
      const standard = STANDARD_LICENCES[manifest.license];
      if (!standard) throw new Error(`jsdom bundle: ${name} ships no licence file and declares ${manifest.license ?? 'no licence'}; add its text here`);
      texts.push(standard(typeof manifest.author === 'string' ? manifest.author : manifest.author?.name ?? `the authors of ${name}`));
    }
    return `${name}@${manifest.version} (${manifest.license ?? 'see below'})\n\n${texts.join('\n\n')}`;
  });
}

/** Writes dist/vendor/jsdom.cjs and dist/vendor/jsdom-licences.txt; returns the bundled package count. */
export async function bundleJsdom(root) {
  const out = join(root, 'dist', 'vendor', 'jsdom.cjs');
  mkdirSync(dirname(out), { recursive: true });
  const result = await build({
    stdin: { contents: "module.exports = require('jsdom');", resolveDir: root, loader: 'js' },
    absWorkingDir: root,
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    // every character outside ASCII escaped, so the loader can read the file as latin1 (src/figures/loadJsdom.ts)
    charset: 'ascii',
    legalComments: 'none',
    // jsdom asks for the optional canvas package inside a try and does without it
    external: ['canvas'],
    metafile: true,
    logLevel: 'warning',
    plugins: [{
      name: 'jsdom-files',
      setup(b) {
        b.onLoad({ filter: /node_modules[\\/]jsdom[\\/]lib[\\/].*\.js$/ }, (args) => {
          if (!JSDOM_PATCHES.some((p) => p.file.test(args.path))) return undefined;
          return { contents: patchJsdomSource(args.path, readFileSync(args.path, 'utf8'), root), loader: 'js' };
        });
      },
    }],
  });
  const notices = licences(root, result.metafile);
  writeFileSync(join(root, 'dist', 'vendor', 'jsdom-licences.txt'),
    `dist/vendor/jsdom.cjs bundles these ${notices.length} packages, minified; their licences follow.\n\n${notices.join(`\n\n${'='.repeat(72)}\n\n`)}\n`);
  return notices.length;
}
