// Issue 4, point 6: the failures a learner meets in local mode, each produced for real and
// asserted where the learner sees it — the console line of `swarm-lab local`, the `ready`
// frame the page gets when it switches (the page words it, around Docker's own text), a
// `failure` frame after a run — with the server still serving afterwards.
//  - Docker not installed, daemon not running (missing and refused sockets), permission
//    denied (a 0660 root socket, `swarm-lab local` run as nobody): no Docker needed.
//  - Not in swarm mode, image missing on a node, a daemon restart mid-command: a throwaway
//    dockerd of this suite's own (root, dockerd; its own network namespace, never the sandbox's
//    daemons). Not a manager: the sandbox's worker1 socket, read only. A restart mid-command
//    on the sandbox: through a socket of our own in front of manager1 that drops and comes back.
// Suites needing root/dockerd/the sandbox skip loudly without them, except under CI=true.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { DockerodeApi, DockerUnreachableError, dockerOptionsFor, dockerdSearchPath, englishFailure, failureOf, findDockerd, LocalDockerBackend, missingImages, sandboxSocket, wallClock } from '../engine/node/docker/index.js';
import type { LocalFailure } from '../engine/node/docker/index.js';
import { DEFAULT_SOCKET } from '../engine/node/docker/failures.js';
import type { SandboxLease } from '../engine/node/docker/sandbox.js';
import { leaseSandbox, sandboxBlocker } from '../engine/node/docker/sandbox.js';
import { startLocalServer } from '../engine/node/server/index.js';
import type { LocalServer, ServerFrame } from '../engine/node/server/index.js';
import { servicesOfLine } from '../engine/node/server/server.js';
import { Session } from '../engine/session.js';
import { Shell } from '../engine/shell/shell.js';
import { ENGLISH_FAILURE_STRINGS, failureText, localFailureStrings } from '../src/client/terminal/local-common.js';
import en from '../content/i18n/en.json' with { type: 'json' };
import zh from '../content/i18n/zh-CN.json' with { type: 'json' };

const CI = process.env['CI'] === 'true';
const REPO = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'swarm-lab-failures-'));
chmodSync(work, 0o755);
const dockerConfig = join(work, 'docker-config');
mkdirSync(dockerConfig, { mode: 0o777 });
chmodSync(dockerConfig, 0o777);
const noSandbox = join(work, 'no-sandbox');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the real docker CLI 28.2.2 prints on stderr for `docker ARGS` (as `user`, if given). */
function realCli(args: string[], env: Record<string, string> = {}, user?: string): string {
  const cmd = user ? 'runuser' : '/usr/local/bin/docker';
  const argv = user ? ['-u', user, '--', '/usr/bin/env', `DOCKER_CONFIG=${dockerConfig}`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), '/usr/local/bin/docker', ...args] : args;
  const r = spawnSync(cmd, argv, { env: { PATH: process.env['PATH'] ?? '', HOME: work, DOCKER_CONFIG: dockerConfig, ...env }, encoding: 'utf8' });
  return r.stderr.trim();
}

/** A unix socket that exists but where nothing listens: connecting is refused. */
function deadSocket(path: string): void {
  const r = spawnSync('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(path)}); s.close()`]);
  if (r.status !== 0) throw new Error('could not make a dead socket');
}

/** A page's terminal connection: frames in order, and the token from the printed URL. */
class Page {
  frames: ServerFrame[] = [];
  closed = false;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => this.frames.push(JSON.parse(d.toString()) as ServerFrame));
    ws.on('close', () => (this.closed = true));
  }
  static async open(url: string): Promise<Page> {
    const u = new URL(url);
    const ws = new WebSocket(`ws://${u.host}/ws`, { origin: u.origin });
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    const p = new Page(ws);
    ws.send(JSON.stringify({ t: 'auth', token: u.hash.slice('#t='.length) }));
    await p.until(() => p.frames.some((f) => f.t === 'ready'));
    return p;
  }
  get ready(): Extract<ServerFrame, { t: 'ready' }> {
    return this.frames.find((f) => f.t === 'ready') as Extract<ServerFrame, { t: 'ready' }>;
  }
  async until(cond: () => boolean, ms = 60_000): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out; frames: ${JSON.stringify(this.frames).slice(-2000)}`);
      await sleep(20);
    }
  }
  private id = 0;
  /** Runs a line; `interruptWhen` sends Ctrl-C once the output so far matches. */
  async run(line: string, interruptWhen?: RegExp): Promise<{ out: string; code: number; failures: LocalFailure[] }> {
    const id = ++this.id;
    const start = this.frames.length;
    this.ws.send(JSON.stringify({ t: 'run', id, line, cols: 100 }));
    const mine = () => this.frames.slice(start).filter((f) => 'id' in f && f.id === id);
    const out = () => mine().map((f) => (f.t === 'out' ? f.text : '')).join('');
    let interrupted = false;
    await this.until(() => {
      if (interruptWhen && !interrupted && interruptWhen.test(out())) {
        interrupted = true;
        this.ws.send(JSON.stringify({ t: 'interrupt' }));
      }
      return mine().some((f) => f.t === 'done');
    }, 120_000);
    const done = mine().find((f) => f.t === 'done');
    // Every failure frame comes before the run's `done`.
    const doneAt = mine().findIndex((f) => f.t === 'done');
    expect(mine().slice(doneAt).some((f) => f.t === 'failure')).toBe(false);
    const failures = mine().flatMap((f) => (f.t === 'failure' ? [f.failure] : []));
    return { out: out(), code: done?.t === 'done' ? done.code : -1, failures };
  }
  close(): void {
    this.ws.close();
  }
}

const servers: LocalServer[] = [];
async function serve(backend: LocalDockerBackend): Promise<LocalServer> {
  const s = await startLocalServer({ siteDir: join(work, 'no-site'), backend });
  servers.push(s);
  return s;
}

/** The server still answers: a fresh page connects and gets its `ready` frame. */
async function stillServing(s: LocalServer): Promise<Extract<ServerFrame, { t: 'ready' }>> {
  const p = await Page.open(s.url);
  p.close();
  await p.until(() => p.closed);
  return p.ready;
}

afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('page texts', () => {
  test('every failure kind has its text in both languages, with Docker\'s words kept verbatim', () => {
    const keys = Object.keys(ENGLISH_FAILURE_STRINGS);
    for (const k of keys) {
      expect((en as Record<string, string>)[`lesson.terminal.localFailure.${k}`]).toBe(ENGLISH_FAILURE_STRINGS[k as keyof typeof ENGLISH_FAILURE_STRINGS]);
      const z = (zh as Record<string, string>)[`lesson.terminal.localFailure.${k}`];
      expect(z, k).toMatch(/[\u4e00-\u9fff]/);
      expect(z).toContain(k === 'stays' ? '{failure}' : '{docker}');
    }
    const zs = localFailureStrings(JSON.stringify(Object.fromEntries(keys.map((k) => [k, (zh as Record<string, string>)[`lesson.terminal.localFailure.${k}`]]))));
    const docker = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
    const text = failureText({ kind: 'daemon-down', docker }, zs);
    expect(text).toContain(docker);
    expect(text).toMatch(/^Docker 已经安装，但它的守护进程没有在运行。/);
    // A {…} inside Docker's text is not a placeholder.
    expect(failureText({ kind: 'image-missing', docker: 'No such image: {node}', node: 'worker1', image: 'redis:7.4.0' }, zs)).toContain('No such image: {node}');
    expect(localFailureStrings('not json')).toEqual(ENGLISH_FAILURE_STRINGS);
  });

  test('the services a line names, for the missing-image check after it', () => {
    expect(servicesOfLine('docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0')).toEqual(['redis']);
    expect(servicesOfLine('docker service create --name=web -d redis:7.4.0')).toEqual(['web']);
    expect(servicesOfLine('docker service update --image redis:7.4.1 redis')).toEqual(['redis']);
    expect(servicesOfLine('docker service rollback redis')).toEqual(['redis']);
    expect(servicesOfLine('docker service scale a=2 b=0')).toEqual(['a', 'b']);
    expect(servicesOfLine('docker service ls')).toEqual([]);
  });
});

describe('which rejected images are reported as missing on a node', () => {
  test('an image the swarm is meant to have is; the rolling-update lesson\'s tag that exists nowhere is not', async () => {
    const session = new Session({ seed: 3, mode: 'instant' });
    const sink = { write: (): void => undefined };
    const run = (line: string): Promise<number> => session.run(line, { stdout: sink, stderr: sink, tty: false, columns: 80, signal: new AbortController().signal });
    const since = session.sim.clock.epochNow();
    expect(await run('docker service create --replicas 3 --name redis redis:7.4.0')).toBe(0);
    expect(await run('docker service update --image redis:9.9.9 redis')).toBe(1); // paused, as the lesson shows
    expect(await run('docker service create -d --name web redis:6.6.6')).toBe(0);
    session.advance(30_000);
    const api = session.sim.api('manager1');
    // Both were rejected for the same reason...
    const errs = async (s: string): Promise<(string | undefined)[]> => (await api.taskList({ service: [s] })).map((t) => t.Status.Err);
    expect(await errs('redis')).toContain('No such image: redis:9.9.9');
    expect(await errs('web')).toContain('No such image: redis:6.6.6');
    // ...but "load it on that node" is advice only for an image the swarm is meant to have.
    const preloaded = new Set(['redis:7.4.0', 'redis:6.6.6']);
    expect(await missingImages(api, 'redis', preloaded, since)).toEqual([]);
    const web = await missingImages(api, 'web', preloaded, since);
    expect(web.length).toBeGreaterThan(0);
    expect(web.every((f) => f.kind === 'image-missing' && f.image === 'redis:6.6.6')).toBe(true);
  });
});

// Folders standing in for the PATH (issue 14): one without dockerd, one where it is installed.
const noDockerd = join(work, 'path-without-dockerd');
const withDockerd = join(work, 'path-with-dockerd');
mkdirSync(noDockerd);
mkdirSync(withDockerd);
writeFileSync(join(noDockerd, 'docker'), '#!/bin/sh\nexit 1\n', { mode: 0o755 }); // the CLI alone is not Docker Engine
writeFileSync(join(withDockerd, 'dockerd'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });

describe('no daemon to talk to (no Docker needed)', () => {
  /** Nothing at the default socket: what `unix:///var/run/docker.sock` fails with then. */
  const noSocket = (): DockerUnreachableError =>
    new DockerUnreachableError(`Cannot connect to the Docker daemon at unix://${DEFAULT_SOCKET}. Is the docker daemon running?`, 'ENOENT', `unix://${DEFAULT_SOCKET}`);

  test('"not installed" and "installed, daemon not running" are told apart by dockerd, each with its own remedy', () => {
    // dockerd is looked for on the PATH and in the sbin folders a user's PATH lacks; only an executable file counts.
    expect(findDockerd([noDockerd, join(work, 'nowhere')].join(':'))).toBeUndefined();
    expect(findDockerd([noDockerd, withDockerd].join(':'))).toBe(join(withDockerd, 'dockerd'));
    const notExecutable = join(work, 'path-dockerd-not-executable');
    mkdirSync(notExecutable);
    writeFileSync(join(notExecutable, 'dockerd'), '', { mode: 0o644 });
    if (process.getuid?.() !== 0) expect(findDockerd(notExecutable)).toBeUndefined();
    expect(dockerdSearchPath({ PATH: '/home/me/bin:/usr/bin' }).split(':')).toEqual(expect.arrayContaining(['/home/me/bin', '/usr/sbin', '/usr/bin']));
    expect(dockerdSearchPath({}).split(':')).toContain('/usr/sbin');

    const notInstalled = failureOf(noSocket(), { configured: false, dockerd: undefined });
    const notRunning = failureOf(noSocket(), { configured: false, dockerd: join(withDockerd, 'dockerd') });
    expect(notInstalled?.kind).toBe('no-docker');
    expect(notRunning?.kind).toBe('daemon-down');
    // A stale socket (refused), or the daemon DOCKER_HOST names: not running, whatever the PATH holds.
    const refused = new DockerUnreachableError(noSocket().message, 'ECONNREFUSED', `unix://${DEFAULT_SOCKET}`);
    expect(failureOf(refused, { configured: false, dockerd: undefined })?.kind).toBe('daemon-down');
    expect(failureOf(noSocket(), { configured: true, dockerd: undefined })?.kind).toBe('daemon-down');

    // The console of `swarm-lab local`, and the page in both languages: what is wrong and what to do.
    expect(englishFailure(notInstalled!)).toMatch(/^Docker is not installed on this computer/);
    expect(englishFailure(notInstalled!)).toContain('sudo apt-get install docker.io');
    expect(englishFailure(notRunning!)).toMatch(/^Docker is installed, but its daemon is not running\./);
    expect(englishFailure(notRunning!)).toContain('sudo systemctl start docker');
    const zs = localFailureStrings(JSON.stringify({ noDocker: zh['lesson.terminal.localFailure.noDocker'], daemonDown: zh['lesson.terminal.localFailure.daemonDown'] }));
    for (const [s, installed, running] of [
      [ENGLISH_FAILURE_STRINGS, /^Docker is not installed on this computer/, /^Docker is installed, but its daemon is not running\./],
      [zs, /^这台电脑上没有安装 Docker/, /^Docker 已经安装，但它的守护进程没有在运行。/],
    ] as const) {
      const a = failureText(notInstalled!, s);
      const b = failureText(notRunning!, s);
      expect(a).toMatch(installed);
      expect(a).toContain('sudo apt-get install docker.io');
      expect(a).not.toContain('systemctl');
      expect(b).toMatch(running);
      expect(b).toContain('sudo systemctl start docker');
      expect(b).not.toContain('apt-get');
      expect(a).toContain(noSocket().message);
      expect(b).toContain(noSocket().message);
    }
  });

  test('Docker not installed: no default socket, no DOCKER_HOST, no dockerd', async (ctx) => {
    if (existsSync(DEFAULT_SOCKET)) {
      if (CI) throw new Error(`${DEFAULT_SOCKET} exists: this machine has Docker, "not installed" cannot be produced`);
      console.warn(`\n*** local-failures: "not installed" SKIPPED: ${DEFAULT_SOCKET} exists ***\n`);
      return ctx.skip();
    }
    const backend = new LocalDockerBackend({ env: { HOME: work, DOCKER_CONFIG: dockerConfig, PATH: noDockerd }, runDir: noSandbox, dockerdPath: noDockerd });
    const f = await backend.probe({ reopen: true });
    expect(f).toEqual({ kind: 'no-docker', docker: realCli(['service', 'ls']) });
    expect(f!.docker).toBe('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?');
    const s = await serve(backend);
    expect((await stillServing(s)).failure).toEqual(f);
    expect((await stillServing(s)).failure?.kind).toBe('no-docker');
  });

  test('Docker installed, daemon not running: no default socket, no DOCKER_HOST, dockerd on the PATH', async (ctx) => {
    if (existsSync(DEFAULT_SOCKET)) {
      if (CI) throw new Error(`${DEFAULT_SOCKET} exists: this machine's daemon runs, "not running" cannot be produced`);
      console.warn(`\n*** local-failures: "installed, not running" SKIPPED: ${DEFAULT_SOCKET} exists ***\n`);
      return ctx.skip();
    }
    // The default search: the env's PATH (here the folder with a dockerd), then the sbin folders.
    const backend = new LocalDockerBackend({ env: { HOME: work, DOCKER_CONFIG: dockerConfig, PATH: withDockerd }, runDir: noSandbox });
    const f = await backend.probe({ reopen: true });
    expect(f).toEqual({ kind: 'daemon-down', docker: realCli(['service', 'ls']) });
    const s = await serve(backend);
    expect((await stillServing(s)).failure).toEqual(f);
  });

  test('daemon not running: DOCKER_HOST names a socket that is missing, or refuses', async () => {
    const missing = join(work, 'missing.sock');
    const refused = join(work, 'refused.sock');
    deadSocket(refused);
    for (const sock of [missing, refused]) {
      const env = { DOCKER_HOST: `unix://${sock}` };
      const backend = new LocalDockerBackend({ env: { ...env, HOME: work }, runDir: noSandbox });
      const f = await backend.probe({ reopen: true });
      expect(f).toEqual({ kind: 'daemon-down', docker: realCli(['service', 'ls'], env) });
      expect(f!.docker).toBe(`Cannot connect to the Docker daemon at unix://${sock}. Is the docker daemon running?`);
      const s = await serve(backend);
      expect((await stillServing(s)).failure).toEqual(f);
    }
  });

  test('a connection that never answered fails at once; one that did waits out a restart, within its budget', async () => {
    const sock = join(work, 'flaky.sock');
    const api = new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: sock }), { reconnect: { budgetMs: 1500, firstDelayMs: 50, maxDelayMs: 400 } });
    let t = Date.now();
    await expect(api.ping()).rejects.toThrow(/Cannot connect to the Docker daemon/);
    expect(Date.now() - t).toBeLessThan(500);
    // A fake daemon: answers /_ping, goes away, comes back.
    const up = (): Promise<Server> =>
      new Promise((res) => {
        const srv = createServer((c) => c.once('data', () => c.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK')));
        srv.listen(sock, () => res(srv));
      });
    let srv = await up();
    expect(await api.ping()).toBe('OK');
    await new Promise<void>((r) => srv.close(() => r()));
    if (existsSync(sock)) unlinkSync(sock);
    const back = sleep(600).then(async () => (srv = await up()));
    t = Date.now();
    expect(await api.ping()).toBe('OK');
    expect(Date.now() - t).toBeGreaterThanOrEqual(500);
    await back;
    await new Promise<void>((r) => srv.close(() => r()));
    // Gone for longer than the budget: the CLI's words, after about the budget.
    t = Date.now();
    await expect(api.ping()).rejects.toThrow(`Cannot connect to the Docker daemon at unix://${sock}. Is the docker daemon running?`);
    expect(Date.now() - t).toBeGreaterThan(1000);
    expect(Date.now() - t).toBeLessThan(3000);
  });
});

describe('permission denied on the socket (swarm-lab local run as nobody)', () => {
  let child: ChildProcess | undefined;
  let listener: Server | undefined;
  afterAll(() => {
    child?.kill('SIGTERM');
    listener?.close();
  });

  test('the console says so with Docker\'s text, and the page gets it when it switches', async (ctx) => {
    if (process.getuid?.() !== 0 || spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status !== 0) {
      if (CI) throw new Error('local-failures: CI=true but runuser/nobody is unavailable');
      console.warn('\n*** local-failures: permission denied SKIPPED: needs root and runuser -u nobody ***\n');
      return ctx.skip();
    }
    // A root-owned 0660 socket with a listener: nobody's connect() gets EACCES.
    const sock = join(work, 'root-only.sock');
    listener = createServer((c) => c.end());
    await new Promise<void>((r) => listener!.listen(sock, () => r()));
    chmodSync(sock, 0o660);
    // The swarm-lab command bundled as `npm install` bundles it, where nobody can run it.
    const outdir = join(REPO, 'node_modules', '.cache', `swarm-lab-failures-${process.pid}`);
    mkdirSync(outdir, { recursive: true });
    await build({ entryPoints: [join(REPO, 'engine/node/main.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: join(outdir, 'swarm-lab.mjs'), logLevel: 'error' });
    writeFileSync(join(outdir, 'run.mjs'), "const { main } = await import('./swarm-lab.mjs');\nprocess.exitCode = await main(process.argv.slice(2));\n");
    try {
      const env = { DOCKER_HOST: `unix://${sock}` };
      child = spawn('runuser', ['-u', 'nobody', '--', '/usr/bin/env', `DOCKER_HOST=${env.DOCKER_HOST}`, `HOME=${work}`, `DOCKER_CONFIG=${dockerConfig}`, `SWARM_LAB_SITE=${join(work, 'no-site')}`, process.execPath, join(outdir, 'run.mjs'), 'local'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const end = Date.now() + 20_000;
      while (!stdout.includes('\n') && Date.now() < end && child.exitCode === null) await sleep(50);
      const docker = realCli(['service', 'ls'], env, 'nobody');
      expect(docker).toMatch(/^permission denied while trying to connect to the Docker daemon socket at unix:\/\/.*connect: permission denied$/);
      const expected: LocalFailure = { kind: 'permission', docker: docker.replace('/services?status=true', '/info') };
      expect(stderr.split('\n')[0]).toBe(`swarm-lab local: ${englishFailure(expected)}`);
      expect(stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#t=[\w-]+\n$/);
      const page = await Page.open(stdout.trim());
      expect(page.ready.failure).toEqual(expected);
      page.close();
      expect(child.exitCode).toBeNull();
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** A dockerd of this suite's own, in its own network namespace (never one of the sandbox's). */
class ThrowawayDockerd {
  static readonly NETNS = `swlf${process.pid % 100000}`;
  readonly run = `/run/${ThrowawayDockerd.NETNS}`;
  readonly data = `/var/lib/${ThrowawayDockerd.NETNS}`;
  readonly socket = `${this.run}/docker.sock`;
  private daemonPid: number | undefined;
  get pid(): number | undefined {
    return this.daemonPid;
  }

  async start(): Promise<void> {
    if (!existsSync(`/run/netns/${ThrowawayDockerd.NETNS}`)) {
      spawnSync('ip', ['netns', 'add', ThrowawayDockerd.NETNS]);
      spawnSync('ip', ['-n', ThrowawayDockerd.NETNS, 'link', 'set', 'lo', 'up']);
    }
    mkdirSync(this.run, { recursive: true });
    mkdirSync(this.data, { recursive: true });
    writeFileSync(`${this.run}/daemon.json`, JSON.stringify({ 'deprecated-key-path': `${this.data}/key.json` }));
    // detached: its own session (nsenter execs dockerd, so the pid is dockerd's).
    const p = spawn(
      'nsenter',
      [`--net=/run/netns/${ThrowawayDockerd.NETNS}`, 'dockerd', '--config-file', `${this.run}/daemon.json`, '--data-root', this.data, '--exec-root', `${this.run}/exec`,
        '-H', `unix://${this.socket}`, '--pidfile', `${this.run}/docker.pid`, '--cgroup-parent', `/${ThrowawayDockerd.NETNS}`],
      { stdio: 'ignore', detached: true, env: { ...process.env, DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: '1' } },
    );
    p.unref();
    this.daemonPid = p.pid;
    const api = new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: this.socket }));
    for (let i = 0; ; i++) {
      try {
        await api.ping();
        return;
      } catch {
        if (i > 300) throw new Error('the throwaway dockerd did not start');
        await sleep(100);
      }
    }
  }

  async stop(): Promise<void> {
    if (this.daemonPid === undefined) return;
    const pid = this.daemonPid;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 300; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await sleep(100);
    }
    process.kill(pid, 'SIGKILL');
  }

  async remove(): Promise<void> {
    await this.stop();
    // What dockerd leaves mounted (its data-root bind, the swarm's network namespaces), deepest first.
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[1] ?? '')
      .filter((m) => m.startsWith(`${this.run}/`) || m === this.data || m.startsWith(`${this.data}/`))
      .sort()
      .reverse();
    for (const m of mounts) spawnSync('umount', ['-l', m]);
    spawnSync('ip', ['netns', 'del', ThrowawayDockerd.NETNS]);
    rmSync(this.run, { recursive: true, force: true });
    rmSync(this.data, { recursive: true, force: true });
  }
}

describe('a throwaway dockerd: not in swarm mode, an image missing on its node, a restart mid-command', () => {
  const dockerd = new ThrowawayDockerd();
  let ok = false;
  beforeAll(async () => {
    const blocker = sandboxBlocker();
    if (blocker) {
      if (CI) throw new Error(`local-failures: CI=true but ${blocker}`);
      console.warn(`\n*** local-failures: throwaway dockerd SKIPPED: ${blocker} ***\n`);
      return;
    }
    await dockerd.start();
    ok = true;
  }, 60_000);
  afterAll(() => dockerd.remove(), 60_000);

  test('not in swarm mode, then the page finds the swarm once it is there', async (ctx) => {
    if (!ok) return ctx.skip();
    const env = { DOCKER_HOST: `unix://${dockerd.socket}` };
    const backend = new LocalDockerBackend({ env: { ...env, HOME: work }, runDir: noSandbox });
    const docker = realCli(['node', 'ls'], env);
    expect(docker).toBe('Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');
    const f = await backend.probe({ reopen: true });
    expect(f).toEqual({ kind: 'not-swarm', docker });
    expect(englishFailure(f!)).toContain('npm run sandbox:up');
    const s = await serve(backend);
    expect((await stillServing(s)).failure).toEqual(f);
    // Fixed while the server runs: the next page to connect gets the swarm.
    await new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: dockerd.socket })).swarmInit({ AdvertiseAddr: '127.0.0.1' });
    const ready = await stillServing(s);
    expect(ready.failure).toBeUndefined();
    expect(ready.hostnames).toHaveLength(1);
  }, 60_000);

  test('image missing on a node: after the create, the terminal names the node and the image; a restart mid-command is waited out', async (ctx) => {
    if (!ok) return ctx.skip();
    const backend = new LocalDockerBackend({ env: { DOCKER_HOST: `unix://${dockerd.socket}`, HOME: work }, runDir: noSandbox });
    const s = await serve(backend);
    const page = await Page.open(s.url);
    expect(page.ready.failure).toBeUndefined();
    const node = page.ready.hostnames[0]!;
    // Attached, as the lessons run it: the progress shows Docker's rejection; the learner presses Ctrl-C.
    const r = await page.run('docker service create --name web redis:7.4.0', /No such image: redis:7\.4\.0/);
    expect(r.out).toContain('No such image: redis:7.4.0');
    expect(r.failures).toEqual([{ kind: 'image-missing', docker: 'No such image: redis:7.4.0', node, image: 'redis:7.4.0' }]);
    const text = failureText(r.failures[0]!, ENGLISH_FAILURE_STRINGS);
    expect(text).toBe(
      `Node ${node} does not have the image redis:7.4.0, and local mode never pulls images. Docker says: No such image: redis:7.4.0 ` +
        'Load the image on that node (docker save redis:7.4.0 | docker -H <node> load), or run npm run sandbox:up as root: it builds redis:7.4.0 and redis:7.4.1 on every node.',
    );
    // The server keeps running and the next command works.
    const ls = await page.run('docker service ls');
    expect(ls.code).toBe(0);
    expect(ls.out).toMatch(/web\s+replicated\s+0\/1\s+redis:7\.4\.0/);
    expect(ls.failures).toEqual([]);

    // A restart of this dockerd while the CLI polls (the attached update below waits for a
    // convergence that cannot come): the polling carries on, no "Cannot connect" in the output.
    const host = { api: () => api, hostnames: () => [node], clock: wallClock(), canExit: false };
    const api = new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: dockerd.socket }));
    const shell = new Shell(host, node);
    const ctl = new AbortController();
    let out = '';
    const sink = { write: (x: string) => void (out += x) };
    const running = shell.run('docker service update --replicas 2 web', { stdout: sink, stderr: sink, tty: false, columns: 100, signal: ctl.signal });
    const until = async (cond: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!cond() && Date.now() < end) await sleep(50);
      expect(cond(), out).toBe(true);
    };
    await until(() => out.includes('overall progress'), 20_000);
    const oldPid = dockerd.pid;
    await dockerd.stop();
    const before = out.length;
    await dockerd.start();
    expect(dockerd.pid).not.toBe(oldPid);
    // Polling resumed against the restarted daemon: more progress comes.
    await until(() => out.length > before && /overall progress/.test(out.slice(before)), 30_000);
    ctl.abort();
    const code = await running;
    expect(out).not.toContain('Cannot connect');
    expect(out).not.toContain('error during connect');
    expect(code).not.toBe(1);
    page.close();
    expect((await stillServing(s)).failure).toBeUndefined();
  }, 180_000);

  test('the daemon stops while the page is live: the command fails as docker says, then the terminal says why', async (ctx) => {
    if (!ok) return ctx.skip();
    // A short reconnect budget: the command gives up after 2 s instead of 15.
    const backend = new LocalDockerBackend({
      env: { DOCKER_HOST: `unix://${dockerd.socket}`, HOME: work },
      runDir: noSandbox,
      reconnect: { budgetMs: 2000, firstDelayMs: 100, maxDelayMs: 500 },
    });
    const s = await serve(backend);
    const page = await Page.open(s.url);
    expect(page.ready.failure).toBeUndefined();
    expect((await page.run('docker service ls')).code).toBe(0);
    await dockerd.stop();
    const t = Date.now();
    const r = await page.run('docker service ls');
    expect(Date.now() - t).toBeGreaterThanOrEqual(1500);
    const docker = `Cannot connect to the Docker daemon at unix://${dockerd.socket}. Is the docker daemon running?`;
    expect(r.code).toBe(1);
    expect(r.out.trim()).toBe(docker);
    expect(r.failures).toEqual([{ kind: 'daemon-down', docker }]);
    expect(failureText(r.failures[0]!, ENGLISH_FAILURE_STRINGS)).toBe(
      `Docker is installed, but its daemon is not running. Docker says: ${docker} Start it with sudo systemctl start docker (if DOCKER_HOST is set, start the daemon it names), or run npm run sandbox:up as root for the practice swarm.`,
    );
    page.close();
    expect((await stillServing(s)).failure).toEqual({ kind: 'daemon-down', docker });
  }, 60_000);
});

describe('the sandbox: not a manager; a daemon connection that drops and comes back mid-command', () => {
  let lease: SandboxLease | undefined;
  beforeAll(async () => {
    lease = await leaseSandbox({ bringUp: CI });
    if (!lease.ok) {
      if (CI) throw new Error(`local-failures: CI=true but the sandbox is unavailable: ${lease.reason}`);
      console.warn(`\n*** local-failures sandbox part SKIPPED: ${lease.reason} ***\n`);
    }
  }, 900_000);
  afterAll(() => {
    if (lease?.ok) lease.release();
  }, 120_000);

  test('DOCKER_HOST is a worker: Docker\'s worker text, and the page gets it', async (ctx) => {
    if (!lease?.ok) return ctx.skip();
    const env = { DOCKER_HOST: `unix://${sandboxSocket('worker1')}` };
    const docker = realCli(['node', 'ls'], env);
    expect(docker).toBe(
      "Error response from daemon: This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.",
    );
    const backend = new LocalDockerBackend({ env: { ...env, HOME: work }, runDir: noSandbox });
    const f = await backend.probe({ reopen: true });
    expect(f).toEqual({ kind: 'not-manager', docker });
    const s = await serve(backend);
    const ready = await stillServing(s);
    expect(ready.failure).toEqual(f);
    expect(ready.hostnames).toEqual(['worker1']);
    expect(failureOf(new Error('x'), { configured: false, dockerd: undefined })).toBeUndefined();
  });

  test('manager1\'s socket drops mid-create and comes back: the create carries on and converges', async (ctx) => {
    if (!lease?.ok) return ctx.skip();
    // Our own socket in front of manager1's: closing it is what a client sees of a restart
    // (refused, then missing, then answering again), and manager1's daemon is never touched.
    const front = join(work, 'front.sock');
    const open = new Set<Socket>();
    const listen = (): Promise<Server> =>
      new Promise((res) => {
        const srv = createServer((c) => {
          const u = netConnect(sandboxSocket('manager1'));
          open.add(c);
          open.add(u);
          c.pipe(u).pipe(c);
          const end = () => {
            c.destroy();
            u.destroy();
            open.delete(c);
            open.delete(u);
          };
          c.on('error', end).on('close', end);
          u.on('error', end).on('close', end);
        });
        srv.listen(front, () => res(srv));
      });
    let srv = await listen();
    const api = new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: front }));
    const shell = new Shell({ api: () => api, hostnames: () => ['manager1'], clock: wallClock(), canExit: false }, 'manager1');
    let out = '';
    const sink = { write: (x: string) => void (out += x) };
    const signal = new AbortController().signal;
    try {
      const running = shell.run('docker service create --replicas 3 --name l1-restart redis:7.4.0', { stdout: sink, stderr: sink, tty: false, columns: 100, signal });
      const end = Date.now() + 20_000;
      while (!out.includes('overall progress') && Date.now() < end) await sleep(20);
      expect(out).toContain('overall progress');
      // Gone for 2.5 s: connections cut, socket refused then missing, then back.
      await new Promise<void>((r) => {
        srv.close(() => r());
        for (const c of open) c.destroy();
      });
      await sleep(2500);
      srv = await listen();
      const code = await running;
      expect(out).not.toContain('Cannot connect');
      expect(out).toMatch(/verify: Service \w+ converged/);
      expect(code).toBe(0);
    } finally {
      await new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: sandboxSocket('manager1') })).serviceDelete('l1-restart').catch(() => undefined);
      srv.close();
    }
  }, 120_000);
});
