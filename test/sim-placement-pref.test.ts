// --placement-pref on the simulated swarm: kept in the spec, shown by `inspect --pretty`,
// honoured by the scheduler as swarmkit's spread over a label's values (nodes without the
// label are a group of their own), changed by --placement-pref-add/-rm without moving tasks.
import { describe, expect, test } from 'vitest';
import { Session } from '../engine/session.js';

async function run(session: Session, line: string): Promise<{ out: string; code: number }> {
  let out = '';
  const sink = { write: (s: string) => void (out += s) };
  const code = await session.run(line, { stdout: sink, stderr: sink, tty: false, columns: 250, signal: new AbortController().signal });
  return { out, code };
}

/** Running tasks of a service per node hostname. */
async function perNode(session: Session, service: string): Promise<Record<string, number>> {
  const api = session.sim.api('manager1');
  const names = new Map((await api.nodeList()).map((n) => [n.ID, n.Description.Hostname]));
  const out: Record<string, number> = {};
  for (const t of await api.taskList({ service: [service], 'desired-state': ['running'] })) {
    const host = names.get(t.NodeID ?? '') ?? '?';
    out[host] = (out[host] ?? 0) + 1;
  }
  return out;
}

async function labelled(seed: number, labels: Record<string, string>): Promise<Session> {
  const session = new Session({ seed, mode: 'instant' });
  for (const [node, label] of Object.entries(labels)) expect((await run(session, `docker node update --label-add ${label} ${node}`)).code).toBe(0);
  return session;
}

describe('placement preferences', () => {
  test('kept in the spec and shown by inspect --pretty under Placement', async () => {
    const session = new Session({ seed: 1, mode: 'instant' });
    await run(session, 'docker service create --detach --name web --replicas 2 --placement-pref spread=node.labels.zone redis:7.4.0');
    const pretty = (await run(session, 'docker service inspect --pretty web')).out;
    expect(pretty).toContain('\nPlacement:\n Preferences:   [spread=node.labels.zone]\n');
    const json = (await run(session, "docker service inspect --format '{{json .Spec.TaskTemplate.Placement.Preferences}}' web")).out.trim();
    expect(json).toBe('[{"Spread":{"SpreadDescriptor":"node.labels.zone"}}]');
  });

  test.each([1, 2, 3, 4, 5, 6, 7, 8])('spread evens out the label values, not the nodes (seed %i)', async (seed) => {
    const session = await labelled(seed, { manager1: 'zone=a', worker1: 'zone=a', worker2: 'zone=b' });
    await run(session, 'docker service create --detach --name web --replicas 4 --placement-pref spread=node.labels.zone redis:7.4.0');
    session.advance(5_000);
    const counts = await perNode(session, 'web');
    expect(counts['worker2']).toBe(2);
    expect((counts['manager1'] ?? 0) + (counts['worker1'] ?? 0)).toBe(2);
  });

  test.each([1, 2, 3, 4])('nodes without the label are a group of their own (seed %i)', async (seed) => {
    const session = await labelled(seed, { manager1: 'zone=a' });
    await run(session, 'docker service create --detach --name web --replicas 4 --placement-pref spread=node.labels.zone redis:7.4.0');
    session.advance(5_000);
    expect(await perNode(session, 'web')).toEqual({ manager1: 2, worker1: 1, worker2: 1 });
  });

  test('without the preference the same swarm spreads over the nodes', async () => {
    const session = await labelled(1, { manager1: 'zone=a', worker1: 'zone=a', worker2: 'zone=b' });
    await run(session, 'docker service create --detach --name web --replicas 3 redis:7.4.0');
    session.advance(5_000);
    expect(await perNode(session, 'web')).toEqual({ manager1: 1, worker1: 1, worker2: 1 });
  });

  test('--placement-pref-add/-rm change the spec but move no task (placement alone does not make a task dirty)', async () => {
    const session = new Session({ seed: 2, mode: 'instant' });
    await run(session, 'docker service create --detach --name web --replicas 3 redis:7.4.0');
    session.advance(5_000);
    const before = (await session.sim.api('manager1').taskList({ service: ['web'] })).map((t) => t.ID).sort();
    await run(session, 'docker service update --detach --placement-pref-add spread=node.labels.zone --placement-pref-add spread=node.labels.rack web');
    const json = "docker service inspect --format '{{json .Spec.TaskTemplate.Placement.Preferences}}' web";
    expect((await run(session, json)).out.trim()).toBe(
      '[{"Spread":{"SpreadDescriptor":"node.labels.zone"}},{"Spread":{"SpreadDescriptor":"node.labels.rack"}}]',
    );
    await run(session, 'docker service update --detach --placement-pref-rm spread=node.labels.zone web');
    expect((await run(session, json)).out.trim()).toBe('[{"Spread":{"SpreadDescriptor":"node.labels.rack"}}]');
    expect((await run(session, 'docker service inspect --pretty web')).out).toContain(' Preferences:   [spread=node.labels.rack]\n');
    session.advance(10_000);
    expect((await session.sim.api('manager1').taskList({ service: ['web'] })).map((t) => t.ID).sort()).toEqual(before);
  });

  test('a constraint the task\'s node fails still replaces it', async () => {
    const session = new Session({ seed: 3, mode: 'instant' });
    await run(session, 'docker service create --detach --name web --replicas 3 redis:7.4.0');
    session.advance(5_000);
    await run(session, 'docker service update --constraint-add node.role==worker web');
    const counts = await perNode(session, 'web');
    expect(counts['manager1']).toBeUndefined();
    expect((counts['worker1'] ?? 0) + (counts['worker2'] ?? 0)).toBe(3);
  });

  test.each([
    ['--placement-pref foo', 'placement preference must be of the format "<strategy>=<arg>"'],
    ['--placement-pref binpack=node.labels.zone', 'unsupported placement preference binpack (only spread is supported)'],
  ])('%s is refused as docker refuses it', async (flag, reason) => {
    const session = new Session({ seed: 4, mode: 'instant' });
    const value = flag.split(' ')[1]!;
    const r = await run(session, `docker service create ${flag} redis:7.4.0`);
    expect(r.code).toBe(125);
    expect(r.out).toContain(`invalid argument "${value}" for "--placement-pref" flag: ${reason}\n`);
  });
});
