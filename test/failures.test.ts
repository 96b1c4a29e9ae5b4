// Failures, injected (issue 17): the `lab` builtin, and what the simulated swarm does after a
// node's dockerd stops or starts, a task's container is killed, or managers go away — as
// swarmkit does it (engine/sim/dispatcher.ts, raft.ts, restart.ts, faults.ts). What a real
// swarm printed is held against the simulator in test/failures-real.test.ts.
import { describe, expect, test } from 'vitest';
import { CANNOT_CONNECT } from '../engine/api/swarm-api.js';
import type { Task } from '../engine/api/types.js';
import { readFileSync } from 'node:fs';
import { isJournalEntry } from '../engine/journal.js';
import { runScript } from '../engine/node/main.js';
import { readSwarmView } from '../engine/view/read.js';
import { Session } from '../engine/session.js';
import { restoreSession } from '../engine/snapshot.js';
import type { SessionSnapshot } from '../engine/snapshot.js';
import { Shell, labLine } from '../engine/shell/shell.js';
import { LOST_QUORUM } from '../engine/sim/daemon.js';
import { CONTROL } from '../engine/sim/timing.js';
import { dump } from './helpers/swarm-dump.js';

async function run(s: Session, line: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await s.run(line, {
    stdout: { write: (t) => void (out += t) },
    stderr: { write: (t) => void (err += t) },
    tty: false,
    columns: 200,
    signal: new AbortController().signal,
  });
  return { code, out, err };
}

const api = (s: Session, host = 'manager1') => s.sim.api(host);
const tasks = (s: Session, service: string, host = 'manager1'): Promise<Task[]> => api(s, host).taskList({ service: [service] });
const hostOfTask = (s: Session, t: Task): string => s.sim.cluster.nodes.get(t.NodeID ?? '')?.hostname ?? '';
const nodeState = async (s: Session, name: string, host = 'manager1'): Promise<string> => (await api(s, host).nodeInspect(name)).Status.State;

/** Moves the swarm on in small steps until `ok` holds; returns the virtual ms that took (or Infinity). */
async function until(s: Session, ok: () => Promise<boolean> | boolean, limitMs = 120_000, stepMs = 100): Promise<number> {
  const from = s.sim.clock.now;
  while (s.sim.clock.now - from <= limitMs) {
    if (await ok()) return s.sim.clock.now - from;
    s.advance(stepMs);
  }
  return Number.POSITIVE_INFINITY;
}

async function withRedis(seed: number, topology?: string): Promise<Session> {
  const s = new Session({ seed, mode: 'instant', ...(topology ? { topology } : {}) });
  await run(s, 'docker service create --replicas 3 --name redis redis:7.4.0');
  await run(s, 'docker service create -d --mode global --name agent redis:7.4.0');
  s.advance(5_000);
  return s;
}

const grace = { min: (CONTROL.graceMultiplier - 1) * (CONTROL.heartbeat.base - CONTROL.heartbeat.spread), max: CONTROL.graceMultiplier * (CONTROL.heartbeat.base + CONTROL.heartbeat.spread) };

describe('the lab builtin', () => {
  test('usage errors exit 2 with the usage on stderr; --help prints it on stdout', async () => {
    const s = new Session({ seed: 1 });
    const usage = (await run(s, 'lab --help')).out;
    expect(usage).toMatch(/^usage: lab node stop NODE .*\n {7}lab node start NODE .*\n {7}lab task kill TASK .*\n {29}\(TASK: .*\)\n$/);
    for (const l of usage.split('\n')) expect(l.length).toBeLessThanOrEqual(80);
    for (const line of ['lab', 'lab node', 'lab node stop', 'lab node reboot worker1', 'lab task kill', 'lab task stop redis.1', 'lab node stop worker1 worker2', "lab node stop ''"]) {
      expect(await run(s, line)).toEqual({ code: 2, out: '', err: usage });
    }
    expect(s.journal.entries).toHaveLength(0);
    const help = (await run(s, 'help')).out;
    expect(help).toMatch(/\n {2}lab node stop <node>, lab node start <node>\n {20}stop or start .*\n {2}lab task kill <task>\n {20}kill /);
    for (const l of help.split('\n').filter((x) => x.includes('lab') || x.startsWith(' '.repeat(20)))) expect(l.length).toBeLessThanOrEqual(80);
  });

  test('targets that do not exist, or are already so, are refused and change nothing', async () => {
    const s = await withRedis(2);
    const before = await dump(s, { shell: false });
    const entries = s.journal.entries.length;
    expect(await run(s, 'lab node stop worker9')).toEqual({ code: 1, out: '', err: 'lab: no such node: worker9\n' });
    expect(await run(s, 'lab node start worker1')).toEqual({ code: 1, out: '', err: 'lab: the Docker daemon on worker1 is already running\n' });
    expect(await run(s, 'lab task kill redis.9')).toEqual({ code: 1, out: '', err: 'lab: no such task: redis.9\n' });
    expect(await run(s, 'lab task kill nosuch.1')).toEqual({ code: 1, out: '', err: 'lab: no such task: nosuch.1\n' });
    expect(await dump(s, { shell: false })).toEqual(before);
    expect(s.journal.entries).toHaveLength(entries);
    expect(await run(s, 'undo')).toMatchObject({ out: expect.stringMatching(/^Undone: docker service create -d --mode global/) });
  });

  test('a node by its ID or a unique prefix; a task by its ID or prefix too', async () => {
    const s = await withRedis(3);
    const w2 = s.sim.cluster.nodeByHostname('worker2')!;
    expect((await run(s, `lab node stop ${w2.id.slice(0, 6)}`)).out).toBe(
      'Stopped the Docker daemon on worker2 (its containers stopped with it).\nThe managers mark the node Down once its heartbeats stop for the grace period.\n',
    );
    expect((await run(s, `lab node stop ${w2.id}`)).err).toBe('lab: the Docker daemon on worker2 is already stopped\n');
    const t = (await tasks(s, 'redis')).find((x) => hostOfTask(s, x) === 'manager1')!;
    expect((await run(s, `lab task kill ${t.ID.slice(0, 8)}`)).out).toBe(`Killed redis.${t.Slot}'s container on manager1 (task ${t.ID.slice(0, 12)}): SIGKILL, exit 137.\n`);
    expect((await run(s, `lab task kill ${t.ID}`)).err).toBe(`lab: redis.${t.Slot} has no running container to kill (the task is failed)\n`);
    const onW2 = (await tasks(s, 'redis')).find((x) => hostOfTask(s, x) === 'worker2')!;
    expect((await run(s, `lab task kill redis.${onW2.Slot}`)).err).toBe(`lab: redis.${onW2.Slot} is on worker2, whose Docker daemon is stopped: its container is not running\n`);
  });

  test('on a real swarm (a shell without the session\'s control) it is not available', async () => {
    const s = new Session({ seed: 1 });
    const real = new Shell({ api: () => undefined, hostnames: () => ['manager1'], clock: s.clock }, 'manager1');
    let err = '';
    const code = await real.run('lab node stop worker1', { stdout: { write: () => {} }, stderr: { write: (t) => void (err += t) }, tty: false, columns: 80, signal: new AbortController().signal });
    expect(code).toBe(1);
    expect(err).toBe('lab: not available in local mode: failures can only be injected into the simulated swarm (switch to the simulator to try it)\n');
  });

  test('the lines the swarm view runs for its menus', () => {
    expect(labLine('node-stop', 'worker1')).toBe('lab node stop worker1');
    expect(labLine('node-start', 'manager1')).toBe('lab node start manager1');
    expect(labLine('task-kill', 'redis.2')).toBe('lab task kill redis.2');
    expect(labLine('task-kill', "x y'z")).toBe(`lab task kill 'x y'\\''z'`);
    expect(() => labLine('node-reboot' as never, 'worker1')).toThrow(RangeError);
  });
});

describe('a node whose dockerd stops', () => {
  test.each([1, 2, 3, 4, 5, 6])('is Down after the heartbeat grace, its replicated tasks restart elsewhere after the restart delay, global ones do not (seed %i)', async (seed) => {
    const s = await withRedis(seed);
    const onWorker1 = (await tasks(s, 'redis')).filter((t) => hostOfTask(s, t) === 'worker1' && t.DesiredState === 'running');
    expect(onWorker1).toHaveLength(1);
    const slot = onWorker1[0]!.Slot;
    expect((await run(s, 'lab node stop worker1')).code).toBe(0);
    // Docker commands on it cannot connect; its node is Ready until the grace period ends.
    await run(s, 'ssh worker1');
    expect(await run(s, 'docker ps')).toEqual({ code: 1, out: '', err: `${CANNOT_CONNECT}\n` });
    await run(s, 'exit');
    const down = await until(s, async () => (await nodeState(s, 'worker1')) === 'down');
    expect(down).toBeGreaterThan(grace.min);
    expect(down).toBeLessThanOrEqual(grace.max + 100);
    const node = await api(s).nodeInspect('worker1');
    expect(node.Status).toEqual({ State: 'down', Message: 'heartbeat failure', Addr: node.Status.Addr });
    // The old task is left as last reported (Running), desired Shutdown; its replacement waits the restart delay.
    const slotTasks = (await tasks(s, 'redis')).filter((t) => t.Slot === slot);
    expect(slotTasks.find((t) => t.ID === onWorker1[0]!.ID)).toMatchObject({ DesiredState: 'shutdown', Status: { State: 'running' } });
    const replacement = slotTasks.find((t) => t.ID !== onWorker1[0]!.ID)!;
    expect(replacement.DesiredState).toBe('ready');
    const started = await until(s, async () => (await tasks(s, 'redis')).some((t) => t.ID === replacement.ID && t.Status.State === 'running'));
    expect(started).toBeGreaterThanOrEqual(5_000);
    expect(started).toBeLessThan(7_000);
    expect(hostOfTask(s, (await api(s).taskInspect(replacement.ID)))).not.toBe('worker1');
    // The global service's task on worker1 is shut down and not replaced anywhere.
    const agent = await tasks(s, 'agent');
    expect(agent.filter((t) => t.DesiredState === 'running').map((t) => hostOfTask(s, t)).sort()).toEqual(['manager1', 'worker2']);
    expect(agent.filter((t) => hostOfTask(s, t) === 'worker1')).toMatchObject([{ DesiredState: 'shutdown', Status: { State: 'running' } }]);
  });

  test('started again it is Ready once its agent registers, reports its old tasks, and nothing moves back', async () => {
    const s = await withRedis(7);
    await run(s, 'lab node stop worker1');
    s.advance(30_000);
    const placed = (await tasks(s, 'redis')).filter((t) => t.DesiredState === 'running').map((t) => [t.Slot, hostOfTask(s, t)]);
    // The builtin returns once the daemon answers, as systemctl start does; its agent has registered by then.
    const t0 = s.sim.clock.now;
    expect((await run(s, 'lab node start worker1')).out).toBe('Started the Docker daemon on worker1: it answers again.\nIts node is Ready once its agent has reached the leader.\n');
    expect(s.sim.clock.now - t0).toBeGreaterThanOrEqual(CONTROL.daemonStart.base - CONTROL.daemonStart.spread);
    expect(s.sim.clock.now - t0).toBeLessThanOrEqual(CONTROL.daemonStart.base + CONTROL.daemonStart.spread);
    expect((await run(s, 'docker node ls')).out).toMatch(/worker1 +Ready /);
    expect((await api(s).nodeInspect('worker1')).Status.Message).toBeUndefined();
    s.advance(30_000);
    const all = await tasks(s, 'redis');
    expect(all.filter((t) => t.DesiredState === 'running').map((t) => [t.Slot, hostOfTask(s, t)])).toEqual(placed);
    expect(all.filter((t) => hostOfTask(s, t) === 'worker1').map((t) => t.Status.State)).toEqual(['shutdown']);
    // The global service runs on it again: a new task, as swarmkit's global orchestrator makes.
    expect((await tasks(s, 'agent')).filter((t) => hostOfTask(s, t) === 'worker1').map((t) => [t.DesiredState, t.Status.State]).sort()).toEqual([
      ['running', 'running'],
      ['shutdown', 'shutdown'],
    ]);
  });

  test('docker version and docker info print the client part, then that they cannot connect', async () => {
    const s = new Session({ seed: 8 });
    await run(s, 'lab node stop worker2');
    await run(s, 'ssh worker2');
    const version = await run(s, 'docker version');
    expect(version.code).toBe(1);
    expect(version.out).toMatch(/^Client:\n Version: {11}28\.2\.2\n API version: {7}1\.50\n[^]*\n Context: {11}default\n$/);
    expect(version.err).toBe(`${CANNOT_CONNECT}\n`);
    const info = await run(s, 'docker info');
    expect(info).toEqual({ code: 1, out: 'Client:\n Version:    28.2.2\n Context:    default\n Debug Mode: false\n\nServer:\n', err: `${CANNOT_CONNECT}\n` });
    // A write refused because nothing answered is not kept in the recipe.
    const entries = s.journal.entries.length;
    expect((await run(s, 'docker swarm leave')).err).toBe(`${CANNOT_CONNECT}\n`);
    expect(s.journal.entries).toHaveLength(entries);
  });
});

describe('a killed container', () => {
  test('fails its task with exit 137; the default policy replaces it after 5 s', async () => {
    const s = await withRedis(9);
    const before = (await tasks(s, 'redis')).find((t) => t.Slot === 2 && t.DesiredState === 'running')!;
    await run(s, 'lab task kill redis.2');
    const killed = await api(s).taskInspect(before.ID);
    expect(killed.Status).toMatchObject({ State: 'failed', Message: 'started', Err: 'task: non-zero exit (137)', ContainerStatus: { ExitCode: 137 } });
    expect(killed.DesiredState).toBe('shutdown');
    const started = await until(s, async () => (await tasks(s, 'redis')).some((t) => t.Slot === 2 && t.ID !== before.ID && t.Status.State === 'running'));
    expect(started).toBeGreaterThanOrEqual(5_000);
    expect(started).toBeLessThan(6_500);
    await run(s, `ssh ${hostOfTask(s, before)}`);
    expect((await run(s, 'docker ps -a')).out).toMatch(new RegExp(`redis\\.2\\.${before.ID} +.*\\n|Exited \\(137\\)`));
  });

  test('condition none: no replacement; on-failure: replaced (137 is a failure)', async () => {
    const s = new Session({ seed: 10 });
    await run(s, 'docker service create --name once --restart-condition none redis:7.4.0');
    await run(s, 'docker service create --name onfail --restart-condition on-failure redis:7.4.0');
    await run(s, 'lab task kill once.1');
    await run(s, 'lab task kill onfail.1');
    s.advance(20_000);
    expect((await tasks(s, 'once')).map((t) => [t.DesiredState, t.Status.State])).toEqual([['shutdown', 'failed']]);
    expect((await tasks(s, 'onfail')).filter((t) => t.Status.State === 'running')).toHaveLength(1);
    expect((await run(s, 'docker service ls')).out).toMatch(/once +replicated +0\/1 /);
  });

  test('max attempts count restarts per slot, within the window when there is one', async () => {
    const s = new Session({ seed: 11 });
    await run(s, 'docker service create --name twice --restart-max-attempts 1 --restart-delay 1s redis:7.4.0');
    await run(s, 'docker service create --name windowed --restart-max-attempts 1 --restart-delay 1s --restart-window 10s redis:7.4.0');
    for (const name of ['twice', 'windowed']) {
      await run(s, `lab task kill ${name}.1`);
      s.advance(4_000);
      await run(s, `lab task kill ${name}.1`);
    }
    s.advance(4_000);
    expect((await tasks(s, 'twice')).map((t) => t.Status.State)).toEqual(['failed', 'failed']);
    // Within the 10 s window the one restart counts: no third task yet.
    expect((await tasks(s, 'windowed')).map((t) => t.Status.State)).toEqual(['failed', 'failed']);
    // After the window a new failure may restart again (the old restart no longer counts).
    const w = new Session({ seed: 12 });
    await run(w, 'docker service create --name windowed --restart-max-attempts 1 --restart-delay 1s --restart-window 10s redis:7.4.0');
    await run(w, 'lab task kill windowed.1');
    w.advance(15_000);
    await run(w, 'lab task kill windowed.1');
    w.advance(4_000);
    expect((await tasks(w, 'windowed')).filter((t) => t.Status.State === 'running')).toHaveLength(1);
    // The reaper keeps MaxAttempts + 1 tasks of such a slot (swarmkit's taskreaper): 2 of 3 here.
    expect((await tasks(w, 'windowed')).map((t) => [t.DesiredState, t.Status.State]).sort()).toEqual([
      ['running', 'running'],
      ['shutdown', 'failed'],
    ]);
  });

  test.each([
    ['pause', 'paused', /^update paused due to failure or early termination of task [a-z0-9]{25}$/],
    ['continue', 'completed', /^update completed$/],
    ['rollback', 'rollback_completed', /^rollback completed$/],
  ])('during a rolling update with --update-failure-action %s, the update ends %s', async (action, state, message) => {
    const s = await withRedis(13);
    await run(s, `docker service update -d --update-parallelism 0 --update-failure-action ${action} --image redis:7.4.1 redis`);
    await until(s, async () => (await tasks(s, 'redis')).some((t) => t.Slot === 1 && t.Status.State === 'running' && t.Spec.ContainerSpec.Image.startsWith('redis:7.4.1')));
    s.advance(1_000);
    expect((await run(s, 'lab task kill redis.1')).code).toBe(0);
    s.advance(30_000);
    const status = (await api(s).serviceInspect('redis')).UpdateStatus!;
    expect(status.State).toBe(state);
    expect(status.Message).toMatch(message);
  });
});

describe('managers that stop (--topology 3m2w)', () => {
  test('the leader stops: another manager is elected and shown as Leader; the old one is Unknown, then Down', async () => {
    const s = await withRedis(14, '3m2w');
    expect((await api(s).nodeList()).find((n) => n.ManagerStatus?.Leader)?.Description.Hostname).toBe('manager1');
    await run(s, 'lab node stop manager1');
    await run(s, 'ssh manager2');
    // Asked before there is a new leader, a manager waits for one (polling every second).
    const t0 = s.sim.clock.now;
    const first = await run(s, 'docker node ls');
    const answered = s.sim.clock.now;
    const elected = answered - t0;
    expect(first.code).toBe(0);
    expect(elected).toBeGreaterThanOrEqual(CONTROL.election.base - CONTROL.election.spread);
    expect(elected).toBeLessThanOrEqual(CONTROL.election.base + CONTROL.election.spread + 1_000);
    // Its first answer may come before the new leader's dispatcher has started (statuses as
    // stored, as captured once) or after (every node Unknown until its agent finds it again).
    expect(first.out).toMatch(/manager1 +(Ready|Unknown) +Active +Unreachable /);
    expect(first.out.match(/Leader/g)).toHaveLength(1);
    s.advance(CONTROL.dispatcherStart.base + CONTROL.dispatcherStart.spread);
    expect((await run(s, 'docker node ls')).out).toMatch(/^(?:.*\n)(?:\w+ (?:\*| ) +\w+ +Unknown .*\n){5}$/);
    s.advance(CONTROL.reconnect.base + CONTROL.reconnect.spread);
    const ls = (await run(s, 'docker node ls')).out;
    expect(ls).toMatch(/manager1 +Unknown +Active +Unreachable /);
    expect(ls.match(/Leader/g)).toHaveLength(1);
    expect(ls).toMatch(/manager[23] +Ready +Active +Leader /);
    expect(ls.match(/ Ready /g)).toHaveLength(4);
    // Down twice the grace period after the new leader's dispatcher found it Unknown (the first
    // answer came within a second of the election, the dispatcher started 0.2-0.4 s after it).
    await until(s, async () => (await nodeState(s, 'manager1', 'manager2')) === 'down');
    const down = s.sim.clock.now - answered;
    expect(down).toBeGreaterThan(CONTROL.unknownGraceMultiplier * (CONTROL.heartbeat.base - CONTROL.heartbeat.spread) - 1_000);
    expect(down).toBeLessThanOrEqual(CONTROL.unknownGraceMultiplier * (CONTROL.heartbeat.base + CONTROL.heartbeat.spread) + 500);
    expect((await api(s, 'manager2').nodeInspect('manager1')).Status.Message).toBe('heartbeat failure for node in "unknown" state');
    // Its tasks moved on once it was Down; the swarm kept working meanwhile.
    s.advance(10_000);
    const redis = await tasks(s, 'redis', 'manager2');
    expect(redis.filter((t) => t.DesiredState === 'running' && t.Status.State === 'running').map((t) => hostOfTask(s, t))).not.toContain('manager1');
    expect(redis.filter((t) => t.DesiredState === 'running')).toHaveLength(3);
    // Back again, it rejoins as a reachable manager; the leader stays.
    const leader = (await api(s, 'manager2').nodeList()).find((n) => n.ManagerStatus?.Leader)!.Description.Hostname;
    await run(s, 'lab node start manager1');
    s.advance(10_000);
    const m1 = await api(s, 'manager2').nodeInspect('manager1');
    expect([m1.Status.State, m1.ManagerStatus]).toEqual(['ready', { Reachability: 'reachable', Addr: m1.ManagerStatus!.Addr }]);
    expect((await api(s, 'manager2').nodeList()).find((n) => n.ManagerStatus?.Leader)!.Description.Hostname).toBe(leader);
  });

  test('with two of three managers stopped there is no quorum: manager commands fail with swarmkit\'s text until one is back', async () => {
    const s = await withRedis(15, '3m2w');
    await run(s, 'lab node stop manager2');
    s.advance(5_000);
    expect((await run(s, 'docker node ls')).out).toMatch(/manager2 +Ready +Active +Unreachable /);
    await run(s, 'lab node stop manager3');
    // No quorum: nothing commits (writes are refused), but the leader answers reads until it
    // steps down (CheckQuorum).
    const lost = `Error response from daemon: rpc error: code = Unknown desc = ${LOST_QUORUM}\n`;
    expect((await run(s, 'docker node ls')).code).toBe(0);
    expect(await run(s, 'docker service scale -d redis=1')).toMatchObject({ code: 1, err: `redis: ${lost}` });
    s.advance(CONTROL.checkQuorum.base + 100);
    // Without a leader: the first request waits for one until the daemon gives up (20 s)...
    const t0 = s.sim.clock.now;
    expect(await run(s, 'docker node ls')).toEqual({ code: 1, out: '', err: 'Error response from daemon: rpc error: code = DeadlineExceeded desc = context deadline exceeded\n' });
    expect(s.sim.clock.now - t0).toBe(20_000);
    // ...and once there has been none for 10 raft ticks, every request is refused at once.
    for (const line of ['docker node ls', 'docker service ls', 'docker service ps redis', 'docker service create -d --name x redis:7.4.0', 'docker swarm join-token worker']) {
      expect({ line, ...(await run(s, line)) }).toMatchObject({ line, code: 1, out: '', err: lost });
    }
    expect((await run(s, 'docker info')).out).toMatch(/\n  Error: rpc error: code = Unknown desc = The swarm does not have a leader[^\n]*\n  Is Manager: true\n  Node Address: /);
    // Workers still run their tasks.
    await run(s, 'ssh worker1');
    expect((await run(s, 'docker ps')).out).toMatch(/redis\./);
    await run(s, 'exit');
    // A quorum again: the starting manager's dockerd answers once a leader is elected.
    const t1 = s.sim.clock.now;
    await run(s, 'lab node start manager2');
    expect(s.sim.clock.now - t1).toBeGreaterThanOrEqual(CONTROL.managerStartElection.base - CONTROL.managerStartElection.spread);
    expect((await run(s, 'docker node ls')).out).toMatch(/manager1 +\w+ +Active +Leader /);
  });

  test('a quorum back before the leader steps down: it keeps leading, and the swarm goes on', async () => {
    const s = await withRedis(18, '3m2w');
    await run(s, 'lab node stop worker1');
    await run(s, 'lab node stop manager2');
    await run(s, 'lab node stop manager3');
    const lost = s.sim.clock.now;
    // Back before the leader's quorum check (10 s at the soonest), starting included.
    s.advance(2_000);
    await run(s, 'lab node start manager3');
    expect(s.sim.clock.now - lost).toBeLessThan(CONTROL.checkQuorum.base - CONTROL.checkQuorum.spread);
    // Nothing committed meanwhile: worker1 is not Down yet.
    expect(await nodeState(s, 'worker1')).toBe('ready');
    const nodes = await api(s).nodeList();
    expect(nodes.find((n) => n.ManagerStatus?.Leader)?.Description.Hostname).toBe('manager1');
    expect(nodes.filter((n) => n.Status.State === 'unknown')).toEqual([]);
    // The dispatcher looked again: worker1 is Down within a grace period, its task moves.
    expect(await until(s, async () => (await nodeState(s, 'worker1')) === 'down')).toBeLessThanOrEqual(grace.max);
    s.advance(10_000);
    expect((await tasks(s, 'redis')).filter((t) => t.DesiredState === 'running' && t.Status.State === 'running').map((t) => hostOfTask(s, t))).not.toContain('worker1');
  });

  test('the only manager stops: workers run on; back, it leads at once, and its own task fails as its container is gone', async () => {
    const s = await withRedis(16);
    const mine = (await tasks(s, 'redis')).find((t) => hostOfTask(s, t) === 'manager1' && t.DesiredState === 'running')!;
    const theirs = (await tasks(s, 'redis')).find((t) => hostOfTask(s, t) === 'worker1' && t.DesiredState === 'running')!;
    await run(s, 'lab node stop manager1');
    expect((await run(s, 'docker node ls')).err).toBe(`${CANNOT_CONNECT}\n`);
    await run(s, 'ssh worker1');
    expect((await run(s, 'docker node ls')).err).toBe(
      "Error response from daemon: This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.\n",
    );
    expect((await run(s, 'docker ps')).out).toContain(`redis.${theirs.Slot}.${theirs.ID}`);
    // Killed meanwhile: the container is gone, but no leader hears of it yet.
    await run(s, `lab task kill ${theirs.ID}`);
    s.advance(60_000);
    await run(s, 'exit');
    const t0 = s.sim.clock.now;
    await run(s, 'lab node start manager1');
    expect(s.sim.clock.now - t0).toBeGreaterThanOrEqual(CONTROL.loneManagerStart.base - CONTROL.loneManagerStart.spread);
    // It answers as the leader, its own node Ready, the workers Unknown until their agents find it.
    const ls = (await run(s, 'docker node ls')).out;
    expect(ls).toMatch(/manager1 +Ready +Active +Leader /);
    expect(ls).toMatch(/worker1 +Unknown /);
    expect(ls).toMatch(/worker2 +Unknown /);
    expect(await api(s).taskInspect(mine.ID)).toMatchObject({ DesiredState: 'shutdown', Status: { State: 'failed', Err: `No such container: redis.${mine.Slot}.${mine.ID}` } });
    expect((await api(s).taskInspect(theirs.ID)).Status).toMatchObject({ State: 'failed', Err: 'task: non-zero exit (137)' });
    s.advance(CONTROL.reconnect.base + CONTROL.reconnect.spread + 10_000);
    expect((await run(s, 'docker node ls')).out.match(/ Ready /g)).toHaveLength(3);
    const redis = await tasks(s, 'redis');
    expect(redis.filter((x) => x.DesiredState === 'running' && x.Status.State === 'running')).toHaveLength(3);
    // Its old container is not listed any more.
    expect((await run(s, 'docker ps -a')).out).not.toContain(mine.ID);
  });
});

describe('the swarm view', () => {
  test('moves with each failure, and reads through a manager that answers when the first one is stopped', async () => {
    const s = await withRedis(19, '3m2w');
    const view = () => readSwarmView(s.sim.hostnames().map((h) => s.sim.api(h)), { now: s.sim.clock.epochNow() });
    let revision = s.sim.cluster.revision;
    const moved = (): boolean => {
      const r = s.sim.cluster.revision;
      const m = r !== revision;
      revision = r;
      return m;
    };
    await run(s, 'lab node stop manager1');
    expect(moved()).toBe(true);
    await until(s, () => s.sim.raft.hasLeader(), 30_000, 500);
    s.advance(10_000);
    expect(moved()).toBe(true);
    const nodes = (await view()).nodes;
    expect(nodes.find((n) => n.hostname === 'manager1')).toMatchObject({ status: 'unknown', managerStatus: 'Unreachable' });
    expect(nodes.filter((n) => n.managerStatus === 'Leader')).toHaveLength(1);
    await run(s, 'lab node start manager1');
    expect(moved()).toBe(true);
    expect((await view()).nodes.find((n) => n.hostname === 'manager1')).toMatchObject({ status: 'ready', managerStatus: 'Reachable' });
  });
});

describe('injections in the recipe', () => {
  test('a swarm-lab run script injects them too, the same way every run', async () => {
    const script = readFileSync(new URL('./fixtures/walkthroughs/node-failure.sh', import.meta.url), 'utf8');
    const a = await runScript(script, { seed: 21, cols: 80 });
    const b = await runScript(script, { seed: 21, cols: 80 });
    expect(b).toEqual(a);
    expect(a.find((e) => e.command === 'lab node stop worker1')?.output).toMatch(/^Stopped the Docker daemon on worker1 /);
    expect(a.find((e) => e.command === 'docker ps')?.output).toBe(`${CANNOT_CONNECT}\n`);
    expect(a.filter((e) => e.command === 'docker node ls').map((e) => /worker1 +(\w+)/.exec(e.output)?.[1])).toEqual(['Ready', 'Down', undefined, 'Ready']);
  });

  test('each is a journal entry of its own kind, replayed exactly by a restore; junk ones are not entries', async () => {
    const s = await withRedis(17, '3m2w');
    await run(s, 'lab task kill redis.1');
    s.advance(3_000);
    await run(s, 'lab node stop worker1');
    s.advance(20_000);
    await run(s, 'lab node stop manager1');
    s.advance(40_000);
    await run(s, 'lab node start worker1');
    s.advance(7_000);
    const injected = s.journal.entries.filter((e) => 'inject' in e);
    expect(injected.map((e) => ('inject' in e ? [e.inject, e.target.length] : []))).toEqual([
      ['task-kill', 25],
      ['node-stop', 'worker1'.length],
      ['node-stop', 'manager1'.length],
      ['node-start', 'worker1'.length],
    ]);
    const snap = JSON.parse(JSON.stringify(s.snapshot())) as SessionSnapshot;
    const restored = await restoreSession(snap, 'instant');
    expect(await dump(restored)).toEqual(await dump(s));
    expect(restored.journal.entries).toEqual(s.journal.entries);
    for (const bad of [
      { at: 1, inject: 'node-reboot', target: 'worker1' },
      { at: 1, inject: 'node-stop', target: '' },
      { at: 1, inject: 'node-stop', target: 'x'.repeat(300) },
      { at: -1, inject: 'node-stop', target: 'worker1' },
      { at: 1, inject: 'node-stop', target: 7 },
      { at: 1, inject: 'node-stop', target: 'worker1', host: 'manager1' },
    ]) {
      expect(isJournalEntry(bad)).toBe(false);
    }
    // An entry that does not fit the swarm (no such task) replays as nothing, and stays in the recipe.
    const odd: SessionSnapshot = { ...snap, journal: [...snap.journal, { at: snap.now, inject: 'task-kill', target: 'nosuchtask' }] };
    const again = await restoreSession(odd, 'instant');
    expect(again.journal.entries).toHaveLength(odd.journal.length);
    expect(await dump(again, { shell: false })).toEqual(await dump(s, { shell: false }));
  });
});
