// Undo and redo of the learner's commands, on the swarm's recipe (engine/journal.ts): the
// simulator is deterministic, so the swarm as it was just before a command is the journal's
// entries up to that command replayed into a fresh simulator and run on to the instant the
// command began — the same IDs, times and states, exactly (learnGitBranching's undo, without
// keeping a copy of every state). This module keeps only the marks; Session.rewind does the
// replay.
import type { JournalEntry } from './journal.js';

/** Where a command that changed the swarm began. */
export interface UndoMark {
  /** Journal entries before the command (its writes are the entries from here on). */
  entries: number;
  /** Virtual time when it began. */
  at: number;
  /** The line, as typed (said back by `undo`). */
  line: string;
}

/** An undone command, to redo: the recipe as it was when undo was asked, and that instant. */
interface RedoPoint {
  mark: UndoMark;
  entries: JournalEntry[];
  at: number;
}

/** Most commands `undo` can go back over (the marks are small; the replay is what costs). */
export const MAX_UNDO = 200;

export class UndoHistory {
  private readonly marks: UndoMark[] = [];
  private readonly redos: RedoPoint[] = [];

  /** The marks, oldest first (saved with the swarm, so undo works after a reload). */
  get saved(): readonly UndoMark[] {
    return this.marks;
  }

  get canUndo(): boolean {
    return this.marks.length > 0;
  }

  get canRedo(): boolean {
    return this.redos.length > 0;
  }

  /** A command that changed the swarm ended: it can be undone; what was undone before is gone. */
  record(mark: UndoMark): void {
    this.marks.push(mark);
    if (this.marks.length > MAX_UNDO) this.marks.splice(0, this.marks.length - MAX_UNDO);
    this.redos.length = 0;
  }

  /** Forgets every mark (a lesson's start state is not the learner's to undo). */
  clear(): void {
    this.marks.length = 0;
    this.redos.length = 0;
  }

  /** Takes back marks saved with a swarm of `entries` journal entries (bad ones are dropped). */
  restore(marks: readonly UndoMark[], entries: number): void {
    this.clear();
    let last = -1;
    for (const m of marks) {
      if (m.entries < last || m.entries > entries) continue;
      this.marks.push({ ...m });
      last = m.entries;
    }
  }

  /**
   * The last command to undo, with what `redo` needs to come back (the recipe as it is now and
   * the instant): the caller rewinds to `mark` and then calls `undone`.
   */
  peekUndo(): UndoMark | undefined {
    return this.marks[this.marks.length - 1];
  }

  undone(entries: readonly JournalEntry[], at: number): void {
    const mark = this.marks.pop();
    if (mark) this.redos.push({ mark, entries: [...entries], at });
  }

  peekRedo(): RedoPoint | undefined {
    return this.redos[this.redos.length - 1];
  }

  redone(): void {
    const point = this.redos.pop();
    if (point) this.marks.push(point.mark);
  }
}

export const isUndoMark = (v: unknown): v is UndoMark => {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return (
    Number.isInteger(m['entries']) &&
    (m['entries'] as number) >= 0 &&
    typeof m['at'] === 'number' &&
    Number.isFinite(m['at']) &&
    (m['at'] as number) >= 0 &&
    typeof m['line'] === 'string'
  );
};
