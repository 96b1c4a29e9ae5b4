// Running a lesson on an engine Session: reaching its start state, expanding `$NAME`
// placeholders, and the connection checks use. Shared by the terminal worker and the tests;
// no Node built-ins or DOM here (it runs in the Web Worker).
import type { SwarmApi } from '../../engine/api/swarm-api.js';
import type { Session } from '../../engine/session.js';
import type { Lesson } from './types.js';

/** The connection checks and `vars` use: the first manager's daemon (the leader). */
export function checkApi(session: Session): SwarmApi {
  const host = session.sim.hostnames()[0];
  const api = host === undefined ? undefined : session.sim.api(host);
  if (!api) throw new Error('the simulated swarm has no machines');
  return api;
}

/** Replaces `$NAME` (letters, digits, underscores) with vars[NAME]; unknown names stay as typed. */
export function expandVars(line: string, vars: Record<string, string>): string {
  return line.replace(/\$([A-Z_][A-Z0-9_]*)/g, (whole, name: string) => vars[name] ?? whole);
}

export async function lessonVars(lesson: Lesson, api: SwarmApi): Promise<Record<string, string>> {
  return lesson.vars ? lesson.vars(api) : {};
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
