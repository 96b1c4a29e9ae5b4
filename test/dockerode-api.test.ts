// DockerodeApi against the real sandbox: Engine shapes as the daemon returns them, errors as
// ApiError with the daemon's exact status and message — and, for each error, the same status
// and message from the simulator (SimulatedDaemon) in the same situation, since the CLI
// prints both the same way. Services are named uniquely so nothing else on the swarm is touched.
// Needs root, dockerd and the sandbox; skips loudly without them, except under CI=true.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError } from '../engine/api/swarm-api.js';
import type { SwarmApi } from '../engine/api/swarm-api.js';
import type { ServiceSpec } from '../engine/api/types.js';
import {
  DockerodeApi,
  DockerUnreachableError,
  dockerOptionsFor,
  NO_REGISTRY_MESSAGE,
  realSwarmHost,
  sandboxSocket,
  wallClock,
} from '../engine/node/docker/index.js';
import { filterParam, goQuery } from '../engine/node/docker/dockerode-api.js';
import type { SandboxLease } from '../engine/node/docker/sandbox.js';
import { leaseSandbox } from '../engine/node/docker/sandbox.js';
import { Session } from '../engine/session.js';

const CI = process.env['CI'] === 'true';
const SEC = 1_000_000_000;
const name = `sl-api-${process.pid}`;
const api = (node: string) => new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: sandboxSocket(node) }));

let lease: SandboxLease | undefined;
let ready = false;
let m: DockerodeApi;
let sim: SwarmApi;

beforeAll(async () => {
  lease = await leaseSandbox({ bringUp: CI });
  if (!lease.ok) {
    if (CI) throw new Error(`dockerode-api: CI=true but the sandbox is unavailable: ${lease.reason}`);
    console.warn(`\n*** dockerode-api (real sandbox) SKIPPED: ${lease.reason} ***\n`);
    return;
  }
  m = api('manager1');
  sim = new Session({ seed: 3 }).sim.api('manager1');
  ready = true;
}, 900_000);

afterAll(async () => {
  if (!lease?.ok) return;
  try {
    for (const s of await m.serviceList({ filters: { name: [name] } })) if (s.Spec.Name.startsWith(name)) await m.serviceDelete(s.ID);
  } finally {
    lease.release();
  }
}, 120_000);

const spec = (svc: string, image = 'redis:7.4.0'): ServiceSpec => ({
  Name: svc,
  Labels: {},
  TaskTemplate: { ContainerSpec: { Image: image }, ForceUpdate: 0, RestartPolicy: { Condition: 'any', Delay: 5 * SEC, MaxAttempts: 0 } },
  Mode: { Replicated: { Replicas: 2 } },
  UpdateConfig: { Parallelism: 1, Delay: 1 * SEC, FailureAction: 'pause', Monitor: 1 * SEC, MaxFailureRatio: 0, Order: 'stop-first' },
});

/** The ApiError a call fails with (the test fails if it does not). */
async function apiError(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return { status: e.statusCode, message: e.message };
    throw e;
  }
  throw new Error('expected the call to fail');
}

const waitFor = async (what: string, cond: () => Promise<boolean>, ms = 30_000) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('DockerodeApi on the sandbox', () => {
  test('system: ping, version negotiated down to the daemon, info names the machine', async (ctx) => {
    if (!ready) return ctx.skip();
    expect(await m.ping()).toBe('OK');
    const v = await m.version();
    expect(v.ApiVersion).toMatch(/^1\.\d+$/);
    expect(await m.apiVersion()).toBe(v.ApiVersion); // the sandbox's dockerd 20.10 is older than the CLI's 1.50
    const info = await m.info();
    expect(info.Name).toBe('manager1');
    expect(info.Swarm.LocalNodeState).toBe('active');
    expect(info.Swarm.ControlAvailable).toBe(true);
    expect((await api('worker1').info()).Swarm.ControlAvailable).toBe(false);
  });

  test('nodes: list, prefix name filter, role filter, inspect by name', async (ctx) => {
    if (!ready) return ctx.skip();
    const all = await m.nodeList();
    expect(all.map((n) => n.Description.Hostname).sort()).toEqual(['manager1', 'worker1', 'worker2']);
    expect((await m.nodeList({ name: ['work'] })).length).toBe(2);
    expect((await m.nodeList({ role: ['manager'] })).map((n) => n.Description.Hostname)).toEqual(['manager1']);
    const w1 = await m.nodeInspect('worker1');
    expect(w1.Spec.Role).toBe('worker');
    expect(w1.Version.Index).toBeGreaterThan(0);
    expect(w1.ManagerStatus).toBeUndefined();
  });

  test('errors carry the daemon status and message, the same as the simulator', async (ctx) => {
    if (!ready) return ctx.skip();
    const same = async (call: (a: SwarmApi) => Promise<unknown>) => {
      const real = await apiError(call(m));
      expect(real).toEqual(await apiError(call(sim)));
      return real;
    };
    expect(await same((a) => a.nodeInspect('nope'))).toEqual({ status: 404, message: 'node nope not found' });
    expect(await same((a) => a.serviceInspect('nope'))).toEqual({ status: 404, message: 'service nope not found' });
    expect((await same((a) => a.taskList({ service: ['nope'] }))).status).toBe(404);
    expect(await same((a) => a.nodeList({ bogus: ['x'] }))).toEqual({ status: 400, message: "Invalid filter 'bogus'" });
    // dockerd 20.10 answers a bad desired-state filter with 500 (no errdefs type on that error);
    // the simulator says 400. The CLI prints the same line for both: only the message is compared.
    const badState = await apiError(m.taskList({ 'desired-state': ['bogus'] }));
    expect(badState.message).toBe("Invalid desired-state filter: 'bogus'");
    expect(badState.message).toBe((await apiError(sim.taskList({ 'desired-state': ['bogus'] }))).message);
    // Swarm membership calls that would change the sandbox are only tried where they must fail.
    const joinReq = { RemoteAddrs: ['198.18.0.10:2377'], JoinToken: 'SWMTKN-1-x' };
    const already = await same((a) => a.swarmJoin(joinReq));
    expect(already.status).toBe(503);
    expect(await same((a) => a.swarmInit({}))).toEqual(already);
    // The daemon's text ends in a space (moby builds it that way) and the CLI prints it; the
    // simulator's (engine/sim/daemon.ts) lacks it. Asserted as it is so a fix shows up here.
    const leave = await apiError(m.swarmLeave(false));
    const simLeave = await apiError(sim.swarmLeave(false));
    expect(leave.status).toBe(simLeave.status);
    expect(leave.message).toBe(`${simLeave.message} `);
    const sw = await m.swarmInspect();
    expect(sw.JoinTokens.Worker).toMatch(/^SWMTKN-1-/);
    expect(await apiError(m.swarmUpdate(sw.Version.Index - 1, sw.Spec))).toEqual({ status: 500, message: 'rpc error: code = Unknown desc = update out of sequence' });
    const w2 = await m.nodeInspect('worker2');
    expect(await apiError(m.nodeUpdate(w2.ID, w2.Version.Index - 1, w2.Spec))).toEqual({ status: 500, message: 'rpc error: code = Unknown desc = update out of sequence' });
    const leader = (await m.nodeList({ role: ['manager'] }))[0]!;
    const rmManager = await apiError(m.nodeRemove(leader.ID, false));
    expect(rmManager.message).toBe(
      `rpc error: code = FailedPrecondition desc = node ${leader.ID} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`,
    );
    // A worker's connection: manager-only calls fail with the daemon's 503.
    const worker = await apiError(api('worker1').serviceList());
    expect(worker).toEqual(await apiError(new Session({ seed: 3 }).sim.api('worker1').serviceList()));
    expect(worker.status).toBe(503);
  });

  test('services: create, list with status, inspect, update with the version, rollback, tasks, containers, logs, delete', async (ctx) => {
    if (!ready) return ctx.skip();
    const created = await m.serviceCreate(spec(name));
    expect(created.ID).toMatch(/^[0-9a-z]{25}$/);
    expect(created.Warnings).toBeNull();
    // A second service by the same name: the daemon's 409 and text, as the simulator's.
    const dup = await apiError(m.serviceCreate(spec(name)));
    const simDup = await (async () => {
      await sim.serviceCreate(spec(name));
      return apiError(sim.serviceCreate(spec(name)));
    })();
    expect(dup).toEqual(simDup);
    expect(dup.status).toBe(409);

    const listed = await m.serviceList({ filters: { name: [name] }, status: true });
    expect(listed.map((s) => s.Spec.Name)).toEqual([name]);
    expect(listed[0]!.ServiceStatus?.DesiredTasks).toBe(2);
    const inspected = await m.serviceInspect(name);
    expect(inspected.ID).toBe(created.ID);
    expect(inspected.Spec.UpdateConfig?.Delay).toBe(1 * SEC);
    expect((await m.serviceInspect(name, { insertDefaults: true })).Spec.RollbackConfig).toBeDefined();

    await waitFor('2 running tasks', async () => (await m.taskList({ service: [name], 'desired-state': ['running'] })).filter((t) => t.Status.State === 'running').length === 2);
    const tasks = await m.taskList({ service: [name] });
    const t = await m.taskInspect(tasks[0]!.ID);
    expect(t.ServiceID).toBe(created.ID);
    expect(t.Spec.ContainerSpec.Image).toBe('redis:7.4.0');

    // The containers of those tasks, on whichever nodes they run, as `docker ps` lists them.
    const onNodes = await Promise.all(['manager1', 'worker1', 'worker2'].map((n) => api(n).containerList()));
    const ours = onNodes.flat().filter((c) => c.Labels['com.docker.swarm.service.id'] === created.ID);
    expect(ours.length).toBe(2);
    expect(ours[0]!.Names[0]).toMatch(new RegExp(`^/${name}\\.[12]\\.[0-9a-z]{25}$`));

    // Update: a stale version is the daemon's 500 "update out of sequence", as the simulator's.
    const stale = await apiError(m.serviceUpdate(created.ID, inspected.Version.Index - 1, spec(name, 'redis:7.4.1')));
    expect(stale).toEqual({ status: 500, message: 'rpc error: code = Unknown desc = update out of sequence' });
    // The real swarm writes the service itself too (endpoint allocation after a create, the
    // update status once an update starts), so a version read a moment ago may already be
    // stale: read it again and retry, as a client must. The stale case itself is asserted above.
    const updateFresh = async (make: (current: Awaited<ReturnType<typeof m.serviceInspect>>) => Parameters<typeof m.serviceUpdate>): Promise<unknown> => {
      for (let attempt = 1; ; attempt++) {
        const current = await m.serviceInspect(name);
        try {
          return await m.serviceUpdate(...make(current));
        } catch (e) {
          if (attempt >= 5 || !String((e as Error).message).includes('update out of sequence')) throw e;
        }
      }
    };
    expect(await updateFresh((c) => [created.ID, c.Version.Index, spec(name, 'redis:7.4.1')])).toEqual({ Warnings: null });
    const updated = await m.serviceInspect(name);
    expect(updated.Spec.TaskTemplate.ContainerSpec.Image).toBe('redis:7.4.1');
    expect(updated.PreviousSpec?.TaskTemplate.ContainerSpec.Image).toBe('redis:7.4.0');
    await updateFresh((c) => [created.ID, c.Version.Index, c.Spec, { rollback: 'previous' }]);
    const rolled = await m.serviceInspect(name);
    expect(rolled.Spec.TaskTemplate.ContainerSpec.Image).toBe('redis:7.4.0');
    expect(rolled.UpdateStatus?.State).toMatch(/^rollback_/);

    // Logs: redis-server's start-up lines, each with its task, node and service.
    await waitFor('log lines', async () => (await m.serviceLogs(name)).length > 0);
    const logs = await m.serviceLogs(name);
    expect(logs[0]!.serviceId).toBe(created.ID);
    expect(tasks.map((x) => x.ID)).toContain(logs[0]!.taskId);
    expect(logs[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
    expect((await m.serviceLogs(name, { tail: 1 })).length).toBeLessThanOrEqual(2); // one per task at most

    await m.serviceDelete(name);
    expect(await apiError(m.serviceInspect(name))).toEqual({ status: 404, message: `service ${name} not found` });
  });

  test('distributionInspect never asks a registry', async (ctx) => {
    if (!ready) return ctx.skip();
    expect(await apiError(m.distributionInspect('redis:7.4.0'))).toEqual({ status: 403, message: NO_REGISTRY_MESSAGE });
  });

  test('realSwarmHost: the sandbox machines by name, or one DOCKER_HOST machine named by its hostname', async (ctx) => {
    if (!ready) return ctx.skip();
    const sandbox = await realSwarmHost({ sandbox: true });
    expect(sandbox.kind).toBe('sandbox');
    expect(sandbox.hostnames()).toEqual(['manager1', 'worker1', 'worker2']);
    expect(sandbox.startNode).toBe('manager1');
    expect((await sandbox.api('worker2')!.info()).Name).toBe('worker2');
    expect(sandbox.api('worker3')).toBeUndefined();
    const single = await realSwarmHost({ sandbox: false, env: { DOCKER_HOST: `unix://${sandboxSocket('worker2')}` } });
    expect(single.kind).toBe('docker');
    expect(single.hostnames()).toEqual(['worker2']);
  });
});

describe('without a daemon', () => {
  test('an absent socket is the docker CLI\'s "Cannot connect" message', async () => {
    const a = new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: '/nonexistent/docker.sock' }));
    const err = await a.nodeList().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerUnreachableError);
    expect((err as DockerUnreachableError).code).toBe('ENOENT');
    expect((err as Error).message).toBe('Cannot connect to the Docker daemon at unix:///nonexistent/docker.sock. Is the docker daemon running?');
  });

  test('a refused tcp port too', async () => {
    const a = new DockerodeApi(dockerOptionsFor({ kind: 'tcp', host: '127.0.0.1', port: 1, tls: false }));
    const err = await a.ping().catch((e: unknown) => e);
    expect((err as DockerUnreachableError).code).toBe('ECONNREFUSED');
    expect((err as Error).message).toBe('Cannot connect to the Docker daemon at tcp://127.0.0.1:1. Is the docker daemon running?');
  });

  test('socket permission denied is worded as docker 28 words it, quoting the request', async () => {
    // Captured from /usr/local/bin/docker run as nobody against a root-only sandbox socket.
    const expected =
      'permission denied while trying to connect to the Docker daemon socket at unix:///run/sw3/manager1/docker.sock: ' +
      'Get "http://%2Frun%2Fsw3%2Fmanager1%2Fdocker.sock/v1.50/services?status=true": dial unix /run/sw3/manager1/docker.sock: connect: permission denied';
    const a = new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: '/run/sw3/manager1/docker.sock' }));
    // Root is never refused a socket, so the connection error is injected where docker-modem reports it.
    (a.docker.modem as unknown as { dial: (o: unknown, cb: (e: unknown) => void) => void }).dial = (_o, cb) =>
      cb(Object.assign(new Error('connect EACCES /run/sw3/manager1/docker.sock'), { code: 'EACCES' }));
    const err = await a.serviceList({ status: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerUnreachableError);
    expect((err as Error).message).toBe(expected);
  });

  test('filters and queries are sent in the CLI\'s form', () => {
    expect(filterParam({ name: ['redis'], 'desired-state': ['running', 'accepted'] })).toBe('{"desired-state":{"accepted":true,"running":true},"name":{"redis":true}}');
    expect(filterParam({})).toBeUndefined();
    expect(goQuery({ status: true, filters: '{"a":{"b c":true}}', skip: undefined })).toBe('filters=%7B%22a%22%3A%7B%22b+c%22%3Atrue%7D%7D&status=true');
  });

  test('wallClock sleeps in real time and stops at once on abort', async () => {
    const c = wallClock();
    const t0 = Date.now();
    await c.sleep(50);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    const ac = new AbortController();
    const p = c.sleep(10_000, ac.signal);
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
