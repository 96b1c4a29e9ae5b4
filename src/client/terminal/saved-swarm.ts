// The learner's swarm and screen as kept in this tab's sessionStorage, so a full page load
// (the language picker, a reload) brings back the same swarm, scrollback and lesson start
// state. Per tab, like a terminal window: another tab gets its own swarm. The engine part
// is opaque here: the worker checks it when it restores (engine/snapshot.ts). The format is
// in engine/worker/saved-swarm.ts (the worker reads it too, when the page's head boots it).

import type { IBuffer } from '@xterm/xterm';
import type { SessionSnapshot } from '../../../engine/snapshot.js';
import type { SavedSwarm } from '../../../engine/worker/saved-swarm.js';
import { parseSavedSwarm, SAVED_SWARM_FORMAT, SAVED_SWARM_KEY as KEY } from '../../../engine/worker/saved-swarm.js';

export type { SavedSwarm } from '../../../engine/worker/saved-swarm.js';

/** Scrollback kept across a page load: the newest lines, within a storage-friendly size. */
const MAX_SCREEN_LINES = 2_000;
const MAX_SCREEN_CHARS = 200_000;
/** Snapshots bigger than this are not stored (sessionStorage holds about 5 MB per site). */
const MAX_STORED_CHARS = 2_000_000;

/**
 * The swarm the previous page of this tab saved; 'damaged' when something is stored that is not
 * one (the page then says that the learner's swarm could not come back), undefined when none is.
 */
export function readSavedSwarm(): SavedSwarm | 'damaged' | undefined {
  let raw: string | null;
  try {
    raw = sessionStorage.getItem(KEY);
  } catch {
    return undefined; // storage disabled: a page load starts a fresh swarm
  }
  return raw === null ? undefined : (parseSavedSwarm(raw) ?? 'damaged');
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

/**
 * The page's hold on the learner's swarm: the worker's latest snapshot (what a crashed or hung
 * worker restarts from), how far the swarm's clock has run since (the page tells without
 * asking the worker, which may be gone), and the page's notes about the swarm. `save` puts
 * them, with the screen, in the tab's storage for the next page.
 */
export class SwarmKeeper {
  /** The swarm as of the last finished command or reset. */
  snap: SessionSnapshot | undefined;
  /** The page's notes about this swarm (lesson start state, used), saved with it. */
  meta: Record<string, string> = {};
  /** Virtual time at a wall-clock instant; `running` while the swarm's clock runs (page shown). */
  private mark: { virtual: number; wall: number; running: boolean };

  constructor(
    private readonly speed: () => number,
    running: boolean,
  ) {
    this.mark = { virtual: 0, wall: Date.now(), running };
  }

  /** A new snapshot from the worker: the swarm's clock is where it says, now. */
  took(snap: SessionSnapshot): void {
    this.snap = snap;
    this.mark = { virtual: snap.now, wall: Date.now(), running: this.mark.running };
  }

  /** The swarm's virtual time now, as far as the page can tell (a swarm the learner paused stands still). */
  now(): number {
    const m = this.mark;
    const moving = m.running && this.snap?.paused !== true;
    return m.virtual + (moving ? Math.max(0, Date.now() - m.wall) * this.speed() : 0);
  }

  /** Call before the clock's rate changes (speed, page hidden or shown). */
  rebase(running = this.mark.running): void {
    this.mark = { virtual: this.now(), wall: Date.now(), running };
  }

  /**
   * Where a restarted worker picks the swarm up: the snapshot, run on to now. Given once: if
   * replaying it kills the worker again, the next start must not try the same one.
   */
  takeResumePoint(): { engine: SessionSnapshot; ranOnMs: number } | undefined {
    const snap = this.snap;
    this.snap = undefined;
    return snap && { engine: snap, ranOnMs: this.now() - snap.now };
  }

  /** Saves swarm, screen and notes in the tab's storage for the next page load (nothing before the first snapshot). */
  save(screen: string[]): void {
    const snap = this.snap;
    if (snap) writeSavedSwarm({ engine: snap, ranOnMs: this.now() - snap.now, savedAt: Date.now(), screen, meta: this.meta });
  }
}

/** The buffer's logical lines before row `end` (wrapped rows joined), without trailing blank ones. */
export function screenLines(b: IBuffer, end: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < end; i++) {
    const row = b.getLine(i);
    if (!row) break;
    const text = row.translateToString(true);
    if (row.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
