// The task list shared by `docker node ps` and `docker service ps` (docker/cli task.Print and
// its taskContext): rows sorted by task name (natural) and newest first within a slot, history
// rows prefixed ` \_ ` in table formats only, ages lowercase, errors quoted and cut to 30 cells.
import type { Task } from '../../api/types.js';
import type { IdNames } from '../id-resolver.js';
import { agoLowercase } from './human-duration.js';
import { truncateId } from './ids.js';
import { displayImage } from './image-ref.js';
import { isTableFormat, renderList, resolveListFormat } from './list-format.js';
import { errorCell, orderTasks, prettyState } from './task-fields.js';
import { timestampMs } from './time.js';

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

/** docker/cli's taskContext.Ports: every binding the task reports, `*:published->target/proto`, joined by commas. */
export function portsCell(task: Task): string {
  const ports = task.Status.PortStatus?.Ports ?? [];
  return ports.map((p) => `*:${p.PublishedPort ?? 0}->${p.TargetPort ?? 0}/${p.Protocol ?? ''}`).join(',');
}

export function renderTaskTable(tasks: readonly Task[], opts: TaskTableOptions): string {
  const spec = { format: opts.format, quiet: opts.quiet, defaultTable: DEFAULT_TABLE, raw: RAW };
  const indent = isTableFormat(resolveListFormat(spec)) ? ' \\_ ' : '';
  const rows = orderTasks(tasks, (id) => opts.names.service(id)).map(({ task, name, history }) => {
    const shown = history ? indent + name : name;
    const image = task.Spec.ContainerSpec.Image;
    return {
      ID: opts.trunc ? truncateId(task.ID) : task.ID,
      Name: shown,
      Image: opts.trunc ? displayImage(image) : image,
      Node: opts.names.node(task.NodeID),
      DesiredState: prettyState(task.DesiredState),
      CurrentState: `${prettyState(task.Status.State)} ${agoLowercase(opts.now - timestampMs(task.Status.Timestamp))}`,
      Error: errorCell(task.Status.Err, opts.trunc),
      Ports: portsCell(task),
    };
  });
  return renderList({ ...spec, rows, headers: HEADERS, typeName: '*task.taskContext' });
}
