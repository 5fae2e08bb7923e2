// `npm run serve`: every request gets an answer, nothing a request sends stops the server, and no path
// reaches outside dist/web. Requests go over a raw socket, so that the paths arrive exactly as written.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
let server: ChildProcess;
let port = 0;

/** Sends one raw HTTP/1.1 request and resolves with the status and the body. */
function request(method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1'));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

beforeAll(async () => {
  server = spawn(process.execPath, [join(ROOT, 'scripts', 'serve.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  port = await new Promise<number>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      const m = /127\.0\.0\.1:(\d+)/.exec(chunk.toString());
      if (m) resolve(Number(m[1]));
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
});
afterAll(() => {
  server?.kill();
});

describe('npm run serve', () => {
  it('answers a malformed URI with 400 and keeps serving: / still answers with the page', async () => {
    for (const path of ['/%E0%A4%A', '/%', '/%zz', '/%c0%ae%c0%ae/package.json', '/a%ED%A0%80b']) {
      expect((await request('GET', path)).status, path).toBe(400);
    }
    const page = await request('GET', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html');
    expect(server.exitCode).toBe(null);
  });

  it('refuses every path traversal: no variant reaches a file outside dist/web', async () => {
    const secret = readFileSync(join(ROOT, 'package.json'), 'utf8');
    const variants = [
      '/../package.json', '/../../package.json', '/../../../../../../etc/passwd',
      '/%2e%2e/%2e%2e/package.json', '/%2E%2E/%2E%2E/package.json', '/.%2e/.%2e/package.json', '/%2e./%2e./package.json',
      '/..%2f..%2fpackage.json', '/..%2F..%2Fpackage.json', '/%2f..%2f..%2fpackage.json', '/%2e%2e%2f%2e%2e%2fpackage.json',
      '/..\\..\\package.json', '/%5c..%5c..%5cpackage.json', '/..%5c..%5cpackage.json', '/\\..\\..\\package.json',
      `/${join(ROOT, 'package.json')}`, `/%2f${encodeURIComponent(join(ROOT, 'package.json'))}`, '//etc/passwd', `//${ROOT.slice(1)}/package.json`,
      '/%00', '/index.html%00', '/%00/../../package.json', '/index.html%00.png',
      '/%252e%252e/%252e%252e/package.json', '/....//....//package.json', '/./../package.json', '/assets/../../package.json',
      `http://127.0.0.1/../../package.json`, 'http://127.0.0.1/%2e%2e/%2e%2e/package.json', '/%2e%2e%5c%2e%2e%5cpackage.json',
    ];
    for (const path of variants) {
      const { status, body } = await request('GET', path);
      expect([400, 404], path).toContain(status);
      expect(body, path).not.toContain('"name": "relu-spread-check"');
      expect(body, path).not.toContain('root:');
      expect(body).not.toBe(secret);
    }
    expect((await request('GET', '/')).status).toBe(200);
  });

  it('answers other methods with 405, HEAD with the headers only, a missing file with 404', async () => {
    expect((await request('POST', '/')).status).toBe(405);
    expect(await request('HEAD', '/')).toEqual({ status: 200, body: '' });
    expect((await request('GET', '/no-such-file.js')).status).toBe(404);
    expect((await request('GET', '/index.html')).status).toBe(200);
  });

  it('--base: a path that does not start and end with "/" is refused in one line with exit 2', () => {
    for (const base of ['courses', '/courses', '/../x/']) {
      const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'serve.mjs'), '--port', '0', '--base', base], { encoding: 'utf8', timeout: 10_000 });
      expect(r.status, base).toBe(2);
      expect(r.stderr).toBe(`serve: --base must be a path that starts and ends with "/", got "${base}"\n`);
    }
  });
});
