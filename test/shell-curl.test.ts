// The shell's `curl` (issue 18): its command line and errors against the real curl 7.88.1 of this
// machine, and the simulated routing mesh behind it (engine/sim/ingress.ts, web.ts, curl-sim.ts):
// ingress ports answer on every node and balance round-robin, host-mode ports answer only where
// a task runs, a stopped node answers nothing, nginx answers with its real pages.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Session } from '../engine/session.js';
import { boldHeaderNames, parseCurlArgs, parseCurlUrl } from '../engine/shell/curl.js';
import { curlOnSimulator, NO_ROUTE_MS } from '../engine/sim/curl-sim.js';
import { NGINX_WELCOME } from '../engine/sim/web.js';

interface Ran {
  code: number;
  out: string;
  err: string;
}

function run(session: Session, line: string, signal = new AbortController().signal, tty = true): Promise<Ran> {
  let out = '';
  let err = '';
  const done = session.run(line, {
    stdout: { write: (s) => void (out += s) },
    stderr: { write: (s) => void (err += s) },
    tty,
    columns: 200,
    signal,
  });
  return done.then((code) => ({ code, out, err }));
}

/** A session with `web` (nginx:1.27.3, 2 replicas, 8080 -> 80 in ingress mode) running. */
async function webSwarm(extra = ''): Promise<Session> {
  const s = new Session({ seed: 7 });
  const created = await run(s, `docker service create --name web --replicas 2 --publish published=8080,target=80 ${extra} nginx:1.27.3`);
  expect(created.code, created.err).toBe(0);
  return s;
}

/** The node each running task of `service` is on, by task ID. */
function placement(s: Session, service: string): Map<string, string> {
  const sim = s.sim;
  const svc = [...sim.cluster.services.values()].find((x) => x.spec.Name === service)!;
  const out = new Map<string, string>();
  for (const t of sim.cluster.tasksOf(svc.id)) if (t.state === 'running') out.set(t.id, sim.cluster.nodes.get(t.nodeId)!.hostname);
  return out;
}

const servedTask = (s: Session): string | undefined => s.sim.cluster.lastServed?.taskId;

// ---------------------------------------------------------------- the command line vs real curl

const realCurl = spawnSync('curl', ['--version'], { encoding: 'utf8' });
const haveRealCurl = realCurl.status === 0 && realCurl.stdout.startsWith('curl 7.88.1');

/** What the real curl prints for `args` (no progress meter: a learner's terminal is a tty). */
function real(args: string[]): { stderr: string; status: number } {
  const r = spawnSync('curl', ['--no-progress-meter', ...args], { encoding: 'utf8', timeout: 10_000 });
  return { stderr: r.stderr, status: r.status ?? -1 };
}

describe('the command line, as curl 7.88.1 reads it', () => {
  test('the subset: flags in any order, combined, -m with its value attached or apart', () => {
    expect(parseCurlArgs(['-si', 'localhost:8080'])).toEqual({ silent: true, include: true, urls: ['localhost:8080'] });
    expect(parseCurlArgs(['worker1:8080', '--max-time', '2.5', '--include'])).toEqual({ silent: false, include: true, maxTimeSeconds: 2.5, urls: ['worker1:8080'] });
    expect(parseCurlArgs(['-sm5', 'x'])).toMatchObject({ silent: true, maxTimeSeconds: 5 });
    expect(parseCurlArgs(['-im', '1', 'x'])).toMatchObject({ include: true, maxTimeSeconds: 1 });
    expect(parseCurlArgs(['--', '-x'])).toMatchObject({ urls: ['-x'] });
  });

  test('URLs: scheme optional and case-blind, port 80 by default, user info and fragment dropped, query kept', () => {
    expect(parseCurlUrl('localhost:8080', false)).toEqual({ host: 'localhost', port: 8080, path: '/' });
    expect(parseCurlUrl('HTTP://Worker1:08/a/b?c=1#frag', false)).toEqual({ host: 'Worker1', port: 8, path: '/a/b?c=1' });
    expect(parseCurlUrl('http://user@192.168.99.101/', false)).toEqual({ host: '192.168.99.101', port: 80, path: '/' });
    expect(parseCurlUrl('http:///worker2', false)).toEqual({ host: 'worker2', port: 80, path: '/' });
    expect(parseCurlUrl('http://worker1:/?q', false)).toEqual({ host: 'worker1', port: 80, path: '/?q' });
    // Dot segments are resolved before sending (what the real curl sent, as nginx logged it).
    for (const [typed, sent] of [['/a/../index.html', '/index.html'], ['/./', '/'], ['/a/b/..', '/a/'], ['/../../x', '/x'], ['//', '//'], ['/a/./b/../c?x=/../y', '/a/c?x=/../y']]) {
      expect(parseCurlUrl(`localhost${typed!}`, false), typed).toMatchObject({ path: sent });
    }
  });

  // Each line's error must be what the real curl prints, with its exit code: usage errors need
  // no network; the transfer errors here are decided before any connection.
  const usage = [[], ['--foo'], ['-m'], ['-m', 'abc', 'x'], ['-m', '-1', 'x'], ['-sW', 'x'], ['--max-time=5', 'x'], ['-i'], ['--silent', '--include'], ['-'], ['-mx']];
  test.skipIf(!haveRealCurl).each(usage.map((a) => [a]))('usage: curl %j', async (args: string[]) => {
    const s = new Session({ seed: 1 });
    const ours = await run(s, ['curl', ...args].join(' '));
    const r = spawnSync('curl', args, { encoding: 'utf8' });
    expect(ours.err).toBe(r.stderr);
    expect(ours.code).toBe(r.status);
    expect(ours.out).toBe('');
  });

  const transfer = [['ftp2://x/'], ['http://127.0.0.1:99999/'], ['http://127.0.0.1:abc/'], ['http:x'], ['x:y:z'], ['://x'], ['http://127.0.0.1:+8/'], ['http://nosuchhost.invalid:8080/'], ['localhost:1'], ['http://LOCALHOST:1/'], ['-s', 'localhost:1'], ['-s', 'ftp2://x'], ['http://127.0.0.1:1/', 'http://127.0.0.1:2/']];
  test.skipIf(!haveRealCurl).each(transfer.map((a) => [a]))('transfer: curl %j', async (args: string[]) => {
    // Nothing is published in a fresh swarm: port 1 and 2 are refused there as on this machine.
    const s = new Session({ seed: 1 });
    const ours = await run(s, ['curl', ...args].join(' '));
    const r = real(args);
    expect(ours.err).toBe(r.stderr);
    expect(ours.code).toBe(r.status);
  });

  test('options of the real curl outside the subset are unknown to this one, in curl\'s words', async () => {
    const s = new Session({ seed: 1 });
    for (const [line, option] of [['curl -X POST localhost:8080', '-X'], ['curl -sv localhost', '-sv'], ['curl --head localhost', '--head']]) {
      expect(await run(s, line!)).toEqual({ code: 2, out: '', err: `curl: option ${option}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n` });
    }
  });

  test('https is not in this curl (no TLS in its libcurl): curl says so, exit 1', async () => {
    const s = new Session({ seed: 1 });
    expect(await run(s, 'curl https://worker1:8080/')).toEqual({ code: 1, out: '', err: 'curl: (1) Protocol "https" not supported or disabled in libcurl\n' });
  });

  test('hostile command lines never throw and always end with one of curl\'s codes', async () => {
    const s = new Session({ seed: 1 });
    const lines = ['curl -', 'curl --', 'curl -m 1e400 x', 'curl -m .5 nowhere', 'curl "http://[::1"', 'curl http://[::1]:8080/', 'curl http://@:80', 'curl "$(id)"', 'curl -mmm', 'curl ' + 'a'.repeat(5000), 'curl http://worker1:65535/' + '%'.repeat(100)];
    for (const line of lines) {
      const r = await run(s, line);
      expect([0, 1, 2, 3, 6, 7, 28, 52], line).toContain(r.code);
      expect(r.err, line).not.toContain('internal error');
    }
  });
});

// ---------------------------------------------------------------- the routing mesh

describe('the routing mesh of the simulated swarm', () => {
  test('nginx:1.27.3 answers with its welcome page and headers, its Date the swarm\'s time', async () => {
    const s = await webSwarm();
    const page = await run(s, 'curl http://worker1:8080/');
    expect(page).toEqual({ code: 0, out: NGINX_WELCOME, err: '' });
    expect(NGINX_WELCOME.length).toBe(615);
    const head = await run(s, 'curl -i localhost:8080', undefined, false);
    const date = new Date(s.sim.clock.epochNow()).toUTCString();
    expect(head.out).toBe(
      `HTTP/1.1 200 OK\r\nServer: nginx/1.27.3\r\nDate: ${date}\r\nContent-Type: text/html\r\nContent-Length: 615\r\n` +
        'Last-Modified: Tue, 26 Nov 2024 15:55:00 GMT\r\nConnection: keep-alive\r\nETag: "6745ef54-267"\r\nAccept-Ranges: bytes\r\n\r\n' +
        NGINX_WELCOME,
    );
    // On a terminal the header names are bold, the status line and values as they are.
    expect((await run(s, 'curl -i localhost:8080')).out).toBe(boldHeaderNames(head.out));
    expect(boldHeaderNames(head.out)).toContain('HTTP/1.1 200 OK\r\n\x1b[1mServer\x1b[0m: nginx/1.27.3\r\n\x1b[1mDate\x1b[0m: ');
    expect(boldHeaderNames(head.out).split('\r\n\r\n')[1]).toBe(NGINX_WELCOME);
    const missing = await run(s, 'curl -si worker2:8080/nope', undefined, false);
    expect(missing.out).toMatch(/^HTTP\/1\.1 404 Not Found\r\nServer: nginx\/1\.27\.3\r\nDate: .* GMT\r\nContent-Type: text\/html\r\nContent-Length: 153\r\nConnection: keep-alive\r\n\r\n<html>\r\n/);
    expect(missing.out.split('\r\n\r\n')[1]).toHaveLength(153);
    // As nginx's default site answered curl on 127.0.0.1 (merged slashes, %XX decoded).
    for (const [path, status] of [['/a/../index.html', 200], ['//', 200], ['/%69ndex.html', 200], ['/index.html#x', 200], ['/a/b/..', 404], ['/index.htm', 404]] as const) {
      expect((await run(s, `curl -si http://worker1:8080${path}`, undefined, false)).out.split('\r\n')[0], path).toBe(status === 200 ? 'HTTP/1.1 200 OK' : 'HTTP/1.1 404 Not Found');
    }
  });

  test('an ingress port answers on a node with no task, round-robin over the running tasks, and each task logs its requests', async () => {
    const s = await webSwarm();
    const where = placement(s, 'web');
    expect(where.size).toBe(2);
    const empty = s.sim.hostnames().find((h) => ![...where.values()].includes(h))!;
    expect(empty).toBeDefined();
    const served: string[] = [];
    for (let i = 0; i < 4; i++) {
      expect((await run(s, `curl -s http://${empty}:8080/`)).code).toBe(0);
      served.push(servedTask(s)!);
    }
    // Alternating, both tasks: t1 t2 t1 t2.
    expect(new Set(served).size).toBe(2);
    expect(served[0]).toBe(served[2]);
    expect(served[1]).toBe(served[3]);
    expect(served[0]).not.toBe(served[1]);
    expect(s.sim.cluster.lastServed).toMatchObject({ entry: empty, from: s.shell.node, mode: 'ingress' });
    // Two lines in each task's log, from the entry node's address on the ingress network.
    const logs = await run(s, 'docker service logs web');
    const requests = logs.out.split('\n').filter((l) => l.includes('"GET / HTTP/1.1" 200 615 "-" "curl/7.88.1" "-"'));
    expect(requests).toHaveLength(4);
    for (const id of where.keys()) expect(requests.filter((l) => l.includes(id.slice(0, 12)))).toHaveLength(2);
    expect(requests[0]).toMatch(/\| 10\.0\.0\.\d+ - - \[\d\d\/Nov\/2026:\d\d:\d\d:\d\d \+0000\] "GET/);
  });

  test('round-robin is per entry node: each node\'s IPVS keeps its own turn', async () => {
    const s = await webSwarm();
    await run(s, 'curl -s worker1:8080');
    const first = servedTask(s);
    await run(s, 'curl -s worker2:8080');
    // worker2's table starts its own turn at the same first task.
    expect(servedTask(s)).toBe(first);
    await run(s, 'curl -s worker1:8080');
    expect(servedTask(s)).not.toBe(first);
  });

  test('by name, by address, localhost and 127.0.0.1 reach the same mesh; from another node with ssh', async () => {
    const s = await webSwarm();
    for (const host of ['manager1', '192.168.99.101', 'localhost', '127.0.0.1', 'WORKER2']) expect((await run(s, `curl -s ${host}:8080`)).code, host).toBe(0);
    await run(s, 'ssh worker1');
    await run(s, 'curl -s localhost:8080');
    expect(s.sim.cluster.lastServed).toMatchObject({ entry: 'worker1', from: 'worker1' });
  });

  test('a drained node still answers an ingress port', async () => {
    const s = await webSwarm();
    expect((await run(s, 'docker node update --availability drain worker1')).code).toBe(0);
    await run(s, 'sleep 10');
    expect([...placement(s, 'web').values()]).not.toContain('worker1');
    expect(await run(s, 'curl worker1:8080')).toMatchObject({ code: 0, out: NGINX_WELCOME });
  });

  test('a host-mode port answers only on the nodes where a task runs, from that task', async () => {
    const s = new Session({ seed: 3 });
    const created = await run(s, 'docker service create --name edge --replicas 1 --publish published=8081,target=80,mode=host nginx:1.27.3');
    expect(created.code, created.err).toBe(0);
    const where = placement(s, 'edge');
    expect(where.size).toBe(1);
    const [[taskId, node]] = [...where.entries()] as [[string, string]];
    for (const h of s.sim.hostnames()) {
      const r = await run(s, `curl http://${h}:8081/`);
      if (h === node) {
        expect(r.code, h).toBe(0);
        expect(servedTask(s)).toBe(taskId);
        expect(s.sim.cluster.lastServed?.mode).toBe('host');
      } else expect(r, h).toEqual({ code: 7, out: '', err: `curl: (7) Failed to connect to ${h} port 8081 after 0 ms: Couldn't connect to server\n` });
    }
  });

  test('a node whose daemon is stopped answers nothing on an ingress port: no route after ~3 s, or -m runs out (28); -s keeps the code', async () => {
    const s = await webSwarm();
    expect((await run(s, 'lab node stop worker2')).code).toBe(0);
    const before = s.sim.clock.now;
    expect(await run(s, 'curl worker2:8080')).toEqual({ code: 7, out: '', err: `curl: (7) Failed to connect to worker2 port 8080 after ${NO_ROUTE_MS} ms: Couldn't connect to server\n` });
    expect(s.sim.clock.now - before).toBeGreaterThanOrEqual(NO_ROUTE_MS);
    expect(await run(s, 'curl -m 1 worker2:8080')).toEqual({ code: 28, out: '', err: 'curl: (28) Connection timed out after 1000 milliseconds\n' });
    expect(await run(s, 'curl -s -m 1 worker2:8080')).toEqual({ code: 28, out: '', err: '' });
    // A port nothing published: the machine's own kernel refuses it at once.
    const t0 = s.sim.clock.now;
    expect(await run(s, 'curl worker2:9999')).toEqual({ code: 7, out: '', err: "curl: (7) Failed to connect to worker2 port 9999 after 0 ms: Couldn't connect to server\n" });
    expect(s.sim.clock.now).toBe(t0);
    // The other nodes still answer, from the tasks that are left.
    expect((await run(s, 'curl -s manager1:8080')).code).toBe(0);
    const served = servedTask(s)!;
    expect(s.sim.cluster.nodes.get(s.sim.cluster.tasks.get(served)!.nodeId)!.hostname).not.toBe('worker2');
  });

  test('Ctrl-C ends a curl waiting on a node that does not answer', async () => {
    const s = await webSwarm();
    await run(s, 'lab node stop worker1');
    const ctl = new AbortController();
    const pending = run(s, 'curl worker1:8080', ctl.signal);
    ctl.abort();
    expect((await pending).code).toBe(130);
  });

  test('a removed service, or one with no running task, is refused', async () => {
    const s = await webSwarm();
    expect((await run(s, 'docker service scale web=0')).code).toBe(0);
    expect(await run(s, 'curl -s worker1:8080')).toEqual({ code: 7, out: '', err: '' });
    await run(s, 'docker service rm web');
    expect(await run(s, 'curl worker1:8080')).toMatchObject({ code: 7, err: "curl: (7) Failed to connect to worker1 port 8080 after 0 ms: Couldn't connect to server\n" });
  });

  test('a published redis port closes an HTTP request without a reply (52), as the real redis-server does, and logs why', async () => {
    const s = new Session({ seed: 5 });
    expect((await run(s, 'docker service create --name db --publish 6379:6379 redis:7.4.2')).code).toBe(0);
    expect(await run(s, 'curl worker1:6379')).toEqual({ code: 52, out: '', err: 'curl: (52) Empty reply from server\n' });
    expect(await run(s, 'curl -s worker1:6379')).toEqual({ code: 52, out: '', err: '' });
    expect((await run(s, 'docker service logs db')).out).toMatch(/1:M \d\d \w{3} 2026 [\d:.]+ # Possible SECURITY ATTACK detected\./);
  });

  test('a port published to a target nothing listens on is refused by the task (an alpine shell)', async () => {
    const s = new Session({ seed: 5 });
    expect((await run(s, 'docker service create --name idle --publish 9000:80 alpine:3.21 sleep 1000')).code).toBe(0);
    expect((await run(s, 'curl -s localhost:9000')).code).toBe(7);
  });

  test('an unknown name is not resolved (6); an address of the LAN nobody holds does not answer (7 after ~3 s)', async () => {
    const s = await webSwarm();
    expect(await run(s, 'curl worker9:8080')).toEqual({ code: 6, out: '', err: 'curl: (6) Could not resolve host: worker9\n' });
    expect((await run(s, 'curl 192.168.99.250:8080')).err).toBe(`curl: (7) Failed to connect to 192.168.99.250 port 8080 after ${NO_ROUTE_MS} ms: Couldn't connect to server\n`);
  });

  test('echo $? says what curl returned (unquoted or in double quotes; quoted or escaped it stays)', async () => {
    const s = new Session({ seed: 1 });
    await run(s, 'curl -s localhost:1');
    expect((await run(s, 'echo $?')).out).toBe('7\n');
    await run(s, 'curl -s nosuch:1');
    expect((await run(s, 'echo "exit=$?"')).out).toBe('exit=6\n');
    expect((await run(s, "echo '$?' \\$?")).out).toBe('$? $?\n');
    await run(s, 'curl');
    expect((await run(s, 'echo $?')).out).toBe('2\n');
  });

  test('a curl that waits on a paused swarm says so first, as sleep does; one answered at once says nothing', async () => {
    const { Shell } = await import('../engine/shell/shell.js');
    const s = await webSwarm();
    await run(s, 'lab node stop worker2');
    let err = '';
    const io = { stdout: { write: () => undefined }, stderr: { write: (x: string) => void (err += x) }, tty: true, columns: 80, signal: new AbortController().signal };
    const sim = s.sim;
    const sh = new Shell(
      {
        api: (h) => sim.api(h),
        hostnames: () => sim.hostnames(),
        clock: { now: () => sim.clock.epochNow(), sleep: async () => undefined, paused: () => true, pausedNotice: () => 'PAUSED\n' },
        curl: { curl: (req, signal, hooks) => curlOnSimulator(sim, req, async () => undefined, signal, hooks) },
      },
      'manager1',
    );
    expect(await sh.run('curl -s worker1:8080', io)).toBe(0);
    expect(err).toBe('');
    expect(await sh.run('curl -s worker2:8080', io)).toBe(7);
    expect(err).toBe('PAUSED\n');
  });

  test('a host without a backend has no curl (bash says so)', async () => {
    const { Shell } = await import('../engine/shell/shell.js');
    const sh = new Shell({ api: () => undefined, hostnames: () => ['n1'], clock: { now: () => 0, sleep: async () => undefined } }, 'n1');
    let err = '';
    const code = await sh.run('curl localhost', { stdout: { write: () => undefined }, stderr: { write: (x) => void (err += x) }, tty: true, columns: 80, signal: new AbortController().signal });
    expect({ code, err }).toEqual({ code: 127, err: 'bash: curl: command not found\n' });
  });
});

test('any request from any machine to any host, port and path: the mesh answers with one of curl\'s codes and never throws', async () => {
  const s = await webSwarm();
  await run(s, 'docker service create --name edge --publish published=8081,target=80,mode=host nginx:1.27.3');
  await run(s, 'docker service create --name db --publish 6379:6379 redis:7.4.2');
  await run(s, 'lab node stop worker2');
  const hosts = [...s.sim.hostnames(), 'localhost', '127.0.0.1', '::1', '192.168.99.101', '10.0.0.2', 'nosuch', ''];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...s.sim.hostnames(), 'ghost'),
      fc.oneof(fc.constantFrom(...hosts), fc.string()),
      fc.oneof(fc.constantFrom(80, 8080, 8081, 6379, 0, 65535), fc.integer({ min: 0, max: 70000 })),
      fc.string(),
      fc.boolean(),
      fc.option(fc.double({ min: 0, max: 5, noNaN: true }), { nil: undefined }),
      async (fromNode, host, port, path, include, maxTimeSeconds) => {
        const r = await curlOnSimulator(
          s.sim,
          { fromNode, url: `${host}:${port}${path}`, host, port, path: `/${path}`, include, silent: false, ...(maxTimeSeconds !== undefined ? { maxTimeSeconds } : {}) },
          async () => undefined,
          new AbortController().signal,
        );
        expect([0, 6, 7, 28, 52]).toContain(r.exitCode);
        expect(r.exitCode === 0 ? r.stdout.length > 0 : r.stderr.startsWith('curl: (')).toBe(true);
      },
    ),
    { numRuns: 500, seed: 18 },
  );
});
