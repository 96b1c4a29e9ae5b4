// A lesson's start state on the real swarm (issue 4 point 5): the server's terminal first
// PLANS (the `plan` frame: which Swarm Lab services would be removed, which setup lines
// run), and only `reset` changes anything. Run on the server-side terminal over the
// simulator as backend, wrapped in a spy recording every Engine call, so "the plan made no
// change" and "only the managed services were removed" are exact assertions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineCall } from '../engine/node/server/call-log.js';
import type { LocalBackend } from '../engine/node/server/backend.js';
import { MANAGED_LABEL_KEY } from '../engine/node/server/guard.js';
import type { ServerFrame } from '../engine/node/server/protocol.js';
import { parseClientFrame } from '../engine/node/server/protocol.js';
import type { StartPlan, StartResult } from '../engine/node/server/terminal.js';
import { TerminalSession } from '../engine/node/server/terminal.js';
import { Simulator } from '../engine/sim/simulator.js';
import { lessonById } from '../content/lessons/index.js';
import { simBackend } from './helpers/sim-backend.js';

const SPEED = 40;
const WRITES = new Set<string>(['serviceCreate', 'serviceUpdate', 'serviceDelete', 'nodeUpdate', 'nodeRemove', 'swarmInit', 'swarmJoin', 'swarmLeave', 'swarmUpdate']);

/** A server-side terminal and a way to send it a frame and get the answer. */
function terminal(backend: LocalBackend, scoped: boolean) {
  const frames: ServerFrame[] = [];
  const session = new TerminalSession(backend, { scoped }, (f) => frames.push(f));
  let next = 1;
  const ask = async (t: 'plan' | 'reset', setup: string[]): Promise<unknown> => {
    const id = next++;
    await session.handle({ t, id, setup });
    const f = frames.find((x) => 'id' in x && x.id === id);
    if (f?.t === 'error') throw new Error(f.message);
    if (f?.t !== 'result') throw new Error(`no answer to ${t}`);
    return f.value;
  };
  const run = async (line: string): Promise<{ code: number; out: string }> => {
    const id = next++;
    await session.handle({ t: 'run', id, line, cols: 120 });
    const out = frames.filter((x): x is Extract<ServerFrame, { t: 'out' }> => x.t === 'out' && x.id === id).map((x) => x.text).join('');
    const done = frames.find((x): x is Extract<ServerFrame, { t: 'done' }> => x.t === 'done' && x.id === id);
    return { code: done?.code ?? -1, out };
  };
  return {
    plan: (setup: string[]) => ask('plan', setup) as Promise<StartPlan>,
    reset: (setup: string[]) => ask('reset', setup) as Promise<StartResult>,
    run,
  };
}

const drainSetup = lessonById('drain-node')!.setup;

describe('planning and applying a lesson start state on the real swarm', () => {
  let sim: Simulator;
  let driver: ReturnType<typeof setInterval>;
  const calls: EngineCall[] = [];

  beforeAll(() => {
    sim = new Simulator({ seed: 21, startEpochMs: Date.now() });
    driver = setInterval(() => sim.clock.advance(20 * SPEED), 20);
  });
  afterAll(() => clearInterval(driver));

  it('the plan frame parses like reset, and nothing else sneaks in', () => {
    expect(parseClientFrame(JSON.stringify({ t: 'plan', id: 3, setup: ['docker service ls'] }))).toEqual({ t: 'plan', id: 3, setup: ['docker service ls'] });
    expect(parseClientFrame(JSON.stringify({ t: 'plan', id: 3, setup: ['x'], force: true }))).toBeUndefined();
    expect(parseClientFrame(JSON.stringify({ t: 'plan', id: 3, setup: 'docker service ls' }))).toBeUndefined();
    expect(parseClientFrame(JSON.stringify({ t: 'plan', id: 3, setup: Array(51).fill('x') }))).toBeUndefined();
  });

  it('plans exactly the managed services, applies only them, and knows when the start state is in place', async () => {
    const backend = simBackend(sim, { calls });
    const t = terminal(backend, false);
    // One service made through Swarm Lab (it gets the managed label), one of the learner's own.
    expect((await t.run('docker service create --detach --name web redis:7.4.0')).code).toBe(0);
    const raw = sim.api('manager1');
    await raw.serviceCreate({
      Name: 'mine',
      Labels: {},
      TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0' }, ForceUpdate: 0 },
      Mode: { Replicated: { Replicas: 1 } },
    });
    const worker2 = await raw.nodeInspect('worker2');
    await raw.nodeUpdate(worker2.ID, worker2.Version.Index, { ...worker2.Spec, Availability: 'drain' });
    const web = (await raw.serviceInspect('web')).ID;

    calls.length = 0;
    const plan = await t.plan(drainSetup);
    expect(plan).toEqual({ applied: false, remove: ['web'], activate: ['worker2'], run: drainSetup, skipped: [] });
    // A plan only reads.
    expect(calls.filter((c) => WRITES.has(c.method))).toEqual([]);
    expect(calls.length).toBeGreaterThan(0);

    calls.length = 0;
    const result = await t.reset(drainSetup);
    expect(result).toMatchObject({ removed: ['web'], activated: ['worker2'], skipped: [], failed: [] });
    const writes = calls.filter((c) => WRITES.has(c.method));
    expect(writes.map((c) => c.method)).toEqual(['serviceDelete', 'nodeUpdate', 'serviceCreate']);
    expect(writes[0]!.args[0]).toBe(web);
    const names = (await raw.serviceList()).map((s) => s.Spec.Name).sort();
    expect(names).toEqual(['mine', 'redis']);
    const redis = await raw.serviceInspect('redis');
    expect(redis.Spec.Labels?.[MANAGED_LABEL_KEY]).toBe('true');
    expect(redis.Spec.TaskTemplate.ContainerSpec?.Image).toBe('redis:7.4.0');
    expect((await raw.nodeInspect('worker2')).Spec.Availability).toBe('active');

    // Still as the reset left it: nothing to ask.
    expect((await t.plan(drainSetup)).applied).toBe(true);
    // A reload opens a new terminal: the server still knows.
    expect((await terminal(backend, false).plan(drainSetup)).applied).toBe(true);
    // Another lesson's start state is not this one.
    expect((await t.plan([])).applied).toBe(false);
    // The learner changes the swarm: the start state is no longer in place.
    expect((await t.run('docker service scale --detach redis=2')).code).toBe(0);
    const after = await t.plan(drainSetup);
    expect(after.applied).toBe(false);
    expect(after.remove).toEqual(['redis']);
    // Cancelling is the page not sending reset: the plan changed nothing.
    expect((await raw.serviceList()).map((s) => s.Spec.Name).sort()).toEqual(['mine', 'redis']);
    await raw.serviceDelete('mine');
  });

  it('setup lines the command table refuses are planned as skipped with the reason, and never run', async () => {
    const t = terminal(simBackend(sim, { calls }), false);
    // No lesson's setup names an image local mode lacks any more (helloworld runs redis:7.4.0): an
    // older page's line stands in for one that would.
    const setup = ['docker service create --detach --replicas 5 --name helloworld alpine ping docker.com'];
    const plan = await t.plan(setup);
    expect(plan.run).toEqual([]);
    expect(plan.skipped).toHaveLength(1);
    expect(plan.skipped[0]!.reason).toMatch(/^image alpine: not available in local mode: the real swarm runs only the images preloaded on it \(redis:7\.4\.0, redis:7\.4\.1, nginx:1\.27\.3\)/);
    calls.length = 0;
    const result = await t.reset(setup);
    expect(result.failed).toEqual(setup);
    expect(calls.filter((c) => c.method === 'serviceCreate')).toEqual([]);
    // Forming a swarm is not something the real one can go back to.
    const init = await t.plan(lessonById('add-nodes')!.setup);
    expect(init.skipped[0]!.reason).toMatch(/already formed.*simulator/);
  });

  it('on the learner\'s own daemon (scoped) their services are neither listed nor removed, and nodes are left as they are', async () => {
    const own = new Simulator({ seed: 22, startEpochMs: Date.now() });
    const ownDriver = setInterval(() => own.clock.advance(20 * SPEED), 20);
    try {
      const ownCalls: EngineCall[] = [];
      const t = terminal(simBackend(own, { calls: ownCalls, kind: 'docker' }), true);
      expect((await t.run('docker service create --detach --name lab redis:7.4.0')).code).toBe(0);
      const raw = own.api('manager1');
      await raw.serviceCreate({ Name: 'theirs', Labels: {}, TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0' }, ForceUpdate: 0 }, Mode: { Replicated: { Replicas: 1 } } });
      const w1 = await raw.nodeInspect('worker1');
      await raw.nodeUpdate(w1.ID, w1.Version.Index, { ...w1.Spec, Availability: 'pause' });
      const plan = await t.plan([]);
      expect(plan.remove).toEqual(['lab']);
      expect(plan.activate).toEqual([]);
      await t.reset([]);
      expect((await raw.serviceList()).map((s) => s.Spec.Name)).toEqual(['theirs']);
      expect((await raw.nodeInspect('worker1')).Spec.Availability).toBe('pause');
      expect(ownCalls.filter((c) => c.method === 'serviceDelete')).toHaveLength(1);
    } finally {
      clearInterval(ownDriver);
    }
  });
});
