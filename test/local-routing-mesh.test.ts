// The routing-mesh lesson (issue 18) in local mode on the REAL 3-node sandbox: its lines run in
// order through the local server's terminal (command table, guard, spec policy) with the real
// curl inside the nodes' network namespaces, and what the real swarm answers is asserted:
//  - the services and their published ports (ingress 8080 and 8081, UDP 8082 added and removed,
//    host-mode 8090) are as the lesson says, each port change replacing the tasks;
//  - an ingress port on a kernel without IPVS (this machine, CI's too: real-swarm-sandbox.md F3)
//    does not answer, and the terminal says why after curl's own error; with IPVS it answers;
//  - a host-mode port answers with the web server's page on the nodes running a task of it and
//    is refused on the other one, with no such line;
//  - curl to a port of a service not Swarm Lab's, to the swarm's ports, or to an address not a
//    node's is refused with nothing spawned.
// The lines are the ```sh blocks of the lesson's page (content/docs/lessons/routing-mesh.mdx); until
// that page is merged, a COPY of them (the lesson helper's draft in /work/wt-lesson).
// Needs root, dockerd and the sandbox; skipped loudly without them, brought up under CI=true.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwarmApi } from '../engine/api/swarm-api.js';
import type { RealSwarm } from '../engine/node/docker/index.js';
import { runSandboxScript } from '../engine/node/docker/sandbox.js';
import { spawnCurl } from '../engine/node/server/curl-runner.js';
import { ENGLISH_CURL } from '../engine/node/server/curl-text.js';
import { GuardedApi } from '../engine/node/server/guard.js';
import type { ServerFrame } from '../engine/node/server/protocol.js';
import { TerminalSession } from '../engine/node/server/terminal.js';
import type { SuiteSandbox } from './helpers/sandbox-suite.js';
import { takeSandbox } from './helpers/sandbox-suite.js';

/** The lesson's lines in page order (a copy, see above): used until the lesson's page is here. */
const LESSON_COPY = [
  'docker service create --name my-web --publish published=8080,target=80 --replicas 2 nginx:1.27.3',
  'docker service ls',
  'docker service inspect --pretty my-web',
  "docker service inspect --format '{{json .Endpoint.Spec.Ports}}' my-web",
  'curl -s http://localhost:8080',
  'docker service ps my-web',
  'ssh worker1',
  'curl -s -i http://localhost:8080',
  'exit',
  'ssh worker2',
  'curl -s http://localhost:8080',
  'exit',
  'docker network ls',
  'docker network inspect ingress',
  'docker service update --publish-add published=8081,target=80 my-web',
  'docker service ps my-web',
  'docker service ls',
  'docker service update --publish-add 8082:80/udp my-web',
  "docker service inspect --format '{{json .Endpoint.Spec.Ports}}' my-web",
  'docker service update --publish-rm 80/udp my-web',
  'docker service ls',
  'docker service create --name my-web-host --publish mode=host,published=8090,target=80 --replicas 2 nginx:1.27.3',
  'docker service ls',
  'docker service ps my-web-host',
  'curl http://manager1:8090',
  'curl http://worker1:8090',
  'curl http://worker2:8090',
  'docker service rm my-web my-web-host',
];

/** The lesson's last line, removing its services. */
const CLEAN_UP = /^docker service rm /;

/** Not the lesson's: what a learner tries next. */
const EXTRA_LINES = ['curl -m 3 http://198.18.0.11:8081/'];

/** The ```sh blocks of the lesson's English page, once it is merged; else the copy. */
function lessonLines(): string[] {
  const page = new URL('../content/docs/lessons/routing-mesh.mdx', import.meta.url);
  if (!existsSync(page)) return LESSON_COPY;
  const blocks = [...readFileSync(page, 'utf8').matchAll(/^```sh[^\n]*\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.split('\n')).filter((l) => l.trim() !== '');
}

const IPVS = existsSync('/proc/sys/net/ipv4/vs');
/** What the CLI prints for `docker network ...` before it has the network commands. */
const NETWORK_STUB = /^docker network: not available in Swarm Lab\./;
const WELCOME = /<title>Welcome to nginx!<\/title>/;

interface Outcome {
  line: string;
  node: string;
  code: number;
  out: string;
}

let sandbox: SuiteSandbox | undefined;
let host: RealSwarm | undefined;
let term: TerminalSession | undefined;
let raw: SwarmApi | undefined;
const frames: ServerFrame[] = [];
/** argv of every curl actually spawned. */
const spawned: string[][] = [];
const outcomes: Outcome[] = [];

const realCurl = spawnCurl();
const recordingCurl = (argv: readonly string[], signal: AbortSignal) => {
  spawned.push([...argv]);
  return realCurl(argv, signal);
};

let nextId = 0;
async function run(line: string): Promise<Outcome> {
  const node = term!.node;
  const id = ++nextId;
  await term!.handle({ t: 'run', id, line, cols: 200 });
  const mine = frames.filter((f) => 'id' in f && f.id === id);
  const done = mine.find((f): f is Extract<ServerFrame, { t: 'done' }> => f.t === 'done');
  const o = { line, node, code: done?.code ?? -1, out: mine.map((f) => (f.t === 'out' ? f.text : '')).join('') };
  outcomes.push(o);
  return o;
}

/** Processes whose parent is this test process. */
function childPids(): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(process.pid);
      } catch {
        return false;
      }
    });
}

const outcome = (line: string, node?: string): Outcome => {
  const o = outcomes.find((x) => x.line === line && (node === undefined || x.node === node));
  if (!o) throw new Error(`${line} did not run`);
  return o;
};

beforeAll(async () => {
  sandbox = await takeSandbox('local-routing-mesh');
  host = sandbox?.host;
  if (!host) return;
  raw = host.api('manager1')!;
  // A sandbox brought up before up.sh built the web image gets it now (build-web-image.sh, idempotent).
  const missing = await webImageMissing(host);
  if (missing.length > 0) {
    console.info(`local-routing-mesh: nginx:1.27.3 missing on ${missing.join(', ')}: building it (scripts/sandbox/build-web-image.sh)`);
    runSandboxScript('build-web-image.sh');
  }
  term = new TerminalSession(host, { scoped: false }, (f) => frames.push(f), {
    lang: 'en',
    curl: { run: recordingCurl, ipvs: () => IPVS },
  });
  // The lesson's clean-up (docker service rm ...) runs last, after the assertions below read the swarm.
  for (const line of [...lessonLines().filter((l) => !CLEAN_UP.test(l)), ...EXTRA_LINES]) await run(line);
  const curls = outcomes.filter((o) => o.line.startsWith('curl'));
  console.info(`local-routing-mesh (IPVS ${IPVS ? 'present' : 'absent'}):\n${curls.map((o) => `  ${o.node}$ ${o.line} -> exit ${o.code}`).join('\n')}`);
}, 600_000);

afterAll(async () => {
  await term?.close();
  await sandbox?.release();
}, 120_000);

/** Nodes lacking nginx:1.27.3 (asked of each node's daemon with the docker CLI's own call). */
async function webImageMissing(swarm: RealSwarm): Promise<string[]> {
  const { execFileSync } = await import('node:child_process');
  const missing: string[] = [];
  for (const n of swarm.hostnames()) {
    try {
      execFileSync('docker', ['-H', `unix:///run/sw3/${n}/docker.sock`, 'image', 'inspect', 'nginx:1.27.3'], { stdio: 'ignore', env: { ...process.env, DOCKER_CONFIG: '/run/sw3/cli' } });
    } catch {
      missing.push(n);
    }
  }
  return missing;
}

describe('the routing-mesh lesson in local mode on the real sandbox', () => {
  it('every docker line of the lesson runs (exit 0): nothing of it is refused', (ctx) => {
    if (!host) return ctx.skip();
    const docker = outcomes.filter((o) => !o.line.startsWith('curl') && !(o.line.startsWith('docker network') && NETWORK_STUB.test(o.out)));
    expect(docker.length).toBeGreaterThan(15);
    for (const o of docker) expect(o.code, `${o.line}\n${o.out}`).toBe(0);
    expect(outcomes.map((o) => o.out).join('')).not.toMatch(/not available in local mode/);
  });

  it('the ports are as the lesson says: 8080 and 8081 in ingress, UDP 8082 added then removed, 8090 in host mode', async (ctx) => {
    if (!host) return ctx.skip();
    const ports = outcomes.filter((o) => o.line === "docker service inspect --format '{{json .Endpoint.Spec.Ports}}' my-web").map((o) => JSON.parse(o.out));
    expect(ports[0]).toEqual([{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }]);
    expect(ports[1]).toEqual([
      { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' },
      { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8081, PublishMode: 'ingress' },
      { Protocol: 'udp', TargetPort: 80, PublishedPort: 8082, PublishMode: 'ingress' },
    ]);
    const ls = outcomes.filter((o) => o.line === 'docker service ls').map((o) => o.out);
    expect(ls.at(-1)).toMatch(/my-web-host +replicated +2\/2 +nginx:1\.27\.3 +\n/);
    // The CLI joins consecutive published ports into a range; a host-mode port shows in service ps, not here.
    expect(ls.at(-1)).toMatch(/my-web +replicated +2\/2 +nginx:1\.27\.3 +\*:8080-8081->80\/tcp\n/);
    // Each host-mode task binds 8090 on its node, as the daemon reports it (the CLI's PORTS column
    // for it is the ports helper's, compared with the real CLI's capture in walkthrough-real).
    const hostTasks = (await raw!.taskList({ service: ['my-web-host'], 'desired-state': ['running'] })) as unknown as { Status: { PortStatus?: { Ports?: { PublishedPort: number; PublishMode: string }[] } } }[];
    expect(hostTasks).toHaveLength(2);
    // (dockerd 20.10 reports a host-mode port once per address family it bound: the same entry twice.)
    for (const t of hostTasks) {
      const ports = t.Status.PortStatus?.Ports ?? [];
      expect(ports.length).toBeGreaterThan(0);
      for (const p of ports) expect(p).toEqual({ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8090, PublishMode: 'host' });
    }
    const network = outcome('docker network ls');
    if (NETWORK_STUB.test(network.out)) {
      // The command table let it through; the CLI's network commands are the network helper's (issue 18), not merged yet.
      console.warn('\n*** local-routing-mesh: docker network ls is still the CLI\'s stub here; its output is not checked ***\n');
    } else {
      expect(network.out).toMatch(/\bingress +overlay +swarm\n/);
      expect(outcome('docker network inspect ingress').out).toMatch(/"Ingress": true/);
    }
  });

  it(IPVS ? 'an ingress port answers from every node (this kernel has IPVS)' : 'an ingress port does not answer (no IPVS here): curl -s prints nothing of its own, exit 7, and the terminal says why', (ctx) => {
    if (!host) return ctx.skip();
    for (const node of ['manager1', 'worker1', 'worker2']) {
      const o = outcomes.find((x) => x.line.startsWith('curl -s') && x.line.endsWith('http://localhost:8080') && x.node === node)!;
      expect(o, node).toBeDefined();
      if (IPVS) {
        expect(o.code, node).toBe(0);
        expect(o.out, node).toMatch(WELCOME);
      } else {
        expect(o.code, node).toBe(7);
        expect(o.out, node).toBe(`${ENGLISH_CURL.noIpvs(8080)}\n`);
      }
    }
    const noS = outcome('curl -m 3 http://198.18.0.11:8081/');
    if (!IPVS) {
      expect(noS.out).toMatch(/^curl: \(7\) Failed to connect to 198\.18\.0\.11 port 8081 after \d+ ms: (Couldn't connect to server|Connection refused)\n/);
      expect(noS.out.endsWith(`${ENGLISH_CURL.noIpvs(8081)}\n`)).toBe(true);
    }
  });

  it('a host-mode port answers with the web server\'s page on the nodes running its task, and is refused on the other, with no IPVS line', async (ctx) => {
    if (!host) return ctx.skip();
    const tasks = await new GuardedApi(raw!, { scoped: false }).taskList({ service: ['my-web-host'], 'desired-state': ['running'] });
    const nodes = await raw!.nodeList();
    const withTask = new Set(tasks.map((t) => nodes.find((n) => n.ID === t.NodeID)!.Description.Hostname));
    expect(withTask.size).toBe(2);
    for (const node of ['manager1', 'worker1', 'worker2']) {
      const o = outcome(`curl http://${node}:8090`);
      if (withTask.has(node)) {
        expect(o.code, node).toBe(0);
        expect(o.out, node).toMatch(WELCOME);
      } else {
        expect(o.code, node).toBe(7);
        expect(o.out, node).toMatch(new RegExp(`^curl: \\(7\\) Failed to connect to ${node} port 8090 after \\d+ ms: (Couldn't connect to server|Connection refused)\\n$`));
      }
    }
    // The stand-in's 404 with its headers, through -i, from a node running a task (nginx/1.22.1:
    // Debian's, docs/real-captures.md). On a terminal the shell writes -i's header names in bold,
    // as curl does: read here without the SGR codes.
    const served = [...withTask][0]!;
    const nope = await run(`curl -i http://${served}:8090/nope`);
    expect(nope.code).toBe(0);
    const head = nope.out.replace(/\x1b\[[0-9;]*m/g, '');
    expect(head).toMatch(/^HTTP\/1\.1 404 Not Found\r\nServer: nginx\/1\.22\.1\r\n/);
    expect(head).toContain('<center>nginx/1.22.1</center>');
    expect(nope.out).toContain('\x1b[1mServer\x1b[0m: nginx/1.22.1');
    // The names resolved to the sandbox's addresses, and curl ran in the shell's node's namespace.
    const viaName = spawned.filter((a) => a.at(-1) === 'http://worker1:8090/');
    expect(viaName.length).toBe(1);
    expect(viaName[0]![0]).toBe('--net=/run/netns/manager1');
    expect(viaName[0]).toContain('worker1:8090:198.18.0.11');
  });

  it('curl to the swarm\'s own ports, a service not Swarm Lab\'s, or an address not a node\'s is refused, with nothing spawned', async (ctx) => {
    if (!host) return ctx.skip();
    // A service of "the learner's" on the sandbox: made straight through manager1's socket, no label.
    const theirs = await raw!.serviceCreate({
      Name: 'theirs-web',
      Labels: {},
      TaskTemplate: { ContainerSpec: { Image: 'nginx:1.27.3' }, ForceUpdate: 0 },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8095, PublishMode: 'host' }] },
    });
    try {
      const before = childPids();
      const count = spawned.length;
      for (const [line, why] of [
        ['curl http://localhost:8095/', /^swarm-lab: curl port 8095: not available in local mode: no Swarm Lab service publishes it \(published now: 8080, 8081, 8090\)\n$/],
        ['curl http://manager1:2377/', /^swarm-lab: curl port 2377: not available in local mode/],
        ['curl http://198.18.0.10:7946/', /^swarm-lab: curl port 7946: not available/],
        ['curl http://198.18.0.1:8080/', /^swarm-lab: curl 198\.18\.0\.1: not available in local mode: curl here reaches the swarm's own nodes only/],
        ['curl http://198.18.0.13:8080/', /^swarm-lab: curl 198\.18\.0\.13: not available/],
        ['curl http://swhub:8080/', /^swarm-lab: curl swhub: not available/],
        ['curl -X POST http://localhost:8080/', /^swarm-lab: curl -X: not available/],
        ['curl file:///etc/shadow', /^swarm-lab: curl file:\/\/: not available/],
      ] as const) {
        const o = await run(line);
        expect(o.out, line).toMatch(why);
        expect(o.code, line).not.toBe(0);
      }
      expect(spawned.length).toBe(count);
      expect(childPids()).toEqual(before);
    } finally {
      await raw!.serviceDelete(theirs.ID);
    }
  });

  it('the lesson\'s clean-up removes both services', async (ctx) => {
    if (!host) return ctx.skip();
    const cleanUp = lessonLines().filter((l) => CLEAN_UP.test(l));
    expect(cleanUp).toEqual(['docker service rm my-web my-web-host']);
    for (const line of cleanUp) expect((await run(line)).code, line).toBe(0);
    expect((await new GuardedApi(raw!, { scoped: false }).serviceList()).map((x) => x.Spec.Name)).toEqual([]);
  });
});
