// Local mode on the REAL 3-node sandbox is label-scoped like the learner's own daemon (issue 15,
// rows G1, N4, Q1 of the local-mode security table): a service Swarm Lab did not create there
// (made here straight through manager1's socket, with a secret in its environment) cannot be
// inspected, listed, removed, scaled or have its logs or containers shown through the local
// server, and no Engine call names it; the node availabilities the terminal changes go back when
// the page's socket closes; the service cap holds before any write.
// Needs root, dockerd and the sandbox (npm run sandbox:up); without them it skips and says
// which is missing, except under CI=true, where it brings the sandbox up itself.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RealSwarm } from '../engine/node/docker/index.js';
import type { EngineCall } from '../engine/node/server/call-log.js';
import { recordCalls } from '../engine/node/server/call-log.js';
import type { LocalBackend } from '../engine/node/server/backend.js';
import { MANAGED_LABEL, MAX_SERVICES } from '../engine/node/server/guard.js';
import type { ServerFrame } from '../engine/node/server/protocol.js';
import type { LocalServer } from '../engine/node/server/server.js';
import { startLocalServer } from '../engine/node/server/server.js';
import type { SuiteSandbox } from './helpers/sandbox-suite.js';
import { takeSandbox } from './helpers/sandbox-suite.js';

const SECRET = 'FOREIGN_SECRET=hunter2-sandbox';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let sandbox: SuiteSandbox | undefined;
let host: RealSwarm | undefined;
let server: LocalServer | undefined;
const calls: EngineCall[] = [];
const logs: string[] = [];

beforeAll(async () => {
  sandbox = await takeSandbox('local-sandbox-scope');
  host = sandbox?.host;
  if (!host) return;
  const swarm = host;
  const backend: LocalBackend = {
    ...swarm,
    api: (h) => {
      const a = swarm.api(h);
      return a && recordCalls(a, calls);
    },
  };
  const siteDir = mkdtempSync(join(tmpdir(), 'swarm-lab-site-'));
  writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>Swarm Lab</title>');
  server = await startLocalServer({ siteDir, backend, log: (l) => logs.push(l) });
}, 900_000);

afterAll(async () => {
  await server?.close();
  await sandbox?.release();
}, 120_000);

/** The page's terminal: auth, then lines run one at a time. */
interface PageTerminal {
  run: (line: string) => Promise<{ out: string; code: number }>;
  /** Every frame the server sent (view frames included). */
  frames: ServerFrame[];
  send: (frame: unknown) => void;
  close: () => Promise<void>;
}

async function terminal(url: string): Promise<PageTerminal> {
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/ws`, { origin: u.origin });
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  const frames: ServerFrame[] = [];
  let closed = false;
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as ServerFrame));
  ws.on('close', () => (closed = true));
  ws.send(JSON.stringify({ t: 'auth', token: u.hash.slice(3) }));
  const until = async (cond: () => boolean, ms = 60_000): Promise<void> => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out; frames: ${JSON.stringify(frames.slice(-3))}`);
      await sleep(20);
    }
  };
  await until(() => frames.some((f) => f.t === 'ready') || closed);
  if (closed) throw new Error('the server closed the terminal before it was ready');
  let id = 0;
  const term: PageTerminal = {
    frames,
    send: (frame) => ws.send(JSON.stringify(frame)),
    run: async (line) => {
      const my = ++id;
      ws.send(JSON.stringify({ t: 'run', id: my, line, cols: 120 }));
      await until(() => frames.some((f) => f.t === 'done' && f.id === my));
      const done = frames.find((f) => f.t === 'done' && f.id === my);
      return { out: frames.map((f) => (f.t === 'out' && f.id === my ? f.text : '')).join(''), code: done?.t === 'done' ? done.code : -1 };
    },
    close: async () => {
      ws.close();
      await until(() => closed);
    },
  };
  opened.push(term);
  return term;
}

// A failed test must not leave its terminal holding the server's one terminal slot.
const opened: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

describe('the sandbox is scoped by label too (G1), node changes go back (N4), the caps hold (Q1)', () => {
  it('G1: a service made on the sandbox without Swarm Lab\'s label is neither read nor changed through the terminal', async (ctx) => {
    if (!host || !server) return ctx.skip();
    const raw = host.api('manager1')!;
    const { ID } = await raw.serviceCreate({
      Name: 'foreign',
      Labels: {},
      TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0', Env: [SECRET] } as never, ForceUpdate: 0 },
      Mode: { Replicated: { Replicas: 1 } },
    });
    try {
      let task = (await raw.taskList({ service: [ID] })).find((t) => t.Status.State === 'running');
      for (let i = 0; i < 150 && !task; i++) {
        await sleep(100);
        task = (await raw.taskList({ service: [ID] })).find((t) => t.Status.State === 'running');
      }
      expect(task).toBeDefined();
      const node = (await raw.nodeInspect(task!.NodeID!)).Description.Hostname;
      const version = (await raw.serviceInspect(ID)).Version.Index;
      const t = await terminal(server.url);
      calls.length = 0;
      for (const line of [
        'docker service inspect foreign',
        `docker service inspect ${ID}`,
        'docker service inspect --pretty foreign',
        'docker service rm foreign',
        `docker service rm ${ID}`,
        'docker service logs foreign',
        'docker service ps foreign',
        'docker service scale foreign=3',
        'docker service update --replicas 2 foreign',
        'docker service rollback foreign',
      ]) {
        const r = await t.run(line);
        expect(r.code, line).not.toBe(0);
        expect(r.out, line).toMatch(/no such (task or )?service|not found/);
        expect(r.out, line).not.toContain('hunter2');
      }
      expect((await t.run('docker service ls')).out).not.toContain('foreign');
      expect((await t.run(`ssh ${node}`)).code).toBe(0);
      const ps = await t.run('docker ps -a');
      expect(ps.code).toBe(0);
      expect(ps.out).not.toContain('foreign');
      expect((await t.run("docker ps --format '{{json .}}'")).out).not.toContain('foreign');
      // No Engine call named it, or read it: service lists only with Swarm Lab's label.
      for (const c of calls) {
        const text = JSON.stringify(c.args);
        expect(text, `${c.method} ${text}`).not.toContain(ID);
        expect(text, `${c.method} ${text}`).not.toContain(task!.ID);
        if (c.method === 'serviceList') expect(text).toContain(MANAGED_LABEL);
        else expect(text, `${c.method} ${text}`).not.toContain('foreign');
      }
      expect(calls.filter((c) => ['serviceDelete', 'serviceUpdate', 'serviceLogs', 'serviceInspect', 'taskInspect'].includes(c.method))).toEqual([]);
      const after = await raw.serviceInspect(ID);
      expect(after.Version.Index).toBe(version);
      expect(after.Spec.TaskTemplate.ContainerSpec.Env).toEqual([SECRET]);
      await t.close();
    } finally {
      await raw.serviceDelete(ID);
    }
  }, 120_000);

  it('N4: a node the terminal drained is active again once the page\'s socket closes', async (ctx) => {
    if (!host || !server) return ctx.skip();
    const raw = host.api('manager1')!;
    const t = await terminal(server.url);
    expect((await t.run('docker node update --availability drain worker1')).code).toBe(0);
    expect((await raw.nodeInspect('worker1')).Spec.Availability).toBe('drain');
    await t.close();
    let now = '';
    for (let i = 0; i < 100; i++) {
      now = (await raw.nodeInspect('worker1')).Spec.Availability;
      if (now === 'active') break;
      await sleep(50);
    }
    expect(now).toBe('active');
    expect(logs.some((l) => /the page left local mode: set the availability of worker1 back/.test(l))).toBe(true);
  }, 60_000);

  it(`Q1: the ${MAX_SERVICES + 1}th service is refused before any write`, async (ctx) => {
    if (!host || !server) return ctx.skip();
    const t = await terminal(server.url);
    for (let i = 0; i < MAX_SERVICES; i++) expect((await t.run(`docker service create -d --name cap${i} redis:7.4.0`)).code).toBe(0);
    calls.length = 0;
    const r = await t.run('docker service create -d --name one-more redis:7.4.0');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`Swarm Lab runs at most ${MAX_SERVICES} services on a real swarm`);
    expect(calls.map((c) => c.method).filter((m) => m !== 'serviceList')).toEqual([]);
    for (let i = 0; i < MAX_SERVICES; i++) expect((await t.run(`docker service rm cap${i}`)).code).toBe(0);
    await t.close();
  }, 120_000);

  it('V10: the swarm view: the learner\'s service on the sandbox is grey chips on the nodes its tasks run on, with nothing of it in any frame; only the view\'s GETs; stops with the socket', async (ctx) => {
    if (!host || !server) return ctx.skip();
    const raw = host.api('manager1')!;
    const { ID } = await raw.serviceCreate({
      Name: 'foreign-view',
      Labels: { 'corp.team': 'secret-team-label' },
      TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.1', Env: [SECRET], Labels: { 'corp.container': 'containerlabel77' } } as never, ForceUpdate: 0 },
      Mode: { Replicated: { Replicas: 2 } },
    });
    try {
      const t = await terminal(server.url);
      expect((await t.run('docker service create -d --replicas 2 --name lab redis:7.4.0')).code).toBe(0);
      const views = (): Extract<ServerFrame, { t: 'view' }>[] => t.frames.filter((f): f is Extract<ServerFrame, { t: 'view' }> => f.t === 'view');
      const theirsRunning = async () => (await raw.taskList({ service: [ID] })).filter((x) => x.Status.State === 'running' && x.DesiredState === 'running');
      for (let i = 0; i < 150 && (await theirsRunning()).length < 2; i++) await sleep(100);
      expect(await theirsRunning()).toHaveLength(2);
      calls.length = 0;
      t.send({ t: 'view', watch: true, history: true });
      const settled = (): boolean => {
        const m = views().at(-1)?.model;
        return !!m && m.tasks.filter((x) => x.state === 'running').length === 4;
      };
      for (let i = 0; i < 200 && !settled(); i++) await sleep(50);
      expect(settled(), JSON.stringify(views().at(-1)?.model.tasks)).toBe(true);
      await sleep(1500);
      const model = views().at(-1)!.model;
      const tasks = await raw.taskList({ service: [ID] });
      const text = JSON.stringify(views());
      for (const leak of ['hunter2', 'FOREIGN_SECRET', 'foreign-view', 'secret-team-label', 'containerlabel77', 'redis:7.4.1', ID, ...tasks.map((x) => x.ID)]) expect(text, leak).not.toContain(leak);
      expect(model.services.map((x) => [x.name, x.replicas, x.ours])).toEqual([['lab', '2/2', true]]);
      const grey = model.tasks.filter((x) => !x.ours);
      expect(grey.map((x) => [x.name, x.image, x.service, x.err, x.state, x.desired])).toEqual([['', '', '', '', 'running', 'running'], ['', '', '', '', 'running', 'running']]);
      // On the nodes their tasks really run on.
      expect(grey.map((x) => x.node).sort()).toEqual((await theirsRunning()).map((x) => x.NodeID).sort());
      // What the view asked for while it was watched: the three lists, by the calls of view-reads.ts.
      for (const c of calls) {
        const text = JSON.stringify(c.args);
        expect(['nodeList', 'serviceList', 'taskList'], `${c.method} ${text}`).toContain(c.method);
        if (c.method === 'serviceList') expect(text).toContain(MANAGED_LABEL);
        if (c.method === 'taskList') expect(text).toMatch(/^\[\{"(service":\["[0-9a-z]{25}"\]|desired-state":\["running"\])\}\]$/);
        expect(text).not.toContain(ID);
      }
      const n = calls.length;
      expect(n).toBeGreaterThan(4);
      await t.close();
      await sleep(300);
      const m = calls.length;
      await sleep(2000);
      expect(calls.length).toBe(m);
    } finally {
      await raw.serviceDelete(ID);
    }
  }, 120_000);
});

