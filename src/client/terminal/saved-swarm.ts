// The learner's swarm and screen as kept in this tab's sessionStorage, so a full page load
// (the language picker, a reload) brings back the same swarm, scrollback and lesson start
// state. Per tab, like a terminal window: another tab gets its own swarm. The engine part
// is opaque here: the worker checks it when it restores (engine/snapshot.ts). The format is
// in engine/worker/saved-swarm.ts (the worker reads it too, when the page's head boots it).

import type { SavedSwarm } from '../../../engine/worker/saved-swarm.js';
import { parseSavedSwarm, SAVED_SWARM_FORMAT, SAVED_SWARM_KEY as KEY } from '../../../engine/worker/saved-swarm.js';

export type { SavedSwarm } from '../../../engine/worker/saved-swarm.js';

/** Scrollback kept across a page load: the newest lines, within a storage-friendly size. */
const MAX_SCREEN_LINES = 2_000;
const MAX_SCREEN_CHARS = 200_000;
/** Snapshots bigger than this are not stored (sessionStorage holds about 5 MB per site). */
const MAX_STORED_CHARS = 2_000_000;

export function readSavedSwarm(): SavedSwarm | undefined {
  try {
    return parseSavedSwarm(sessionStorage.getItem(KEY));
  } catch {
    return undefined; // storage disabled: a page load starts a fresh swarm
  }
}

export function writeSavedSwarm(s: SavedSwarm): void {
  const screen = trimScreen(s.screen);
  const json = JSON.stringify({ format: SAVED_SWARM_FORMAT, ...s, screen });
  // A huge journal (hours of scripted updates) is not stored: a page load then starts a
  // fresh swarm, which beats an older one under a newer screen (a worker crash still
  // restores from the page's memory).
  if (json.length > MAX_STORED_CHARS) return forgetSavedSwarm();
  try {
    sessionStorage.setItem(KEY, json);
  } catch {
    forgetSavedSwarm(); // over quota: better no snapshot than a stale one
  }
}

export function forgetSavedSwarm(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    /* nothing stored then */
  }
}

/** The newest lines that fit the limits. */
export function trimScreen(lines: string[]): string[] {
  let out = lines.slice(-MAX_SCREEN_LINES);
  let size = out.reduce((n, l) => n + l.length + 1, 0);
  let drop = 0;
  while (size > MAX_SCREEN_CHARS && drop < out.length) size -= out[drop++]!.length + 1;
  if (drop > 0) out = out.slice(drop);
  return out;
}
