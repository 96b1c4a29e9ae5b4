// Every command a lesson has (its setup, its steps' solutions and every ```sh block of its
// MDX, in both languages) in LOCAL mode: run in order through the local server's terminal
// (command table, then the guarded Engine API with its spec policy) over the simulator as
// the real swarm. Each line must either work or be refused with a reason a learner can act
// on; the refused ones are listed here on purpose, so a new lesson command that local mode
// cannot run is a decision, not an accident. (Lines that only fail because an earlier line
// of the same lesson was refused, e.g. `docker service inspect helloworld` after the alpine
// service could not be made, fail with docker's own "no such service" error.)
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lessons } from '../content/lessons/index.js';
import { expandVars } from '../content/lessons/run.js';
import type { ServerFrame } from '../engine/node/server/protocol.js';
import type { StartResult } from '../engine/node/server/terminal.js';
import { TerminalSession } from '../engine/node/server/terminal.js';
import { Simulator } from '../engine/sim/simulator.js';
import { simBackend } from './helpers/sim-backend.js';

const SPEED = 200;
const root = new URL('../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
const mdxCommands = (mdx: string): string[] => [...mdx.matchAll(/^```sh[^\n]*\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);

/** A refusal that says why (more than the bare "not available in local mode"). */
const REASONED = /not available in local mode: \S.{20,}/;

const FORMED = /the real swarm is already formed \(npm run sandbox:up made it and joined the workers\).*Switch to the simulator to practise this step/;
const NOT_PRELOADED = (image: string): RegExp =>
  new RegExp(`image ${image.replace(/[.]/g, '\\.')}: not available in local mode: the real swarm runs only the images preloaded on it \\(redis:7\\.4\\.0, redis:7\\.4\\.1\\) and never pulls from a registry\\. Use one of those images here, or switch to the simulator for this step\\.`);

/** Every lesson line local mode refuses, and what the refusal must say. */
const REFUSED: ReadonlyMap<string, RegExp> = new Map([
  ['docker swarm init --advertise-addr 192.168.99.100', FORMED],
  ['docker swarm join --token $WORKER_TOKEN 192.168.99.100:2377', FORMED],
  ['docker service create --replicas 1 --name helloworld alpine ping docker.com', NOT_PRELOADED('alpine')],
  ['docker service create --detach --replicas 1 --name helloworld alpine ping docker.com', NOT_PRELOADED('alpine')],
  ['docker service create --detach --replicas 5 --name helloworld alpine ping docker.com', NOT_PRELOADED('alpine')],
  // The lesson's failing update: on a real swarm the nodes would try to pull it from a registry.
  ['docker service update --image redis:9.9.9 redis', NOT_PRELOADED('redis:9.9.9')],
]);

interface Outcome {
  lesson: string;
  line: string;
  kind: 'ran' | 'refused' | 'failed';
  output: string;
}

/** Runs one lesson in local mode on a fresh real-swarm stand-in: setup through reset, then every line in order. */
async function runLesson(lessonId: string, seed: number): Promise<Outcome[]> {
  const lesson = lessons.find((l) => l.id === lessonId)!;
  const sim = new Simulator({ seed, startEpochMs: Date.now() });
  const driver = setInterval(() => sim.clock.advance(20 * SPEED), 20);
  const frames: ServerFrame[] = [];
  const term = new TerminalSession(simBackend(sim), { scoped: false }, (f) => frames.push(f));
  let id = 0;
  const answer = async (frame: Parameters<TerminalSession['handle']>[0] & { id: number }): Promise<unknown> => {
    await term.handle(frame);
    const f = frames.find((x) => 'id' in x && x.id === frame.id && (x.t === 'result' || x.t === 'error'));
    if (f?.t !== 'result') throw new Error(`no result: ${JSON.stringify(f)}`);
    return f.value;
  };
  const outcomes: Outcome[] = [];
  try {
    // The setup, as the page's start state applies it on the real swarm.
    const reset = (await answer({ t: 'reset', id: ++id, setup: lesson.setup })) as StartResult;
    for (const line of lesson.setup) {
      const skipped = reset.skipped.find((s) => s.line === line);
      if (skipped) outcomes.push({ lesson: lessonId, line, kind: 'refused', output: skipped.reason });
      else outcomes.push({ lesson: lessonId, line, kind: reset.failed.includes(line) ? 'failed' : 'ran', output: '' });
    }
    // The MDX's command blocks in page order, then any solution line not among them.
    const lines = mdxCommands(read(`content/docs/lessons/${lessonId}.mdx`));
    for (const step of lesson.steps) for (const l of step.solution) if (!lines.includes(l)) lines.push(l);
    for (const line of lines) {
      const vars = (await answer({ t: 'vars', id: ++id, lessonId })) as Record<string, string>;
      const runId = ++id;
      await term.handle({ t: 'run', id: runId, line: expandVars(line, vars), cols: 120 });
      const mine = frames.filter((f) => 'id' in f && f.id === runId);
      const output = mine.map((f) => (f.t === 'out' ? f.text : '')).join('');
      const code = mine.find((f): f is Extract<ServerFrame, { t: 'done' }> => f.t === 'done')?.code ?? -1;
      const refused = output.startsWith('swarm-lab: ') || output.includes('Error response from daemon: not available in local mode');
      outcomes.push({ lesson: lessonId, line, kind: code === 0 ? 'ran' : refused ? 'refused' : 'failed', output });
    }
  } finally {
    term.close();
    clearInterval(driver);
  }
  return outcomes;
}

describe('every lesson command in local mode: it works, or it is refused with a reason', () => {
  const all: Outcome[] = [];

  beforeAll(async () => {
    for (const [i, lesson] of lessons.entries()) all.push(...(await runLesson(lesson.id, 30 + i)));
  }, 120_000);


  it('both languages show the same commands (the English run covers the Chinese pages)', () => {
    for (const lesson of lessons) {
      expect(mdxCommands(read(`content/docs/zh-cn/lessons/${lesson.id}.mdx`)), lesson.id).toEqual(mdxCommands(read(`content/docs/lessons/${lesson.id}.mdx`)));
    }
  });

  it('every refusal is one of the expected ones and says why and what to do', () => {
    const refused = all.filter((o) => o.kind === 'refused');
    for (const o of refused) {
      expect(o.output, `${o.lesson}: ${o.line}`).toMatch(REASONED);
      const expected = REFUSED.get(o.line);
      expect(expected, `unexpected refusal in ${o.lesson}: ${o.line}\n${o.output}`).toBeDefined();
      expect(o.output, `${o.lesson}: ${o.line}`).toMatch(expected!);
    }
    // And every expected refusal still happens (a lesson line that became allowed is taken off the list).
    expect(new Set(refused.map((o) => o.line))).toEqual(new Set(REFUSED.keys()));
  });

  it('every other line works, unless it needs what an earlier refused line of its lesson would have made', () => {
    expect(all.length).toBeGreaterThan(40);
    const byLesson = new Map<string, Outcome[]>();
    for (const o of all) byLesson.set(o.lesson, [...(byLesson.get(o.lesson) ?? []), o]);
    for (const [lesson, outcomes] of byLesson) {
      outcomes.forEach((o, i) => {
        if (o.kind !== 'failed') return;
        const earlier = outcomes.slice(0, i).filter((p) => p.kind === 'refused');
        expect(earlier.length, `${lesson}: ${o.line} failed with nothing refused before it:\n${o.output}`).toBeGreaterThan(0);
        // The learner was told why before; what they see now is docker's own error about the missing object.
        expect(o.output, `${lesson}: ${o.line}`).toMatch(/no such service|could not resolve hostname|not found/i);
      });
    }
    // The lessons that need nothing local mode refuses run from start to end.
    for (const id of ['overview', 'rolling-update', 'drain-node']) {
      const bad = byLesson.get(id)!.filter((o) => o.kind !== 'ran' && !REFUSED.has(o.line));
      expect(bad, id).toEqual([]);
    }
  });
});
