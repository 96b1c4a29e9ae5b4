// `docker network ls|inspect` on the simulated swarm against the real docker CLI on a real
// 3-node swarm (test/fixtures/real/network.json, walkthrough test/fixtures/walkthroughs/network.sh,
// made by scripts/capture-real.mjs). The simulation replays the capture's timeline, as
// walkthrough-real.test.ts does. Masked: what differs between any two swarms (IDs, endpoint
// IDs, timestamps, the nodes' addresses and networkdb names) and which node got which task.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Session } from '../engine/session.js';
import { logicalLines } from '../engine/shell/words.js';
import type { Network } from '../engine/api/types.js';
import { wideScreen } from './helpers/wide-screen.js';

interface Captured {
  entries: { command: string; output: string; exitCode: number; startedAtMs: number }[];
}

const real = JSON.parse(readFileSync(new URL('./fixtures/real/network.json', import.meta.url), 'utf8')) as Captured;
const script = logicalLines(readFileSync(new URL('./fixtures/walkthroughs/network.sh', import.meta.url), 'utf8')).filter(
  (l) => l.trim() !== '' && !l.trim().startsWith('#'),
);

// The simulated swarm has the networks its nodes make themselves, not user-defined ones: these
// lines differ on purpose and are checked apart below.
const USER_NETWORK = /^docker network (create|rm|inspect my-net)/;
// The shell's own words around `ssh` (the capture runner only switches DOCKER_HOST).
const SHELL_ONLY = /^(ssh|exit|sleep)\b/;

async function simulate(seed: number) {
  const session = new Session({ seed, mode: 'instant' });
  const t0 = session.sim.clock.now;
  const signal = new AbortController().signal;
  const out: { command: string; output: string; exitCode: number }[] = [];
  const everyNode: string[] = [];
  for (const [i, line] of script.entries()) {
    const target = t0 + (real.entries[i]?.startedAtMs ?? 0);
    if (session.sim.clock.now < target) session.advance(target - session.sim.clock.now);
    let output = '';
    const sink = { write: (s: string) => void (output += s) };
    const exitCode = await session.run(line, { stdout: sink, stderr: sink, tty: true, columns: 80, signal });
    out.push({ command: line, output, exitCode });
    // Where the capture inspected ingress with the service running, every node's view of it
    // at that instant (no time passes in between): the one holding a task is compared with it.
    if (line === 'docker network inspect ingress' && script.slice(0, i).some((l) => l.startsWith('docker service create'))) {
      for (const host of ['worker1', 'worker2']) {
        let text = '';
        const to = { write: (s: string) => void (text += s) };
        await session.run(`ssh ${host}`, { stdout: to, stderr: to, tty: true, columns: 80, signal });
        text = '';
        await session.run(line, { stdout: to, stderr: to, tty: true, columns: 80, signal });
        everyNode.push(text);
        await session.run('exit', { stdout: to, stderr: to, tty: true, columns: 80, signal });
      }
      everyNode.push(output);
    }
  }
  return { session, out, everyNode };
}

/** What differs between any two swarms, masked; table padding compared as "two or more spaces". */
function mask(text: string): string {
  return text
    .replace(/\b[0-9a-f]{64}\b/g, '<hex64>')
    .replace(/\b[0-9a-z]{25}\b/g, '<id25>')
    .replace(/^[0-9a-z]{12}(?=\s|$)/gm, '<id12>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/("Name": )"[0-9a-f]{12}"/g, '$1"<peer>"')
    .replace(/("IP": )"[\d.]+"/g, '$1"<ip>"')
    // A task's endpoint: which slot landed on this node and its address (10.0.0.6 or .7) vary.
    .replace(/"[a-z-]+\.\d+\.<id25>"/g, '"<task>"')
    .replace(/10\.0\.0\.[67]\b/g, '10.0.0.<task>')
    .replace(/02:42:0a:00:00:0[67]/g, '02:42:0a:00:00:<task>')
    .split('\n')
    .map((l) => l.replace(/ {2,}/g, '  ').trimEnd())
    .join('\n');
}

test('the walkthrough is the capture\'s', () => {
  expect(script).toEqual(real.entries.map((e) => e.command));
});

/**
 * A masked inspect output without its task endpoints, and those endpoints: which node the
 * scheduler gave a task differs between any two swarms (the capture's manager1 had one).
 */
function splitTasks(masked: string): [string, string[]] {
  const blocks: string[] = [];
  const rest = masked.replace(/\n *"<hex64>": \{\n(?: *"\w+": .*\n){5} *\},?/g, (block) => {
    blocks.push(block.replace(/,$/, ''));
    return '';
  });
  return [rest, blocks];
}

describe.each([1, 2, 3, 4, 5, 6])('seed %i: docker network ls|inspect print what real docker printed', (seed) => {
  test('every network command but the user-network ones', async () => {
    const { out, everyNode } = await simulate(seed);
    let compared = 0;
    const realTasks: string[] = [];
    for (const [i, r] of real.entries.entries()) {
      if (USER_NETWORK.test(r.command) || SHELL_ONLY.test(r.command)) continue;
      if (!r.command.startsWith('docker network')) continue;
      // The ls after `network create` lists my-net, which the simulator cannot create.
      const expected = r.command === 'docker network ls' && r.output.includes('my-net') ? r.output.replace(/^.*my-net.*\r?\n/m, '') : r.output;
      const o = out[i]!;
      const [theirs, theirTasks] = splitTasks(mask(await wideScreen(expected)));
      const [ours] = splitTasks(mask(await wideScreen(o.output)));
      realTasks.push(...theirTasks);
      expect({ command: o.command, exitCode: o.exitCode, screen: ours }).toEqual({ command: r.command, exitCode: r.exitCode, screen: theirs });
      compared++;
    }
    expect(compared).toBe(14);
    // The capture's task endpoint, as the node running one of our tasks prints it.
    expect(realTasks).toHaveLength(1);
    const ourTasks: string[] = [];
    for (const text of everyNode) ourTasks.push(...splitTasks(mask(await wideScreen(text)))[1]);
    expect(ourTasks).toEqual([realTasks[0], realTasks[0]]);
  });

  test('the published service\'s tasks take the addresses after its VIP, one endpoint per task on its node', async () => {
    const s = new Session({ seed, mode: 'instant' });
    const signal = new AbortController().signal;
    const sink = { write: () => {} };
    await s.run('docker service create -d --name my-web --replicas 2 --publish published=8080,target=80 nginx:1.27.3', { stdout: sink, stderr: sink, tty: false, columns: 80, signal });
    s.advance(3_000);
    const endpoints: { node: string; name: string; ip: string }[] = [];
    for (const host of ['manager1', 'worker1', 'worker2']) {
      const n: Network = await s.sim.api(host).networkInspect('ingress');
      for (const [key, e] of Object.entries(n.Containers)) {
        if (key === 'ingress-sbox') continue;
        expect(key).toMatch(/^[0-9a-f]{64}$/);
        endpoints.push({ node: host, name: e.Name, ip: e.IPv4Address });
      }
    }
    expect(endpoints.map((e) => e.ip).sort()).toEqual(['10.0.0.6/24', '10.0.0.7/24']);
    expect(endpoints.map((e) => e.name.replace(/\.[0-9a-z]{25}$/, '')).sort()).toEqual(['my-web.1', 'my-web.2']);
    const service = await s.sim.api('manager1').serviceInspect('my-web');
    expect(service.Endpoint.VirtualIPs).toEqual([{ NetworkID: (await s.sim.api('manager1').networkInspect('ingress')).Id, Addr: '10.0.0.5/24' }]);
  });
});

test('what the capture shows of user-defined networks, the simulator declines in words', async () => {
  const { out } = await simulate(1);
  const create = out.find((e) => e.command.startsWith('docker network create'))!;
  expect(create.exitCode).toBe(1);
  expect(create.output).toContain('docker network create: not available in Swarm Lab');
  const inspect = out.find((e) => e.command === 'docker network inspect my-net')!;
  expect(inspect).toEqual({ command: 'docker network inspect my-net', exitCode: 1, output: '[]\nError response from daemon: network my-net not found\n' });
});
