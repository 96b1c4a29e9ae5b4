// The swarm view's model (engine/view/derive.ts) against the simulator's own Engine API
// lists, compared at the same instant with what the docker CLI prints from those lists: the
// view must tell the story `docker service ps`, `service ls`, `node ls` and
// `service inspect --pretty` tell, mid rolling update, after a drain, with a task the
// scheduler cannot place, and for a global service. Instant-mode sessions: nothing moves
// between the CLI's reading and the view's.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Node, Service, Task } from '../engine/api/types.js';
import { Session } from '../engine/session.js';
import { deriveSwarmView, nodeNames } from '../engine/view/derive.js';
import type { SwarmViewModel } from '../engine/view/model.js';
import { readSwarmView } from '../engine/view/read.js';
import { parseCliTable, parseServicePs } from './helpers/cli-table.js';

async function run(session: Session, line: string): Promise<string> {
  let text = '';
  const out = { write: (t: string) => void (text += t) };
  await session.run(line, { stdout: out, stderr: out, tty: false, columns: 200, signal: new AbortController().signal });
  return text;
}

function view(session: Session, opts: { history?: boolean } = {}): Promise<SwarmViewModel> {
  const apis = session.sim.hostnames().map((h) => session.sim.api(h));
  return readSwarmView(apis, { self: session.shell.node, now: session.sim.clock.epochNow(), ...opts });
}

/** The view's tasks of one service as `docker service ps` rows. */
function viewRows(model: SwarmViewModel, service: string) {
  const id = model.services.find((s) => s.name === service)?.id;
  const node = nodeNames(model);
  return model.tasks
    .filter((t) => t.service === id)
    .map((t) => ({ name: t.name, history: t.history, image: t.image, node: node(t.node), desired: t.desired, state: t.state, error: t.error }));
}

async function expectSameAsServicePs(session: Session, service: string): Promise<SwarmViewModel> {
  const model = await view(session);
  const ps = parseServicePs(await run(session, `docker service ps ${service}`));
  expect(ps.length).toBeGreaterThan(0);
  expect(viewRows(model, service)).toEqual(ps);
  return model;
}

describe('the view tells what the docker CLI prints', () => {
  test('through a rolling update: every moment, the tasks are service ps rows; the services strip is service ls', async () => {
    const session = new Session({ seed: 7 });
    await run(session, 'docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0');
    let model = await expectSameAsServicePs(session, 'redis');
    expect(model.tasks.filter((t) => t.state === 'running').map((t) => t.image)).toEqual(['redis:7.4.0', 'redis:7.4.0', 'redis:7.4.0']);

    await run(session, 'docker service update --detach --image redis:7.4.1 redis');
    const seen = new Set<string>();
    // Every second of the update (and a little after), as a learner watching the view would.
    for (let s = 0; s < 75; s++) {
      session.advance(1000);
      model = await expectSameAsServicePs(session, 'redis');
      const running = model.tasks.filter((t) => !t.history && t.state === 'running');
      seen.add(running.map((t) => t.image).sort().join(','));
      const ls = parseCliTable(await run(session, 'docker service ls'), ['ID', 'NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS']);
      expect(model.services.map((s) => ({ name: s.name, mode: s.mode, replicas: s.replicas, image: s.image }))).toEqual(
        ls.map((r) => ({ name: r['NAME'], mode: r['MODE'], replicas: r['REPLICAS'], image: r['IMAGE'] })),
      );
      const pretty = await run(session, 'docker service inspect --pretty redis');
      const state = /^ State:\t\t(.*)$/m.exec(pretty)?.[1];
      const message = /^ Message:\t(.*)$/m.exec(pretty)?.[1];
      expect(model.services[0]!.update?.state).toBe(state);
      expect(model.services[0]!.update?.message).toBe(message);
    }
    // The update swept the slots one at a time: a moment with one task on 7.4.1, then two, then three.
    expect(seen).toContain('redis:7.4.0,redis:7.4.0,redis:7.4.1');
    expect(seen).toContain('redis:7.4.0,redis:7.4.1,redis:7.4.1');
    expect(seen).toContain('redis:7.4.1,redis:7.4.1,redis:7.4.1');
    expect(model.services[0]!.update?.state).toBe('completed');
    // The old tasks are history, desired shutdown, each under its slot's new task.
    const history = model.tasks.filter((t) => t.history);
    expect(history.map((t) => [t.name, t.image, t.desired, t.state])).toEqual([
      ['redis.1', 'redis:7.4.0', 'shutdown', 'shutdown'],
      ['redis.2', 'redis:7.4.0', 'shutdown', 'shutdown'],
      ['redis.3', 'redis:7.4.0', 'shutdown', 'shutdown'],
    ]);
    expect(history.every((t) => t.exitCode === 0)).toBe(true);
  });

  test('a paused update: the failed task, its error as the ERROR column shows it, the paused status and its message', async () => {
    const session = new Session({ seed: 11 });
    await run(session, 'docker service create --replicas 3 --name redis redis:7.4.0');
    await run(session, 'docker service update --detach --image redis:9.9.9 redis');
    session.advance(30_000);
    const model = await expectSameAsServicePs(session, 'redis');
    const redis = model.services[0]!;
    expect(redis.update?.state).toBe('paused');
    expect(redis.update?.message).toMatch(/^update paused due to failure or early termination of task [0-9a-z]{25}$/);
    const rejected = model.tasks.find((t) => t.image === 'redis:9.9.9' && t.state === 'rejected');
    expect(rejected?.err).toMatch(/No such image: redis:9\.9\.9/);
    expect(rejected?.error).toBe(`"${rejected!.err}"`);
  });

  test('drain: worker1 keeps no running task, and the nodes are node ls rows (the shell\'s node marked)', async () => {
    const session = new Session({ seed: 5 });
    await run(session, 'docker service create --replicas 3 --name redis redis:7.4.0');
    let model = await view(session);
    expect(model.tasks.filter((t) => nodeNames(model)(t.node) === 'worker1' && t.state === 'running')).not.toHaveLength(0);
    await run(session, 'docker node update --availability drain worker1');
    session.advance(15_000);
    model = await expectSameAsServicePs(session, 'redis');
    const worker1 = model.nodes.find((n) => n.hostname === 'worker1')!;
    expect(worker1.availability).toBe('drain');
    expect(model.tasks.filter((t) => t.node === worker1.id && t.state === 'running')).toEqual([]);
    expect(model.tasks.filter((t) => !t.history && t.state === 'running')).toHaveLength(3);

    const ls = parseCliTable(await run(session, 'docker node ls'), ['ID', 'HOSTNAME', 'STATUS', 'AVAILABILITY', 'MANAGER STATUS', 'ENGINE VERSION']);
    expect(model.nodes.map((n) => ({ hostname: n.hostname, status: n.status, availability: n.availability, manager: n.managerStatus, self: n.self }))).toEqual(
      ls.map((r) => ({
        hostname: r['HOSTNAME'],
        status: r['STATUS']!.toLowerCase(),
        availability: r['AVAILABILITY']!.toLowerCase(),
        manager: r['MANAGER STATUS'],
        self: r['ID']!.endsWith('*'),
      })),
    );
    expect(model.nodes.map((n) => [n.hostname, n.role])).toEqual([
      ['manager1', 'manager'],
      ['worker1', 'worker'],
      ['worker2', 'worker'],
    ]);
    // ssh moves the mark: the view marks the machine the shell is on (node ls marks the one it asks).
    await run(session, 'ssh worker2');
    expect((await view(session)).nodes.filter((n) => n.self).map((n) => n.hostname)).toEqual(['worker2']);
  });

  test('a task the scheduler cannot place: pending, on no node, with its reason in full and as the ERROR column', async () => {
    const session = new Session({ seed: 3 });
    await run(session, 'docker service create --detach --name web --constraint node.labels.zone==nowhere nginx:1.27');
    session.advance(5_000);
    const model = await expectSameAsServicePs(session, 'web');
    expect(model.tasks).toHaveLength(1);
    const t = model.tasks[0]!;
    expect([t.node, t.state, t.desired]).toEqual(['', 'pending', 'running']);
    expect(t.err).toBe('no suitable node (scheduling constraints not satisfied on 3 nodes)');
    expect(t.error).toBe('"no suitable node (scheduling …"');
    expect(model.services[0]!.replicas).toBe('0/1');
  });

  test('a global service: one task per node, named <service>.<node ID> as service ps names them', async () => {
    const session = new Session({ seed: 9 });
    await run(session, 'docker service create --mode global --name agent nginx:1.27');
    const model = await expectSameAsServicePs(session, 'agent');
    expect(model.services[0]!.mode).toBe('global');
    expect(model.tasks.map((t) => t.name).sort()).toEqual(model.nodes.map((n) => `agent.${n.id}`).sort());
    expect(model.tasks.every((t) => t.slot === 0)).toBe(true);
  });

  test('history on request: without it the model carries only the current tasks and counts the rest', async () => {
    const session = new Session({ seed: 7 });
    await run(session, 'docker service create --replicas 2 --name redis redis:7.4.0');
    await run(session, 'docker service update --image redis:7.4.1 redis');
    const all = await view(session);
    const current = await view(session, { history: false });
    expect(current.tasks).toEqual(all.tasks.filter((t) => !t.history));
    expect(current.historyOmitted).toBe(all.tasks.length - current.tasks.length);
    expect(current.historyOmitted).toBeGreaterThan(0);
    // What the update replaced stays known without the history rows.
    expect(current.tasks.map((t) => [t.name, t.image, t.previousImage])).toEqual([
      ['redis.1', 'redis:7.4.1', 'redis:7.4.0'],
      ['redis.2', 'redis:7.4.1', 'redis:7.4.0'],
    ]);
  });

  test('without history, an older task whose container still runs (start-first) stays, fading; once stopped it goes', async () => {
    const session = new Session({ seed: 7 });
    await run(session, 'docker service create --replicas 2 --name redis --update-order start-first redis:7.4.0');
    await run(session, 'docker service update --detach --image redis:7.4.1 redis');
    let overlap: SwarmViewModel | undefined;
    for (let ms = 0; ms < 60_000 && !overlap; ms += 100) {
      session.advance(100);
      const m = await view(session, { history: false });
      if (m.tasks.some((t) => t.history)) overlap = m;
    }
    // The old task of the slot is history (its replacement exists) yet its container still runs.
    const old = overlap!.tasks.find((t) => t.history)!;
    expect(old.image).toBe('redis:7.4.0');
    expect(old.state).toBe('running');
    expect(overlap!.tasks.find((t) => t.name === old.name && !t.history)?.image).toBe('redis:7.4.1');
    session.advance(60_000);
    const done = await view(session, { history: false });
    expect(done.tasks.every((t) => !t.history)).toBe(true);
  });

  test('no swarm yet: an empty view, no error', async () => {
    const session = new Session({ seed: 1, swarm: false });
    const model = await view(session);
    expect([model.nodes, model.services, model.tasks]).toEqual([[], [], []]);
  });

  test('the model is plain JSON', async () => {
    const session = new Session({ seed: 7 });
    await run(session, 'docker service create --replicas 3 --name redis redis:7.4.0');
    const model = await view(session);
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });
});

describe('services that are not Swarm Lab\'s (local mode)', () => {
  const lists = async () => {
    const session = new Session({ seed: 2 });
    await run(session, 'docker service create --replicas 1 --name mine --label swarm-lab=1 redis:7.4.0');
    await run(session, 'docker service create --replicas 1 --name theirs redis:7.4.0');
    const api = session.sim.api('manager1');
    return { nodes: await api.nodeList(), services: await api.serviceList({ status: true }), tasks: await api.taskList(), now: 0 };
  };

  test('by label key: the others and their tasks are marked not ours', async () => {
    const model = deriveSwarmView({ ...(await lists()), ours: { label: 'swarm-lab' } });
    expect(model.services.map((s) => [s.name, s.ours])).toEqual([
      ['mine', true],
      ['theirs', false],
    ]);
    expect(model.tasks.map((t) => [t.name, t.ours])).toEqual([
      ['mine.1', true],
      ['theirs.1', false],
    ]);
  });

  test('by predicate; one that throws marks the service not ours', async () => {
    const input = await lists();
    const byName = deriveSwarmView({ ...input, ours: (s) => s.Spec.Name === 'theirs' });
    expect(byName.services.map((s) => s.ours)).toEqual([false, true]);
    const throwing = deriveSwarmView({
      ...input,
      ours: () => {
        throw new Error('boom');
      },
    });
    expect(throwing.services.map((s) => s.ours)).toEqual([false, false]);
  });

  test('without ServiceStatus (listed without status=true) the counts are the daemon\'s, from the tasks', async () => {
    const input = await lists();
    const bare = input.services.map(({ ServiceStatus: _, ...s }) => s as Service);
    expect(deriveSwarmView({ ...input, services: bare }).services.map((s) => s.replicas)).toEqual(
      deriveSwarmView(input).services.map((s) => s.replicas),
    );
  });
});

describe('bad input never throws', () => {
  test('a task on a node the list does not have gets a column named by its ID, as service ps prints it', async () => {
    const session = new Session({ seed: 7 });
    await run(session, 'docker service create --replicas 3 --name redis redis:7.4.0');
    const api = session.sim.api('manager1');
    const nodes = (await api.nodeList()).filter((n) => n.Description.Hostname !== 'worker1');
    const tasks = await api.taskList();
    const model = deriveSwarmView({ nodes, services: await api.serviceList({ status: true }), tasks, now: 0 });
    const gone = model.nodes.filter((n) => n.gone);
    expect(gone).toHaveLength(1);
    expect(gone[0]!.hostname).toBe(gone[0]!.id);
    expect(model.tasks.filter((t) => t.node === gone[0]!.id)).toHaveLength(1);
  });

  test('random JSON where the lists should be: a model, plain JSON, no NaN', () => {
    const junk = fc.array(fc.oneof(fc.anything(), fc.object()), { maxLength: 6 });
    fc.assert(
      fc.property(junk, junk, junk, fc.option(fc.string()), (nodes, services, tasks, self) => {
        const model = deriveSwarmView({
          nodes: nodes as Node[],
          services: services as Service[],
          tasks: tasks as Task[],
          now: 1,
          ...(self !== null ? { self } : {}),
        });
        const json = JSON.stringify(model);
        expect(json).not.toMatch(/NaN|undefined|\[object /);
      }),
      { seed: 16, numRuns: 300 },
    );
  });

  test('objects shaped almost like the Engine API (wrong types in every field)', () => {
    const weird = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string()), fc.dictionary(fc.string(), fc.string()));
    const node = fc.record({ ID: weird, Spec: fc.record({ Role: weird, Availability: weird, Name: weird }), Description: fc.record({ Hostname: weird }), Status: fc.record({ State: weird }), ManagerStatus: fc.option(fc.record({ Leader: weird, Reachability: weird })) });
    const service = fc.record({ ID: weird, Spec: fc.record({ Name: weird, Labels: weird, Mode: fc.oneof(weird, fc.record({ Replicated: fc.record({ Replicas: weird }) })), TaskTemplate: fc.record({ ContainerSpec: fc.record({ Image: weird }), Placement: weird }) }), UpdateStatus: fc.option(fc.record({ State: weird, Message: weird, StartedAt: weird })), ServiceStatus: fc.option(fc.record({ RunningTasks: weird, DesiredTasks: weird })) });
    const task = fc.record({ ID: fc.string(), ServiceID: weird, Slot: weird, NodeID: weird, CreatedAt: weird, DesiredState: weird, Spec: fc.record({ ContainerSpec: fc.record({ Image: weird }) }), Status: fc.record({ State: weird, Timestamp: weird, Err: weird, ContainerStatus: fc.option(fc.record({ ExitCode: weird })) }) });
    fc.assert(
      fc.property(fc.array(node, { maxLength: 4 }), fc.array(service, { maxLength: 4 }), fc.array(task, { maxLength: 8 }), (nodes, services, tasks) => {
        const model = deriveSwarmView({ nodes: nodes as unknown as Node[], services: services as unknown as Service[], tasks: tasks as unknown as Task[], now: 1, ours: { label: 'x' } });
        expect(JSON.stringify(model)).not.toMatch(/NaN|\[object /);
        for (const t of model.tasks) expect(typeof t.name).toBe('string');
      }),
      { seed: 16, numRuns: 300 },
    );
  });
});
