#!/usr/bin/env node
// How long each slot of a rolling update takes on the real 3-node sandbox, for a service that
// publishes a port, one that does not, and one attached to an overlay network (issue 18: before
// stopping a task with published ports or networks the updater waits for gossip to converge).
// Reads the swarm's own timestamps, not the CLI's relative times: every task's creation time and
// the time it reached its current state (`docker inspect` of the task IDs), and UpdateStatus's
// StartedAt/CompletedAt. Needs root and the sandbox up (scripts/sandbox/up.sh).
//
//   node scripts/capture/update-timings.mjs [--rounds N]
//     writes test/fixtures/real/update-timings.json
//
// Each variant: nginx:1.27.3, 3 replicas, --update-delay 1s (parallelism 1, stop-first), all
// Running, then `service update -d --image nginx:1.27`, waited on until UpdateStatus completed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { takeSandboxLock } from './sandbox-lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 2;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error('[update-timings]', ...a);

function env() {
  const e = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('DOCKER_')) e[k] = v;
  return { ...e, DOCKER_HOST: 'unix:///run/sw3/manager1/docker.sock', DOCKER_CONFIG: '/run/sw3/cli' };
}
function dk(argv) {
  const r = spawnSync('docker', argv, { env: env(), encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`docker ${argv.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}
const secs = (a, b) => Number(((Date.parse(b) - Date.parse(a)) / 1000).toFixed(2));

const VARIANTS = [
  { name: 'published', flags: ['--publish', 'published=8080,target=80'] },
  { name: 'plain', flags: [] },
  { name: 'network', flags: ['--network', 'lab-net'] },
];

async function waitFor(probe, limitS = 120) {
  const t0 = Date.now();
  for (;;) {
    if (probe()) return;
    if (Date.now() - t0 > limitS * 1000) throw new Error('timed out');
    await sleep(200);
  }
}

async function measure(variant) {
  const svc = `t-${variant.name}`;
  dk(['service', 'create', '-d', '--name', svc, '--replicas', '3', '--update-delay', '1s', ...variant.flags, 'nginx:1.27.3']);
  const running = () => dk(['service', 'ps', '-f', 'desired-state=running', '--format', '{{.CurrentState}}', svc]).split('\n').filter((l) => l.startsWith('Running')).length === 3;
  await waitFor(running);
  await sleep(2000); // settled: gossip of the new tasks has spread
  dk(['service', 'update', '-d', '--image', 'nginx:1.27', svc]);
  await waitFor(() => dk(['service', 'inspect', '--format', '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}', svc]) === 'completed');
  const status = JSON.parse(dk(['service', 'inspect', '--format', '{{json .UpdateStatus}}', svc]));
  const ids = dk(['service', 'ps', '-q', '--no-trunc', svc]).split('\n');
  const tasks = JSON.parse(dk(['inspect', ...ids]));
  const slots = [];
  for (const slot of [1, 2, 3]) {
    const mine = tasks.filter((t) => t.Slot === slot);
    const old = mine.find((t) => t.Spec.ContainerSpec.Image === 'nginx:1.27.3');
    const neu = mine.find((t) => t.Spec.ContainerSpec.Image === 'nginx:1.27');
    slots.push({
      slot,
      oldShutdownAt: old?.Status.Timestamp,
      newCreatedAt: neu?.CreatedAt,
      newRunningAt: neu?.Status.State === 'running' ? neu.Status.Timestamp : undefined,
    });
  }
  slots.sort((a, b) => Date.parse(a.newCreatedAt) - Date.parse(b.newCreatedAt));
  const start = status.StartedAt;
  const row = {
    variant: variant.name,
    flags: variant.flags,
    updateStartedAt: start,
    updateCompletedAt: status.CompletedAt,
    totalS: secs(start, status.CompletedAt),
    slots: slots.map((s) => ({
      ...s,
      // From the update's start: when the old task had stopped, when its replacement was created and Running.
      oldShutdownS: secs(start, s.oldShutdownAt),
      newCreatedS: secs(start, s.newCreatedAt),
      newRunningS: s.newRunningAt ? secs(start, s.newRunningAt) : null,
    })),
  };
  // Slot period: from one replacement's creation to the next one's.
  row.slotPeriodsS = row.slots.slice(1).map((s, i) => Number((s.newCreatedS - row.slots[i].newCreatedS).toFixed(2)));
  dk(['service', 'rm', svc]);
  await sleep(3000);
  return row;
}

if (!existsSync('/run/sw3/manager1/docker.sock')) {
  console.error('the sandbox is not up: scripts/sandbox/up.sh (as root)');
  process.exit(1);
}
const releaseLock = await takeSandboxLock();
const capturedAt = new Date().toISOString();
const results = [];
try {
  dk(['network', 'create', '-d', 'overlay', 'lab-net']);
  for (let r = 1; r <= rounds; r++) {
    for (const v of VARIANTS) {
      const row = await measure(v);
      log(`round ${r} ${v.name}: total ${row.totalS}s, slot periods ${row.slotPeriodsS.join(', ')}s, replacements created at ${row.slots.map((s) => s.newCreatedS).join(', ')}s`);
      results.push({ round: r, ...row });
    }
  }
} finally {
  try {
    dk(['network', 'rm', 'lab-net']);
  } finally {
    releaseLock();
  }
}
const out = join(root, 'test/fixtures/real/update-timings.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ capturedAt, rounds, results }, null, 2) + '\n');
log('wrote test/fixtures/real/update-timings.json');
