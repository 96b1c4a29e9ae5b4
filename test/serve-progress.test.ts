// The real docker CLI's attached progress display on a terminal (a pty from script(1)),
// against `swarm-lab serve` with its clock running, and Swarm Lab's CLI on a copy of the same
// swarm (restored from its snapshot) in instant mode: the final screens are the same, IDs
// included (the copy replays the same calls with the same seed).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderTranscript } from '../engine/node/transcript.js';
import { RealtimeDriver } from '../engine/session.js';
import type { Session } from '../engine/session.js';
import { restoreSession } from '../engine/snapshot.js';
import type { Served } from './serve-harness.js';
import { DOCKER, realCliAvailable, serveFrozen } from './serve-harness.js';

const SCRIPT = '/usr/bin/script';

/** The real CLI on an 80x24 pty; returns the raw bytes it drew and its exit status. */
function onPty(host: string, dir: string, line: string): Promise<{ output: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SCRIPT, ['-qec', `stty cols 80 rows 24; ${DOCKER} ${line}`, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DOCKER_HOST: host, DOCKER_CONFIG: `${dir}/docker-config`, HOME: dir, TERM: 'xterm' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => void (output += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ output, code: code ?? -1 });
    });
  });
}

async function screen(output: string): Promise<string> {
  const text = await renderTranscript([{ command: '', output }], { cols: 80 });
  return text.slice(text.indexOf('\n') + 1).replace(/\s+$/, '');
}

async function ours(session: Session, line: string): Promise<{ output: string; code: number }> {
  let output = '';
  const sink = { write: (s: string) => void (output += s) };
  const code = await session.run(`docker ${line}`, { stdout: sink, stderr: sink, tty: true, columns: 80, signal: new AbortController().signal });
  return { output, code };
}

const state = (s: Session): string => JSON.stringify({ services: [...s.sim.cluster.services.values()], nodes: [...s.sim.cluster.nodes.values()].map((n) => n.id) });

describe.skipIf(!realCliAvailable() || !existsSync(SCRIPT))('attached progress on a terminal: real CLI on serve vs ours on a copy', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serveFrozen([], { pastMs: 2 * 3_600_000, keepBehindMs: 3_600_000 });
  });
  afterAll(async () => {
    await served?.close();
  });

  test.each([
    ['service create --replicas 3 --name redis --update-delay 10s redis:7.4.0', 0, 10],
    ['service update --image redis:7.4.1 redis', 0, 10],
    ['service scale redis=5', 0, 10],
    // In real time: the pause comes within a second of the CLI's first 200 ms poll.
    ['service update --image redis:9.9.9 redis', 1, 1],
    ['service rollback redis', 0, 10],
  ] as const)('docker %s', async (line, code, speed) => {
    const copy = await restoreSession(served.session.snapshot(), 'instant');
    expect(state(copy)).toBe(state(served.session));
    const driver = new RealtimeDriver(served.session, speed);
    driver.start();
    const real = await onPty(served.running.url, served.dir, line);
    driver.stop();
    const mine = await ours(copy, line);
    expect(real.code).toBe(code);
    expect(mine.code).toBe(code);
    // A pause comes between two polls of the CLI: which task state the last poll caught
    // (pending, assigned…) is timing, so those lines are compared by label only there.
    const norm = (t: string): string => (code === 1 ? t.replace(/^(\d+\/\d+:).*$/gm, '$1') : t);
    expect(norm(await screen(mine.output))).toBe(norm(await screen(real.output)));
    // Let the swarm settle before the next command.
    served.session.advance(60_000);
  }, 90_000);
});
