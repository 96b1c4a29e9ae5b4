// The format of the swarm a tab keeps across full page loads (sessionStorage, written by the
// page: src/client/terminal/saved-swarm.ts) and where a restored swarm resumes. It lives in
// the engine because both sides read it: the page for its scrollback and notes, the worker
// when the lesson page's <head> hands it the stored text to restore before the terminal's own
// code has loaded (engine/worker/boot.ts). Pure: no storage access here.
import type { Speed } from './speed.js';
import { SPEEDS } from './speed.js';

/** sessionStorage key of the saved swarm; localStorage key of the clock speed. */
export const SAVED_SWARM_KEY = 'swarm-lab:swarm';
export const SPEED_KEY = 'swarm-lab:speed';
export const SAVED_SWARM_FORMAT = 1;

/** The most wall time a page load may add to a restored swarm's clock (the gap between pages). */
export const MAX_AWAY_MS = 30_000;

export interface SavedSwarm {
  /** The engine's snapshot (engine/snapshot.ts), as the worker gave it; checked when restored. */
  engine: unknown;
  /** Virtual ms the swarm ran after the snapshot was taken, until the page went away. */
  ranOnMs: number;
  /** Date.now() when the page went away. */
  savedAt: number;
  /** The screen's logical lines, oldest first, without the prompt being edited. */
  screen: string[];
  /** What the page keeps about this swarm (which lesson start state it is in, whether it was used). */
  meta: Record<string, string>;
}

/** The saved swarm in `raw` (the stored text), or undefined if there is none or it is not one. */
export function parseSavedSwarm(raw: string | null | undefined): SavedSwarm | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const v = JSON.parse(raw) as Partial<SavedSwarm> & { format?: unknown };
    if (typeof v !== 'object' || v === null) return undefined;
    if (v.format !== SAVED_SWARM_FORMAT || typeof v.ranOnMs !== 'number' || typeof v.savedAt !== 'number') return undefined;
    const screen = Array.isArray(v.screen) ? v.screen.filter((l): l is string => typeof l === 'string') : [];
    const meta: Record<string, string> = {};
    for (const [k, val] of Object.entries(v.meta ?? {})) if (typeof val === 'string') meta[k] = val;
    return { engine: v.engine, ranOnMs: v.ranOnMs, savedAt: v.savedAt, screen, meta };
  } catch {
    return undefined;
  }
}

/** The stored clock speed (1 when unset or not one of ours). */
export function parseSpeed(raw: string | null | undefined): Speed {
  return SPEEDS.find((s) => String(s) === raw) ?? 1;
}

/**
 * Where a saved swarm resumes at `now`: its snapshot, moved on by the virtual time it ran
 * before the page went away plus the time away (capped), at the clock's speed.
 */
export function resumePoint(saved: SavedSwarm, speed: Speed, now: number): { engine: unknown; ranOnMs: number } {
  return { engine: saved.engine, ranOnMs: saved.ranOnMs + Math.min(MAX_AWAY_MS, Math.max(0, now - saved.savedAt)) * speed };
}
