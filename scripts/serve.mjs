// `npm run serve -- --port N`: serves the built page (dist/web) on 127.0.0.1 with Node's http module.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.ttf': 'font/ttf', '.json': 'application/json', '.png': 'image/png' };

const at = process.argv.indexOf('--port');
const portText = at >= 0 ? process.argv[at + 1] : '8080';
const port = Number(portText);
if (!/^\d+$/.test(portText ?? '') || port < 0 || port > 65535) {
  console.error(`serve: --port must be an integer in 0 … 65535, got "${portText}"`);
  process.exit(2);
}
if (!existsSync(join(root, 'index.html'))) {
  console.error('serve: dist/web is missing; run `npm run build`');
  process.exit(1);
}

const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(root, path);
  if (!file.startsWith(root)) file = root;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  createReadStream(file).pipe(res);
});
server.listen(port, '127.0.0.1', () => {
  const { port: actual } = server.address();
  console.log(`relu-spread-check page: http://127.0.0.1:${actual}/`);
});
