// The learner's course progress in localStorage: the one place that knows its keys and shape,
// used by the lesson pages (src/client/lesson/), the course map on the home page and the
// sidebar's ticks. Kept per lesson id, so the English and Chinese pages share it.
//
//   swarm-lab:progress:<lesson id>  JSON array of the step ids done (the format since day 1)
//   swarm-lab:helped:<lesson id>    JSON array of the step ids done after "Show solution"
//   swarm-lab:last-lesson           the id of the lesson page the learner last opened
//
// Every read survives storage that is disabled, full or garbled (a value of the wrong type
// reads as nothing, and progressDamaged() tells the lesson page, which says so); every write
// makes room when storage is full and reports whether it was kept, so the page can say so.

const PREFIX = 'swarm-lab:';
const doneKey = (lessonId: string): string => `${PREFIX}progress:${lessonId}`;
const helpedKey = (lessonId: string): string => `${PREFIX}helped:${lessonId}`;
const LAST_KEY = `${PREFIX}last-lesson`;

function readIds(key: string): Set<string> {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

/** Fired on `document` after any lesson's progress was written (the sidebar's ticks follow it). */
export const PROGRESS_EVENT = 'swarm-lab:progress';

/**
 * What goes when storage is too full to keep progress: the terminal's command history (a
 * convenience; progress is the learner's work). The swarm and its screen are in
 * sessionStorage, whose quota is not this one.
 */
const EXPENDABLE = [`${PREFIX}history`];

function writeIds(key: string, ids: ReadonlySet<string>): boolean {
  const write = (): void => (ids.size === 0 ? localStorage.removeItem(key) : localStorage.setItem(key, JSON.stringify([...ids])));
  let kept = true;
  try {
    write();
  } catch {
    // Full (or disabled): make room with what may be lost, then try once more.
    try {
      for (const k of EXPENDABLE) localStorage.removeItem(k);
      write();
    } catch {
      kept = false;
    }
  }
  if (typeof document !== 'undefined') document.dispatchEvent(new CustomEvent(PROGRESS_EVENT));
  return kept;
}

/** Whether a stored value is there but is not a list of step ids (not JSON, another type, other items). */
function damaged(key: string): boolean {
  let raw: string | null;
  try {
    raw = localStorage.getItem(key);
  } catch {
    return false; // storage disabled: nothing stored, nothing damaged
  }
  try {
    const v: unknown = raw === null ? [] : JSON.parse(raw);
    return !Array.isArray(v) || !v.every((x) => typeof x === 'string');
  } catch {
    return true;
  }
}

/**
 * Whether the lesson's stored progress could not be read (all or part of it): loadDone and
 * loadHelped then give what could be, and the lesson page says so and writes that back.
 */
export const progressDamaged = (lessonId: string): boolean => damaged(doneKey(lessonId)) || damaged(helpedKey(lessonId));

/** The steps of the lesson the learner has done. */
export const loadDone = (lessonId: string): Set<string> => readIds(doneKey(lessonId));
export const saveDone = (lessonId: string, done: ReadonlySet<string>): boolean => writeIds(doneKey(lessonId), done);

/** The steps done only after the learner asked to see their solution. */
export const loadHelped = (lessonId: string): Set<string> => readIds(helpedKey(lessonId));
export const saveHelped = (lessonId: string, helped: ReadonlySet<string>): boolean => writeIds(helpedKey(lessonId), helped);

export function lastLesson(): string | undefined {
  try {
    return localStorage.getItem(LAST_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function setLastLesson(lessonId: string): void {
  try {
    localStorage.setItem(LAST_KEY, lessonId);
  } catch {
    /* storage disabled: "continue" falls back to the first unfinished lesson */
  }
}

/** What a progress file holds: every lesson's done and helped steps, and the last lesson. */
export interface ProgressExport {
  app: 'swarm-lab';
  version: 1;
  lessons: Record<string, { done: string[]; helped: string[] }>;
  last?: string;
}

export function exportProgress(lessonIds: readonly string[]): ProgressExport {
  const lessons: ProgressExport['lessons'] = {};
  for (const id of lessonIds) {
    const done = [...loadDone(id)];
    const helped = [...loadHelped(id)];
    if (done.length > 0 || helped.length > 0) lessons[id] = { done, helped };
  }
  const last = lastLesson();
  return { app: 'swarm-lab', version: 1, lessons, ...(last ? { last } : {}) };
}

const isIdList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length <= 100) && v.length <= 100;

/**
 * Checks a parsed progress file: only known lesson ids and string step ids. Returns the
 * progress to take, or undefined when the file is not one of ours (nothing is changed then).
 */
export function parseProgress(v: unknown, lessonIds: readonly string[]): ProgressExport | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Partial<ProgressExport>;
  if (o.app !== 'swarm-lab' || o.version !== 1 || !o.lessons || typeof o.lessons !== 'object') return undefined;
  const lessons: ProgressExport['lessons'] = {};
  for (const [id, p] of Object.entries(o.lessons)) {
    if (!lessonIds.includes(id)) continue;
    if (!p || typeof p !== 'object' || !isIdList(p.done) || !isIdList(p.helped ?? [])) return undefined;
    lessons[id] = { done: p.done, helped: p.helped ?? [] };
  }
  const last = typeof o.last === 'string' && lessonIds.includes(o.last) ? o.last : undefined;
  return { app: 'swarm-lab', version: 1, lessons, ...(last ? { last } : {}) };
}

/** Replaces all progress with `p` (from parseProgress). False when storage would not keep it. */
export function importProgress(p: ProgressExport, lessonIds: readonly string[]): boolean {
  let ok = true;
  for (const id of lessonIds) {
    const l = p.lessons[id];
    ok = saveDone(id, new Set(l?.done ?? [])) && ok;
    ok = saveHelped(id, new Set(l?.helped ?? [])) && ok;
  }
  if (p.last) setLastLesson(p.last);
  return ok;
}

/** Forgets every lesson's progress (the swarm itself is the terminal's, not touched here). */
export function clearProgress(lessonIds: readonly string[]): void {
  for (const id of lessonIds) {
    saveDone(id, new Set());
    saveHelped(id, new Set());
  }
  try {
    localStorage.removeItem(LAST_KEY);
  } catch {
    /* nothing was kept */
  }
}
