// The page as one HTML file that opens from disk (file://) with no server, for a room with no network: the
// stylesheet, the page's code, the shard worker's script (started from a blob: URL), both kernel builds and the
// two fonts inlined. The page reads the inlined files through src/pageAssets.ts.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const INLINED = ['release.wasm', 'relaxed.wasm', 'shardWorker.js', 'DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

/** Script text that an HTML parser cannot end early: no "</script" and no "<!--" (which would open an escape). */
const scriptSafe = (code) => code.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');

export function writeSingleFile(web, out) {
  const base64 = (file) => readFileSync(join(web, file)).toString('base64');
  const files = Object.fromEntries(INLINED.map((f) => [f, base64(f)]));
  // the fonts' @font-face rules come from the inlined files (src/pageAssets.ts), so their bytes are in the file once
  const css = readFileSync(join(web, 'style.css'), 'utf8').replace(/@font-face \{[^}]*\}\n?/g, '');
  const html = readFileSync(join(web, 'index.html'), 'utf8');
  const link = '<link rel="stylesheet" href="style.css">', script = '<script type="module" src="main.js"></script>';
  if (!html.includes(link) || !html.includes(script)) throw new Error('singleFile: index.html no longer links style.css and main.js as expected');
  const page = html
    .replace(link, () => `<style>${css}</style>`)
    .replace(script, () => `<script>globalThis.RELU_SPREAD_CHECK_FILES = ${JSON.stringify(files)};</script>\n  <script type="module">${scriptSafe(readFileSync(join(web, 'main.js'), 'utf8'))}</script>`);
  // written under a temporary name and renamed, as every output
  writeFileSync(`${out}.tmp`, page);
  renameSync(`${out}.tmp`, out);
}
