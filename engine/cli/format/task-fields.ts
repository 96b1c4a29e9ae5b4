// What docker/cli's task.Print works out for each task before it formats a row: the name it
// prints (`redis.2`, or `<service>.<node ID>` for a global task), the order of the rows and
// which of them are history (printed under ` \_ `), the ERROR cell and the state words.
// The task table (`docker service ps`, `docker node ps`) and the swarm view (engine/view/)
// both take them from here, so the view cannot name, order or quote a task differently from
// the terminal. Imports nothing of the CLI's templates: the view loads without them.
import type { Task } from '../../api/types.js';
import { naturalCompare } from './natural-sort.js';
import { ellipsis } from './table.js';
import { capitalizeFirst, timestampMs } from './time.js';

/** The ERROR column's width: errors are cut to 30 cells unless --no-trunc. */
export const MAX_ERROR_CELLS = 30;

/** command.PrettyPrint: first letter upper, the rest lower ("Running", "Shutdown"). */
export const prettyState = (s: string): string => capitalizeFirst(s.toLowerCase());

/** `<service>.<slot>`, or `<service>.<node ID>` for a global service's task (slot 0). */
export function taskName(task: Task, serviceName: (id: string) => string): string {
  const service = serviceName(task.ServiceID);
  return task.Slot ? `${service}.${task.Slot}` : `${service}.${task.NodeID ?? ''}`;
}

export interface OrderedTask {
  task: Task;
  name: string;
  /** An older task of the same name: the table prints it as ` \_ name`. */
  history: boolean;
}

/**
 * The rows of task.Print in order: by name (natural), newest first within a name; every
 * row after the first of its name is history. Array.prototype.sort is stable, as sort.Stable.
 */
export function orderTasks(tasks: readonly Task[], serviceName: (id: string) => string): OrderedTask[] {
  const named = tasks.map((task) => ({ task, name: taskName(task, serviceName), created: createdMs(task) }));
  named.sort((a, b) => naturalCompare(a.name, b.name) || b.created - a.created);
  let prev: string | undefined;
  return named.map(({ task, name }) => {
    const history = name === prev;
    prev = name;
    return { task, name, history };
  });
}

const createdMs = (task: Task): number => {
  try {
    return timestampMs(task.CreatedAt);
  } catch {
    return 0; // a task without a readable CreatedAt sorts as the oldest of its name
  }
};

/** The ERROR cell: the task's error quoted, cut to 30 cells unless `trunc` is false; '' without one. */
export function errorCell(err: string | undefined, trunc: boolean): string {
  const e = trunc ? ellipsis(err ?? '', MAX_ERROR_CELLS) : (err ?? '');
  return e === '' ? '' : `"${e}"`;
}
