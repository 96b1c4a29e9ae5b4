// The learner's swarm and screen as kept in this tab's sessionStorage, so a full page load
// (the language picker, a reload) brings back the same swarm, scrollback and lesson start
// state. Per tab, like a terminal window: another tab gets its own swarm. The engine part
// is opaque here: the worker checks it when it restores (engine/snapshot.ts).

const KEY = 'swarm-lab:swarm';
const FORMAT = 1;
/** Scrollback kept across a page load: the newest lines, within a storage-friendly size. */
const MAX_SCREEN_LINES = 2_000;
const MAX_SCREEN_CHARS = 200_000;
/** Snapshots bigger than this are not stored (sessionStorage holds about 5 MB per site). */
const MAX_STORED_CHARS = 2_000_000;

export interface SavedSwarm {
  /** The engine's snapshot (engine/snapshot.ts), as the worker gave it. */
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

export function readSavedSwarm(): SavedSwarm | undefined {
  let raw: string | null;
  try {
    raw = sessionStorage.getItem(KEY);
  } catch {
    return undefined; // storage disabled: a page load starts a fresh swarm
  }
  if (raw === null) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<SavedSwarm> & { format?: unknown };
    if (v.format !== FORMAT || typeof v.ranOnMs !== 'number' || typeof v.savedAt !== 'number') return undefined;
    const screen = Array.isArray(v.screen) ? v.screen.filter((l): l is string => typeof l === 'string') : [];
    const meta: Record<string, string> = {};
    for (const [k, val] of Object.entries(v.meta ?? {})) if (typeof val === 'string') meta[k] = val;
    return { engine: v.engine, ranOnMs: v.ranOnMs, savedAt: v.savedAt, screen, meta };
  } catch {
    return undefined;
  }
}

export function writeSavedSwarm(s: SavedSwarm): void {
  const screen = trimScreen(s.screen);
  const json = JSON.stringify({ format: FORMAT, ...s, screen });
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
