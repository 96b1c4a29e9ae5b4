// docker network ls|inspect on the simulated swarm: which networks each machine has and when
// (engine/sim/networks.ts), the ingress network's addresses (engine/sim/ingress-ipam.ts), the
// daemon's filters and lookups, the CLI's formats and errors, completion, and replay.
import { describe, expect, test } from 'vitest';
import { Session } from '../engine/session.js';
import type { SessionSnapshot } from '../engine/snapshot.js';
import { restoreSession } from '../engine/snapshot.js';
import { Simulator } from '../engine/sim/simulator.js';
import { complete, swarmNames } from '../engine/worker/complete.js';
import type { Network } from '../engine/api/types.js';

async function run(session: Session, line: string): Promise<{ code: number; out: string }> {
  let out = '';
  const sink = { write: (s: string) => void (out += s) };
  const code = await session.run(line, { stdout: sink, stderr: sink, tty: false, columns: 200, signal: new AbortController().signal });
  return { code, out };
}

const names = (list: Network[]): string[] => list.map((n) => n.Name).sort();
const endpoints = (n: Network): string[] =>
  Object.entries(n.Containers)
    .filter(([k]) => k !== 'ingress-sbox')
    .map(([, e]) => e.IPv4Address);

describe('the networks a machine has', () => {
  test('a daemon outside any swarm has bridge, host and none; swarm init adds docker_gwbridge and ingress', async () => {
    const sim = new Simulator({ seed: 3, swarm: false });
    const api = sim.api('manager1');
    expect(names(await api.networkList())).toEqual(['bridge', 'host', 'none']);
    await api.swarmInit({ AdvertiseAddr: '192.168.99.100' });
    const after = await api.networkList();
    expect(names(after)).toEqual(['bridge', 'docker_gwbridge', 'host', 'ingress', 'none']);
    const ingress = after.find((n) => n.Name === 'ingress')!;
    expect([ingress.Driver, ingress.Scope, ingress.Id]).toEqual(['overlay', 'swarm', expect.stringMatching(/^[0-9a-z]{25}$/)]);
    for (const n of after.filter((x) => x.Scope === 'local')) expect(n.Id).toMatch(/^[0-9a-f]{64}$/);
    // The ones the daemon had before are the same networks (its local store keeps them).
    const before = new Set((await sim.api('worker1').networkList()).map((n) => n.Id));
    expect(before.size).toBe(3);
  });

  test('a worker has them once it joins, loses ingress when it leaves and keeps docker_gwbridge', async () => {
    const session = new Session({ seed: 5, mode: 'instant' });
    const worker = session.sim.api('worker2');
    const manager = session.sim.api('manager1');
    const ingressId = (await manager.networkInspect('ingress')).Id;
    expect((await worker.networkInspect('ingress')).Id).toBe(ingressId);
    const gw = (await worker.networkInspect('docker_gwbridge')).Id;
    expect(gw).not.toBe((await manager.networkInspect('docker_gwbridge')).Id);
    await run(session, 'ssh worker2');
    expect((await run(session, 'docker swarm leave')).code).toBe(0);
    expect(names(await worker.networkList())).toEqual(['bridge', 'docker_gwbridge', 'host', 'none']);
    expect((await worker.networkInspect('docker_gwbridge')).Id).toBe(gw);
    expect(await run(session, 'docker network inspect ingress')).toEqual({ code: 1, out: '[]\nError response from daemon: network ingress not found\n' });
    // The manager's peers no longer count the node that left.
    expect((await manager.networkInspect('ingress')).Peers!.map((p) => p.IP).sort()).toEqual(['192.168.99.100', '192.168.99.101']);
  });

  test('the same seed gives the same networks; another seed other IDs', async () => {
    const a = await new Simulator({ seed: 11 }).api('worker1').networkList();
    const b = await new Simulator({ seed: 11 }).api('worker1').networkList();
    const c = await new Simulator({ seed: 12 }).api('worker1').networkList();
    expect(b).toEqual(a);
    expect(c.map((n) => n.Id)).not.toEqual(a.map((n) => n.Id));
  });

  test('a stopped daemon answers no network read', async () => {
    const session = new Session({ seed: 2, mode: 'instant' });
    await run(session, 'lab node stop worker1');
    await run(session, 'ssh worker1');
    const r = await run(session, 'docker network ls');
    expect(r.code).toBe(1);
    expect(r.out).toContain('Cannot connect to the Docker daemon');
  });
});

describe('the ingress network\'s addresses', () => {
  test('nodes hold 10.0.0.2 up in join order; a published service its VIP, then each task the next address', async () => {
    const session = new Session({ seed: 7, mode: 'instant' });
    const sbox = async (host: string) => (await session.sim.api(host).networkInspect('ingress')).Containers['ingress-sbox']!;
    expect((await sbox('manager1')).IPv4Address).toBe('10.0.0.2/24');
    expect((await sbox('worker1')).IPv4Address).toBe('10.0.0.3/24');
    expect(await sbox('worker2')).toMatchObject({ IPv4Address: '10.0.0.4/24', MacAddress: '02:42:0a:00:00:04', Name: 'ingress-endpoint' });
    await run(session, 'docker service create -d --name web --replicas 3 -p 8080:80 nginx:1.27.3');
    session.advance(5_000);
    const all: string[] = [];
    for (const host of ['manager1', 'worker1', 'worker2']) all.push(...endpoints(await session.sim.api(host).networkInspect('ingress')));
    expect(all.sort()).toEqual(['10.0.0.6/24', '10.0.0.7/24', '10.0.0.8/24']);
    expect((await session.sim.api('manager1').serviceInspect('web')).Endpoint.VirtualIPs![0]!.Addr).toBe('10.0.0.5/24');
  });

  test('a stopped task leaves its node\'s ingress endpoints; its replacement takes the next address (serial allocation)', async () => {
    const session = new Session({ seed: 8, mode: 'instant' });
    await run(session, 'docker service create -d --name web --replicas 1 -p 8080:80 nginx:1.27.3');
    session.advance(5_000);
    const where = async () => {
      for (const host of ['manager1', 'worker1', 'worker2']) {
        const e = endpoints(await session.sim.api(host).networkInspect('ingress'));
        if (e.length > 0) return { host, e };
      }
      return undefined;
    };
    expect((await where())?.e).toEqual(['10.0.0.6/24']);
    expect((await run(session, 'lab task kill web.1')).code).toBe(0);
    session.advance(1);
    expect(await where()).toBeUndefined();
    session.advance(10_000);
    expect((await where())?.e).toEqual(['10.0.0.7/24']);
  });

  test('a service publishing in host mode only joins no ingress: no VIP, no task endpoints', async () => {
    const session = new Session({ seed: 9, mode: 'instant' });
    await run(session, 'docker service create -d --name hosted --mode global --publish published=8081,target=80,mode=host nginx:1.27.3');
    session.advance(5_000);
    for (const host of ['manager1', 'worker1', 'worker2']) expect(endpoints(await session.sim.api(host).networkInspect('ingress'))).toEqual([]);
    expect(session.sim.cluster.services.values().next().value!.vip).toBeUndefined();
    const endpoint = (await session.sim.api('manager1').serviceInspect('hosted')).Endpoint;
    expect(endpoint.Ports).toHaveLength(1);
    expect(endpoint.VirtualIPs).toBeUndefined();
  });

  test('a service that gains an ingress port by an update gets a VIP; one that loses it gives it back', async () => {
    const session = new Session({ seed: 10, mode: 'instant' });
    await run(session, 'docker service create -d --name web --replicas 1 nginx:1.27.3');
    const record = () => [...session.sim.cluster.services.values()][0]!;
    expect(record().vip).toBeUndefined();
    await run(session, 'docker service update -d --publish-add 8080:80 web');
    expect(record().vip).toBe('10.0.0.5/24');
    await run(session, 'docker service update -d --publish-rm 80 web');
    expect(record().vip).toBeUndefined();
  });
});

describe('docker network ls and inspect', () => {
  test('filters as the daemon takes them, and its error for an unknown key', async () => {
    const session = new Session({ seed: 1, mode: 'instant' });
    const ls = async (args: string) => (await run(session, `docker network ls --format '{{.Name}}' ${args}`)).out.split('\n').filter((l) => l !== '');
    expect(await ls('-f driver=bridge')).toEqual(['bridge', 'docker_gwbridge']);
    expect(await ls('-f scope=local -f name=o')).toEqual(['docker_gwbridge', 'host', 'none']);
    expect(await ls('-f type=builtin')).toEqual(['bridge', 'host', 'none']);
    expect(await ls('-f type=custom')).toEqual(['docker_gwbridge', 'ingress']);
    expect(await ls('-f dangling=true')).toEqual([]);
    expect(await run(session, 'docker network ls -f color=red')).toEqual({ code: 1, out: "Error response from daemon: Invalid filter 'color'\n" });
  });

  test('inspect finds a network by ID, name or unique ID prefix, and prints what was found before the errors', async () => {
    const session = new Session({ seed: 4, mode: 'instant' });
    const ingress = await session.sim.api('manager1').networkInspect('ingress');
    expect((await run(session, `docker network inspect -f '{{.Name}}' ${ingress.Id} ${ingress.Id.slice(0, 5)}`)).out).toBe('ingress\ningress\n');
    const r = await run(session, 'docker network inspect -f "{{.Name}}" nosuch host');
    expect(r).toEqual({ code: 1, out: 'host\nError response from daemon: network nosuch not found\n' });
  });

  test('templates see network.Inspect, and fall back to the daemon\'s JSON as docker does ({{.Id}})', async () => {
    const session = new Session({ seed: 4, mode: 'instant' });
    const id = (await session.sim.api('manager1').networkInspect('bridge')).Id;
    expect((await run(session, "docker network inspect -f '{{.ID}}' bridge")).out).toBe(`${id}\n`);
    expect((await run(session, "docker network inspect -f '{{.Id}}' bridge")).out).toBe(`${id}\n`);
    // Neither the typed value (no Id) nor the daemon's JSON (no ID) has both: an error, as with docker.
    expect((await run(session, "docker network inspect -f '{{.ID}} {{.Id}}' bridge")).code).toBe(1);
    // EnableIPv4 is a field of the CLI's type though the daemon does not send it: false.
    expect((await run(session, "docker network inspect -f '{{.EnableIPv4}} {{json .IPAM.Config}}' docker_gwbridge")).out).toBe(
      'false [{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]\n',
    );
    const bad = await run(session, "docker network inspect -f '{{.Nope}}' bridge");
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('template parsing error');
  });

  test('ls formats: raw, quiet, --no-trunc and a table of the formatter\'s other fields', async () => {
    const session = new Session({ seed: 6, mode: 'instant' });
    const list = await session.sim.api('manager1').networkList();
    const none = list.find((n) => n.Name === 'none')!;
    const raw = (await run(session, 'docker network ls --format raw -f name=none')).out;
    expect(raw).toBe(`network_id: ${none.Id.slice(0, 12)}\nname: none\ndriver: null\nscope: local\n\n`);
    expect((await run(session, 'docker network ls -q --no-trunc -f name=none')).out).toBe(`${none.Id}\n`);
    const table = (await run(session, "docker network ls --format 'table {{.Name}}\\t{{.Internal}}\\t{{.Labels}}' -f name=host")).out;
    expect(table).toBe('NAME      INTERNAL   LABELS\nhost      false      \n');
  });

  test('the network group: help, the commands not simulated, usage errors', async () => {
    const session = new Session({ seed: 1, mode: 'instant' });
    expect((await run(session, 'help')).out).toContain('the docker CLI (service, node, swarm, network, info,\n');
    const help = await run(session, 'docker network --help');
    expect(help.out).toContain('  inspect     Display detailed information on one or more networks\n  ls          List networks\n');
    const create = await run(session, 'docker network create -d overlay mine');
    expect(create.code).toBe(1);
    expect(create.out).toContain('docker network create: not available in Swarm Lab');
    expect((await run(session, 'docker network ls extra')).out).toBe(
      "docker: 'docker network ls' accepts no arguments\n\nUsage:  docker network ls [OPTIONS]\n\nRun 'docker network ls --help' for more information\n",
    );
  });

  test('Tab completes the group, its commands and the machine\'s network names', async () => {
    const session = new Session({ seed: 1, mode: 'instant' });
    const source = swarmNames(() => session.sim.api('worker1'), () => session.sim.hostnames());
    expect((await complete('docker netw', 11, source)).candidates).toEqual(['network']);
    expect((await complete('docker network ', 15, source)).candidates).toEqual(['connect', 'create', 'disconnect', 'inspect', 'ls', 'prune', 'rm']);
    expect((await complete('docker network inspect ', 23, source)).candidates).toEqual(['bridge', 'docker_gwbridge', 'host', 'ingress', 'none']);
    expect((await complete('docker network inspect in', 25, source)).candidates).toEqual(['ingress']);
  });

  test('bad input never throws out of the daemon', async () => {
    const api = new Simulator({ seed: 1 }).api('manager1');
    for (const ref of ['', ' ', '\u0000', 'a'.repeat(10_000), '../ingress', '%', undefined as unknown as string, 42 as unknown as string]) {
      await expect(api.networkInspect(ref)).rejects.toMatchObject({ name: 'ApiError' });
    }
    for (const filters of [null, 'x', { driver: 'overlay' }, { name: [1] }, { type: ['weird'] }] as unknown[]) {
      await expect(api.networkList(filters as never)).rejects.toMatchObject({ name: 'ApiError' });
    }
  });
});

test('a restored session shows the same networks, endpoints and addresses', async () => {
  const live = new Session({ seed: 21, mode: 'instant' });
  await run(live, 'docker service create -d --name web --replicas 2 -p 8080:80 nginx:1.27.3');
  live.advance(4_000);
  await run(live, 'lab task kill web.1');
  live.advance(9_000);
  const inspect = async (s: Session) => {
    const out: Network[] = [];
    for (const host of ['manager1', 'worker1', 'worker2']) out.push(await s.sim.api(host).networkInspect('ingress', { verbose: true }));
    return out;
  };
  const before = await inspect(live);
  const restored = await restoreSession(JSON.parse(JSON.stringify(live.snapshot())) as SessionSnapshot, 'instant');
  expect(await inspect(restored)).toEqual(before);
  expect(before.flatMap(endpoints).sort()).toEqual(['10.0.0.7/24', '10.0.0.8/24']);
});
