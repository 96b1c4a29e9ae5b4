// The task list shared by `docker node ps` and `docker service ps` (docker/cli task.Print and
// its taskContext): rows sorted by task name (natural) and newest first within a slot, history
// rows prefixed ` \_ ` in table formats only, ages lowercase, errors quoted and cut to 30 cells.
import type { Task } from '../../api/types.js';
import type { IdNames } from '../id-resolver.js';
import { agoLowercase } from './human-duration.js';
import { truncateId } from './ids.js';
import { displayImage } from './image-ref.js';
import { isTableFormat, renderList, resolveListFormat } from './list-format.js';
import { naturalCompare } from './natural-sort.js';
import { ellipsis } from './table.js';
import { capitalizeFirst, timestampMs } from './time.js';

export interface TaskTableOptions {
  now: number;
  /** Cut IDs, images and errors (the commands pass !--no-trunc, service ps also !-q). */
  trunc: boolean;
  quiet: boolean;
  /** The user's --format ('' when not given). */
  format: string;
  names: IdNames;
}

const DEFAULT_TABLE =
  'table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}';
const RAW = {
  full: 'id: {{.ID}}\nname: {{.Name}}\nimage: {{.Image}}\nnode: {{.Node}}\ndesired_state: {{.DesiredState}}\ncurrent_state: {{.CurrentState}}\nerror: {{.Error}}\nports: {{.Ports}}\n',
  quiet: 'id: {{.ID}}',
};
const HEADERS = {
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

/** command.PrettyPrint: first letter upper, the rest lower. */
const prettyState = (s: string): string => capitalizeFirst(s.toLowerCase());

/** `<service>.<slot>`, or `<service>.<node ID>` for a global service's task. */
function taskName(task: Task, names: IdNames): string {
  const service = names.service(task.ServiceID);
  return task.Slot ? `${service}.${task.Slot}` : `${service}.${task.NodeID ?? ''}`;
}

export function renderTaskTable(tasks: readonly Task[], opts: TaskTableOptions): string {
  const named = tasks.map((task) => ({ task, name: taskName(task, opts.names), created: timestampMs(task.CreatedAt) }));
  // Array.prototype.sort is stable, as sort.Stable in task.Print.
  named.sort((a, b) => naturalCompare(a.name, b.name) || b.created - a.created);
  const spec = { format: opts.format, quiet: opts.quiet, defaultTable: DEFAULT_TABLE, raw: RAW };
  const indent = isTableFormat(resolveListFormat(spec)) ? ' \\_ ' : '';
  let prev = '';
  const rows = named.map(({ task, name }) => {
    const shown = name === prev ? indent + name : name;
    prev = name;
    const image = task.Spec.ContainerSpec.Image;
    const err = opts.trunc ? ellipsis(task.Status.Err ?? '', MAX_ERROR) : (task.Status.Err ?? '');
    return {
      ID: opts.trunc ? truncateId(task.ID) : task.ID,
      Name: shown,
      Image: opts.trunc ? displayImage(image) : image,
      Node: opts.names.node(task.NodeID),
      DesiredState: prettyState(task.DesiredState),
      CurrentState: `${prettyState(task.Status.State)} ${agoLowercase(opts.now - timestampMs(task.Status.Timestamp))}`,
      Error: err === '' ? '' : `"${err}"`,
      Ports: '',
    };
  });
  return renderList({ ...spec, rows, headers: HEADERS, typeName: '*task.taskContext' });
}
