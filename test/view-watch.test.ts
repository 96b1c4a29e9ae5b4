// The worker pushes the swarm view (engine/worker/view-watch.ts): a model when the page starts
// watching, another only when the swarm (or the shell's machine) changed, one at a time (the
// next waits for the page's answer, which comes after its next frame), none once unwatched.
// Driven on a realtime TerminalEngine as the page drives it, directly and through comlink.
import * as Comlink from 'comlink';
import { afterEach, describe, expect, test } from 'vitest';
import type { SwarmViewModel } from '../engine/view/model.js';
import { TerminalEngine } from '../engine/worker/terminal-engine.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A page stand-in: records each model; "draws" it in `frameMs`; tracks models in flight at once. */
function page(frameMs = 16) {
  const models: SwarmViewModel[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const sink = async (m: SwarmViewModel): Promise<void> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    models.push(m);
    await sleep(frameMs);
    inFlight--;
  };
  return { sink, models, maxInFlight: () => maxInFlight };
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

const run = (engine: TerminalEngine, line: string) => engine.run(line, 120, () => undefined);

let engine: TerminalEngine | undefined;
afterEach(() => {
  engine?.unwatchView();
  engine?.pause();
  engine = undefined;
});

describe('the worker pushes the view', () => {
  test('a curl through the mesh sends a model naming the task that served it and the node it entered', async () => {
    engine = new TerminalEngine({ seed: 3 });
    engine.setSpeed(20);
    const p = page();
    engine.watchView(p.sink);
    await until(() => p.models.length === 1);
    expect(p.models[0]!.served).toBeUndefined();
    await run(engine, 'docker service create --replicas 1 --name web --publish published=8080,target=80 nginx:1.27.3');
    await until(() => p.models.at(-1)!.tasks.some((t) => t.state === 'running'));
    const task = p.models.at(-1)!.tasks.find((t) => t.state === 'running')!;
    const nodeOf = (id: string) => p.models.at(-1)!.nodes.find((n) => n.id === id)!.hostname;
    // Enter on a node that does not run the task: the mesh carries the request across.
    const entry = ['manager1', 'worker1', 'worker2'].find((h) => h !== nodeOf(task.node))!;
    await run(engine, `curl -s http://${entry}:8080/`);
    await until(() => p.models.at(-1)!.served?.seq === 1);
    expect(p.models.at(-1)!.served).toEqual({ seq: 1, task: task.id, entry, from: 'manager1', mode: 'ingress' });
    // The same task serving again is a new mark (a new seq), even with nothing else changed.
    await run(engine, `curl -s http://${entry}:8080/`);
    await until(() => p.models.at(-1)!.served?.seq === 2);
    // A refused request marks nothing.
    const count = p.models.length;
    await run(engine, 'curl -s http://worker1:9999/');
    await sleep(200);
    expect(p.models.slice(count).every((m) => m.served?.seq === 2)).toBe(true);
  });

  test('a model at once, then only when the swarm changes: none while it stands still', async () => {
    engine = new TerminalEngine({ seed: 3 });
    engine.setSpeed(20);
    const p = page();
    engine.watchView(p.sink);
    await until(() => p.models.length === 1);
    expect(p.models[0]!.nodes.map((n) => n.hostname)).toEqual(['manager1', 'worker1', 'worker2']);
    expect(p.models[0]!.nodes.find((n) => n.self)?.hostname).toBe('manager1');
    // A swarm where nothing happens: no model, however many ticks go by (no polling).
    await sleep(400);
    expect(p.models).toHaveLength(1);

    await run(engine, 'docker service create --detach --replicas 3 --name redis redis:7.4.0');
    await until(() => p.models.at(-1)!.tasks.filter((t) => t.state === 'running').length === 3);
    const converged = p.models.length;
    expect(converged).toBeGreaterThan(2); // new, pending, assigned, ..., running arrive as they happen
    await sleep(400);
    expect(p.models).toHaveLength(converged);
    expect(p.maxInFlight()).toBe(1);
  });

  test('a slow page gets the changes coalesced, one model in flight, and the last model is the swarm as it ends', async () => {
    engine = new TerminalEngine({ seed: 5 });
    engine.setSpeed(20);
    await run(engine, 'docker service create --replicas 6 --name redis --update-parallelism 2 redis:7.4.0');
    const p = page(150);
    engine.watchView(p.sink);
    const started = Date.now();
    await run(engine, 'docker service update --image redis:7.4.1 redis');
    await until(() => p.models.at(-1)!.services[0]?.update?.state === 'completed', 20_000);
    const elapsed = Date.now() - started;
    // At most one model per 150 ms "frame" (+1 for the first), however many changes there were.
    expect(p.models.length).toBeLessThanOrEqual(Math.ceil(elapsed / 150) + 2);
    expect(p.maxInFlight()).toBe(1);
    const last = p.models.at(-1)!;
    expect(last.tasks.filter((t) => t.state === 'running').map((t) => t.image)).toEqual(Array(6).fill('redis:7.4.1'));
  });

  test('ssh moves the mark; the history option adds the rows under \\_ ; unwatching stops the models', async () => {
    engine = new TerminalEngine({ seed: 7 });
    engine.setSpeed(20);
    await run(engine, 'docker service create --replicas 2 --name redis redis:7.4.0');
    await run(engine, 'docker service update --image redis:7.4.1 redis');
    const p = page();
    engine.watchView(p.sink);
    await until(() => p.models.length === 1);
    expect(p.models[0]!.tasks.every((t) => !t.history)).toBe(true);
    expect(p.models[0]!.historyOmitted).toBe(2);
    engine.setViewOptions({ history: true });
    await until(() => p.models.length === 2);
    expect(p.models[1]!.tasks.filter((t) => t.history)).toHaveLength(2);

    await run(engine, 'ssh worker1');
    await until(() => p.models.length === 3);
    expect(p.models[2]!.nodes.find((n) => n.self)?.hostname).toBe('worker1');

    engine.unwatchView();
    await run(engine, 'exit');
    await run(engine, 'docker service scale --detach redis=4');
    await sleep(400);
    expect(p.models).toHaveLength(3);
  });

  test('a reset swarm is drawn; a page that went away (its sink throws) stops the models', async () => {
    engine = new TerminalEngine({ seed: 2 });
    const p = page();
    engine.watchView(p.sink);
    await until(() => p.models.length === 1);
    await engine.reset({ seed: 4, topology: 'manager1,worker1' });
    await until(() => p.models.at(-1)!.nodes.length === 2);

    let calls = 0;
    engine.watchView(() => {
      calls++;
      throw new Error('port closed');
    });
    await until(() => calls === 1);
    await run(engine, 'docker service create --detach --name web nginx:1.27');
    await sleep(300);
    expect(calls).toBe(1);
  });

  test('undo replaces the swarm: the view follows it back, and forward again with redo', async () => {
    engine = new TerminalEngine({ seed: 6 });
    engine.setSpeed(20);
    const p = page();
    engine.watchView(p.sink);
    await until(() => p.models.length === 1);
    await run(engine, 'docker service create --replicas 2 --name redis redis:7.4.0');
    await until(() => p.models.at(-1)!.services.length === 1);
    await run(engine, 'undo');
    await until(() => p.models.at(-1)!.services.length === 0);
    await run(engine, 'redo');
    await until(() => p.models.at(-1)!.services.map((s) => s.name).join() === 'redis');
  });

  test('through comlink, as the page calls it: the sink is a proxy, its answer gates the next model', async () => {
    const { port1, port2 } = new MessageChannel();
    engine = new TerminalEngine({ seed: 3 });
    engine.setSpeed(20);
    Comlink.expose(engine, port1 as unknown as Comlink.Endpoint);
    const remote = Comlink.wrap<TerminalEngine>(port2 as unknown as Comlink.Endpoint);
    const p = page();
    await remote.watchView(Comlink.proxy(p.sink));
    await until(() => p.models.length === 1);
    await remote.run('docker service create --detach --replicas 2 --name redis redis:7.4.0', 100, Comlink.proxy(() => undefined));
    await until(() => p.models.at(-1)!.tasks.filter((t) => t.state === 'running').length === 2);
    expect(p.maxInFlight()).toBe(1);
    await remote.unwatchView();
    remote[Comlink.releaseProxy]();
    port1.close();
    port2.close();
  });
});
