// Where the learner is in the course, from what src/client/progress-store.ts keeps: one state
// per lesson and the lesson to go on with. Pure (storage is read by the callers), so the
// sidebar's marks (sidebar-marks.ts, inlined in every page) and the home page's course map
// (course-map.ts) show the same thing.

/** A lesson as the page knows it: its id and its step ids, in course order. */
export interface CourseLesson {
  id: string;
  steps: readonly string[];
  /** Those of `steps` that are optional (Lesson step `optional`): never needed to finish the lesson. */
  optional?: readonly string[];
}

/** How far a lesson is: its required steps done of all required, and the optional ones apart. */
export interface StepCounts {
  done: number;
  total: number;
  optionalDone: number;
  optionalTotal: number;
}

/**
 * Counts a lesson's done steps, optional ones apart, so an optional step left undone never
 * counts against the learner and one done never makes up for a required one. Step ids kept
 * from an older version of the lesson do not count.
 */
export function stepCounts(steps: readonly string[], optional: readonly string[] | undefined, done: ReadonlySet<string>): StepCounts {
  const extra = new Set(optional ?? []);
  const counts: StepCounts = { done: 0, total: 0, optionalDone: 0, optionalTotal: 0 };
  for (const id of steps) {
    if (extra.has(id)) {
      counts.optionalTotal++;
      if (done.has(id)) counts.optionalDone++;
    } else {
      counts.total++;
      if (done.has(id)) counts.done++;
    }
  }
  return counts;
}

export type LessonState =
  /** Nothing done yet (or, without steps, not opened yet). */
  | { kind: 'new'; total: number }
  /** Some of its steps are done. */
  | { kind: 'started'; done: number; total: number }
  /** Every step is done. */
  | { kind: 'finished'; total: number }
  /** A lesson without steps that the learner has been through. */
  | { kind: 'read'; total: 0 };

/**
 * Each lesson's state. A lesson with steps is finished when all its required steps are done
 * (optional ones are not counted either way; step ids kept from an older version of the
 * lesson do not count). A lesson without steps
 * (overview, inspect-service) has nothing to check, and storage keeps only the last lesson
 * opened, not every visit; so it counts as read once it is the last lesson opened or the
 * learner has gone on past it: a later lesson was opened last or has steps done. Opened and
 * left for an earlier lesson, it shows as new again: a read-only page that turns up unticked
 * costs the learner nothing, a tick on a page never seen would be a wrong claim.
 */
export function lessonStates(lessons: readonly CourseLesson[], doneOf: (id: string) => ReadonlySet<string>, last: string | undefined): LessonState[] {
  const lastAt = lessons.findIndex((l) => l.id === last);
  const counts = lessons.map((l) => stepCounts(l.steps, l.optional, doneOf(l.id)).done);
  return lessons.map((l, i) => {
    const total = stepCounts(l.steps, l.optional, new Set()).total;
    if (total === 0) {
      const passed = lastAt >= i || counts.slice(i + 1).some((n) => n > 0);
      return passed ? { kind: 'read', total: 0 } : { kind: 'new', total };
    }
    const done = counts[i]!;
    if (done === total) return { kind: 'finished', total };
    return done > 0 ? { kind: 'started', done, total } : { kind: 'new', total };
  });
}

export const isComplete = (s: LessonState): boolean => s.kind === 'finished' || s.kind === 'read';

/**
 * Where "continue" goes: `start` (nothing stored: the first lesson), `continue` (the last
 * lesson opened while it is not complete, else the first incomplete lesson after it, else the
 * first incomplete one) or `review` (every lesson complete: back to the first).
 */
export function continueTarget(
  lessons: readonly CourseLesson[],
  states: readonly LessonState[],
  last: string | undefined,
): { kind: 'start' | 'continue' | 'review'; index: number } {
  const lastAt = lessons.findIndex((l) => l.id === last);
  const anything = lastAt >= 0 || states.some((s) => s.kind !== 'new');
  if (!anything) return { kind: 'start', index: 0 };
  if (lastAt >= 0 && !isComplete(states[lastAt]!)) return { kind: 'continue', index: lastAt };
  const after = states.findIndex((s, i) => i > lastAt && !isComplete(s));
  if (after >= 0) return { kind: 'continue', index: after };
  const first = states.findIndex((s) => !isComplete(s));
  return first >= 0 ? { kind: 'continue', index: first } : { kind: 'review', index: 0 };
}

/** Fills a localized text's {name} placeholders. */
export const fill = (text: string, params: Record<string, string | number>): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
