// curl and nginx against the real capture of the routing-mesh walkthrough
// (test/fixtures/real/routing-mesh.json, copied unchanged from the captures branch): the
// host-mode part, where the real sandbox answers (its kernel has no IPVS, so its ingress ports
// refuse every connection and cannot be compared: docs/real-captures.md). The simulated swarm
// runs the same service; each node of the capture is mapped to a simulated node that does (or
// does not) run a task of it, and every curl line is typed on the mapped node with the mapped
// address. Its output must be the real one byte for byte, but for what differs by design: the
// sandbox's stand-in is Debian's nginx 1.22.1 (version, Last-Modified, ETag) and the Date.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Session } from '../engine/session.js';

interface Entry {
  command: string;
  output: string;
  exitCode: number;
}
const capture = JSON.parse(readFileSync(new URL('./fixtures/real/routing-mesh.json', import.meta.url), 'utf8')) as { curlVersion: string; entries: Entry[] };
const entries = capture.entries;

/** The sandbox's nodes by address (scripts/sandbox: 198.18.0.10 up). */
const REAL_ADDR: Record<string, string> = { '198.18.0.10': 'manager1', '198.18.0.11': 'worker1', '198.18.0.12': 'worker2' };

async function run(s: Session, line: string): Promise<{ code: number; out: string }> {
  let out = '';
  const w = { write: (x: string) => void (out += x) };
  const code = await s.run(line, { stdout: w, stderr: w, tty: true, columns: 80, signal: new AbortController().signal });
  return { code, out };
}

/** What may differ by design: the stand-in's version and file date, and the time. */
const normal = (text: string): string =>
  text
    .replace(/nginx\/1\.22\.1/g, 'nginx/1.27.3')
    .replace(/(Date\x1b\[0m: |Last-Modified\x1b\[0m: )[^\r]*/g, '$1<date>')
    .replace(/(ETag\x1b\[0m: )"[^"]*"/g, '$1"<etag>"');

/** The nodes a `docker service ps` table puts a running task on. */
const runningOn = (ps: string): string[] =>
  ps
    .split('\n')
    .slice(1)
    .filter((l) => / Running +Running /.test(l))
    .map((l) => l.split(/ {2,}/)[3]!);

describe('curl on host-mode ports, as on the real sandbox', () => {
  test('the capture is of curl 7.88.1, the one this curl follows', () => {
    expect(capture.curlVersion).toBe('7.88.1');
  });

  test('every curl to port 8090: the same exit code and output, node for node', async () => {
    const create = entries.findIndex((e) => e.command.startsWith('docker service create --name host-web'));
    const stop = entries.findIndex((e, i) => i > create && e.command.startsWith('docker service scale'));
    expect(create).toBeGreaterThan(0);
    const realWith = runningOn(entries[create + 1]!.output);
    expect(realWith).toHaveLength(2);

    const s = new Session({ seed: 18 });
    expect((await run(s, entries[create]!.command)).code).toBe(0);
    const simPs = (await run(s, 'docker service ps host-web')).out;
    const simWith = runningOn(simPs);
    expect(simWith).toHaveLength(2);
    // Real node -> simulated node: the one without a task to the one without, the others in order.
    const realAll = ['manager1', 'worker1', 'worker2'];
    const simAll = s.sim.hostnames();
    const realWithout = realAll.filter((n) => !realWith.includes(n));
    const simWithout = simAll.filter((n) => !simWith.includes(n));
    const map = new Map<string, string>([[realWithout[0]!, simWithout[0]!]]);
    realWith.sort().forEach((n, i) => map.set(n, [...simWith].sort()[i]!));
    const addrOf = (sim: string): string => s.sim.cluster.machines.get(sim)!.addr;

    let compared = 0;
    for (const e of entries.slice(create + 2, stop)) {
      if (e.command.startsWith('ssh ')) {
        await run(s, `ssh ${map.get(e.command.slice(4))!}`);
        continue;
      }
      if (e.command === 'exit') {
        await run(s, 'exit');
        continue;
      }
      if (!e.command.startsWith('curl ')) continue;
      let line = e.command;
      let expected = e.output;
      for (const [addr, node] of Object.entries(REAL_ADDR)) {
        line = line.split(addr).join(addr === '' ? addr : addrOf(map.get(node)!));
        expected = expected.split(addr).join(addrOf(map.get(node)!));
      }
      const ours = await run(s, line);
      expect({ line, code: ours.code }).toEqual({ line, code: e.exitCode });
      expect(normal(ours.out), line).toBe(normal(expected));
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(12);
  });

  test('the lines nginx logs for them have the real lines\' shape (access and error lines)', async () => {
    const logs = entries.find((e) => e.command.startsWith('docker service logs --tail 3 host-web'))!;
    const shape = (line: string): string =>
      line
        .replace(/^[\w.-]+@\w+ +\| /, '')
        .replace(/\d+\.\d+\.\d+\.\d+/g, '<ip>')
        .replace(/\[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\]/, '[<time>]')
        .replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d/, '<time>')
        .replace(/ \d+#\d+: \*\d+ /, ' <pid>: <conn> ')
        .replace(/host: "[^"]*"/, 'host: "<host>"');
    const real = new Set(logs.output.split('\n').filter((l) => l.includes('GET ')).map(shape));
    expect(real.size).toBeGreaterThanOrEqual(2);
    const s = new Session({ seed: 18 });
    await run(s, 'docker service create --name host-web --publish mode=host,published=8090,target=80 --replicas 3 nginx:1.27.3');
    await run(s, 'curl -s http://localhost:8090/');
    await run(s, `curl -s http://${s.sim.cluster.machines.get('manager1')!.addr}:8090/nope`);
    const ours = new Set((await run(s, 'docker service logs host-web')).out.split('\n').filter((l) => l.includes('GET ')).map(shape));
    for (const r of real) expect([...ours], r).toContain(r);
    // Through localhost the task sees the default bridge's gateway, as the real one did.
    expect(logs.output).toContain('172.17.0.1 - - [');
    expect((await run(s, 'docker service logs host-web')).out).toContain('172.17.0.1 - - [');
  });
});
