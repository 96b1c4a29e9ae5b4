// Local mode's `curl` (issue 18): the words the command table lets through, the request the
// backend lets the real curl make (on the simulator behind the guard, with a runner that records
// instead of spawning), the exact argv it would spawn, the line added when an ingress port does
// not answer on a kernel without IPVS, and the real runner's own bounds (output size, abort, env).
// Every hostile row asserts the refusal AND that nothing was spawned.
import { describe, expect, it } from 'vitest';
import type { SwarmApi } from '../engine/api/swarm-api.js';
import type { PortConfig, ServiceSpec } from '../engine/api/types.js';
import { checkCommandLine } from '../engine/node/server/command-policy.js';
import { checkCurlWords, curlArgv, DEFAULT_MAX_TIME_SECONDS, MAX_PATH_LENGTH } from '../engine/node/server/curl-policy.js';
import { spawnCurl } from '../engine/node/server/curl-runner.js';
import { CHINESE_CURL, curlText, ENGLISH_CURL } from '../engine/node/server/curl-text.js';
import { GuardedApi } from '../engine/node/server/guard.js';
import { LocalCurl } from '../engine/node/server/local-curl.js';
import type { CurlRequest, CurlResult } from '../engine/shell/curl-backend.js';
import { Simulator } from '../engine/sim/simulator.js';

const NODES = ['manager1', 'worker1', 'worker2'];

/** The spec `docker service create --name NAME -p ... --replicas 2 nginx:1.27.3` sends. */
function webSpec(name: string, ports: PortConfig[]): ServiceSpec {
  return {
    Name: name,
    Labels: {},
    TaskTemplate: { ContainerSpec: { Image: 'nginx:1.27.3', Init: false, DNSConfig: {} }, Resources: { Limits: {}, Reservations: {} }, Placement: {}, ForceUpdate: 0 },
    Mode: { Replicated: { Replicas: 2 } },
    EndpointSpec: { Mode: 'vip', Ports: ports },
  };
}

const tcp = (published: number, mode: 'ingress' | 'host' = 'ingress', protocol: 'tcp' | 'udp' = 'tcp'): PortConfig => ({
  Protocol: protocol,
  TargetPort: 80,
  PublishedPort: published,
  PublishMode: mode,
});

interface World {
  sim: Simulator;
  guard: GuardedApi;
  spawned: string[][];
  curl: (req: Partial<CurlRequest> & { host: string; port: number }, opts?: { ipvs?: boolean; lang?: string }) => Promise<CurlResult>;
}

/**
 * The simulator behind the guard, with my-web publishing 8080 (ingress) and 8081/udp, my-web-host
 * 8090 (host mode), and one service NOT Swarm Lab's (made on the raw connection) publishing 8085.
 * `answer` is what the recording runner returns.
 */
async function world(opts: { scoped?: boolean; answer?: CurlResult; nodes?: string[] } = {}): Promise<World> {
  const sim = new Simulator({ seed: 9 });
  const raw: SwarmApi = sim.api('manager1');
  // The services are made through the sandbox's guard; `scoped` is the curl backend's alone.
  const guard = new GuardedApi(raw, { scoped: false });
  await guard.serviceCreate(webSpec('my-web', [tcp(8080), tcp(8081, 'ingress', 'udp')]));
  await guard.serviceCreate(webSpec('my-web-host', [tcp(8090, 'host')]));
  await raw.serviceCreate(webSpec('theirs', [tcp(8085)]));
  const spawned: string[][] = [];
  const answer = opts.answer ?? { stdout: 'hello', stderr: '', exitCode: 0 };
  const curl: World['curl'] = (req, o = {}) => {
    const backend = new LocalCurl({
      sandboxNodes: () => opts.nodes ?? NODES,
      scoped: opts.scoped ?? false,
      manager: () => guard,
      run: (argv) => {
        spawned.push([...argv]);
        return Promise.resolve(answer);
      },
      ipvs: () => o.ipvs ?? false,
      text: () => curlText(o.lang),
    });
    const full: CurlRequest = { fromNode: 'manager1', url: `${req.host}:${req.port}`, path: '/', include: false, silent: false, ...req };
    return backend.curl(full, new AbortController().signal);
  };
  return { sim, guard, spawned, curl };
}

describe('the command table on curl lines (before the shell runs them)', () => {
  it.each([
    'curl localhost:8080',
    'curl http://localhost:8080',
    'curl -s http://worker2:8080/',
    'curl -i http://198.18.0.11:8090/index.html',
    'curl -si -m 5 localhost:8080',
    'curl -sim 5 localhost:8080',
    'curl -m2 localhost:8080',
    "curl --silent --include --max-time 2.5 'HTTP://LOCALHOST:8099/?a=1&b=%20'",
    'curl', // curl's own "no URL specified!", printed by the shell
  ])('%s passes', (line) => {
    expect(checkCommandLine(line, { scoped: false })).toEqual({ ok: true });
  });

  it.each([
    ['curl -X POST localhost:8080', /^curl -X: not available in local mode: curl here only makes GET requests/],
    ['curl --request POST localhost:8080', /^curl --request: not available/],
    ['curl -d a=1 localhost:8080', /^curl -d: not available/],
    ['curl --data-binary @/etc/shadow localhost:8080', /^curl --data-binary: not available/],
    ['curl -o /etc/passwd localhost:8080', /^curl -o: not available/],
    ['curl -O localhost:8080/x', /^curl -O: not available/],
    ['curl -K /root/.netrc localhost:8080', /^curl -K: not available/],
    ['curl --config /etc/x localhost:8080', /^curl --config: not available/],
    ['curl --unix-socket /run/sw3/manager1/docker.sock http://localhost/services', /^curl --unix-socket: not available/],
    ['curl -H Host:evil localhost:8080', /^curl -H: not available/],
    ['curl -L localhost:8080', /^curl -L: not available/],
    ['curl -x http://evil:3128 localhost:8080', /^curl -x: not available/],
    ['curl -sX POST localhost:8080', /^curl -X: not available/],
    ['curl -siL localhost:8080', /^curl -L: not available/],
    ['curl --max-time=5 localhost:8080', /^curl --max-time: not available/],
    ['curl @/etc/passwd', /^curl @\/etc\/passwd: not available in local mode: one URL per command, and no files/],
    ['curl localhost:8080 worker1:8080', /^curl worker1:8080: not available in local mode: one URL per command/],
    ['curl -m 99999 localhost:8080', /^curl -m 99999: not available in local mode: -m takes a number of seconds from more than 0 to 30/],
    ['curl -m 0 localhost:8080', /^curl -m 0: not available/],
    ['curl -m 31 localhost:8080', /^curl -m 31: not available/],
    ['curl -m99999 localhost:8080', /^curl -m 99999: not available/],
    ['curl -m -1 localhost:8080', /^curl -m -1: not available/],
    ['curl file:///etc/passwd', /^curl file:\/\/: not available in local mode: curl here speaks http:\/\/ only/],
    ['curl https://localhost:8080', /^curl https:\/\/: not available/],
    ['curl gopher://localhost:8080/_x', /^curl gopher:\/\/: not available/],
    ['curl dict://localhost:8080/', /^curl dict:\/\/: not available/],
    ['curl http://user:pw@localhost:8080/', /^curl http:\/\/user:pw@localhost:8080\/: not available in local mode: give a node and a published port/],
    ['curl http://[::1]:8080/', /not available in local mode: give a node/],
    ['curl localhost:2377', /^curl port 2377: not available in local mode: curl here reaches only the ports Swarm Lab's services publish, in 8080-8099/],
    ['curl worker1:7946', /^curl port 7946: not available/],
    ['curl 198.18.0.10:22', /^curl port 22: not available/],
    ['curl localhost', /^curl port 80: not available/],
    ['curl localhost:65536', /give a node and a published port/],
    [`curl localhost:8080/${'a'.repeat(MAX_PATH_LENGTH)}`, /^curl: not available in local mode: the path must be plain URL characters, at most 256/],
    ['curl "localhost:8080/a b"', /the path must be plain URL characters/],
    ['curl "localhost:8080/%0"', /the path must be plain URL characters/],
    ['curl "localhost:8080/{a,b}"', /the path must be plain URL characters/],
    ['curl "localhost:8080/é"', /the path must be plain URL characters/],
  ])('%s: refused', (line, why) => {
    const v = checkCommandLine(line, { scoped: false });
    expect(v.ok, line).toBe(false);
    expect(!v.ok && v.message).toMatch(why);
  });

  it('CRLF or a newline in the path never reaches curl: the line itself is refused', () => {
    for (const line of ['curl "localhost:8080/a\r\nHost: evil"', 'curl "localhost:8080/a\nGET /"', 'curl localhost:8080/a\u0000']) {
      expect(checkCommandLine(line, { scoped: false }).ok, JSON.stringify(line)).toBe(false);
    }
  });

  it('on the learner\'s own daemon every curl line is refused, saying why and where to try it', () => {
    const v = checkCommandLine('curl localhost:8080', { scoped: true });
    expect(!v.ok && v.message).toBe(
      'curl: not available in local mode on your own Docker daemon: Swarm Lab publishes no ports there, so a port that answers is one of yours. Try curl on the sandbox swarm (npm run sandbox:up) or in the simulator.',
    );
    expect(checkCurlWords(['-s'], true)).toEqual({ ok: false, refusal: { kind: 'own-daemon' } });
  });

  it('a Chinese page gets the refusals in Chinese', () => {
    const v = checkCommandLine('curl -X POST localhost:8080', { scoped: false, lang: 'zh-CN' });
    expect(!v.ok && v.message).toBe('curl -X：本地模式下不可用：这里的 curl 只发 GET 请求（curl [-s] [-i] [-m SECONDS] http://NODE:PORT[/path]）');
  });
});

describe('LocalCurl: the request against the swarm as the daemon shows it now', () => {
  it('a published port of Swarm Lab\'s on a node\'s name: the real curl in the shell\'s node\'s namespace, the name resolved to its address', async () => {
    const w = await world();
    const addr = (await w.guard.nodeList()).find((n) => n.Description.Hostname === 'worker2')!.Status.Addr;
    const r = await w.curl({ fromNode: 'worker1', host: 'worker2', port: 8080, path: '/index.html', include: true });
    expect(r).toEqual({ stdout: 'hello', stderr: '', exitCode: 0 });
    expect(w.spawned).toEqual([
      [
        '--net=/run/netns/worker1', '--', 'curl', '-q', '--proto', '=http', '--globoff', '--noproxy', '*', '-sS', '-i',
        '-m', String(DEFAULT_MAX_TIME_SECONDS), '--resolve', `worker2:8080:${addr}`, '--', 'http://worker2:8080/index.html',
      ],
    ]);
  });

  it('localhost, 127.0.0.1 and a node\'s address need no --resolve; -s and -m pass through; host-mode and UDP ports are ports of ours too', async () => {
    const w = await world();
    const addr = (await w.guard.nodeList()).find((n) => n.Description.Hostname === 'manager1')!.Status.Addr;
    for (const [host, port] of [['localhost', 8080], ['127.0.0.1', 8090], [addr, 8081]] as const) {
      const r = await w.curl({ host, port, silent: true, maxTimeSeconds: 2 });
      expect(r.exitCode, host).toBe(0);
    }
    expect(w.spawned.map((a) => a.slice(9))).toEqual([
      ['-s', '-m', '2', '--', 'http://localhost:8080/'],
      ['-s', '-m', '2', '--', 'http://127.0.0.1:8090/'],
      ['-s', '-m', '2', '--', `http://${addr}:8081/`],
    ]);
  });

  const HOSTILE: [row: string, req: Partial<CurlRequest> & { host: string; port: number }, why: RegExp][] = [
    ['the swarm port', { host: 'manager1', port: 2377 }, /^swarm-lab: curl port 2377: not available in local mode: curl here reaches only the ports Swarm Lab's services publish, in 8080-8099\n$/],
    ['gossip', { host: 'worker1', port: 7946 }, /curl port 7946: not available/],
    ['ssh', { host: 'localhost', port: 22 }, /curl port 22: not available/],
    ['a port nobody publishes', { host: 'localhost', port: 8088 }, /^swarm-lab: curl port 8088: not available in local mode: no Swarm Lab service publishes it \(published now: 8080, 8081, 8090\)\n$/],
    ['a port only a service not Swarm Lab\'s publishes', { host: 'localhost', port: 8085 }, /curl port 8085: not available in local mode: no Swarm Lab service publishes it/],
    ['the hub\'s address', { host: '198.18.0.1', port: 8080 }, /^swarm-lab: curl 198\.18\.0\.1: not available in local mode: curl here reaches the swarm's own nodes only \(manager1, worker1, worker2, their addresses, or localhost for the node you are on\)\n$/],
    ['another sandbox address', { host: '198.18.0.99', port: 8080 }, /curl 198\.18\.0\.99: not available/],
    ['the machine\'s own address', { host: '10.0.2.15', port: 8080 }, /curl 10\.0\.2\.15: not available/],
    ['0.0.0.0', { host: '0.0.0.0', port: 8080 }, /curl 0\.0\.0\.0: not available/],
    ['another loopback address', { host: '127.0.0.2', port: 8080 }, /curl 127\.0\.0\.2: not available/],
    ['a name not a node', { host: 'evil.example', port: 8080 }, /curl evil\.example: not available/],
    ['a name like a node', { host: 'manager1.evil.example', port: 8080 }, /curl manager1\.evil\.example: not available/],
    ['an IPv6 literal', { host: '[::1]', port: 8080 }, /give a node and a published port/],
    ['-m 99999', { host: 'localhost', port: 8080, maxTimeSeconds: 99999 }, /curl -m 99999: not available/],
    ['-m 0 (no limit to curl)', { host: 'localhost', port: 8080, maxTimeSeconds: 0 }, /curl -m 0: not available/],
    ['-m NaN', { host: 'localhost', port: 8080, maxTimeSeconds: Number.NaN }, /curl -m NaN: not available/],
    ['CRLF in the path', { host: 'localhost', port: 8080, path: '/a\r\nHost: evil' }, /the path must be plain URL characters/],
    ['a newline in the path', { host: 'localhost', port: 8080, path: '/a\nb' }, /the path must be plain URL characters/],
    ['an over-long path', { host: 'localhost', port: 8080, path: `/${'a'.repeat(MAX_PATH_LENGTH)}` }, /at most 256/],
    ['a path not starting with /', { host: 'localhost', port: 8080, path: '@/etc/passwd' }, /the path must be plain URL characters/],
    ['a shell that is not on a sandbox node', { fromNode: 'vm', host: 'localhost', port: 8080 }, /^swarm-lab: curl: not available in local mode from vm: it is not a node of the sandbox swarm\n$/],
    ['a node name that would escape /run/netns', { fromNode: '../../proc/1/ns/net', host: 'localhost', port: 8080 }, /it is not a node of the sandbox swarm/],
  ];

  it.each(HOSTILE)('%s: refused in one line, exit 1, nothing spawned', async (_row, req, why) => {
    const w = await world();
    const r = await w.curl(req);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(why);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.exitCode).toBe(1);
    expect(w.spawned).toEqual([]);
  });

  it('a port removed a moment ago is refused: the daemon is asked at each request', async () => {
    const w = await world();
    expect((await w.curl({ host: 'localhost', port: 8090 })).exitCode).toBe(0);
    const s = await w.guard.serviceInspect('my-web-host');
    await w.guard.serviceUpdate(s.ID, s.Version.Index, { ...s.Spec, EndpointSpec: { Mode: 'vip', Ports: [] } });
    const r = await w.curl({ host: 'localhost', port: 8090 });
    expect(r.stderr).toMatch(/curl port 8090: not available in local mode: no Swarm Lab service publishes it \(published now: 8080, 8081\)/);
    expect(w.spawned).toHaveLength(1);
  });

  it('on the learner\'s own daemon, or a swarm that is not the sandbox, nothing is spawned', async () => {
    for (const w of [await world({ scoped: true }), await world({ nodes: [] })]) {
      const r = await w.curl({ host: 'localhost', port: 8080 });
      expect(r.stderr).toMatch(/^swarm-lab: curl: not available in local mode on your own Docker daemon/);
      expect(w.spawned).toEqual([]);
    }
  });

  it('a daemon that does not answer: one line saying so, nothing spawned, no throw', async () => {
    const spawned: string[][] = [];
    const dead = new LocalCurl({
      sandboxNodes: () => NODES,
      scoped: false,
      manager: () => ({ nodeList: () => Promise.reject(new Error('Cannot connect to the Docker daemon at unix:///run/sw3/manager1/docker.sock. Is the docker daemon running?')), serviceList: () => Promise.resolve([]) }) as unknown as SwarmApi,
      run: (argv) => {
        spawned.push([...argv]);
        return Promise.resolve({ stdout: '', stderr: '', exitCode: 0 });
      },
      ipvs: () => false,
      text: () => curlText('en'),
    });
    const r = await dead.curl({ fromNode: 'manager1', url: 'localhost:8080', host: 'localhost', port: 8080, path: '/', include: false, silent: true }, new AbortController().signal);
    expect(r).toEqual({
      stdout: '',
      stderr: 'swarm-lab: curl: could not ask the swarm which ports its services publish, so no request was made: Cannot connect to the Docker daemon at unix:///run/sw3/manager1/docker.sock. Is the docker daemon running?\n',
      exitCode: 1,
    });
    expect(spawned).toEqual([]);
  });

  const REFUSED: CurlResult = { stdout: '', stderr: 'curl: (7) Failed to connect to worker1 port 8080 after 0 ms: Couldn\'t connect to server\n', exitCode: 7 };

  it('an ingress port that does not answer on a kernel without IPVS: curl\'s error as it is, then one line saying why', async () => {
    const w = await world({ answer: REFUSED });
    const r = await w.curl({ host: 'worker1', port: 8080 });
    expect(r.exitCode).toBe(7);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${REFUSED.stderr}${ENGLISH_CURL.noIpvs(8080)}\n`);
    expect(r.stderr).toMatch(/port 8080 is published in ingress mode, and this machine's kernel has no IPVS \(ip_vs\).*Host-mode ports \(mode=host\) still answer/);
    const zh = await w.curl({ host: 'worker1', port: 8080 }, { lang: 'zh-CN' });
    expect(zh.stderr).toBe(`${REFUSED.stderr}${CHINESE_CURL.noIpvs(8080)}\n`);
    expect(zh.stderr).toContain('IPVS（ip_vs）');
  });

  it('no such line with IPVS, for a host-mode port, or when the ingress port answered', async () => {
    const w = await world({ answer: REFUSED });
    expect((await w.curl({ host: 'worker1', port: 8080 }, { ipvs: true })).stderr).toBe(REFUSED.stderr);
    expect((await w.curl({ host: 'worker1', port: 8090 })).stderr).toBe(REFUSED.stderr);
    const ok = await world();
    expect((await ok.curl({ host: 'worker1', port: 8080 })).stderr).toBe('');
  });
});

describe('curlArgv', () => {
  it('puts the URL after "--", so no part of it is read as an option', () => {
    const argv = curlArgv({ fromNode: 'manager1', url: '', host: 'localhost', port: 8080, path: '/-K', include: false, silent: false }, { ingress: true });
    expect(argv.slice(-2)).toEqual(['--', 'http://localhost:8080/-K']);
    expect(argv[0]).toBe('--net=/run/netns/manager1');
  });
});

describe('the real runner (spawnCurl) keeps its bounds', () => {
  it('stops a program that writes without end at the output bound, saying so', async () => {
    const r = await spawnCurl('yes', 1000)(['y'], new AbortController().signal);
    expect(r.stdout).toBe('y\n'.repeat(500));
    expect(r.stderr).toBe("swarm-lab: curl's output was cut at 1000 bytes\n");
    expect(r.exitCode).toBe(23);
  });

  it('the request\'s signal kills it (Ctrl-C, the page gone)', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 100);
    const r = await spawnCurl('sleep')(['30'], ac.signal);
    expect(r.exitCode).toBe(130);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('runs with PATH and LC_ALL only: no proxy variables, no CURL_HOME, no HOME', async () => {
    process.env.http_proxy = 'http://evil.example:3128';
    try {
      const r = await spawnCurl('env')([], new AbortController().signal);
      expect(r.stdout.trim().split('\n').sort()).toEqual(['LC_ALL=C', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin']);
    } finally {
      delete process.env.http_proxy;
    }
  });

  it('arguments are never read by a shell', async () => {
    const r = await spawnCurl('echo')(['$(id)', '`id`', ';', 'id'], new AbortController().signal);
    expect(r.stdout).toBe('$(id) `id` ; id\n');
  });
});
