// The task table shared by `docker node ps` and `docker service ps` (docker/cli task.Print):
// rows sorted by task name (natural) and newest first within a slot, history rows
// prefixed ` \_ `, ages lowercase, errors quoted and cut to 30 cells.
import type { Task } from '../../api/types.js';
import { agoLowercase } from './human-duration.js';
import { displayImage } from './image-ref.js';
import { renderList } from './list-format.js';
import { naturalLess } from './natural-sort.js';
import { ellipsis } from './table.js';
import { capitalizeFirst, timestampMs } from './time.js';

export interface TaskTableOptions {
  now: number;
  /** Service ID → name; missing IDs print the ID. */
  serviceNames: ReadonlyMap<string, string>;
  /** Node ID → hostname; missing IDs print the ID. */
  nodeNames: ReadonlyMap<string, string>;
  noTrunc: boolean;
  noResolve: boolean;
  quiet: boolean;
  format: string;
}

export const DEFAULT_TASK_TABLE =
  'table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}';

const TASK_HEADERS = {
  ID: 'ID',
  Name: 'NAME',
  Image: 'IMAGE',
  Node: 'NODE',
  DesiredState: 'DESIRED STATE',
  CurrentState: 'CURRENT STATE',
  Error: 'ERROR',
  Ports: 'PORTS',
};

const MAX_ERROR = 30;

function taskName(task: Task, opts: TaskTableOptions): string {
  const service = opts.noResolve ? task.ServiceID : (opts.serviceNames.get(task.ServiceID) ?? task.ServiceID);
  if (task.Slot !== undefined && task.Slot !== 0) return `${service}.${task.Slot}`;
  return `${service}.${task.NodeID ?? ''}`;
}

export function renderTaskTable(tasks: readonly Task[], opts: TaskTableOptions): string {
  const named = tasks.map((t) => ({ task: t, name: taskName(t, opts) }));
  named.sort((a, b) => {
    if (a.name !== b.name) return naturalLess(a.name, b.name) ? -1 : 1;
    return timestampMs(b.task.CreatedAt) - timestampMs(a.task.CreatedAt);
  });
  if (opts.quiet) return named.map(({ task }) => task.ID + '\n').join('');
  let prev = '';
  const rows = named.map(({ task, name }) => {
    const indented = name === prev ? ` \\_ ${name}` : name;
    prev = name;
    const err = task.Status.Err ?? '';
    const node = task.NodeID ? (opts.noResolve ? task.NodeID : (opts.nodeNames.get(task.NodeID) ?? task.NodeID)) : '';
    return {
      ID: opts.noTrunc ? task.ID : task.ID.slice(0, 12),
      Name: indented,
      Image: opts.noTrunc ? task.Spec.ContainerSpec.Image : displayImage(task.Spec.ContainerSpec.Image),
      Node: node,
      DesiredState: capitalizeFirst(task.DesiredState),
      CurrentState: `${capitalizeFirst(task.Status.State)} ${agoLowercase(opts.now - timestampMs(task.Status.Timestamp))}`,
      Error: err === '' ? '' : `"${opts.noTrunc ? err : ellipsis(err, MAX_ERROR)}"`,
      Ports: '',
    };
  });
  return renderList({ format: opts.format, defaultTable: DEFAULT_TASK_TABLE, rows, headers: TASK_HEADERS, typeName: 'task.taskContext' });
}
