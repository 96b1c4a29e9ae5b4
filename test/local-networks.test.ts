// Network reads in local mode, against a fake Engine (test/helpers/fake-engine.ts) that records
// every request: DockerodeApi reads only the five networks a swarm node makes itself, never
// sends a name or ID of the learner's own networks, and on the learner's own daemon GuardedApi
// shows no endpoint of a task that is not Swarm Lab's.
import { afterEach, describe, expect, test } from 'vitest';
import type { SwarmApi } from '../engine/api/swarm-api.js';
import type { Network } from '../engine/api/types.js';
import { DockerodeApi, dockerOptionsFor } from '../engine/node/docker/index.js';
import { GuardedApi, MANAGED_LABEL_KEY } from '../engine/node/server/guard.js';
import { Session } from '../engine/session.js';
import type { FakeEngine } from './helpers/fake-engine.js';
import { startFakeEngine } from './helpers/fake-engine.js';

let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const secretNet = (base: Network): Network => ({ ...base, Name: 'payroll-net', Id: 'ab12cd34ef56ab12cd34ef56a', Created: base.Created });

/** A learner's daemon: the simulated manager plus a network of their own. */
function withOwnNetwork(api: SwarmApi): SwarmApi {
  return new Proxy(api, {
    get(target, prop, receiver) {
      if (prop === 'networkList') {
        return async (filters?: Record<string, string[]>) => {
          const list = await target.networkList(filters);
          return [...list, secretNet(list.find((n) => n.Name === 'ingress')!)];
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

async function run(session: Session, line: string): Promise<void> {
  const sink = { write: () => {} };
  await session.run(line, { stdout: sink, stderr: sink, tty: false, columns: 120, signal: new AbortController().signal });
}

describe('DockerodeApi network reads', () => {
  test('lists only the networks a swarm node has, and never asks for one of the learner\'s', async () => {
    const session = new Session({ seed: 4, mode: 'instant' });
    engine = await startFakeEngine(withOwnNetwork(session.sim.api('manager1')));
    const api = new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: engine.socketPath }));
    expect((await api.networkList()).map((n) => n.Name).sort()).toEqual(['bridge', 'docker_gwbridge', 'host', 'ingress', 'none']);
    for (const ref of ['payroll-net', 'ab12cd34ef56ab12cd34ef56a', 'ab12cd']) {
      await expect(api.networkInspect(ref)).rejects.toMatchObject({ statusCode: 404, message: `network ${ref} not found` });
    }
    const ingress = await api.networkInspect('ingress');
    expect(ingress.Ingress).toBe(true);
    const asked = engine.requests.map((r) => r.url).filter((u) => u.startsWith('/networks/'));
    expect(asked).toEqual([`/networks/${ingress.Id}`]);
    expect(engine.requests.some((r) => /payroll|ab12cd/.test(r.url))).toBe(false);
  });

  test('the CLI over it prints the node\'s networks and inspect -v asks for verbose', async () => {
    const session = new Session({ seed: 4, mode: 'instant' });
    engine = await startFakeEngine(session.sim.api('manager1'));
    const api = new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: engine.socketPath }));
    const verbose = await api.networkInspect('ingress', { verbose: true });
    expect(verbose.Services).toBeDefined();
    expect(engine.requests.at(-1)!.url).toMatch(/^\/networks\/[0-9a-z]{25}\?verbose=true$/);
  });
});

describe('GuardedApi on the learner\'s own daemon', () => {
  test('ingress shows its sandbox and Swarm Lab\'s task endpoints, not the learner\'s', async () => {
    const session = new Session({ seed: 9, mode: 'instant' });
    await run(session, 'docker service create -d --name theirs --mode global -p 8080:80 nginx:1.27.3');
    await run(session, `docker service create -d --name ours --mode global -p 8081:80 --label ${MANAGED_LABEL_KEY}=true nginx:1.27.3`);
    session.advance(10_000);
    const raw = session.sim.api('manager1');
    const all = Object.values((await raw.networkInspect('ingress', { verbose: true })).Containers).map((e) => e.Name.split('.')[0]);
    expect(all.sort()).toEqual(['ingress-endpoint', 'ours', 'theirs']);
    const scoped = new GuardedApi(raw, { scoped: true });
    const seen = await scoped.networkInspect('ingress', { verbose: true });
    expect(Object.values(seen.Containers).map((e) => e.Name.split('.')[0]).sort()).toEqual(['ingress-endpoint', 'ours']);
    expect(Object.keys(seen.Services ?? {}).sort()).toEqual(['', 'ours']);
    // On the sandbox (not scoped) every service is Swarm Lab's to show.
    const sandbox = new GuardedApi(raw, { scoped: false });
    expect(Object.keys((await sandbox.networkInspect('ingress')).Containers)).toHaveLength(3);
  });
});
