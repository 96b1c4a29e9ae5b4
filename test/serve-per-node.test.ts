// `swarm-lab serve --per-node DIR`: one socket per machine. The REAL docker CLI on each
// machine's socket and Swarm Lab's CLI on that machine's daemon print the same bytes: the
// containers each node runs, and the worker's refusal of manager-only commands.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSocketPath, parseServeArgs, wallClockSession } from '../engine/node/serve/index.js';
import type { Served } from './serve-harness.js';
import { realCliAvailable, runOurs, runReal, serveFrozen } from './serve-harness.js';

const WORKER_REFUSAL =
  "Error response from daemon: This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.\n";

describe('serve options', () => {
  test('defaults, --socket, --port, --per-node, --speed 0', () => {
    expect(parseServeArgs([], '/tmp/x.sock')).toEqual({ target: { socket: '/tmp/x.sock' }, speed: 1, seed: 1 });
    // Without --socket: the user's runtime directory, else the temp directory.
    expect(defaultSocketPath({ XDG_RUNTIME_DIR: '/run/user/1000' }, 42)).toBe('/run/user/1000/swarm-lab-42.sock');
    expect(defaultSocketPath({}, 42)).toBe(join(tmpdir(), 'swarm-lab-42.sock'));
    expect(parseServeArgs(['--port', '0', '--speed=0', '--per-node', 'd', '--topology', '3m5w', '--seed', '4'])).toEqual({
      target: { port: 0 },
      speed: 0,
      seed: 4,
      perNodeDir: 'd',
      topology: '3m5w',
    });
    expect(() => parseServeArgs(['--socket', 'a', '--port', '1'])).toThrow('--socket and --port cannot be used together');
    expect(() => parseServeArgs(['--speed', '-1'])).toThrow('invalid value "-1" for --speed');
    expect(() => parseServeArgs(['--bogus'])).toThrow('unknown option --bogus');
    expect(() => parseServeArgs(['extra'])).toThrow('unexpected argument "extra"');
    expect(parseServeArgs(['--no-swarm'], '/tmp/x.sock')).toEqual({ target: { socket: '/tmp/x.sock' }, speed: 1, seed: 1, swarm: false });
    expect(() => parseServeArgs(['--no-swarm=yes'])).toThrow('--no-swarm takes no value');
  });
});

describe('the served swarm reads the wall clock', () => {
  test('--no-swarm: the machines, no swarm yet, and the clock is now', () => {
    const now = Date.now();
    const s = wallClockSession({ seed: 5, swarm: false }, now);
    expect(s.sim.clock.epochNow()).toBe(now);
    expect(s.sim.hostnames()).toEqual(['manager1', 'worker1', 'worker2']);
    expect(s.sim.cluster.swarm).toBeUndefined();
    expect(s.sim.cluster.nodes.size).toBe(0);
  });

  test.each([undefined, '3m5w'])('topology %s: formed, and its clock is now', (topology) => {
    const now = Date.now();
    const s = wallClockSession({ seed: 5, ...(topology ? { topology } : {}) }, now);
    expect(s.sim.clock.epochNow()).toBe(now);
    expect(s.sim.cluster.nodes.size).toBe(topology ? 8 : 3);
    // Every timestamp is in the past, where the learner's docker CLI expects it.
    for (const n of s.sim.cluster.nodes.values()) expect(Date.parse(s.sim.views.node(n).CreatedAt)).toBeLessThanOrEqual(now);
  });
});

describe.skipIf(!realCliAvailable())('per-node sockets: real docker CLI vs Swarm Lab CLI', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serveFrozen(['docker service create -d --replicas 5 --name redis redis:7.4.0', 'sleep 60'], { pastMs: 600_000, perNode: true });
  });
  afterAll(async () => {
    await served?.close();
  });

  test('one socket per machine', () => {
    expect(Object.keys(served.running.nodes)).toEqual(['manager1', 'worker1', 'worker2']);
  });

  const CASES: [string, string][] = [];
  for (const host of ['manager1', 'worker1', 'worker2']) {
    for (const cmd of ['info', 'ps', 'ps -a', 'node ls', 'service ls', 'service ps redis', 'swarm join-token worker']) CASES.push([host, cmd]);
  }
  test.each(CASES)('on %s: docker %s', async (host, cmd) => {
    const args = cmd.split(' ');
    let real = await runReal(served.running.nodes[host]!, args, { dir: served.dir });
    let ours = await runOurs(served.session, host, args);
    // Go's random map order for docker info's runtimes (ours sorts): retried until it matches ours.
    for (let i = 0; i < 8 && cmd === 'info' && real.stdout !== ours.stdout; i++) real = await runReal(served.running.nodes[host]!, args, { dir: served.dir });
    if (JSON.stringify(real) !== JSON.stringify(ours)) {
      real = await runReal(served.running.nodes[host]!, args, { dir: served.dir });
      ours = await runOurs(served.session, host, args);
    }
    expect(ours).toEqual(real);
    if (host !== 'manager1' && !cmd.startsWith('ps') && cmd !== 'info') expect(real).toEqual({ stdout: '', stderr: WORKER_REFUSAL, code: 1 });
    if (cmd === 'ps') expect(real.stdout.split('\n').filter((l) => l.includes('redis.')).length).toBeGreaterThan(0);
  });
});
