// Shared by the serve-*.test.ts files: a simulated swarm served on a temporary unix socket,
// the real docker CLI pointed at it, and Swarm Lab's own CLI over the same daemon objects.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDocker } from '../engine/cli/index.js';
import type { CliClock } from '../engine/cli/context.js';
import type { RunningServe, ServeOptions } from '../engine/node/serve/index.js';
import { serveSwarm } from '../engine/node/serve/index.js';
import { Session } from '../engine/session.js';

export const DOCKER = '/usr/local/bin/docker';

/** The real CLI is needed; without it the tests are skipped with a warning, except under CI where that is a failure. */
export function realCliAvailable(): boolean {
  if (existsSync(DOCKER)) return true;
  if (process.env.CI === 'true') throw new Error(`${DOCKER} is missing: the serve tests need the real docker CLI`);
  console.warn(`SKIPPED: ${DOCKER} is missing, the serve tests compare against the real docker CLI`);
  return false;
}

export interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

export interface Served {
  session: Session;
  running: RunningServe;
  dir: string;
  close(): Promise<void>;
}

/**
 * A swarm whose timestamps are real ones: it starts `pastMs` before now, `setup` runs on it
 * instantly (the virtual clock jumps), then its clock is brought to the wall clock and served.
 */
export async function serveFrozen(
  setup: readonly string[],
  opts: {
    pastMs?: number;
    keepBehindMs?: number;
    speed?: number;
    perNode?: boolean;
    seed?: number;
    swarm?: boolean;
    topology?: string;
    /** What the server logs (unexpected failures); by default dropped. */
    log?: (line: string) => void;
    /** Passed to serveSwarm (connection and journal limits). */
    serve?: Pick<ServeOptions, 'limits' | 'journalLimits'>;
  } = {},
): Promise<Served> {
  const session = new Session({
    seed: opts.seed ?? 7,
    mode: 'instant',
    startEpochMs: Date.now() - (opts.pastMs ?? 3_600_000),
    ...(opts.swarm !== undefined ? { swarm: opts.swarm } : {}),
    ...(opts.topology !== undefined ? { topology: opts.topology } : {}),
  });
  const signal = new AbortController().signal;
  for (const line of setup) {
    let out = '';
    const sink = { write: (s: string) => void (out += s) };
    const code = await session.run(line, { stdout: sink, stderr: sink, tty: false, columns: 80, signal });
    if (code !== 0) throw new Error(`setup failed: ${line}\n${out}`);
  }
  const lag = Date.now() - (opts.keepBehindMs ?? 0) - session.sim.clock.epochNow();
  if (lag < 0) throw new Error('setup ran past the wall clock: give it more pastMs');
  session.advance(lag);
  const dir = mkdtempSync(join(tmpdir(), 'swarm-lab-serve-'));
  const running = await serveSwarm({
    session,
    target: { socket: join(dir, 'docker.sock') },
    speed: opts.speed ?? 0,
    ...(opts.perNode ? { perNodeDir: join(dir, 'nodes') } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...opts.serve,
  });
  return {
    session,
    running,
    dir,
    close: async () => {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The real docker CLI, not on a terminal, with an empty config directory. */
export function runReal(host: string, args: readonly string[], opts: { timeoutMs?: number; dir?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(DOCKER, [...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DOCKER_HOST: host, DOCKER_CONFIG: join(opts.dir ?? tmpdir(), 'docker-config'), HOME: opts.dir ?? tmpdir(), ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => void (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => void (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: code ?? -1 });
    });
  });
}

/** Swarm Lab's CLI over `host`'s daemon in the same session, reading the wall clock as the real CLI does. */
export async function runOurs(session: Session, host: string, args: readonly string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const clock: CliClock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
  const code = await runDocker([...args], {
    api: session.journal.wrap(host, session.sim.api(host)),
    stdout: { write: (s) => void (stdout += s) },
    stderr: { write: (s) => void (stderr += s) },
    tty: false,
    columns: 80,
    clock,
    signal: new AbortController().signal,
  });
  return { stdout, stderr, code };
}
