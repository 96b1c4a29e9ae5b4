// The `lab` builtin's words (engine/shell/shell.ts), apart from the shell so the page's swarm
// view can write the line it injects without loading the shell.
import type { InjectionKind } from '../sim/faults.js';

/**
 * The `lab` line that injects `kind` on `target` (what the swarm view's menus run, as if
 * typed): the target is quoted as the shell reads it back when it has anything but name
 * characters. A kind that is not one throws.
 */
export function labLine(kind: InjectionKind, target: string): string {
  const words = Object.entries(LAB_COMMANDS).find(([, k]) => k === kind)?.[0];
  if (words === undefined) throw new RangeError(`not an injection: ${String(kind)}`);
  const quoted = /^[A-Za-z0-9._-]+$/.test(target) ? target : `'${target.replace(/'/g, `'\\''`)}'`;
  return `lab ${words} ${quoted}`;
}

/** `lab node stop|start NODE`, `lab task kill TASK`: the words before the target. */
export const LAB_COMMANDS: Record<string, InjectionKind> = {
  'node stop': 'node-stop',
  'node start': 'node-start',
  'task kill': 'task-kill',
};

