// docker service ps
import type { SwarmApi } from '../../../api/swarm-api.js';
import type { Filters } from '../../../api/types.js';
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { PS_FLAGS } from './flag-defs.js';
import { toFilters } from '../../format/filters.js';
import { renderListFormat } from './list-format.js';
import { nameAndSortTasks, nodeNamer, renderTaskTable, taskRows, TASK_TABLE_HEADER } from './task-list.js';

/**
 * Services named on the command line → `service` filter values, matching like docker/cli:
 * full ID, then exact name, then a unique ID prefix. Unknown ones are reported after the table.
 */
async function serviceFilter(api: SwarmApi, refs: string[], filter: Filters): Promise<string[]> {
  const byId = await api.serviceList({ filters: { id: refs } });
  const byName = await api.serviceList({ filters: { name: refs } });
  const notFound: string[] = [];
  let count = 0;
  const add = (id: string) => {
    (filter['service'] ??= []).push(id);
    count++;
  };
  for (const ref of refs) {
    const exactId = byId.find((s) => s.ID === ref);
    if (exactId) {
      add(exactId.ID);
      continue;
    }
    const exactName = byName.find((s) => s.Spec.Name === ref);
    if (exactName) {
      add(exactName.ID);
      continue;
    }
    const prefixed = byId.filter((s) => s.ID.startsWith(ref));
    if (prefixed.length > 1) throw new CliError(`multiple services found with provided prefix: ${ref}`);
    if (prefixed[0]) add(prefixed[0].ID);
    else notFound.push(`no such service: ${ref}`);
  }
  if (count === 0) throw new CliError(notFound.join('\n'));
  return notFound;
}

/** `-f node=self` means the node this CLI talks to. */
async function resolveNodeFilter(api: SwarmApi, filter: Filters): Promise<void> {
  const nodes = filter['node'];
  if (!nodes?.includes('self')) return;
  const self = (await api.info()).Swarm.NodeID;
  filter['node'] = nodes.map((n) => (n === 'self' ? self : n));
}

export const psCommand: CommandDef = {
  name: 'ps',
  usage: '[OPTIONS] SERVICE [SERVICE...]',
  short: 'List the tasks of one or more services',
  args: { min: 1 },
  flags: PS_FLAGS,
  async run(ctx, { args, flags }) {
    const { api } = ctx;
    const filter = toFilters(flags.list('filter'));
    const notFound = await serviceFilter(api, args, filter);
    await resolveNodeFilter(api, filter);
    const tasks = await api.taskList(filter);

    const quiet = flags.bool('quiet');
    const noResolve = flags.bool('no-resolve');
    // -q prints full IDs: quiet implies --no-trunc.
    const trunc = !flags.bool('no-trunc') && !quiet;
    const services = noResolve ? [] : await api.serviceList();
    const names = new Map(services.map((s) => [s.ID, s.Spec.Name]));
    const nodes = noResolve ? [] : await api.nodeList();
    const named = nameAndSortTasks(tasks, (id) => (noResolve ? id : (names.get(id) ?? id)));
    const opts = { trunc, nowMs: ctx.clock.now(), nodeName: nodeNamer(nodes, noResolve) };

    const format = flags.string('format');
    if (quiet && (format === '' || format === 'table')) {
      ctx.stdout.write(named.map((t) => `${t.task.ID}\n`).join(''));
    } else if (format !== '' && format !== 'table') {
      // Only table formats indent history rows.
      const isTable = format.startsWith('table');
      const rows = taskRows(named, opts).map((cells, i) => {
        const row: Record<string, string> = {};
        COLUMN_KEYS.forEach((k, c) => (row[k] = cells[c] ?? ''));
        if (!isTable) row['Name'] = named[i]?.name ?? '';
        return row;
      });
      ctx.stdout.write(renderListFormat(format, rows, RAW_FORMAT, COLUMN_KEYS.map((k, i) => [k, TASK_TABLE_HEADER[i] ?? ''])));
    } else {
      ctx.stdout.write(renderTaskTable(named, opts));
    }
    if (notFound.length > 0) throw new CliError(notFound.join('\n'));
    return 0;
  },
};

const COLUMN_KEYS = ['ID', 'Name', 'Image', 'Node', 'DesiredState', 'CurrentState', 'Error', 'Ports'];
const RAW_FORMAT =
  'id: {{.ID}}\nname: {{.Name}}\nimage: {{.Image}}\nnode: {{.Node}}\ndesired_state: {{.DesiredState}}\ncurrent_state: {{.CurrentState}}\nerror: {{.Error}}\nports: {{.Ports}}\n';
