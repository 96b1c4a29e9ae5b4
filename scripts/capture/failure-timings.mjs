#!/usr/bin/env node
// How long a real swarm takes to notice and heal injected failures (issue 17), measured on the
// 3-node sandbox (scripts/sandbox/up.sh, brought up fresh here) with the real docker CLI. Every
// phase polls `docker` every ~100 ms from the moment of the injection and notes when what it
// waits for is first seen; the figures go to test/fixtures/real/failure-timings.json and
// docs/real-captures.md, and the simulator's control-plane timings (engine/sim/timing.ts,
// CONTROL) come from them. Needs root and docker.io.
//
//   node scripts/capture/failure-timings.mjs [--rounds N] [--keep]
//     worker: stop worker1's dockerd -> node Down, its task replaced and Running elsewhere;
//             start it -> Ready, and what its old task is reported as
//     kill:   docker kill of a task's container -> Failed, the replacement Running
//     single: the only manager stops and starts -> when it answers again, and what it says
//     leader: 3 managers (workers promoted), the leader stops -> a new leader, manager1's
//             status over time (Unknown, Down); started again -> Ready, Reachable
//     quorum: 3 managers, two stop -> what the third says, and when; one back -> a leader
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODES = ['manager1', 'worker1', 'worker2'];
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 4;
const keep = args.includes('--keep');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error('[timings]', ...a);

function env(node) {
  const e = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('DOCKER_')) e[k] = v;
  return { ...e, DOCKER_HOST: `unix:///run/sw3/${node}/docker.sock`, DOCKER_CONFIG: '/run/sw3/cli' };
}

/** One docker CLI call: exit code, stdout, stderr, how long it took. */
function dk(node, argv, timeoutMs = 30_000) {
  const t = performance.now();
  const r = spawnSync('docker', argv, { env: env(node), encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status ?? (r.error ? 'timeout' : -1), out: r.stdout ?? '', err: (r.stderr ?? '').trim(), ms: Math.round(performance.now() - t) };
}

function script(name, ...a) {
  const r = spawnSync('bash', [join(root, 'scripts/sandbox', name), ...a], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${name} ${a.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}
const nodeCtl = (action, node) => Number(script('node.sh', action, node).split('\n').at(-1));

/** Polls `probe` until it returns a value; returns [seconds since t0, value]. */
async function until(t0, probe, limitS = 180, everyMs = 100) {
  for (;;) {
    const v = probe();
    const s = (performance.now() - t0) / 1000;
    if (v !== undefined && v !== false) return [Number(s.toFixed(2)), v];
    if (s > limitS) throw new Error('timed out');
    await sleep(everyMs);
  }
}

const nodeRows = (node) => {
  const r = dk(node, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}']);
  if (r.code !== 0) return undefined;
  return Object.fromEntries(r.out.trim().split('\n').map((l) => { const [h, st, ms = ''] = l.split(' '); return [h, { status: st, manager: ms }]; }));
};
const tasks = (node, service) => {
  const r = dk(node, ['service', 'ps', '--format', '{{.Name}} {{.Node}} {{.DesiredState}} {{.CurrentState}}', service]);
  return r.code === 0 ? r.out.trim().split('\n').map((l) => { const [name, n, desired, state] = l.split(' '); return { name, node: n, desired, state }; }) : [];
};
async function createAndWait(service, argv, replicas) {
  const c = dk('manager1', ['service', 'create', '-d', '--name', service, ...argv, 'redis:7.4.0']);
  if (c.code !== 0) throw new Error(c.err);
  await until(performance.now(), () => tasks('manager1', service).filter((t) => t.desired === 'Running' && t.state === 'Running').length === replicas, 60);
}
async function removeAndWait(service) {
  dk('manager1', ['service', 'rm', service]);
  await until(performance.now(), () => dk('manager1', ['ps', '-aq']).out.trim() === '' && ['worker1', 'worker2'].every((n) => dk(n, ['ps', '-aq']).out.trim() === ''), 60, 250).catch(() => undefined);
}

const results = { capturedAt: new Date().toISOString(), worker: [], kill: [], single: [], leader: [], quorum: [] };

async function workerRounds() {
  for (let i = 0; i < rounds; i++) {
    await createAndWait('r', ['--replicas', '3'], 3);
    const old = tasks('manager1', 'r').find((t) => t.node === 'worker1');
    const t0 = performance.now();
    const stopS = nodeCtl('stop', 'worker1');
    const [down] = await until(t0, () => nodeRows('manager1')?.worker1?.status === 'Down');
    const [replaced] = await until(t0, () => tasks('manager1', 'r').some((t) => t.name === old.name && t.node !== 'worker1' && t.desired !== 'Shutdown'));
    const [running] = await until(t0, () => tasks('manager1', 'r').some((t) => t.name === old.name && t.node !== 'worker1' && t.state === 'Running'));
    const t1 = performance.now();
    const startS = nodeCtl('start', 'worker1');
    const [ready] = await until(t1, () => nodeRows('manager1')?.worker1?.status === 'Ready');
    const [reported, state] = await until(t1, () => tasks('manager1', 'r').find((t) => t.name === old.name && t.node === 'worker1' && t.state !== 'Running')?.state, 60);
    const r = { stopS, downS: down, replacedS: replaced, runningS: running, startS, readyS: ready, oldReportedS: reported, oldState: state };
    log('worker', JSON.stringify(r));
    results.worker.push(r);
    await removeAndWait('r');
  }
}

async function killRounds() {
  await createAndWait('k', ['--replicas', '1'], 1);
  for (let i = 0; i < rounds; i++) {
    const ps = dk('manager1', ['service', 'ps', '--no-trunc', '-f', 'desired-state=running', '--format', '{{.ID}} {{.Node}} {{.CurrentState}}', 'k']).out.trim().split(' ');
    const [id, node] = ps;
    const cid = dk(node, ['ps', '-q', '-f', `label=com.docker.swarm.task.id=${id}`]).out.trim();
    const t0 = performance.now();
    dk(node, ['kill', cid]);
    const [failed, how] = await until(t0, () => {
      const r = dk('manager1', ['service', 'ps', '--no-trunc', '--format', '{{.ID}}|{{.CurrentState}}|{{.Error}}', 'k']).out.split('\n').find((l) => l.startsWith(id));
      return r && !r.split('|')[1].startsWith('Running') ? r.split('|').slice(1).join('|') : undefined;
    });
    const [replacement] = await until(t0, () => tasks('manager1', 'k').filter((t) => t.desired !== 'Shutdown').length === 1 && tasks('manager1', 'k').length > i + 1);
    const [running] = await until(t0, () => dk('manager1', ['service', 'ps', '--no-trunc', '-f', 'desired-state=running', '--format', '{{.ID}} {{.CurrentState}}', 'k']).out.split('\n').some((l) => !l.startsWith(id) && l.includes(' Running')));
    const r = { failedS: failed, reported: how, replacementS: replacement, runningS: running };
    log('kill', JSON.stringify(r));
    results.kill.push(r);
    await sleep(2_000);
  }
  await removeAndWait('k');
}

async function singleRounds() {
  for (let i = 0; i < Math.min(rounds, 2); i++) {
    await createAndWait('s', ['--replicas', '3'], 3);
    const t0 = performance.now();
    const stopS = nodeCtl('stop', 'manager1');
    const worker = dk('worker1', ['node', 'ls']);
    await sleep(10_000);
    const t1 = performance.now();
    const startS = nodeCtl('start', 'manager1');
    const seen = [];
    const [answers] = await until(t1, () => {
      const r = dk('manager1', ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}']);
      const what = r.code === 0 ? r.out.trim().replace(/\n/g, ', ') : r.err;
      if (seen.at(-1)?.what !== what) seen.push({ s: Number(((performance.now() - t1) / 1000).toFixed(2)), what });
      return r.code === 0;
    });
    const [allReady] = await until(t1, () => { const n = nodeRows('manager1'); return n && NODES.every((h) => n[h]?.status === 'Ready'); });
    const [settled, states] = await until(t1, () => {
      const ts = tasks('manager1', 's');
      return ts.filter((t) => t.desired === 'Running' && t.state === 'Running').length === 3 && ts.every((t) => t.desired === 'Running' || !t.state.startsWith('Running')) ? ts.map((t) => `${t.name}@${t.node} ${t.desired} ${t.state}`) : undefined;
    }, 90);
    const r = { stopS, workerSays: worker.err, startS, answersS: answers, seen, allReadyS: allReady, settledS: settled, tasks: states, downFor: Number(((t1 - t0) / 1000).toFixed(1)) };
    log('single', JSON.stringify(r));
    results.single.push(r);
    await removeAndWait('s');
  }
}

const managersReachable = () => { const n = nodeRows('manager1'); return n && NODES.every((h) => n[h]?.status === 'Ready' && n[h]?.manager !== '' && n[h]?.manager !== 'Unreachable'); };

async function leaderRounds() {
  dk('manager1', ['node', 'promote', 'worker1', 'worker2']);
  await until(performance.now(), managersReachable, 60);
  for (let i = 0; i < Math.min(rounds, 3); i++) {
    const before = nodeRows('worker1') ?? nodeRows('worker2') ?? nodeRows('manager1');
    const leader = NODES.find((h) => before[h].manager === 'Leader');
    const watcher = NODES.find((h) => h !== leader);
    const t0 = performance.now();
    const stopS = nodeCtl('stop', leader);
    const seen = [];
    const [elected] = await until(t0, () => {
      const r = dk(watcher, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'], 40_000);
      const at = Number(((performance.now() - t0) / 1000).toFixed(2));
      const what = r.code === 0 ? r.out.trim().replace(/\n/g, ', ') : `${r.err} (after ${r.ms} ms)`;
      if (seen.at(-1)?.what !== what) seen.push({ s: at, what });
      return r.code === 0 && NODES.some((h) => h !== leader && r.out.includes(`${h} Ready Leader`)) ? true : undefined;
    }, 120, 250);
    // Then watch the old leader's row until it is Down.
    const [down] = await until(t0, () => {
      const n = nodeRows(watcher);
      const at = Number(((performance.now() - t0) / 1000).toFixed(2));
      const what = n ? NODES.map((h) => `${h} ${n[h].status} ${n[h].manager}`).join(', ') : 'error';
      if (seen.at(-1)?.what !== what) seen.push({ s: at, what });
      return n?.[leader]?.status === 'Down';
    }, 180, 250);
    const t1 = performance.now();
    const startS = nodeCtl('start', leader);
    const [back] = await until(t1, () => { const n = nodeRows(watcher); return n?.[leader]?.status === 'Ready' && n[leader].manager === 'Reachable'; }, 120);
    const r = { leader, watcher, stopS, electedS: elected, downS: down, seen, startS, backS: back };
    log('leader', JSON.stringify(r));
    results.leader.push(r);
    await until(performance.now(), managersReachable, 60).catch(() => undefined);
  }
}

async function quorumRounds() {
  for (let i = 0; i < Math.min(rounds, 2); i++) {
    await until(performance.now(), managersReachable, 60);
    const before = nodeRows('manager1');
    const leader = NODES.find((h) => before[h].manager === 'Leader');
    const [f1, f2] = NODES.filter((h) => h !== leader);
    nodeCtl('stop', f1);
    await sleep(5_000);
    const t0 = performance.now();
    nodeCtl('stop', f2);
    const seen = [];
    const [lost] = await until(t0, () => {
      const r = dk(leader, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'], 40_000);
      const at = Number(((performance.now() - t0) / 1000).toFixed(2));
      const what = r.code === 0 ? r.out.trim().replace(/\n/g, ', ') : `${r.err} (after ${r.ms} ms)`;
      if (seen.at(-1)?.what !== what) seen.push({ s: at, what });
      return r.code !== 0 && r.err.includes('does not have a leader') && r.ms < 1000;
    }, 120, 250);
    const write = dk(leader, ['service', 'create', '-d', '--name', 'q', 'redis:7.4.0'], 40_000);
    const info = dk(leader, ['info', '--format', '{{json .Swarm}}']);
    const t1 = performance.now();
    nodeCtl('start', f1);
    const [leaderAgain] = await until(t1, () => {
      const r = dk(leader, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'], 40_000);
      const at = Number(((performance.now() - t1) / 1000).toFixed(2));
      const what = r.code === 0 ? r.out.trim().replace(/\n/g, ', ') : `${r.err} (after ${r.ms} ms)`;
      if (seen.at(-1)?.what !== what) seen.push({ s: `start+${at}`, what });
      return r.code === 0 && r.out.includes('Leader');
    }, 120, 250);
    nodeCtl('start', f2);
    const r = { leader, stopped: [f1, f2], lostS: lost, seen, writeSays: `${write.err} (after ${write.ms} ms)`, swarmInfo: info.out.trim(), leaderAgainS: leaderAgain };
    log('quorum', JSON.stringify(r));
    results.quorum.push(r);
    dk('manager1', ['service', 'rm', 'q']);
  }
}

log('bringing the sandbox up');
script('up.sh');
try {
  await workerRounds();
  await killRounds();
  await singleRounds();
  await leaderRounds();
  await quorumRounds();
} finally {
  mkdirSync(join(root, 'test/fixtures/real'), { recursive: true });
  writeFileSync(join(root, 'test/fixtures/real/failure-timings.json'), JSON.stringify(results, null, 2) + '\n');
  log('wrote test/fixtures/real/failure-timings.json');
  // Back to the normal state: three Ready nodes, one manager, no services.
  if (!keep) script('up.sh');
}
