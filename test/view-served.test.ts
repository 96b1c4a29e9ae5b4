// The words the swarm view puts under its services strip after a curl (src/client/swarm-view/served.ts):
// the route through the mesh, or the task that answered on the node itself, from a model the
// simulator derived after a real request.
import { expect, test } from 'vitest';
import { Session } from '../engine/session.js';
import { readSwarmView } from '../engine/view/read.js';
import { servedRoute } from '../src/client/swarm-view/served.js';
import type { ViewStrings } from '../src/client/swarm-view/strings.js';
import en from '../content/i18n/en.json' with { type: 'json' };
import zh from '../content/i18n/zh-CN.json' with { type: 'json' };

const strings = (table: Record<string, string>): ViewStrings => ({
  lang: 'en',
  has: (k) => `view.${k}` in table,
  t: (k, params) => (table[`view.${k}`] ?? `view.${k}`).replace(/\{(\w+)\}/g, (w, n: string) => (params && n in params ? String(params[n]) : w)),
});

async function modelAfter(session: Session, line: string) {
  let out = '';
  const code = await session.run(line, { stdout: { write: (s) => void (out += s) }, stderr: { write: (s) => void (out += s) }, tty: true, columns: 200, signal: new AbortController().signal });
  expect(code, out).toBe(0);
  const sim = session.sim;
  const model = await readSwarmView(sim.hostnames().map((h) => sim.api(h)), { self: session.shell.node, now: sim.clock.epochNow(), history: false });
  const r = sim.cluster.lastServed;
  if (r) model.served = { seq: r.seq, task: r.taskId, entry: r.entry, from: r.from, mode: r.mode };
  return model;
}

test('the route names the entry node, the task and its node, in both languages; a task on the entry node is said without the hop', async () => {
  const s = new Session({ seed: 11 });
  await modelAfter(s, 'docker service create --name web --replicas 1 --publish published=8080,target=80 nginx:1.27.3');
  const t = [...s.sim.cluster.tasks.values()].find((x) => x.state === 'running')!;
  const on = s.sim.cluster.nodes.get(t.nodeId)!.hostname;
  const other = s.sim.hostnames().find((h) => h !== on)!;
  const across = await modelAfter(s, `curl -s ${other}:8080`);
  expect(servedRoute(across, strings(en))).toBe(`curl → ${other} → web.1 on ${on}`);
  expect(servedRoute(across, strings(zh))).toBe(`curl → ${other} → ${on} 上的 web.1`);
  const here = await modelAfter(s, `curl -s ${on}:8080`);
  expect(servedRoute(here, strings(en))).toBe(`curl → web.1 on ${on}`);
  expect(servedRoute(here, strings(zh))).toBe(`curl → ${on} 上的 web.1`);
  // A model without a request says nothing.
  expect(servedRoute({ ...here, served: undefined }, strings(en))).toBeUndefined();
});
