// The swarm view in local mode on the REAL 3-node sandbox (issue 16, "Local mode e2e"): the
// page's own modules (RemoteEngine + LocalViewSource, run in Node over the `ws` WebSocket)
// connect to `swarm-lab local`'s server over the sandbox, open the view, and run the lesson's
// lines in the terminal. The view must show manager1/worker1/worker2 as `docker node ls` does,
// the lesson's redis service appearing while `service create` still converges and then 3/3,
// a rolling update sweeping 7.4.0 -> 7.4.1 chip by chip; and at quiet moments its task list
// must be what the real docker CLI's `docker service ps redis` prints (ID, name, image, node,
// desired and current state, history rows included, in the same order).
// Honest about "the same moment": `service ps` is run twice around a read of the server's own
// (counted through a call log) with no change in between, and the model compared is the one
// the server holds after that read.
// Needs root, dockerd and the sandbox (npm run sandbox:up); without them it skips and says
// which is missing, except under CI=true, where it brings the sandbox up itself.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import type { RealSwarm } from '../../engine/node/docker/index.js';
import { sandboxSocket } from '../../engine/node/docker/index.js';
import type { LocalBackend } from '../../engine/node/server/backend.js';
import type { EngineCall } from '../../engine/node/server/call-log.js';
import { recordCalls } from '../../engine/node/server/call-log.js';
import type { LocalServer } from '../../engine/node/server/server.js';
import { startLocalServer } from '../../engine/node/server/server.js';
import { TASK_STATES } from '../../engine/api/types.js';
import { nodeNames } from '../../engine/view/derive.js';
import type { SwarmViewModel } from '../../engine/view/model.js';
import { LocalViewSource } from '../../src/client/swarm-view/local-source.js';
import { RemoteEngine } from '../../src/client/terminal/remote-engine.js';
import type { SuiteSandbox } from '../helpers/sandbox-suite.js';
import { takeSandbox } from '../helpers/sandbox-suite.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let sandbox: SuiteSandbox | undefined;
let host: RealSwarm | undefined;
let server: LocalServer | undefined;
const calls: EngineCall[] = [];
const original = (globalThis as { WebSocket?: unknown }).WebSocket;

beforeAll(async () => {
  sandbox = await takeSandbox('local-view-sandbox');
  host = sandbox?.host;
  if (!host) return;
  const swarm = host;
  const backend: LocalBackend = { ...swarm, api: (h) => { const a = swarm.api(h); return a && recordCalls(a, calls); } };
  const siteDir = mkdtempSync(join(tmpdir(), 'swarm-lab-site-'));
  writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>Swarm Lab</title>');
  server = await startLocalServer({ siteDir, backend });
  const origin = new URL(server.url).origin;
  // What the browser does on its own: send the page's Origin on the upgrade.
  (globalThis as { WebSocket?: unknown }).WebSocket = class extends WsWebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  };
}, 900_000);

afterAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = original;
  await server?.close();
  await sandbox?.release();
}, 120_000);

/** The real docker CLI on manager1's socket. */
function docker(...args: string[]): string {
  return execFileSync('docker', ['-H', `unix://${sandboxSocket('manager1')}`, ...args], { encoding: 'utf8', env: { ...process.env, DOCKER_CLI_HINTS: 'false' } });
}

/** `docker service ps redis` as rows: ID, NAME, IMAGE, NODE, DESIRED STATE, first word of CURRENT STATE (lower case), ERROR. */
function servicePs(): string[] {
  const out = docker('service', 'ps', 'redis', '--no-trunc', '--format', '{{.ID}}|{{.Name}}|{{.Image}}|{{.Node}}|{{.DesiredState}}|{{.CurrentState}}|{{.Error}}');
  return out
    .trim()
    .split('\n')
    .map((l) => {
      const [id, name, image, node, desired, current, error] = l.split('|');
      return [id, name, image, node, desired!.toLowerCase(), current!.split(' ')[0]!.toLowerCase(), error].join('|');
    });
}

/** The same rows from the view's model (the task list of redis, history included). */
function viewPs(model: SwarmViewModel): string[] {
  const redis = model.services.find((s) => s.name === 'redis');
  const node = nodeNames(model);
  // The format's Error is the task's error in full (--no-trunc), quoted: the model's err.
  return model.tasks.filter((t) => t.service === redis?.id).map((t) => [t.id, t.name, t.image, node(t.node), t.desired, t.state, t.err === '' ? '' : `"${t.err}"`].join('|'));
}

function nodeLs(): string[] {
  return docker('node', 'ls', '--format', '{{.Hostname}}|{{.Status}}|{{.Availability}}|{{.ManagerStatus}}').trim().split('\n');
}

const viewNodes = (model: SwarmViewModel): string[] =>
  model.nodes.map((n) => [n.hostname, n.status, n.availability, n.managerStatus].map((x, i) => (i > 0 && i < 3 ? x.charAt(0).toUpperCase() + x.slice(1) : x)).join('|'));

describe('the swarm view on the real sandbox', () => {
  it('shows the three nodes, the lesson\'s service converging and a rolling update sweeping, and agrees with docker service ps at quiet moments', async (ctx) => {
    if (!server) return ctx.skip();
    const u = new URL(server.url);
    const engine = await RemoteEngine.connect(u.hash.slice(3), `ws://${u.host}/ws`);
    const source = new LocalViewSource(engine);
    const models: { at: number; model: SwarmViewModel }[] = [];
    const stop = source.subscribe((m) => void models.push({ at: Date.now(), model: m }), { history: true });
    const latest = (): SwarmViewModel => models.at(-1)!.model;
    const until = async (what: string, cond: () => boolean, ms = 30_000): Promise<void> => {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last model: ${JSON.stringify(models.at(-1)?.model).slice(0, 2000)}`);
        await sleep(50);
      }
    };
    const reads = (): number => calls.filter((c) => c.method === 'nodeList').length;

    /** `docker service ps` and the view at one quiet moment: CLI, a read of the server's, CLI again, all equal. */
    const agree = async (): Promise<string[]> => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const before = servicePs();
        const r = reads();
        await until('a read of the view after docker service ps', () => reads() >= r + 2, 10_000);
        await sleep(200); // the frame of that read, if it changed anything
        const view = viewPs(latest());
        const after = servicePs();
        if (JSON.stringify(before) === JSON.stringify(after)) {
          expect(view).toEqual(after);
          return after;
        }
        await sleep(1000); // the swarm moved meanwhile: not a quiet moment; again
      }
      throw new Error('the swarm never stood still for a comparison');
    };

    try {
      await until('the first model', () => models.length > 0, 10_000);
      expect(latest().nodes.map((n) => [n.hostname, n.role, n.self])).toEqual([
        ['manager1', 'manager', true],
        ['worker1', 'worker', false],
        ['worker2', 'worker', false],
      ]);
      expect(viewNodes(latest())).toEqual(nodeLs());
      expect(latest().services).toEqual([]);

      // The lesson's line, typed in the terminal: the view shows redis while the CLI still waits for convergence.
      let createDone = 0;
      const output: string[] = [];
      const created = engine.run('docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0', 120, (t) => output.push(t)).then((code) => {
        createDone = Date.now();
        return code;
      });
      await until('redis in the view', () => latest().services.some((s) => s.name === 'redis'));
      expect(createDone).toBe(0);
      expect(await created).toBe(0);
      expect(output.join('')).toMatch(/verify: Service \S+ converged/);
      await until('3/3 running', () => latest().tasks.filter((t) => t.state === 'running' && t.desired === 'running').length === 3);
      const withRedis = models.filter((m) => m.model.services.some((s) => s.name === 'redis'));
      expect(withRedis[0]!.at).toBeLessThan(createDone);
      // Seen on its way (the view reads four times a second while a command runs; the sandbox
      // takes a task from new to running in about a second): fewer than three running first.
      const running = (m: SwarmViewModel): number => m.tasks.filter((t) => t.state === 'running').length;
      expect(running(withRedis[0]!.model)).toBeLessThan(3);
      // Converging: each task only moves forward through swarm's states from one model to the next.
      const order = (s: string): number => TASK_STATES.indexOf(s as (typeof TASK_STATES)[number]);
      const seen = new Map<string, number>();
      for (const { model } of withRedis) {
        for (const t of model.tasks) {
          expect(order(t.state), `${t.name} ${t.state}`).toBeGreaterThanOrEqual(seen.get(t.id) ?? -1);
          seen.set(t.id, order(t.state));
        }
      }
      const final = latest();
      expect(final.services.map((s) => [s.name, s.mode, s.replicas, s.image, s.ours])).toEqual([['redis', 'replicated', '3/3', 'redis:7.4.0', true]]);
      expect(final.tasks.map((t) => t.name)).toEqual(['redis.1', 'redis.2', 'redis.3']);
      // The sandbox spreads three replicas over its three nodes.
      expect(new Set(final.tasks.map((t) => nodeNames(final)(t.node)))).toEqual(new Set(['manager1', 'worker1', 'worker2']));
      const quiet = await agree();
      expect(quiet).toHaveLength(3);
      expect(viewNodes(latest())).toEqual(nodeLs());

      // The rolling update, as the lesson runs it: the view sees both tags running at once, one chip at a time.
      const updated = engine.run('docker service update --image redis:7.4.1 redis', 120, () => undefined);
      await until(
        'a model mid-update with both tags running',
        () => {
          const running = latest().tasks.filter((t) => t.state === 'running' && t.desired === 'running');
          return running.some((t) => t.image === 'redis:7.4.0') && running.some((t) => t.image === 'redis:7.4.1');
        },
        60_000,
      );
      expect(latest().services[0]!.update?.state).toBe('updating');
      expect(await updated).toBe(0);
      await until('all three on 7.4.1', () => latest().tasks.filter((t) => !t.history && t.state === 'running' && t.image === 'redis:7.4.1').length === 3, 60_000);
      // The sweep: the number of chips on the new tag grew one at a time.
      const counts = models.map((m) => m.model.tasks.filter((t) => !t.history && t.state === 'running' && t.image === 'redis:7.4.1').length);
      const steps = counts.filter((c, i) => i === 0 || c !== counts[i - 1]);
      expect(steps.slice(steps.indexOf(0))).toEqual([0, 1, 2, 3]);
      const replaced = latest().tasks.filter((t) => !t.history);
      expect(replaced.every((t) => t.previousImage === 'redis:7.4.0')).toBe(true);
      const after = await agree();
      expect(after.filter((r) => r.includes('|redis:7.4.0|'))).toHaveLength(3);
      expect(after.filter((r) => r.includes('|redis:7.4.1|'))).toHaveLength(3);

      // The view closed: the server reads no more for it.
      stop();
      await sleep(500);
      const n = calls.length;
      await sleep(2500);
      expect(calls.slice(n)).toEqual([]);
    } finally {
      engine.close();
    }
  }, 240_000);
});
