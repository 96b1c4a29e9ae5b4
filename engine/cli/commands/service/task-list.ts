// The task table of `docker service ps` (docker/cli cli/command/task): names, sorting,
// history indentation and the per-column formatting. Also usable for `docker node ps`.
import type { Node, Task } from '../../../api/types.js';
import { agoLowercase } from '../../format/human-duration.js';
import { ellipsis, renderTable } from '../../format/table.js';
import { capitalizeFirst, timestampMs } from '../../format/time.js';
import { displayImage } from '../../format/image-ref.js';
import { naturalCompare } from '../../format/natural-sort.js';

export const TASK_TABLE_HEADER = ['ID', 'NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR', 'PORTS'];
const MAX_ERROR_LENGTH = 30;

export interface NamedTask {
  task: Task;
  /** `<service>.<slot>` or `<service>.<node ID>`. */
  name: string;
}

/** command.PrettyPrint: first letter upper, the rest lower. */
export const prettyState = (s: string): string => capitalizeFirst(s.toLowerCase());

/** formatter.TruncateID. */
export function truncateId(id: string): string {
  const colon = id.indexOf(':');
  const bare = colon >= 0 ? id.slice(colon + 1) : id;
  return bare.length > 12 ? bare.slice(0, 12) : bare;
}

/** Task names from service names (or IDs with --no-resolve), sorted by name then newest first. */
export function nameAndSortTasks(tasks: Task[], serviceName: (serviceId: string) => string): NamedTask[] {
  const named = tasks.map((task) => {
    const svc = serviceName(task.ServiceID);
    return { task, name: task.Slot ? `${svc}.${task.Slot}` : `${svc}.${task.NodeID ?? ''}` };
  });
  // A stable sort, as sort.Stable in task.Print.
  return named
    .map((t, i) => ({ t, i }))
    .sort((x, y) => {
      const byName = naturalCompare(x.t.name, y.t.name);
      if (byName !== 0) return byName;
      const byAge = timestampMs(y.t.task.CreatedAt) - timestampMs(x.t.task.CreatedAt);
      return byAge !== 0 ? byAge : x.i - y.i;
    })
    .map(({ t }) => t);
}

/** Node ID → display name (Spec.Name, else hostname, else the ID), as idresolver does. */
export function nodeNamer(nodes: Node[], noResolve: boolean): (id: string | undefined) => string {
  const byId = new Map(nodes.map((n) => [n.ID, n.Spec.Name || n.Description.Hostname || n.ID]));
  return (id) => {
    if (!id) return '';
    return noResolve ? id : (byId.get(id) ?? id);
  };
}

export interface TaskTableOptions {
  trunc: boolean;
  nowMs: number;
  nodeName: (id: string | undefined) => string;
}

/** The row cells for each task, in table column order, with ` \_ ` on history rows. */
export function taskRows(tasks: NamedTask[], opts: TaskTableOptions): string[][] {
  let prev = '';
  return tasks.map(({ task, name }) => {
    const shown = name === prev ? ` \\_ ${name}` : name;
    prev = name;
    const image = task.Spec.ContainerSpec.Image;
    let err = task.Status.Err ?? '';
    if (opts.trunc) err = ellipsis(err, MAX_ERROR_LENGTH);
    if (err !== '') err = `"${err}"`;
    return [
      opts.trunc ? truncateId(task.ID) : task.ID,
      shown,
      opts.trunc ? displayImage(image) : image,
      opts.nodeName(task.NodeID),
      prettyState(task.DesiredState),
      `${prettyState(task.Status.State)} ${agoLowercase(opts.nowMs - timestampMs(task.Status.Timestamp))}`,
      err,
      '',
    ];
  });
}

export function renderTaskTable(tasks: NamedTask[], opts: TaskTableOptions): string {
  return renderTable([TASK_TABLE_HEADER, ...taskRows(tasks, opts)]);
}
