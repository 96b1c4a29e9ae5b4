// Running a lesson on an engine Session: reaching its start state, expanding `$NAME`
// placeholders, and the connection checks use. Shared by the terminal worker and the tests;
// no Node built-ins or DOM here (it runs in the Web Worker).
import type { SwarmApi } from '../../engine/api/swarm-api.js';
import type { Session } from '../../engine/session.js';
import { lessonById } from './index.js';
import type { CheckReason, CheckResult, Lesson } from './types.js';

/** The connection checks and `vars` use: the first manager's daemon (the leader). */
export function checkApi(session: Session): SwarmApi {
  const host = session.sim.hostnames()[0];
  const api = host === undefined ? undefined : session.sim.api(host);
  if (!api) throw new Error('the simulated swarm has no machines');
  return api;
}

export { expandVars } from './vars.js';

export async function lessonVars(lesson: Lesson, api: SwarmApi): Promise<Record<string, string>> {
  return lesson.vars ? lesson.vars(api) : {};
}

/** One lesson step's check against the swarm as it is now. */
export interface StepResult {
  stepId: string;
  ok: boolean;
  /** Why not (a lesson.reason.* key the page localizes); only when !ok. */
  reason?: CheckReason;
}

/** The lesson with this id; unknown ids throw (the page passes its own id). */
function lessonOrThrow(lessonId: string): Lesson {
  const lesson = lessonById(lessonId);
  if (!lesson) throw new RangeError(`no lesson ${lessonId}`);
  return lesson;
}

/** Every step's check of the lesson, in order, on `api` (the simulated or the real swarm). */
export async function checkLesson(lessonId: string, api: SwarmApi): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of lessonOrThrow(lessonId).steps) {
    const r = await step.check(api);
    results.push(r.ok ? { stepId: step.id, ok: true } : { stepId: step.id, ok: false, reason: r.reason });
  }
  return results;
}

/** Whether the swarm on `api` meets what the lesson needs to start from (`Lesson.requires`). */
export async function checkPrecondition(lessonId: string, api: SwarmApi): Promise<CheckResult> {
  return lessonOrThrow(lessonId).requires(api);
}

/** The lesson's `$NAME` values on `api`; {} when it has none or they cannot be read yet (no swarm). */
export async function varsOfLesson(lessonId: string, api: SwarmApi): Promise<Record<string, string>> {
  return lessonVars(lessonOrThrow(lessonId), api).catch(() => ({}));
}

const discard = { write: (): void => undefined };

/**
 * Runs the lesson's setup lines on the session, silently. Returns the lines that failed
 * (a non-zero exit), which is a bug in the lesson: the tests require none.
 */
export async function runSetup(session: Session, lesson: Lesson, signal = new AbortController().signal): Promise<string[]> {
  const failed: string[] = [];
  for (const line of lesson.setup) {
    const code = await session.run(line, { stdout: discard, stderr: discard, tty: false, columns: 80, signal });
    if (code !== 0) failed.push(line);
  }
  return failed;
}

/** Instant mode: lets `ms` of simulated time pass so a detached setup converges. */
export function settle(session: Session, ms = 60_000, stepMs = 1_000): void {
  for (let t = 0; t < ms; t += stepMs) session.advance(stepMs);
}
