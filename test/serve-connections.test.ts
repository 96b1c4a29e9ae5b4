// The sockets of `swarm-lab serve`: private to the user from the moment they exist, and no
// client can hold a connection (an fd, its buffers) for long by sending slowly, idling or
// not reading, while the long-lived streams the docker CLI needs (`service logs -f`, the
// polling of `service create`) keep working. Short limits here, so the tests wait for
// events, not for the clock.
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer, request } from 'node:http';
import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { SwarmApi } from '../engine/api/swarm-api.js';
import type { Task } from '../engine/api/types.js';
import { closeServer, listen } from '../engine/node/serve/listen.js';
import type { ConnectionLimits } from '../engine/node/serve/server.js';
import { createEngineServer, streamWriter } from '../engine/node/serve/server.js';
import type { Served } from './serve-harness.js';
import { realCliAvailable, runReal, serveFrozen } from './serve-harness.js';

const SHORT: Partial<ConnectionLimits> = { headersMs: 300, requestMs: 600, keepAliveMs: 300, idleMs: 300, stallMs: 300, backlogBytes: 1 << 20 };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-lab-conn-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An engine server on a fresh socket; `firstClosed` settles when the server closes the first connection it gets. */
async function engine(api: SwarmApi, limits: Partial<ConnectionLimits> = SHORT): Promise<{ path: string; server: Server; firstClosed: Promise<void> }> {
  const server = createEngineServer(api, { limits });
  const firstClosed = new Promise<void>((resolve) => server.once('connection', (s: Socket) => s.once('close', () => resolve())));
  const path = join(tempDir(), 'e.sock');
  await listen(server, { socket: path });
  cleanups.push(() => closeServer(server));
  return { path, server, firstClosed };
}

/** A client that sends `bytes` and then never reads (its socket paused), as the audit's slow clients did. */
function silentClient(path: string, bytes: string): Socket {
  const c = connect(path);
  c.pause();
  c.on('error', () => undefined);
  if (bytes) c.write(bytes);
  cleanups.push(() => void c.destroy());
  return c;
}

/** An API whose task list is large (about 8 MB of JSON), so a client that does not read leaves most of it waiting. */
const bigApi = {
  taskList: async () => Array.from({ length: 20_000 }, (_, i) => ({ ID: `${'t'.repeat(400)}${i}` }) as unknown as Task),
} as unknown as SwarmApi;

describe('the unix socket is private from the start', () => {
  test('with umask 000 the socket never appears at its path with open permissions', async () => {
    let old: number;
    try {
      old = process.umask(0o000);
    } catch {
      return; // a worker thread cannot change the umask (vitest runs this file in a forked process)
    }
    try {
      const dir = tempDir();
      const path = join(dir, 'docker.sock');
      const server = createEngineServer(bigApi);
      // What is at the path the moment the server is bound (before any chmod could run).
      let atBind = 'unset' as string | number;
      server.once('listening', () => {
        try {
          atBind = lstatSync(path).mode & 0o777;
        } catch {
          atBind = 'absent';
        }
      });
      await listen(server, { socket: path });
      cleanups.push(() => closeServer(server));
      expect(atBind === 'absent' || atBind === 0o600).toBe(true);
      expect(lstatSync(path).mode & 0o777).toBe(0o600);
      expect(lstatSync(path).isSocket()).toBe(true);
      // No temporary directory is left behind, and the socket answers.
      expect(readdirSync(dir)).toEqual(['docker.sock']);
      const ping = await new Promise<number>((resolve, reject) => {
        const req = request({ socketPath: path, path: '/_ping' }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(ping).toBe(200);
    } finally {
      process.umask(old);
    }
  });

  test('closing removes the socket file; a live socket at the path is refused', async () => {
    const dir = tempDir();
    const path = join(dir, 'docker.sock');
    const first = createEngineServer(bigApi);
    await listen(first, { socket: path });
    const second = createEngineServer(bigApi);
    await expect(listen(second, { socket: path })).rejects.toThrow(/in use by another server/);
    await closeServer(first);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('clients cannot hold connections', () => {
  test('a client that trickles half its headers and never reads is closed', async () => {
    const { path, firstClosed } = await engine(bigApi);
    silentClient(path, 'GET /v1.50/tasks HTTP/1.1\r\nHost: x\r\n');
    await firstClosed;
  });

  test('a client that connects and sends nothing is closed', async () => {
    const { path, firstClosed } = await engine(bigApi);
    silentClient(path, '');
    await firstClosed;
  });

  test('a client that sends garbage and never reads the 400 is closed', async () => {
    const { path, firstClosed } = await engine(bigApi);
    silentClient(path, '\x16\x03\x01garbage\r\n\r\n');
    await firstClosed;
  });

  test('a client that asks for a large answer and never reads it is closed', async () => {
    const { path, firstClosed } = await engine(bigApi);
    silentClient(path, 'GET /v1.50/tasks HTTP/1.1\r\nHost: x\r\n\r\n');
    await firstClosed;
  });

  test('a kept-alive connection left idle is closed', async () => {
    const { path, firstClosed } = await engine(bigApi);
    const c = connect(path);
    c.on('error', () => undefined);
    cleanups.push(() => void c.destroy());
    let text = '';
    c.on('data', (d: Buffer) => void (text += d.toString('latin1')));
    c.write('GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((resolve) => c.once('close', () => resolve()));
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nOK$/);
    await firstClosed;
  });

  test('connections past the limit are closed as they arrive', async () => {
    const { path, server } = await engine(bigApi, { ...SHORT, maxConnections: 2 });
    const open = [silentClient(path, ''), silentClient(path, '')];
    await new Promise((r) => setTimeout(r, 50));
    const third = connect(path);
    third.on('error', () => undefined);
    await new Promise<void>((resolve) => third.once('close', () => resolve()));
    expect(server.maxConnections).toBe(2);
    for (const c of open) c.destroy();
  });

  test('a stream whose client stops reading is closed; one that reads is not', async () => {
    const stopped: string[] = [];
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      const write = streamWriter(res, { stallMs: 300, backlogBytes: 64 << 20 });
      const chunk = Buffer.alloc(64 << 10, 0x61);
      const timer = setInterval(() => write(chunk), 5);
      res.once('close', () => {
        clearInterval(timer);
        stopped.push(req.url ?? '');
      });
    });
    const path = join(tempDir(), 's.sock');
    await listen(server, { socket: path });
    cleanups.push(() => closeServer(server));
    // Not reading: closed once its writes wait undrained.
    silentClient(path, 'GET /paused HTTP/1.1\r\nHost: x\r\n\r\n');
    // Reading: still open after several stall periods.
    let received = 0;
    const reader = await new Promise<IncomingMessage>((resolve) => request({ socketPath: path, path: '/reading' }, resolve).end());
    reader.on('data', (b: Buffer) => void (received += b.length));
    while (!stopped.includes('/paused')) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(stopped).toEqual(['/paused']);
    expect(received).toBeGreaterThan(1 << 20);
    reader.destroy();
  });
});

describe.runIf(realCliAvailable())('the docker CLI\'s long requests still work under these limits', () => {
  let served: Served | undefined;
  afterEach(async () => {
    await served?.close();
    served = undefined;
  });

  test('service create polls its progress to the end; service logs -f stays open while quiet', async () => {
    served = await serveFrozen([], { pastMs: 600_000, speed: 5, serve: { limits: SHORT } });
    const host = served.running.url;
    const created = await runReal(host, ['service', 'create', '--replicas', '2', '--name', 'web', 'redis:7.4.0'], { dir: served.dir });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/verify: Service \w+ converged/);
    // A follow stream with nothing new for many idle periods (the clock stands still).
    served.running.driver?.stop();
    const { spawn } = await import('node:child_process');
    const child = spawn('/usr/local/bin/docker', ['service', 'logs', '-f', 'web'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DOCKER_HOST: host, DOCKER_CONFIG: join(served.dir, 'docker-config'), HOME: served.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => void (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => void (out += c.toString('utf8')));
    let exited = false;
    child.on('exit', () => (exited = true));
    await new Promise((r) => setTimeout(r, 2_000));
    expect(exited).toBe(false);
    expect(out).toMatch(/Ready to accept connections/);
    child.kill('SIGKILL');
  });
});
