// Every command a lesson has (its setup, its steps' solutions and every ```sh block of its
// MDX, in both languages) in LOCAL mode: run in order through the local server's terminal
// (command table, then the guarded Engine API with its spec policy). Each line must work,
// fail the way its lesson says it fails, or be refused with a reason a learner can act on;
// the refused and the failing ones are listed here on purpose, so a new lesson command that
// local mode cannot run is a decision, not an accident. After a step's solution has run, the
// step's own check (asked through the server, as the page asks it) must pass.
// Twice: over the simulator standing in for the real swarm (always), and on the REAL 3-node
// sandbox (npm run sandbox:up; skipped loudly without it, brought up by the suite under CI=true).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessons } from '../content/lessons/index.js';
import type { StepResult } from '../content/lessons/run.js';
import { expandVars } from '../content/lessons/run.js';
import type { ServiceSpec } from '../engine/api/types.js';
import type { RealSwarm } from '../engine/node/docker/index.js';
import type { LocalBackend } from '../engine/node/server/backend.js';
import { recordCalls } from '../engine/node/server/call-log.js';
import type { EngineCall } from '../engine/node/server/call-log.js';
import { checkCommandLine } from '../engine/node/server/command-policy.js';
import { GuardedApi } from '../engine/node/server/guard.js';
import type { ServerFrame } from '../engine/node/server/protocol.js';
import { BROKEN_UPDATE_IMAGES, DEFAULT_IMAGES, serviceSpecProblem } from '../engine/node/server/spec-policy.js';
import type { StartResult } from '../engine/node/server/terminal.js';
import { TerminalSession } from '../engine/node/server/terminal.js';
import { Simulator } from '../engine/sim/simulator.js';
import type { SuiteSandbox } from './helpers/sandbox-suite.js';
import { takeSandbox } from './helpers/sandbox-suite.js';
import { simBackend } from './helpers/sim-backend.js';

const SPEED = 200;
const root = new URL('../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
const mdxCommands = (mdx: string): string[] => [...mdx.matchAll(/^```sh[^\n]*\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);

/** A refusal that says why (more than the bare "not available in local mode"). */
const REASONED = /not available in local mode: \S.{20,}/;

const FORMED = /the real swarm is already formed \(npm run sandbox:up made it and joined the workers\).*Switch to the simulator to practise this step/;

const INJECT = /^lab: not available in local mode: failures can only be injected into the simulated swarm \(switch to the simulator to try it\)\n$/;

/** Every lesson line local mode refuses, and what the refusal must say. */
const REFUSED: ReadonlyMap<string, RegExp> = new Map([
  ['docker swarm init --advertise-addr 192.168.99.100', FORMED],
  ['docker swarm join --token $WORKER_TOKEN 192.168.99.100:2377', FORMED],
  // The optional failure sections (rolling-update, drain-node): Swarm Lab's own builtin, which
  // only the simulated swarm has; their pages say local mode refuses it.
  ['lab node stop worker2', INJECT],
  ['lab node start worker2', INJECT],
]);

/** Lesson lines that fail on purpose (exit 1), by lesson, and what docker says. */
const FAILS: ReadonlyMap<string, RegExp> = new Map([
  // The task for the missing tag is rejected "No such image"; the failure action pauses the update.
  ['rolling-update: docker service update --image redis:9.9.9 redis', /service update paused: update paused due to failure or early termination of task [0-9a-z]{25}\n$/],
  // Reading the service just removed.
  ['delete-service: docker service inspect helloworld', /^\[\]\nError: no such service: helloworld\n$/],
]);

interface Outcome {
  lesson: string;
  line: string;
  kind: 'ran' | 'refused' | 'failed';
  output: string;
  ms: number;
}

interface LessonRun {
  outcomes: Outcome[];
  /** The check of each step whose solution ran, once it passed or its wait ran out. */
  checks: { lesson: string; step: string; result: StepResult | undefined; waitedMs: number }[];
}

interface RunOptions {
  /** How long a step's check may take to pass after its solution line (a rolling update takes ~30 s for real). */
  checkTimeoutMs: number;
  pollMs: number;
  /**
   * Real time let pass after each line, as a reader's would: the simulator standing in for the
   * swarm moves only on its driver's ticks, so lines run back to back would see no swarm time
   * pass between them (an update read before its orchestrator picked it up). The real swarm's
   * own time passes anyway.
   */
  betweenMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until every service runs as many tasks as it asks for: the start state a learner
 * finds after reading the page's first paragraph (a detached setup is still converging when
 * the reset answers, and inspect-service's $TASK_NODE needs its task placed).
 */
async function converged(backend: LocalBackend, opts: RunOptions): Promise<void> {
  const api = backend.api(backend.startNode)!;
  const until = Date.now() + opts.checkTimeoutMs;
  for (;;) {
    let done = true;
    for (const s of await api.serviceList()) {
      const tasks = await api.taskList({ service: [s.ID], 'desired-state': ['running'] });
      if (tasks.filter((t) => t.Status.State === 'running').length !== (s.Spec.Mode.Replicated?.Replicas ?? 0)) done = false;
    }
    if (done) return;
    if (Date.now() > until) throw new Error('the start state did not converge');
    await sleep(opts.pollMs);
  }
}

/** Runs one lesson in local mode on `backend`: setup through reset, then every line in order, checking each step after its solution. */
async function runLesson(backend: LocalBackend, lessonId: string, opts: RunOptions): Promise<LessonRun> {
  const lesson = lessons.find((l) => l.id === lessonId)!;
  const frames: ServerFrame[] = [];
  const term = new TerminalSession(backend, { scoped: false }, (f) => frames.push(f));
  let id = 0;
  const answer = async (frame: Parameters<TerminalSession['handle']>[0] & { id: number }): Promise<unknown> => {
    await term.handle(frame);
    const f = frames.find((x) => 'id' in x && x.id === frame.id && (x.t === 'result' || x.t === 'error'));
    if (f?.t !== 'result') throw new Error(`no result: ${JSON.stringify(f)}`);
    return f.value;
  };
  const run: LessonRun = { outcomes: [], checks: [] };
  try {
    // The setup, as the page's start state applies it on the real swarm.
    const reset = (await answer({ t: 'reset', id: ++id, setup: lesson.setup })) as StartResult;
    for (const line of lesson.setup) {
      const skipped = reset.skipped.find((s) => s.line === line);
      if (skipped) run.outcomes.push({ lesson: lessonId, line, kind: 'refused', output: skipped.reason, ms: 0 });
      else run.outcomes.push({ lesson: lessonId, line, kind: reset.failed.includes(line) ? 'failed' : 'ran', output: '', ms: 0 });
    }
    await converged(backend, opts);
    // The MDX's command blocks in page order, then any solution line not among them. (The
    // Chinese page has the same blocks: test/lessons.test.ts.)
    const lines = mdxCommands(read(`content/docs/lessons/${lessonId}.mdx`));
    for (const step of lesson.steps) for (const l of step.solution) if (!lines.includes(l)) lines.push(l);
    for (const line of lines) {
      // curl needs the nodes' network namespaces: the routing-mesh lesson's curl lines run with the
      // real curl on the sandbox in test/local-routing-mesh.test.ts (what they answer depends on
      // the kernel's IPVS and on which nodes run a task), not here.
      if (/^curl\b/.test(line)) continue;
      const vars = (await answer({ t: 'vars', id: ++id, lessonId })) as Record<string, string>;
      const runId = ++id;
      const started = Date.now();
      await term.handle({ t: 'run', id: runId, line: expandVars(line, vars), cols: 120 });
      const mine = frames.filter((f) => 'id' in f && f.id === runId);
      const output = mine.map((f) => (f.t === 'out' ? f.text : '')).join('');
      const code = mine.find((f): f is Extract<ServerFrame, { t: 'done' }> => f.t === 'done')?.code ?? -1;
      const refused = output.startsWith('swarm-lab: ') || output.startsWith('lab: not available in local mode') || output.includes('Error response from daemon: not available in local mode');
      const outcome: Outcome = { lesson: lessonId, line, kind: code === 0 ? 'ran' : refused ? 'refused' : 'failed', output, ms: Date.now() - started };
      run.outcomes.push(outcome);
      if (opts.betweenMs) await sleep(opts.betweenMs);
      // A step is done when its last solution line has run: wait (as a learner would) for its check.
      const step = lesson.steps.find((s) => s.solution.at(-1) === line);
      if (!step || outcome.kind === 'refused') continue;
      const waitStart = Date.now();
      let result: StepResult | undefined;
      for (;;) {
        const results = (await answer({ t: 'check', id: ++id, lessonId })) as StepResult[];
        result = results.find((r) => r.stepId === step.id);
        if (result?.ok || Date.now() - waitStart > opts.checkTimeoutMs) break;
        await sleep(opts.pollMs);
      }
      run.checks.push({ lesson: lessonId, step: step.id, result, waitedMs: Date.now() - waitStart });
    }
  } finally {
    term.close();
  }
  return run;
}

/** The assertions every run (simulated or real) must pass; `ran` false skips them (no sandbox). */
function expectLocalModeRuns(runs: () => LessonRun[], ran: () => boolean = () => true): void {
  const all = (): Outcome[] => runs().flatMap((r) => r.outcomes);

  it('every refusal is one of the expected ones and says why and what to do', (ctx) => {
    if (!ran()) return ctx.skip();
    const refused = all().filter((o) => o.kind === 'refused');
    for (const o of refused) {
      expect(o.output, `${o.lesson}: ${o.line}`).toMatch(REASONED);
      const expected = REFUSED.get(o.line);
      expect(expected, `unexpected refusal in ${o.lesson}: ${o.line}\n${o.output}`).toBeDefined();
      expect(o.output, `${o.lesson}: ${o.line}`).toMatch(expected!);
    }
    // And every expected refusal still happens (a lesson line that became allowed is taken off the list).
    expect(new Set(refused.map((o) => o.line))).toEqual(new Set(REFUSED.keys()));
  });

  it('every other line works, or fails exactly where and as its lesson says', (ctx) => {
    if (!ran()) return ctx.skip();
    const outcomes = all();
    expect(outcomes.length).toBeGreaterThan(40);
    for (const o of outcomes.filter((x) => x.kind === 'failed')) {
      const expected = FAILS.get(`${o.lesson}: ${o.line}`);
      expect(expected, `${o.lesson}: ${o.line} failed:\n${o.output}`).toBeDefined();
      expect(o.output, `${o.lesson}: ${o.line}`).toMatch(expected!);
    }
    // And the lessons' failures still happen (the paused update is what the lesson teaches).
    const failed = new Set(outcomes.filter((o) => o.kind === 'failed').map((o) => `${o.lesson}: ${o.line}`));
    expect(failed).toEqual(new Set(FAILS.keys()));
    // Only the two lessons about forming a swarm have anything refused, and the two optional
    // failure sections their `lab` lines.
    const refusedIn = new Set(outcomes.filter((o) => o.kind === 'refused').map((o) => o.lesson));
    expect(refusedIn).toEqual(new Set(['create-swarm', 'add-nodes', 'rolling-update', 'drain-node']));
    expect(new Set(outcomes.filter((o) => o.kind === 'refused' && !o.line.startsWith('lab ')).map((o) => o.lesson))).toEqual(new Set(['create-swarm', 'add-nodes']));
  });

  it('the rolling update\'s failure path: the missing tag is rejected, the update shows as paused, the rollback recovers', (ctx) => {
    if (!ran()) return ctx.skip();
    const outcomes = runs().find((r) => r.outcomes[0]?.lesson === 'rolling-update')!.outcomes;
    const at = outcomes.findIndex((o) => o.line === 'docker service update --image redis:9.9.9 redis');
    expect(at).toBeGreaterThan(0);
    const after = (line: string): string => outcomes.slice(at).find((o) => o.line === line)?.output ?? '';
    expect(after('docker service inspect --pretty redis')).toMatch(/\nUpdateStatus:\n State:\s+paused\n Started:.*\n Message:\s+update paused due to failure or early termination of task [0-9a-z]{25}\n/);
    expect(after('docker service inspect --pretty redis')).toMatch(/\n Image:\s+redis:9\.9\.9\n/);
    // (On the real swarm the newest rejected task may still be desired Ready when ps runs.)
    expect(after('docker service ps redis')).toMatch(/redis:9\.9\.9 +\S+ +(Ready|Shutdown) +Rejected .* "No such image: redis:9\.9\.9"/);
    // (The progress display redraws itself with cursor moves: match its lines, not the whole text.)
    const rollback = after('docker service rollback redis');
    expect(rollback).toMatch(/^redis\n/);
    expect(rollback).toContain('rollback: manually requested rollback');
    expect(rollback).toMatch(/verify: Service redis converged \r/);
  });

  it('each step whose solution ran passes its own check, asked through the server', (ctx) => {
    if (!ran()) return ctx.skip();
    const checks = runs().flatMap((r) => r.checks);
    for (const c of checks) expect(c.result, `${c.lesson}/${c.step} after ${c.waitedMs} ms`).toMatchObject({ stepId: c.step, ok: true });
    // Every step of every lesson that changes a service was checked (create-swarm's and
    // add-nodes' solutions are refused: the real swarm is formed already).
    const checked = new Set(checks.map((c) => `${c.lesson}/${c.step}`));
    // (An optional failure step's solution is a refused `lab` line: nothing to check.)
    for (const lesson of lessons.filter((l) => !['create-swarm', 'add-nodes'].includes(l.id))) {
      for (const step of lesson.steps.filter((s) => !s.solution.some((l) => l.startsWith('lab ')))) expect(checked, `${lesson.id}/${step.id}`).toContain(`${lesson.id}/${step.id}`);
    }
  });
}

describe('every lesson command in local mode, over the simulator as the real swarm', () => {
  const runs: LessonRun[] = [];

  beforeAll(async () => {
    for (const [i, lesson] of lessons.entries()) {
      const sim = new Simulator({ seed: 30 + i, startEpochMs: Date.now() });
      const driver = setInterval(() => sim.clock.advance(20 * SPEED), 20);
      try {
        runs.push(await runLesson(simBackend(sim), lesson.id, { checkTimeoutMs: 10_000, pollMs: 50, betweenMs: 25 }));
      } finally {
        clearInterval(driver);
      }
    }
  }, 180_000);

  expectLocalModeRuns(() => runs);
});

describe('the rolling-update lesson\'s missing tag: allowed in an update only', () => {
  const broken = [...BROKEN_UPDATE_IMAGES];
  const spec = (image: string): ServiceSpec =>
    ({ Name: 'redis', Labels: {}, TaskTemplate: { ContainerSpec: { Image: image }, ForceUpdate: 0 }, Mode: { Replicated: { Replicas: 1 } } }) as ServiceSpec;

  it('is exactly redis:9.9.9, which is not preloaded', () => {
    expect(broken).toEqual(['redis:9.9.9']);
    expect(DEFAULT_IMAGES.has('redis:9.9.9')).toBe(false);
  });

  it('the command table lets service update --image name it, and nothing else', () => {
    expect(checkCommandLine('docker service update --image redis:9.9.9 redis', { scoped: false })).toEqual({ ok: true });
    expect(checkCommandLine('docker service update --detach --image=redis:9.9.9 redis', { scoped: true })).toEqual({ ok: true });
    for (const line of [
      'docker service create --name redis redis:9.9.9',
      'docker service create --replicas 3 --name redis --update-delay 10s redis:9.9.9',
      'docker service update --image redis:9.9.8 redis',
      'docker service update --image docker.io/library/redis:9.9.9 redis',
      `docker service update --image redis:9.9.9@sha256:${'a'.repeat(64)} redis`,
      'docker service update --image alpine redis',
    ]) {
      const v = checkCommandLine(line, { scoped: false });
      expect(v.ok, line).toBe(false);
      expect(v.ok ? '' : v.message, line).toMatch(/^image \S+: not available in local mode: the real swarm runs only the images preloaded on it/);
    }
  });

  it('the spec policy allows it in an update spec only; create (also the default) refuses it', () => {
    const opts = { images: DEFAULT_IMAGES, allowPublish: true };
    expect(serviceSpecProblem(spec('redis:9.9.9'), opts, 'update')).toBeUndefined();
    expect(serviceSpecProblem(spec('redis:9.9.9'), opts, 'create')).toMatch(/^image "redis:9\.9\.9" is not one of the preloaded images/);
    expect(serviceSpecProblem(spec('redis:9.9.9'), opts)).toMatch(/^image "redis:9\.9\.9" is not one of the preloaded images/);
    for (const image of ['alpine', 'redis:9.9.8', 'redis', `redis:9.9.9@sha256:${'b'.repeat(64)}`]) {
      expect(serviceSpecProblem(spec(image), opts, 'update'), image).toMatch(/is not one of the preloaded images/);
    }
  });

  it('the guard: a create with it makes no Engine call; an update with it reaches the swarm', async () => {
    const sim = new Simulator({ seed: 9 });
    const calls: EngineCall[] = [];
    const guard = new GuardedApi(recordCalls(sim.api('manager1'), calls), { scoped: false });
    await expect(guard.serviceCreate(spec('redis:9.9.9'))).rejects.toMatchObject({ statusCode: 403 });
    expect(calls).toEqual([]);
    const { ID } = await guard.serviceCreate(spec('redis:7.4.1'));
    const before = await sim.api('manager1').serviceInspect(ID);
    await guard.serviceUpdate(ID, before.Version.Index, { ...spec('redis:9.9.9'), Labels: before.Spec.Labels });
    expect((await sim.api('manager1').serviceInspect(ID)).Spec.TaskTemplate.ContainerSpec.Image).toBe('redis:9.9.9');
  });
});

describe('every lesson command in local mode, on the REAL 3-node sandbox', () => {
  const runs: LessonRun[] = [];
  let sandbox: SuiteSandbox | undefined;
  let host: RealSwarm | undefined;

  beforeAll(async () => {
    sandbox = await takeSandbox('local-lesson-commands on the sandbox');
    host = sandbox?.host;
    if (!host) return;
    for (const lesson of lessons) runs.push(await runLesson(host, lesson.id, { checkTimeoutMs: 150_000, pollMs: 500 }));
    const broke = runs.flatMap((r) => r.outcomes).find((o) => o.line === 'docker service update --image redis:9.9.9 redis');
    if (broke) console.info(`local-lesson-commands (sandbox): the update to redis:9.9.9 paused after ${broke.ms} ms`);
  }, 900_000);

  afterAll(() => sandbox?.release(), 120_000);

  it('ran every lesson (or the suite said loudly why not)', (ctx) => {
    if (!host) return ctx.skip();
    expect(runs.map((r) => r.outcomes[0]?.lesson)).toEqual(lessons.map((l) => l.id));
  });

  expectLocalModeRuns(() => runs, () => host !== undefined);
});
