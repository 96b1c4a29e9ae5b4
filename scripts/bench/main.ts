// `npm run bench`: how fast the engine runs what learners and large demos do, against the
// targets in docs/benchmarks.md. Exits 1 when a target is missed, naming it.
//   node dist/bench.mjs [--only walkthrough,rolling,ps,churn,real,local,serve,undo] [--runs N]
// Wall times are medians of several timed runs after warm-up runs, each started from a
// collected heap; heap figures are process.memoryUsage().heapUsed after a forced full GC.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { runScript } from '../../engine/node/main.js';
import { renderTranscript } from '../../engine/node/transcript.js';
import { Session } from '../../engine/session.js';
import type { Timing } from './measure.js';
import { fmt, heapUsedAfterGc, mb, measure, ms } from './measure.js';
import type { RollingCase, Swarm } from './rolling.js';
import { localBenchBlocker, localRoundTrip } from './local.js';
import { serveBenchBlocker, serveVsSandbox } from './serve.js';
import { createAndConverge, IMAGES, newSwarm, updateToCompletion } from './rolling.js';
import { CHURN_SCRIPT_100, CHURN_SCRIPT_20K, CREATE_20K_ATTACHED, followFigure, realtimeFigure, scriptFigure } from './churn.js';
import type { RealEntry } from './walkthrough.js';
import { commandsOf, REAL_CAPTURE, timeEachCommand, WALKTHROUGH } from './walkthrough.js';
import { stepFigure, undoFigure, undoSwarm } from './undo.js';

// Heap figures need a synchronous full GC: without --expose-gc, run again with it.
if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

interface Check {
  name: string;
  value: number;
  target: number;
  unit: string;
}

const checks: Check[] = [];
/** Sections that could not run here, named at the end. */
const skipped: string[] = [];
const target = (name: string, value: number, limit: number, unit = 'ms'): void => void checks.push({ name, value, target: limit, unit });

function args(): { only: Set<string> | undefined; runs: number | undefined } {
  const argv = process.argv.slice(2);
  let only: Set<string> | undefined;
  let runs: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--only') only = new Set((argv[++i] ?? '').split(','));
    else if (a === '--runs') runs = Number(argv[++i]);
    else {
      process.stderr.write(`bench: unknown argument ${a}\nusage: node dist/bench.mjs [--only walkthrough,rolling,ps,churn,real,local,serve,undo] [--runs N]\n`);
      process.exit(2);
    }
  }
  return { only, runs };
}

const opts = args();
const runsOr = (n: number): number => opts.runs ?? n;
const want = (name: string): boolean => !opts.only || opts.only.has(name);
const line = (s = ''): void => void process.stdout.write(`${s}\n`);

// ------------------------------------------------------------------ 1. walkthrough

async function walkthrough(): Promise<void> {
  line('1. Tutorial walkthrough (rolling-update.sh through runScript, seed 1, 80 columns)');
  const script = readFileSync(WALKTHROUGH, 'utf8');
  const entries = await runScript(script, { seed: 1, cols: 80 });
  const failed = entries.filter((e) => e.output.includes('swarm-lab: internal error'));
  if (failed.length > 0) throw new Error(`walkthrough failed at: ${failed[0]!.command}`);
  const headless = await measure({ warmup: 5, runs: runsOr(21) }, () => script, (s) => runScript(s, { seed: 1, cols: 80 }));
  const rendered = await measure(
    { warmup: 3, runs: runsOr(11) },
    () => script,
    async (s) => renderTranscript(await runScript(s, { seed: 1, cols: 80 }), { cols: 80 }),
  );
  line(`   ${entries.length} commands, ${entries.reduce((n, e) => n + e.output.length, 0)} bytes of output`);
  line(`   headless (transcript rendering excluded): ${fmt(headless)}`);
  line(`   with the xterm transcript rendering:       ${fmt(rendered)}`);
  target('walkthrough, headless', headless.medianMs, 50);
  target('walkthrough, with transcript rendering', rendered.medianMs, 50);
}

// ------------------------------------------------------------------ 2. rolling updates

async function rolling(c: RollingCase, limitMs: number, runs: number): Promise<void> {
  const label = `${c.replicas.toLocaleString('en-US')} replicas over ${c.topology}`;
  line(`2. Rolling update, ${label} (parallelism ${c.parallelism}, delay ${c.delayMs / 1000}s), API only`);
  let virtualMs = 0;
  let setupMs: Timing | undefined;
  // Simulator construction (nodes joining) is its own figure; the timed part is
  // create -> converged -> image updated -> UpdateStatus completed.
  setupMs = await measure({ warmup: 1, runs: Math.min(runs, 5) }, () => c, (cc) => newSwarm(cc));
  const phases = { converge: [] as number[], update: [] as number[] };
  const total = await measure({ warmup: 1, runs }, () => newSwarm(c), async (sim) => {
    const t0 = performance.now();
    const swarm = await createAndConverge(sim, c);
    const t1 = performance.now();
    virtualMs = await updateToCompletion(swarm, IMAGES[1]);
    phases.converge.push(t1 - t0);
    phases.update.push(performance.now() - t1);
  });
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
  line(`   swarm setup (not in the total): ${fmt(setupMs)}`);
  line(`   create + converge + update to completed: ${fmt(total)}`);
  line(`     of which converge ~${ms(med(phases.converge))} ms, update ~${ms(med(phases.update))} ms (medians over all runs, warm-up included)`);
  line(`   the update took ${(virtualMs / 1000).toFixed(1)} s of virtual time (UpdateStatus CompletedAt - StartedAt)`);
  target(`rolling update, ${label}`, total.medianMs, limitMs);
}

/** Heap after converge, after one update and after a second: growth must stay bounded by the history limit. */
async function rollingHeap(c: RollingCase): Promise<void> {
  line(`   heap (heapUsed after forced GC), ${c.replicas.toLocaleString('en-US')} replicas, one run:`);
  const sim = newSwarm(c);
  const limit = sim.cluster.swarm?.taskHistoryLimit ?? 5;
  const h0 = heapUsedAfterGc();
  const swarm: Swarm = await createAndConverge(sim, c);
  const h1 = heapUsedAfterGc();
  const rows: [string, number, number][] = [['converged', h1, sim.cluster.tasks.size]];
  // Enough updates to fill every slot's history and then some: from there on, each update
  // must reap as many tasks as it creates, and the heap must stop growing.
  const updates = limit + 1;
  for (let i = 1; i <= updates; i++) {
    await updateToCompletion(swarm, IMAGES[i % IMAGES.length]!);
    rows.push([`after update ${i}`, heapUsedAfterGc(), sim.cluster.tasks.size]);
  }
  line(`     empty swarm: ${mb(h0)} MB`);
  let prev = h0;
  for (const [what, h, tasks] of rows) {
    line(`     ${what.padEnd(16)} ${mb(h).padStart(7)} MB  (${h >= prev ? '+' : ''}${mb(h - prev)} MB)  ${tasks} tasks in the store`);
    prev = h;
  }
  const perUpdate = (rows[1]![1] - h1) / c.replicas;
  line(`     one update retains ~${(perUpdate / 1024).toFixed(2)} KB per replica (the replaced task's record); history limit ${limit} per slot`);
  const capped = rows.slice(limit); // from the update that fills the history on
  const maxTasks = Math.max(...rows.map((r) => r[2]));
  target(`tasks kept, ${c.replicas} replicas (history limit ${limit})`, maxTasks, limit * c.replicas, 'tasks');
  // Once the history is full, another update must not retain what an update retained
  // before: a leak of task records (or of per-update state) would add about as much again.
  // Allow 15% of it for hash tables growing to their next size (they never shrink), and at
  // least 4 MB: since task IDs are flat strings (issue 15) an update keeps ~0.5 KB per replica
  // instead of ~3.2 KB, while one Map's backing store doubling still adds ~3 MB here.
  const [a, b] = [capped[0]!, capped[capped.length - 1]!];
  const drift = b[1] - a[1];
  const firstGrowth = rows[1]![1] - h1;
  line(`     after the history filled (${a[0]} -> ${b[0]}): ${drift >= 0 ? '+' : ''}${mb(drift)} MB, vs +${mb(firstGrowth)} MB for update 1`);
  const allowed = Math.max(0.15 * firstGrowth, 4 * 1024 * 1024);
  target(`heap growth once history is full, ${c.replicas} replicas`, drift / 1024 / 1024, allowed / 1024 / 1024, 'MB');
}

// ------------------------------------------------------------------ 3. docker service ps

async function servicePs(): Promise<void> {
  line('3. `docker service ps web` through the shell, 1,000-task service on 100 nodes, output to a sink');
  const session = new Session({ seed: 1, mode: 'instant', topology: '10m90w' });
  await createAndConverge(session.sim, { replicas: 1000, topology: '10m90w', parallelism: 10, delayMs: 10_000 });
  let out = '';
  const io = {
    stdout: { write: (s: string) => void (out += s) },
    stderr: { write: (s: string) => void (out += s) },
    tty: false,
    columns: 80,
    signal: new AbortController().signal,
  };
  const code = await session.run('docker service ps web', io);
  const rows = out.split('\n').filter((l) => l !== '').length;
  if (code !== 0 || rows !== 1001) throw new Error(`docker service ps: exit ${code}, ${rows} lines:\n${out.slice(0, 500)}`);
  const t = await measure({ warmup: 20, runs: runsOr(51) }, () => undefined, () => {
    out = '';
    return session.run('docker service ps web', io);
  });
  line(`   ${rows} lines: ${fmt(t)}`);
  target('docker service ps, 1,000 tasks', t.medianMs, 5);
}

// ------------------------------------------------------------------ 3b. pathological input

async function churn(): Promise<void> {
  line('3b. Pathological input (issue 15): 20,000 replicas of an image that never starts; logs -f on many tasks');
  for (const [label, script, limit] of [
    ['swarm-lab run: create 20,000 x redis:9.9.9, sleep 1e9, service ls', CHURN_SCRIPT_20K, 15_000],
    ['swarm-lab run: the same with 100 replicas', CHURN_SCRIPT_100, 5_000],
  ] as const) {
    const f = await scriptFigure(label, script, runsOr(3));
    line(`   ${label}: ${fmt(f.timing)}`);
    line(`     sleep said: ${f.said === '' ? '(nothing: the whole hour was simulated)' : f.said}`);
    target(label, f.timing.medianMs, limit);
  }
  for (const [replicas, limit] of [
    [1_000, 2_000],
    [20_000, 20_000],
  ] as const) {
    const f = await followFigure(replicas, runsOr(3));
    line(`   ${f.label}, until the idle swarm ends it: ${fmt(f.timing)}; ${f.lines.toLocaleString('en-US')} lines, task logs made ${f.made.toLocaleString('en-US')} times`);
    target(f.label, f.timing.medianMs, limit);
  }
  for (const [label, command] of [
    ['created with -d, commands typed meanwhile', undefined],
    ['created attached: its progress display polls the 100,000 tasks', CREATE_20K_ATTACHED],
  ] as const) {
    const r = await realtimeFigure(10_000, command);
    line(`   realtime at 20x over the 20,000 churning replicas, ${label}, ${(r.wallMs / 1000).toFixed(1)} s of wall time (the browser's worker):`);
    line(`     a message waits: median ${ms(r.lagP50Ms)} ms, p99 ${ms(r.lagP99Ms)} ms, max ${ms(r.lagMaxMs)} ms`);
    line(`     driver ticks: p99 ${ms(r.tickP99Ms)} ms, max ${ms(r.tickMaxMs)} ms${r.commandMaxMs > 0 ? `; commands typed meanwhile (service ls, node ls): max ${ms(r.commandMaxMs)} ms` : ''}`);
    line(`     the swarm moved ${r.virtualPerWall.toFixed(2)} virtual s per wall s (asked: 20), ${r.events.toLocaleString('en-US')} events`);
    target(`realtime 20x, 20,000 churning replicas ${command === undefined ? 'created with -d' : 'created attached'}: p99 wait of a message`, r.lagP99Ms, 100);
  }
}

// ------------------------------------------------------------------ 4. against the real swarm

async function againstReal(): Promise<void> {
  line('4. Simulated vs real, per command of the walkthrough (real: 3-node swarm, docker 28.2.2)');
  const capture = JSON.parse(readFileSync(REAL_CAPTURE, 'utf8')) as { capturedAt: string; entries: RealEntry[] };
  const commands = commandsOf(readFileSync(WALKTHROUGH, 'utf8'));
  const real = capture.entries;
  if (real.length !== commands.length || real.some((e, i) => e.command !== commands[i])) {
    throw new Error(`${REAL_CAPTURE} does not hold the commands of ${WALKTHROUGH}`);
  }
  for (let i = 0; i < 5; i++) await timeEachCommand(commands);
  const runs = runsOr(21);
  const samples: number[][] = commands.map(() => []);
  let last = await timeEachCommand(commands);
  for (let r = 0; r < runs; r++) {
    last = await timeEachCommand(commands);
    last.forEach((t, i) => samples[i]!.push(t.wallMs));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  line(`   ${'command'.padEnd(52)} ${'real s'.padStart(7)} ${'sim ms'.padStart(7)} ${'virtual s'.padStart(9)}  exit real/sim`);
  let realTotal = 0;
  let simTotal = 0;
  let virtualTotal = 0;
  real.forEach((e, i) => {
    const sim = median(samples[i]!);
    const t = last[i]!;
    realTotal += e.durationMs;
    simTotal += sim;
    virtualTotal += t.virtualMs;
    const cmd = e.command.length > 52 ? `${e.command.slice(0, 49)}...` : e.command;
    line(`   ${cmd.padEnd(52)} ${(e.durationMs / 1000).toFixed(2).padStart(7)} ${ms(sim).padStart(7)} ${(t.virtualMs / 1000).toFixed(2).padStart(9)}  ${e.exitCode}/${t.exitCode}`);
    if (e.exitCode !== t.exitCode) throw new Error(`exit code differs for "${e.command}": real ${e.exitCode}, simulated ${t.exitCode}`);
  });
  line(`   ${'total'.padEnd(52)} ${(realTotal / 1000).toFixed(2).padStart(7)} ${ms(simTotal).padStart(7)} ${(virtualTotal / 1000).toFixed(2).padStart(9)}`);
  line(`   the real swarm took ${(realTotal / 1000).toFixed(1)} s; the simulation ${ms(simTotal)} ms of wall time (${Math.round(realTotal / simTotal).toLocaleString('en-US')}x faster)`);
  line(`   and ${(virtualTotal / 1000).toFixed(1)} s of virtual time (${((100 * virtualTotal) / realTotal).toFixed(0)}% of the real duration)`);
}

// ------------------------------------------------------------------ 5. local mode

async function localMode(): Promise<void> {
  line('5. Local mode: `docker service ps redis` typed in the browser terminal (swarm-lab local, sandbox swarm) vs the docker CLI');
  const blocker = localBenchBlocker();
  if (blocker) {
    line(`   *** SKIPPED: ${blocker} ***`);
    skipped.push(`local mode (${blocker})`);
    return;
  }
  const r = await localRoundTrip(process.cwd(), runsOr(21), (s) => line(`   ${s}`));
  // Wall times only: the work happens in other processes (chromium, the server, docker, dockerd).
  const wall = (t: Timing): string => `${ms(t.medianMs)} ms (min ${ms(t.minMs)}, max ${ms(t.maxMs)}, ${t.runs} runs)`;
  line(`   browser terminal, keystrokes to prompt (${r.rows} task rows): ${wall(r.browser)}`);
  line(`   docker CLI, process start to exit:                          ${wall(r.cli)}`);
  const ratio = r.browser.medianMs / r.cli.medianMs;
  line(`   ratio ${ratio.toFixed(2)}x (target <= 1.5x)`);
  target('local mode round trip / docker CLI', ratio, 1.5, 'x');
}

// ------------------------------------------------------------------ 6. swarm-lab serve

async function serveMode(): Promise<void> {
  line('6. The real docker CLI against swarm-lab serve (simulated swarm) vs against the sandbox swarm (manager1)');
  const blocker = serveBenchBlocker();
  if (blocker) {
    line(`   *** SKIPPED: ${blocker} ***`);
    skipped.push(`swarm-lab serve (${blocker})`);
    return;
  }
  const wall = (t: Timing): string => `${ms(t.medianMs)} ms (min ${ms(t.minMs)}, max ${ms(t.maxMs)})`;
  for (const r of await serveVsSandbox(process.cwd(), runsOr(21))) {
    const ratio = r.serve.medianMs / r.sandbox.medianMs;
    line(`   ${r.command.padEnd(24)} serve ${wall(r.serve)}   sandbox ${wall(r.sandbox)}   ratio ${ratio.toFixed(2)}x`);
    const apiRatio = r.api.serve.medianMs / r.api.sandbox.medianMs;
    line(`   ${'  its API requests alone'.padEnd(24)} serve ${wall(r.api.serve)}   sandbox ${wall(r.api.sandbox)}   ratio ${apiRatio.toFixed(2)}x`);
    // The server's own share is held to "no slower" strictly. The whole command is ~95% the
    // CLI's own start-up, identical for both servers, whose medians differ by up to ~2% from
    // one batch to the next (docs/benchmarks.md): held to no slower within that noise.
    target(`${r.command}, API requests alone: serve / sandbox`, apiRatio, 1, 'x');
    target(`${r.command}: serve / sandbox (CLI start-up included)`, ratio, 1.02, 'x');
  }
}

// ------------------------------------------------------------------ undo

async function undo(): Promise<void> {
  line('7. Undo of the last command after 100 commands with injected failures (issue 17)');
  const { snap, commands, lines, injections, swarmMinutes } = await undoSwarm();
  const t = await undoFigure(snap, runsOr(15));
  line(`   ${commands} commands that changed the swarm (of ${lines} lines), ${injections} injections among them; ${snap.journal.length} recipe entries, ${swarmMinutes.toFixed(0)} min of swarm time`);
  line(`   undo (replay of the recipe up to the last command): ${fmt(t)}`);
  target('undo after 100 commands with injections', t.medianMs, 50);
  for (const topology of ['default', '10m90w'] as const) {
    const st = await stepFigure(topology, runsOr(31));
    line(`   step of a paused rolling update (${topology === 'default' ? '3 nodes, 3 replicas' : '10m90w, 1,000 replicas'}), with what changed: ${fmt(st)}`);
    target(`step, ${topology}`, st.medianMs, 5);
  }
}

// ------------------------------------------------------------------ main

const cpu = cpus();
line(`swarm-lab bench — Node ${process.version}, ${cpu.length} x ${cpu[0]?.model.trim() ?? 'unknown CPU'}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
line(`${new Date().toISOString()}\n`);
const started = performance.now();
if (want('walkthrough')) {
  await walkthrough();
  line();
}
if (want('rolling')) {
  await rolling({ replicas: 1_000, topology: '10m90w', parallelism: 10, delayMs: 10_000 }, 200, runsOr(7));
  line();
  const big: RollingCase = { replicas: 10_000, topology: '100m900w', parallelism: 10, delayMs: 10_000 };
  await rolling(big, 3000, runsOr(3));
  await rollingHeap(big);
  line();
}
// The sections with nothing to set up, in the order they print.
for (const [name, section] of [['ps', servicePs], ['churn', churn], ['real', againstReal], ['local', localMode], ['serve', serveMode], ['undo', undo]] as const) {
  if (!want(name)) continue;
  await section();
  line();
}

const missed = checks.filter((c) => c.value > c.target);
line(`Targets (${((performance.now() - started) / 1000).toFixed(0)} s in all):`);
for (const c of checks) {
  const v = c.unit === 'ms' ? ms(c.value) : c.unit === 'MB' || c.unit === 'x' ? c.value.toFixed(c.unit === 'x' ? 2 : 1) : String(c.value);
  const t = c.unit === 'MB' ? c.target.toFixed(1) : String(c.target);
  line(`  ${c.value > c.target ? 'MISSED' : 'ok    '} ${c.name}: ${v} ${c.unit} (target <= ${t} ${c.unit})`);
}
for (const s of skipped) line(`  SKIPPED ${s}`);
if (missed.length > 0) {
  process.stderr.write(`bench: ${missed.length} target(s) missed: ${missed.map((c) => c.name).join('; ')}\n`);
  process.exitCode = 1;
}
