// Published ports on the simulated swarm (issue 18, "Port fidelity"): an endpoint change alone
// replaces every task (swarmkit's IsTaskDirty), --publish-rm removes what docker/cli's
// updatePorts removes, host-mode ports show in `docker service ps`, the executor's gossip
// delay before stopping a task with a service binding, and the daemon's port checks.
import { describe, expect, test } from 'vitest';
import { Session } from '../engine/session.js';
import type { Task } from '../engine/api/types.js';
import { TIMING } from '../engine/sim/timing.js';
import { parseCliTable } from './helpers/cli-table.js';

const psRows = (text: string) =>
  parseCliTable(text, ['ID', 'NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR', 'PORTS']).map((r) => ({
    desired: r['DESIRED STATE']!,
    ports: r['PORTS']!,
  }));

async function run(session: Session, line: string): Promise<{ out: string; code: number }> {
  let out = '';
  const sink = { write: (s: string) => void (out += s) };
  const code = await session.run(line, { stdout: sink, stderr: sink, tty: false, columns: 250, signal: new AbortController().signal });
  return { out, code };
}

const tasks = async (session: Session, name: string): Promise<Task[]> => session.sim.api('manager1').taskList({ service: [name] });
const ports = async (session: Session, name: string): Promise<string> =>
  (await run(session, `docker service inspect --format '{{json .Spec.EndpointSpec.Ports}}' ${name}`)).out.trim();

describe('an update that changes only the endpoint', () => {
  test.each([
    ['--publish-add published=8081,target=6379'],
    ['--publish-rm 6379'],
    ['--publish-add published=8082,target=6380,mode=host'],
  ])('replaces every task (%s)', async (flags) => {
    const session = new Session({ seed: 3, mode: 'instant' });
    expect((await run(session, 'docker service create --detach --name web --replicas 3 --publish published=8080,target=6379 redis:7.4.0')).code).toBe(0);
    session.advance(5_000);
    const before = (await tasks(session, 'web')).filter((t) => t.Status.State === 'running').map((t) => t.ID);
    expect(before).toHaveLength(3);
    const update = await run(session, `docker service update ${flags} web`);
    expect(update.code).toBe(0);
    const after = await tasks(session, 'web');
    const running = after.filter((t) => t.DesiredState === 'running' && t.Status.State === 'running');
    expect(running).toHaveLength(3);
    for (const t of running) expect(before).not.toContain(t.ID);
    for (const id of before) expect(after.find((t) => t.ID === id)?.DesiredState).toBe('shutdown');
    const status = (await run(session, "docker service inspect --format '{{.UpdateStatus.State}}' web")).out.trim();
    expect(status).toBe('completed');
  });

  test('an update that changes nothing replaces nothing', async () => {
    const session = new Session({ seed: 4, mode: 'instant' });
    await run(session, 'docker service create --detach --name web --replicas 2 --publish published=8080,target=6379 redis:7.4.0');
    session.advance(5_000);
    const before = (await tasks(session, 'web')).map((t) => t.ID).sort();
    await run(session, 'docker service update --publish-add published=8080,target=6379 web');
    session.advance(5_000);
    expect((await tasks(session, 'web')).map((t) => t.ID).sort()).toEqual(before);
  });

  test('the up-to-date filter the CLI polls with counts an old endpoint as out of date', async () => {
    const session = new Session({ seed: 5, mode: 'instant' });
    await run(session, 'docker service create --detach --name web --replicas 2 redis:7.4.0');
    session.advance(5_000);
    await run(session, 'docker service update --detach --publish-add 8080:6379 web');
    const api = session.sim.api('manager1');
    const upToDate = await api.taskList({ service: ['web'], 'desired-state': ['running'], '_up-to-date': ['true'] });
    const all = await api.taskList({ service: ['web'], 'desired-state': ['running'] });
    expect(all.length).toBeGreaterThan(upToDate.length);
  });
});

describe('--publish-rm as docker/cli updatePorts does it', () => {
  const both = 'docker service create --detach --name web --replicas 1 --publish published=8080,target=6379 --publish published=8081,target=6379,mode=host redis:7.4.0';

  test('a bare target removes the ingress port and keeps the host-mode one', async () => {
    const session = new Session({ seed: 6, mode: 'instant' });
    expect((await run(session, both)).code).toBe(0);
    await run(session, 'docker service update --detach --publish-rm 6379 web');
    expect(await ports(session, 'web')).toBe('[{"Protocol":"tcp","TargetPort":6379,"PublishedPort":8081,"PublishMode":"host"}]');
  });

  test('mode=host removes the host-mode one; the published port plays no part', async () => {
    const session = new Session({ seed: 7, mode: 'instant' });
    await run(session, both);
    await run(session, 'docker service update --detach --publish-rm published=1,target=6379,mode=host web');
    expect(await ports(session, 'web')).toBe('[{"Protocol":"tcp","TargetPort":6379,"PublishedPort":8080,"PublishMode":"ingress"}]');
  });

  test('a udp port stays when tcp is removed; ports sort as docker sorts their keys (strings)', async () => {
    const session = new Session({ seed: 8, mode: 'instant' });
    await run(session, 'docker service create --detach --name dns --publish 53:53/udp --publish 53:53 redis:7.4.0');
    await run(session, 'docker service update --detach --publish-rm 53 --publish-add 10053:53 --publish-add 9000:90 dns');
    expect(await ports(session, 'dns')).toBe(
      '[{"Protocol":"tcp","TargetPort":53,"PublishedPort":10053,"PublishMode":"ingress"},' +
        '{"Protocol":"udp","TargetPort":53,"PublishedPort":53,"PublishMode":"ingress"},' +
        '{"Protocol":"tcp","TargetPort":90,"PublishedPort":9000,"PublishMode":"ingress"}]',
    );
  });

  test('--publish-add replaces nothing: the same published port twice is the daemon\'s error', async () => {
    const session = new Session({ seed: 9, mode: 'instant' });
    await run(session, 'docker service create --detach --name web --publish 8080:6379 redis:7.4.0');
    const r = await run(session, 'docker service update --detach --publish-add 8080:6380 web');
    expect(r).toEqual({ code: 1, out: 'Error response from daemon: rpc error: code = InvalidArgument desc = EndpointSpec: duplicate published ports provided\n' });
  });
});

describe("the daemon's port checks (swarmkit's controlapi)", () => {
  test('a published port another service holds is refused, naming it and its mode', async () => {
    const session = new Session({ seed: 10, mode: 'instant' });
    await run(session, 'docker service create --detach --name a --publish 8080:6379 redis:7.4.0');
    await run(session, 'docker service create --detach --name h --publish published=9090,target=6379,mode=host redis:7.4.0');
    const a = session.sim.cluster.services.values().next().value!.id;
    const h = [...session.sim.cluster.services.values()].find((s) => s.spec.Name === 'h')!.id;
    expect(await run(session, 'docker service create --detach --name b --publish published=8080,target=80,mode=host redis:7.4.0')).toEqual({
      code: 1,
      out: `Error response from daemon: rpc error: code = InvalidArgument desc = port '8080' is already in use by service 'a' (${a}) as an ingress port\n`,
    });
    expect(await run(session, 'docker service create --detach --name c --publish 9090:80 redis:7.4.0')).toEqual({
      code: 1,
      out: `Error response from daemon: rpc error: code = InvalidArgument desc = port '9090' is already in use by service 'h' (${h}) as a host-published port\n`,
    });
    // Host-mode ports may be shared between services; another protocol is another port.
    expect((await run(session, 'docker service create --detach --name d --publish published=9090,target=80,mode=host redis:7.4.0')).code).toBe(0);
    expect((await run(session, 'docker service create --detach --name e --publish 8080:80/udp redis:7.4.0')).code).toBe(0);
  });

  test('an ingress port under dnsrr is refused', async () => {
    const session = new Session({ seed: 11, mode: 'instant' });
    const r = await run(session, 'docker service create --detach --name a --endpoint-mode dnsrr --publish 8080:6379 redis:7.4.0');
    expect(r.out).toBe("Error response from daemon: rpc error: code = InvalidArgument desc = EndpointSpec: port published with ingress mode can't be used with dnsrr mode\n");
  });
});

describe('host-mode ports in docker service ps', () => {
  test('running tasks show their bindings (IPv4 and IPv6), stopped ones none', async () => {
    const session = new Session({ seed: 12, mode: 'instant' });
    await run(session, 'docker service create --detach --name r --mode global --publish mode=host,published=8081,target=6379 redis:7.4.0');
    session.advance(5_000);
    const rows = psRows((await run(session, 'docker service ps r')).out);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.ports).toBe('*:8081->6379/tcp,*:8081->6379/tcp');
    await run(session, 'docker service update --detach --image redis:7.4.1 r');
    session.advance(60_000);
    const after = psRows((await run(session, 'docker service ps r')).out);
    expect(after).toHaveLength(6);
    for (const row of after) expect(row.ports).toBe(row.desired === 'Running' ? '*:8081->6379/tcp,*:8081->6379/tcp' : '');
  });

  test('ingress ports are not shown there', async () => {
    const session = new Session({ seed: 13, mode: 'instant' });
    await run(session, 'docker service create --detach --name r --replicas 2 --publish 8080:6379 redis:7.4.0');
    session.advance(5_000);
    for (const row of psRows((await run(session, 'docker service ps r')).out)) expect(row.ports).toBe('');
  });

  test('a host-mode port left to the daemon gets an ephemeral port', async () => {
    const session = new Session({ seed: 14, mode: 'instant' });
    await run(session, 'docker service create --detach --name r --replicas 1 --publish mode=host,target=6379 redis:7.4.0');
    session.advance(5_000);
    const [row] = psRows((await run(session, 'docker service ps r')).out);
    expect(row!.ports).toMatch(/^\*:(\d+)->6379\/tcp,\*:\1->6379\/tcp$/);
    const port = Number(/^\*:(\d+)/.exec(row!.ports)![1]);
    expect(port).toBeGreaterThanOrEqual(32768);
    expect(port).toBeLessThanOrEqual(60999);
  });
});

describe("the executor's gossip delay", () => {
  /** How long each old task took from its shutdown order to SHUTDOWN, in a rolling update. */
  async function stopTimes(publish: string, seed: number): Promise<number[]> {
    const session = new Session({ seed, mode: 'instant' });
    await run(session, `docker service create --detach --name s --replicas 3 ${publish} redis:7.4.0`);
    session.advance(5_000);
    const old = new Set((await tasks(session, 's')).map((t) => t.ID));
    await run(session, 'docker service update --detach --image redis:7.4.1 s');
    const ordered = new Map<string, number>();
    const stopped = new Map<string, number>();
    for (let t = 0; t < 40_000; t += 20) {
      session.advance(20);
      for (const task of session.sim.cluster.tasks.values()) {
        if (!old.has(task.id)) continue;
        if (task.desired === 'shutdown' && !ordered.has(task.id)) ordered.set(task.id, session.sim.clock.now);
        if (task.state === 'shutdown' && !stopped.has(task.id)) stopped.set(task.id, session.sim.clock.now);
      }
    }
    return [...old].map((id) => stopped.get(id)! - ordered.get(id)!);
  }

  test('a task with an ingress port takes 2 s (and its teardown) longer to stop; host-mode ports or none do not', async () => {
    const plain = TIMING.stop.base;
    for (const d of await stopTimes('', 21)) expect(Math.abs(d - plain)).toBeLessThanOrEqual(TIMING.stop.spread + 40);
    for (const d of await stopTimes('--publish mode=host,published=8081,target=6379', 22)) expect(Math.abs(d - plain)).toBeLessThanOrEqual(TIMING.stop.spread + 40);
    // moby's fixed 2 s sleep, then the ingress endpoint's teardown (measured on the sandbox).
    expect(TIMING.gossipConverge).toBe(2_000);
    const extra = TIMING.gossipConverge + TIMING.ingressTeardown.base;
    for (const d of await stopTimes('--publish 8080:6379', 23)) {
      expect(Math.abs(d - plain - extra)).toBeLessThanOrEqual(TIMING.stop.spread + TIMING.ingressTeardown.spread + 40);
    }
  });

  test('a rolling update of a published service takes ~4 s a slot, of an unpublished one ~2 s', async () => {
    const slotTimes = async (publish: string): Promise<number> => {
      const session = new Session({ seed: 31, mode: 'instant' });
      await run(session, `docker service create --detach --name s --replicas 3 ${publish} redis:7.4.0`);
      session.advance(5_000);
      await run(session, 'docker service update --image redis:7.4.1 s');
      const s = await session.sim.api('manager1').serviceInspect('s');
      // From the update to the last slot's task running, less the final 5 s monitor window.
      return (Date.parse(s.UpdateStatus!.CompletedAt!) - Date.parse(s.UpdateStatus!.StartedAt!) - 5_000) / 3;
    };
    const plain = await slotTimes('');
    const published = await slotTimes('--publish 8080:6379');
    expect(plain).toBeGreaterThan(1_500);
    expect(plain).toBeLessThan(2_800);
    expect(published).toBeGreaterThan(3_500);
    expect(published).toBeLessThan(4_800);
  });
});

describe("host-mode ports and the scheduler (swarmkit's HostPortFilter)", () => {
  test('a fourth replica on three nodes waits, saying why', async () => {
    const session = new Session({ seed: 41, mode: 'instant' });
    await run(session, 'docker service create --detach --name h --replicas 4 --publish mode=host,published=8081,target=6379 redis:7.4.0');
    session.advance(5_000);
    const all = await tasks(session, 'h');
    expect(all.filter((t) => t.Status.State === 'running').map((t) => t.NodeID).sort()).toEqual(
      [...session.sim.cluster.nodes.keys()].sort(),
    );
    const waiting = all.filter((t) => t.Status.State === 'pending');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.Status.Err).toBe('no suitable node (host-mode port already in use on 3 nodes)');
  });

  test('a rolling update of a host-mode service moves each slot once its old task freed the port', async () => {
    const session = new Session({ seed: 42, mode: 'instant' });
    await run(session, 'docker service create --detach --name h --replicas 3 --publish mode=host,published=8081,target=6379 redis:7.4.0');
    session.advance(5_000);
    const r = await run(session, 'docker service update --image redis:7.4.1 h');
    expect(r.code).toBe(0);
    const now = await tasks(session, 'h');
    const running = now.filter((t) => t.DesiredState === 'running' && t.Status.State === 'running');
    expect(running).toHaveLength(3);
    expect(new Set(running.map((t) => t.NodeID)).size).toBe(3);
    for (const t of running) expect(t.Spec.ContainerSpec.Image).toMatch(/^redis:7\.4\.1/);
  });

  test('another service may take the same host port only on the nodes left', async () => {
    const session = new Session({ seed: 43, mode: 'instant' });
    await run(session, 'docker service create --detach --name a --replicas 2 --publish mode=host,published=8081,target=6379 redis:7.4.0');
    session.advance(3_000);
    await run(session, 'docker service create --detach --name b --replicas 2 --publish mode=host,published=8081,target=6379 redis:7.4.0');
    session.advance(5_000);
    const a = await tasks(session, 'a');
    const b = await tasks(session, 'b');
    const nodesA = new Set(a.filter((t) => t.Status.State === 'running').map((t) => t.NodeID));
    const runningB = b.filter((t) => t.Status.State === 'running');
    expect(nodesA.size).toBe(2);
    expect(runningB).toHaveLength(1);
    expect(nodesA.has(runningB[0]!.NodeID!)).toBe(false);
    expect(b.find((t) => t.Status.State === 'pending')?.Status.Err).toBe('no suitable node (host-mode port already in use on 3 nodes)');
  });
});
