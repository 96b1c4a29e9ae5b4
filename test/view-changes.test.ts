// The swarm view's change events (engine/view/changes.ts) on views the simulator produces:
// what the page announces while a rolling update sweeps the slots, a node drains, a service
// scales or cannot be placed. Each event's key must exist in both languages' strings.
import { describe, expect, test } from 'vitest';
import en from '../content/i18n/en.json';
import zh from '../content/i18n/zh-CN.json';
import { Session } from '../engine/session.js';
import { MAX_CHANGES, viewChanges } from '../engine/view/changes.js';
import type { SwarmViewModel, ViewChange } from '../engine/view/model.js';
import { readSwarmView } from '../engine/view/read.js';

async function run(session: Session, line: string): Promise<void> {
  const out = { write: () => undefined };
  await session.run(line, { stdout: out, stderr: out, tty: false, columns: 120, signal: new AbortController().signal });
}

const view = (session: Session): Promise<SwarmViewModel> =>
  readSwarmView(
    session.sim.hostnames().map((h) => session.sim.api(h)),
    { self: session.shell.node, now: session.sim.clock.epochNow() },
  );

/** Every event from now on, the view read every `stepMs` for `totalMs` of swarm time. */
async function watch(session: Session, totalMs: number, stepMs = 250): Promise<ViewChange[]> {
  const events: ViewChange[] = [];
  let prev = await view(session);
  for (let t = 0; t < totalMs; t += stepMs) {
    session.advance(stepMs);
    const next = await view(session);
    events.push(...viewChanges(prev, next));
    prev = next;
  }
  return events;
}

const said = (events: ViewChange[]): string[] => events.map((e) => `${e.key} ${JSON.stringify(e.params)}`);

describe('what the view announces', () => {
  test('a rolling update: it starts, each slot now runs the new tag (on its node), it completes', async () => {
    const session = new Session({ seed: 7 });
    await run(session, 'docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0');
    const before = await view(session);
    await run(session, 'docker service update --detach --image redis:7.4.1 redis');
    const events = await watch(session, 80_000);
    const keys = events.map((e) => e.key);
    expect(keys[0]).toBe('view.change.update.updating');
    expect(keys.at(-1)).toBe('view.change.update.completed');
    const nowRuns = events.filter((e) => e.key === 'view.change.nowRuns');
    expect(nowRuns.map((e) => e.params['task']).sort()).toEqual(['redis.1', 'redis.2', 'redis.3']);
    expect(nowRuns.every((e) => e.params['image'] === 'redis:7.4.1')).toBe(true);
    // Each on the node its new task runs on, as service ps would show it.
    const after = await view(session);
    for (const e of nowRuns) {
      const t = after.tasks.find((x) => x.name === e.params['task'] && !x.history)!;
      expect(after.nodes.find((n) => n.id === t.node)?.hostname).toBe(e.params['node']);
    }
    // Nothing said about the old tasks stopping, nor a second time about the same task.
    expect(keys.filter((k) => k === 'view.change.running')).toEqual([]);
    expect(before.services[0]?.update).toBeUndefined();
  });

  test('create and scale: the service, then each task coming up', async () => {
    const session = new Session({ seed: 4 });
    let prev = await view(session);
    await run(session, 'docker service create --detach --replicas 2 --name web nginx:1.27');
    let next = await view(session);
    expect(said(viewChanges(prev, next))).toEqual(['view.change.serviceCreated {"service":"web","image":"nginx:1.27","desired":2}']);
    prev = next;
    const up = await watch(session, 10_000);
    expect(up.filter((e) => e.key === 'view.change.running').map((e) => e.params['task']).sort()).toEqual(['web.1', 'web.2']);
    prev = await view(session);
    await run(session, 'docker service scale --detach web=4');
    next = await view(session);
    expect(said(viewChanges(prev, next))).toContain('view.change.scaled {"service":"web","desired":4}');
    await run(session, 'docker service rm web');
    expect(said(viewChanges(next, await view(session)))).toContain('view.change.serviceRemoved {"service":"web"}');
  });

  test('drain: the node drains, its task comes up elsewhere', async () => {
    const session = new Session({ seed: 5 });
    await run(session, 'docker service create --replicas 3 --name redis redis:7.4.0');
    const prev = await view(session);
    const onWorker1 = prev.tasks.find((t) => t.state === 'running' && prev.nodes.find((n) => n.id === t.node)?.hostname === 'worker1')!;
    await run(session, 'docker node update --availability drain worker1');
    const first = viewChanges(prev, await view(session));
    expect(said(first)).toContain('view.change.availability.drain {"node":"worker1"}');
    const later = await watch(session, 15_000);
    const moved = later.filter((e) => e.key === 'view.change.running' && e.params['task'] === onWorker1.name);
    expect(moved).toHaveLength(1);
    expect(moved[0]!.params['node']).not.toBe('worker1');
  });

  test('a task that cannot be placed: pending with the scheduler\'s reason', async () => {
    const session = new Session({ seed: 3 });
    await run(session, 'docker service create --detach --name web --constraint node.labels.zone==nowhere nginx:1.27');
    const events = await watch(session, 3_000);
    expect(said(events)).toContain('view.change.pending {"task":"web.1","reason":"no suitable node (scheduling constraints not satisfied on 3 nodes)"}');
  });

  test('a failed update: the rejected tasks and the pause are said', async () => {
    const session = new Session({ seed: 11 });
    await run(session, 'docker service create --replicas 3 --name redis redis:7.4.0');
    await run(session, 'docker service update --detach --image redis:9.9.9 redis');
    const events = await watch(session, 30_000);
    const keys = events.map((e) => e.key);
    expect(keys).toContain('view.change.task.rejected');
    expect(keys).toContain('view.change.update.paused');
  });

  test('a burst is cut to MAX_CHANGES events, the rest counted', async () => {
    const session = new Session({ seed: 8 });
    const prev = await view(session);
    await run(session, 'docker service create --replicas 80 --name big nginx:1.27');
    const events = viewChanges(prev, await view(session));
    expect(events).toHaveLength(MAX_CHANGES);
    const more = events.at(-1)!;
    expect(more.key).toBe('view.change.more');
    // 1 service created + 80 running, MAX_CHANGES - 1 said.
    expect(more.params['count']).toBe(81 - (MAX_CHANGES - 1));
  });

  test('no previous model, no events; the same model twice, no events', async () => {
    const session = new Session({ seed: 7 });
    await run(session, 'docker service create --replicas 3 --name redis redis:7.4.0');
    const m = await view(session);
    expect(viewChanges(undefined, m)).toEqual([]);
    expect(viewChanges(m, structuredClone(m))).toEqual([]);
  });

  test('every key the differ can produce exists in both languages', () => {
    const keys = [
      'nodeJoined', 'nodeLeft', 'leader', 'serviceCreated', 'serviceRemoved', 'scaled', 'nowRuns', 'running', 'pending', 'more',
      ...['active', 'pause', 'drain', 'other'].map((w) => `availability.${w}`),
      ...['ready', 'down', 'unknown', 'disconnected', 'other'].map((w) => `status.${w}`),
      ...['updating', 'paused', 'completed', 'rollback_started', 'rollback_paused', 'rollback_completed'].map((w) => `update.${w}`),
      ...['failed', 'rejected', 'orphaned'].map((w) => `task.${w}`),
    ].map((k) => `view.change.${k}`);
    for (const k of keys) {
      expect(en, k).toHaveProperty([k]);
      expect(zh, k).toHaveProperty([k]);
    }
  });
});
