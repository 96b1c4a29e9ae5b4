// The page's side of the swarm view in local mode (src/client/swarm-view/local-source.ts): on a
// fake link, what it asks of the server and how it hands models to a slow sink; then the real
// client modules (RemoteEngine + LocalViewSource, run in Node over the `ws` WebSocket, which
// speaks the browser's addEventListener API) against a real local server over the simulator.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import type { EngineCall } from '../engine/node/server/call-log.js';
import type { LocalServer } from '../engine/node/server/server.js';
import { startLocalServer } from '../engine/node/server/server.js';
import { Simulator } from '../engine/sim/simulator.js';
import { deriveSwarmView } from '../engine/view/derive.js';
import type { SwarmViewModel } from '../engine/view/model.js';
import type { ViewLink } from '../src/client/swarm-view/local-source.js';
import { isViewModel, LocalViewSource } from '../src/client/swarm-view/local-source.js';
import { RemoteEngine } from '../src/client/terminal/remote-engine.js';
import { simBackend } from './helpers/sim-backend.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class FakeLink implements ViewLink {
  closed = false;
  sent: string[] = [];
  private views = new Set<(m: unknown, o: unknown) => void>();
  private closes = new Set<(e: unknown) => void>();
  watchView(history: boolean): void {
    this.sent.push(`watch ${history}`);
  }
  unwatchView(): void {
    this.sent.push('unwatch');
  }
  onView(l: (m: unknown, o: unknown) => void): () => void {
    this.views.add(l);
    return () => this.views.delete(l);
  }
  onClosed(l: (e: unknown) => void): () => void {
    this.closes.add(l);
    return () => this.closes.delete(l);
  }
  push(model: unknown, omitted?: unknown): void {
    for (const l of this.views) l(model, omitted);
  }
  drop(): void {
    this.closed = true;
    for (const l of this.closes) l(new Error('closed'));
  }
  get listeners(): number {
    return this.views.size + this.closes.size;
  }
}

const model = (now: number): SwarmViewModel => deriveSwarmView({ nodes: [], services: [], tasks: [], now });

describe('LocalViewSource on a fake link', () => {
  it('asks for the view when subscribed (with the history option), changes it, and stops asking when unsubscribed', () => {
    const link = new FakeLink();
    const source = new LocalViewSource(link);
    expect(source.rate()).toBe(1);
    expect(link.sent).toEqual([]);
    const stop = source.subscribe(() => undefined, { history: true });
    source.setOptions({ history: false });
    stop();
    stop();
    expect(link.sent).toEqual(['watch true', 'watch false', 'unwatch']);
    expect(link.listeners).toBe(0);
  });

  it('hands models over one at a time: those that come while the sink draws collapse into the newest', async () => {
    const link = new FakeLink();
    const source = new LocalViewSource(link);
    const drawn: number[] = [];
    let release: () => void = () => undefined;
    source.subscribe((m) => {
      drawn.push(m.now);
      return new Promise<void>((r) => (release = r));
    });
    for (let i = 1; i <= 5; i++) link.push(model(i));
    expect(drawn).toEqual([1]);
    release();
    await sleep(0);
    expect(drawn).toEqual([1, 5]);
    release();
    await sleep(0);
    expect(drawn).toEqual([1, 5]);
  });

  it('drops what is not a model of this version; keeps what the server says it left out', () => {
    const link = new FakeLink();
    const source = new LocalViewSource(link);
    const drawn: unknown[] = [];
    source.subscribe((m) => void drawn.push(m));
    for (const bad of [null, 'x', [], { ...model(1), version: 99 }, { ...model(1), nodes: 'no' }, { ...model(1), tasks: [1] }, { ...model(1), now: '1' }]) {
      expect(isViewModel(bad)).toBe(false);
      link.push(bad);
    }
    expect(drawn).toEqual([]);
    link.push(model(2), { nodes: 3, tasks: 700 });
    expect(drawn).toHaveLength(1);
    expect(source.omitted).toEqual({ nodes: 3, tasks: 700 });
    link.push(model(3), { nodes: -1, tasks: 'x' });
    expect(source.omitted).toEqual({ nodes: 0, tasks: 0 });
  });

  it('a lost socket ends its pushes; attaching the new connection asks it at once', () => {
    const first = new FakeLink();
    const source = new LocalViewSource(first);
    const drawn: number[] = [];
    source.subscribe((m) => void drawn.push(m.now));
    first.drop();
    expect(first.listeners).toBe(0);
    first.push(model(1));
    const second = new FakeLink();
    source.attach(second);
    expect(second.sent).toEqual(['watch false']);
    second.push(model(2));
    expect(drawn).toEqual([2]);
    source.attach(undefined);
    expect(second.sent).toEqual(['watch false', 'unwatch']);
  });
});

describe('RemoteEngine + LocalViewSource against the local server (simulator backend)', () => {
  let sim: Simulator;
  let driver: ReturnType<typeof setInterval>;
  let server: LocalServer;
  const calls: EngineCall[] = [];
  const original = (globalThis as { WebSocket?: unknown }).WebSocket;

  beforeAll(async () => {
    sim = new Simulator({ seed: 7, startEpochMs: Date.now() });
    driver = setInterval(() => sim.clock.advance(800), 20);
    const siteDir = mkdtempSync(join(tmpdir(), 'swarm-lab-site-'));
    writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>Swarm Lab</title>');
    server = await startLocalServer({ siteDir, backend: simBackend(sim, { calls }) });
    const origin = new URL(server.url).origin;
    // The browser sends the page's Origin on the upgrade; ws sends one when told.
    (globalThis as { WebSocket?: unknown }).WebSocket = class extends WsWebSocket {
      constructor(url: string) {
        super(url, { origin });
      }
    };
  });

  afterAll(async () => {
    (globalThis as { WebSocket?: unknown }).WebSocket = original;
    clearInterval(driver);
    await server?.close();
  });

  it('the panel\'s source gets the swarm as the terminal changes it, and closing the view stops the reads', async () => {
    const u = new URL(server.url);
    const engine = await RemoteEngine.connect(u.hash.slice(3), `ws://${u.host}/ws`);
    const source = new LocalViewSource(engine);
    const models: SwarmViewModel[] = [];
    const stop = source.subscribe((m) => void models.push(m), { history: false });
    const until = async (cond: () => boolean): Promise<void> => {
      for (let i = 0; i < 300 && !cond(); i++) await sleep(20);
      expect(cond()).toBe(true);
    };
    await until(() => models.length > 0);
    expect(models[0]!.nodes.map((n) => n.hostname)).toEqual(['manager1', 'worker1', 'worker2']);
    expect(await engine.run('docker service create -d --replicas 2 --name redis redis:7.4.0', 80, () => undefined)).toBe(0);
    await until(() => models.at(-1)!.tasks.filter((t) => t.state === 'running').length === 2);
    expect(models.at(-1)!.services.map((s) => `${s.name} ${s.replicas}`)).toEqual(['redis 2/2']);
    stop();
    await sleep(300);
    const from = calls.length;
    await sleep(2200);
    expect(calls.slice(from)).toEqual([]);
    engine.close();
  });
  it('a Chinese page (html lang="zh-CN") tells the server its language: the terminal\'s refusals come back in Chinese', async () => {
    const u = new URL(server.url);
    const g = globalThis as { document?: unknown };
    const before = g.document;
    g.document = { documentElement: { lang: 'zh-CN' } };
    let engine: RemoteEngine;
    try {
      engine = await RemoteEngine.connect(u.hash.slice(3), `ws://${u.host}/ws`);
    } finally {
      g.document = before;
    }
    let out = '';
    expect(await engine.run('curl -X POST localhost:8080', 80, (t) => void (out += t))).toBe(1);
    expect(out).toBe('swarm-lab: curl -X：本地模式下不可用：这里的 curl 只发 GET 请求（curl [-s] [-i] [-m SECONDS] http://NODE:PORT[/path]）\n');
    engine.close();
  });
});
