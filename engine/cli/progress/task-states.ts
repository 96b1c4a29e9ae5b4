// The task-state numbering docker/cli's progress display uses for ordering and bar fill.
import type { TaskState } from '../../api/types.js';

/** numberedStates; states missing here (remove, orphaned) count as 0 and are ignored. */
const NUMBERED: Partial<Record<TaskState | 'allocated', number>> = {
  new: 1,
  allocated: 2,
  pending: 3,
  assigned: 4,
  accepted: 5,
  preparing: 6,
  ready: 7,
  starting: 8,
  running: 9,
  complete: 10,
  shutdown: 11,
  failed: 12,
  rejected: 13,
};

export const MAX_PROGRESS = 9;
/** Above this many replicas/nodes no per-task lines are drawn. */
export const MAX_PROGRESS_BARS = 20;
/** Longest non-terminal state name ("preparing"): states are padded to it. */
export const LONGEST_STATE = 9;

export const stateNumber = (s: string): number => NUMBERED[s as TaskState] ?? 0;
export const isTerminal = (s: string): boolean => stateNumber(s) > stateNumber('running');

const utf8Length = (ch: string): number => {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
};

/** truncError: newlines become spaces, more than 75 bytes become the first 74 bytes + "…". */
export function truncError(message: string): string {
  const flat = message.replaceAll('\n', ' ');
  let bytes = 0;
  for (const ch of flat) bytes += utf8Length(ch);
  if (bytes <= 75) return flat;
  let out = '';
  let used = 0;
  for (const ch of flat) {
    // Go cuts bytes; a rune that would straddle the cut is left out here.
    if (used + utf8Length(ch) > 74) break;
    out += ch;
    used += utf8Length(ch);
  }
  return out + '…';
}
