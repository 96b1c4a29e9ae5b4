// `swarm-lab serve --port N`: loopback TCP. The docker CLI works over tcp://127.0.0.1:N; a
// browser page cannot use it: a foreign Host (DNS rebinding) or any Origin is refused.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServe } from '../engine/node/serve/index.js';
import { serveSwarm } from '../engine/node/serve/index.js';
import { Session } from '../engine/session.js';
import { DOCKER, runReal } from './serve-harness.js';
import { existsSync } from 'node:fs';

let running: RunningServe;
let port: number;

function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => void (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve on a loopback port', () => {
  beforeAll(async () => {
    running = await serveSwarm({ session: new Session({ seed: 3, startEpochMs: Date.now() }), target: { port: 0 }, speed: 0 });
    port = Number(new URL(running.url.replace(/^tcp:/, 'http:')).port);
  });
  afterAll(async () => {
    await running?.close();
  });

  test('listens on 127.0.0.1 only', () => {
    expect(running.url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
  });

  test('its own Host names are served, others refused', async () => {
    expect((await get('/_ping', { Host: `127.0.0.1:${port}` })).body).toBe('OK');
    expect((await get('/_ping', { Host: `localhost:${port}` })).body).toBe('OK');
    expect((await get('/v1.50/info', { Host: `evil.example:${port}` })).status).toBe(403);
  });

  test('a request with an Origin (a web page) is refused', async () => {
    const a = await get('/v1.50/services', { Host: `127.0.0.1:${port}`, Origin: 'http://evil.example' });
    expect(a.status).toBe(403);
  });

  test.skipIf(!existsSync(DOCKER))('the real docker CLI works over TCP', async () => {
    const r = await runReal(running.url, ['node', 'ls', '--format', '{{.Hostname}}']);
    expect(r).toEqual({ stdout: 'manager1\nworker1\nworker2\n', stderr: '', code: 0 });
  });
});
