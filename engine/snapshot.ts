// A learner's session as plain data, and the way back. See engine/journal.ts for why a
// swarm is saved as the recipe that built it (seed + write calls at their virtual times)
// rather than as its objects.
import type { JournalEntry } from './journal.js';
import { isInjectionEntry, isJournalEntry, replayEntry } from './journal.js';
import { applyInjection } from './sim/faults.js';
import type { ClockMode } from './session.js';
import { Session } from './session.js';
import type { ShellState } from './shell/shell.js';
import type { UndoMark } from './undo.js';
import { isUndoMark } from './undo.js';

/** Bumped when a snapshot's shape or meaning changes: older ones are then ignored. */
export const SNAPSHOT_FORMAT = 1;

export interface SessionSnapshot {
  format: number;
  sim: { seed: number; startEpochMs: number; topology?: string; swarm?: boolean };
  journal: JournalEntry[];
  shell: ShellState;
  /** Virtual time when the snapshot was taken (ms since the simulation started). */
  now: number;
  /** Where the commands `undo` can take back began (engine/undo.ts); none in older snapshots. */
  undo?: UndoMark[];
  /** The learner had paused the swarm (Session.paused): it stays paused, and no time passed. */
  paused?: boolean;
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Checks the shape of a snapshot read back from storage (an older site version, another
 * tab, or hand-edited storage may have put anything there). Replay itself goes through the
 * Engine API, which rejects bad arguments the way it rejects a learner's.
 */
export function isSessionSnapshot(v: unknown): v is SessionSnapshot {
  if (!v || typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  const sim = s['sim'] as Record<string, unknown> | undefined;
  const shell = s['shell'] as Record<string, unknown> | undefined;
  if (s['format'] !== SNAPSHOT_FORMAT || !sim || typeof sim !== 'object' || !shell || typeof shell !== 'object') return false;
  if (!Number.isInteger(sim['seed']) || typeof sim['startEpochMs'] !== 'number' || !Number.isFinite(sim['startEpochMs'])) return false;
  if (sim['topology'] !== undefined && typeof sim['topology'] !== 'string') return false;
  if (sim['swarm'] !== undefined && typeof sim['swarm'] !== 'boolean') return false;
  if (!Array.isArray(s['journal']) || !s['journal'].every(isJournalEntry)) return false;
  if (!isStringArray(shell['stack']) || !isStringArray(shell['history'])) return false;
  if (!isCount(shell['historyBase']) || !Number.isInteger(shell['lastExit'])) return false;
  if (s['undo'] !== undefined && !(Array.isArray(s['undo']) && s['undo'].every(isUndoMark))) return false;
  if (s['paused'] !== undefined && typeof s['paused'] !== 'boolean') return false;
  return typeof s['now'] === 'number' && Number.isFinite(s['now']) && s['now'] >= 0;
}

/**
 * The work (timers run) a restore may spend moving a swarm on from its snapshot's time to
 * "now", i.e. simulating the time the page was away. An ordinary swarm needs a few thousand
 * events per simulated hour; one that churns (20,000 replicas of an image that never starts
 * make ~22,000 per simulated second) would keep the worker busy for minutes, so past this the
 * swarm simply carries on from where the catch-up stopped, as if the page had been away for
 * less time. The replay up to the snapshot's own time is never cut: it is the recipe.
 */
export const MAX_CATCH_UP_EVENTS = 500_000;

/**
 * Rebuilds the session a snapshot describes: the same simulator, every recorded write made
 * again at its virtual time, the clock moved on to `now` (at least the snapshot's own
 * time: a restored swarm has kept running while the page was away), the shell's state back.
 * The new session's journal holds the same entries, so it can be saved again.
 */
export async function restoreSession(
  snap: SessionSnapshot,
  mode: ClockMode,
  now = snap.now,
  maxCatchUpEvents = MAX_CATCH_UP_EVENTS,
): Promise<Session> {
  const session = new Session({ ...snap.sim, mode });
  const clock = session.sim.clock;
  // Every entry is kept as saved, refused ones too, so the undo marks' entry counts still
  // point at the same commands.
  const stamp = session.journal.stamp;
  session.journal.stamp = undefined;
  const sim = session.sim;
  const api = (host: string) => (sim.hostnames().includes(host) ? session.journal.wrap(host, sim.api(host)) : undefined);
  for (const e of snap.journal) {
    clock.runUntil(e.at);
    if (isInjectionEntry(e)) {
      // Through the journal, so the restored session's recipe holds it again.
      session.journal.inject({ kind: e.inject, target: e.target }, () => applyInjection(sim, { kind: e.inject, target: e.target }));
      continue;
    }
    // A failed write failed the first time too (it is in the journal all the same).
    await replayEntry(sim, api, e).catch(() => undefined);
  }
  session.journal.stamp = stamp;
  clock.runUntil(Math.max(snap.now, clock.now));
  const from = clock.fired;
  // A paused swarm stood still while the page was away.
  if (!snap.paused) clock.runUntil(Math.max(now, clock.now), (fired) => fired - from >= maxCatchUpEvents);
  session.shell.restoreState(snap.shell);
  session.undo.restore(snap.undo ?? [], snap.journal.length);
  session.paused = snap.paused === true;
  return session;
}
