// When a lesson step counts as done. A check only says what the swarm looks like now; a step
// is done by what the learner does in this lesson, so:
//  - a step whose check already passes when the lesson starts is not "armed": it counts only
//    once its check has failed in this lesson (drain-node's "worker1 active" passes before
//    the drain) or the learner ran one of the step's own commands;
//  - steps complete in order: a step waits for every required step before it (an optional
//    step left undone holds nothing back: the lesson never needs it);
//  - a step observed done stays done (later steps change what its check looks at).
// Pure: the page feeds it check results and the lines the learner ran.

export interface StepResultLike {
  stepId: string;
  ok: boolean;
}

export interface StepTrackerState {
  done: string[];
  armed: string[];
  /** Steps one of whose commands the learner ran in this lesson (they may still converge). */
  ran: string[];
}

export class StepTracker {
  readonly done: Set<string>;
  private readonly armed = new Set<string>();
  private readonly ran = new Set<string>();
  private started = false;
  private readonly optional: ReadonlySet<string>;

  constructor(
    readonly stepIds: readonly string[],
    done: Iterable<string>,
    state?: Partial<StepTrackerState>,
    /** The optional steps among stepIds (Lesson step `optional`). */
    optional: Iterable<string> = [],
  ) {
    this.done = new Set(done);
    this.optional = new Set(optional);
    for (const id of state?.armed ?? []) if (stepIds.includes(id)) this.armed.add(id);
    for (const id of state?.ran ?? []) if (stepIds.includes(id)) this.ran.add(id);
    if (state?.armed) this.started = true;
  }

  /**
   * The swarm as the lesson starts: a step failing now will count once it passes; one
   * passing already does not (it was done before this lesson, or by nothing at all).
   */
  baseline(results: readonly StepResultLike[]): void {
    this.started = true;
    for (const r of results) if (!r.ok) this.armed.add(r.stepId);
  }

  /** The learner ran a command of this step (a Run block under it, or a solution line). */
  ranCommandOf(stepId: string): void {
    if (!this.stepIds.includes(stepId)) return;
    this.ran.add(stepId);
    this.armed.add(stepId);
  }

  /** Whether a command of this step was run and the step is not done yet: it is converging. */
  inProgress(stepId: string): boolean {
    return this.ran.has(stepId) && !this.done.has(stepId);
  }

  /** Takes a round of check results; returns the steps that became done, in order. */
  observe(results: readonly StepResultLike[]): string[] {
    if (!this.started) this.baseline(results);
    const ok = new Map(results.map((r) => [r.stepId, r.ok]));
    for (const [id, passed] of ok) if (!passed) this.armed.add(id);
    const now: string[] = [];
    let before = true; // every earlier step is done
    for (const id of this.stepIds) {
      if (this.done.has(id)) continue;
      if (before && ok.get(id) === true && this.armed.has(id)) {
        this.done.add(id);
        now.push(id);
        continue;
      }
      if (!this.optional.has(id)) before = false;
    }
    return now;
  }

  /** The earlier steps, not done yet, whose commands the learner ran: what a later Run waits for. */
  converging(stepId: string): string[] {
    const at = this.stepIds.indexOf(stepId);
    return this.stepIds.slice(0, Math.max(0, at)).filter((id) => this.inProgress(id));
  }

  state(): StepTrackerState {
    return { done: [...this.done], armed: [...this.armed], ran: [...this.ran] };
  }
}

/** Collapses runs of white space, so a line typed with extra spaces still matches its block. */
const squash = (s: string): string => s.trim().replace(/\s+/g, ' ');

/**
 * Whether a typed line is this command: the same words, where a `$NAME` placeholder (the
 * join token) stands for any one word.
 */
export function sameCommand(typed: string, command: string): boolean {
  const parts = squash(command)
    .split(/(\$[A-Z_][A-Z0-9_]*)/)
    .map((p, i) => (i % 2 === 1 ? '\\S+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('')}$`).test(squash(typed));
}
