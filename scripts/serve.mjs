// `npm run serve -- --port N [--base /path/]`: serves the built page (dist/web) on 127.0.0.1 with Node's http
// module, at / or under the subpath --base names (as a course site would host it: /courses/init/).
// Every request gets an answer: 400 for a path that does not decode or tries to leave dist/web, 404 for
// a missing file, 405 for a method other than GET and HEAD; nothing a request sends stops the server.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.ttf': 'font/ttf', '.json': 'application/json', '.png': 'image/png' };

const at = process.argv.indexOf('--port');
const portText = at >= 0 ? process.argv[at + 1] : '8080';
const port = Number(portText);
if (!/^\d+$/.test(portText ?? '') || port < 0 || port > 65535) {
  console.error(`serve: --port must be an integer in 0 … 65535, got "${portText}"`);
  process.exit(2);
}
const baseAt = process.argv.indexOf('--base');
const base = baseAt >= 0 ? process.argv[baseAt + 1] ?? '' : '/';
if (!/^\/([A-Za-z0-9._~-]+\/)*$/.test(base) || base.split('/').some((s) => s === '.' || s === '..')) {
  console.error(`serve: --base must be a path that starts and ends with "/", got "${base}"`);
  process.exit(2);
}
if (!existsSync(join(root, 'index.html'))) {
  console.error('serve: dist/web is missing; run `npm run build`');
  process.exit(1);
}

/** The file under dist/web a request path names (under --base), or null for a path that does not decode or would leave dist/web; undefined outside --base. */
function fileOf(url) {
  let path;
  try {
    path = decodeURIComponent(new URL(url ?? '/', 'http://x').pathname);
  } catch {
    return null;
  }
  if (!path.startsWith(base)) return undefined;
  path = `/${path.slice(base.length)}`;
  // after decoding: no NUL, no backslash, no '..' segment (%2e%2e and %2f decode to them), nothing outside root
  if (path.includes('\0') || path.includes('\\') || path.split('/').includes('..')) return null;
  const file = resolve(root, `.${path}`);
  return file === root || file.startsWith(root + sep) ? file : null;
}

const answer = (res, status, text) => res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);

const server = createServer((req, res) => {
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'method not allowed');
    let file = fileOf(req.url);
    if (file === null) return answer(res, 400, 'bad request path');
    if (file === undefined) return answer(res, 404, `not found: the page is under ${base}`);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) return answer(res, 404, 'not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  } catch {
    if (res.headersSent) res.destroy();
    else answer(res, 500, 'server error');
  }
});
server.listen(port, '127.0.0.1', () => {
  const { port: actual } = server.address();
  console.log(`relu-spread-check page: http://127.0.0.1:${actual}${base}`);
});
