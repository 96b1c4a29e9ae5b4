// docker node ps: the tasks on one or more nodes (default: the connected node).
import type { Task } from '../../../api/types.js';
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { isApiError } from '../../../api/swarm-api.js';
import { toFilters } from '../../format/filters.js';
import { renderTaskTable } from '../../format/task-table.js';
import { nodeReference } from './resolve.js';

export const nodePsCommand: CommandDef = {
  name: 'ps',
  usage: '[OPTIONS] [NODE...]',
  short: 'List tasks running on one or more nodes, defaults to current node',
  flags: [
    { name: 'filter', short: 'f', kind: 'filter', usage: 'Filter output based on conditions provided' },
    { name: 'format', kind: 'string', usage: 'Pretty-print tasks using a Go template' },
    { name: 'no-resolve', kind: 'bool', usage: 'Do not map IDs to Names' },
    { name: 'no-trunc', kind: 'bool', usage: 'Do not truncate output' },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display task IDs' },
  ],
  async run(ctx, inv) {
    const refs = inv.args.length > 0 ? inv.args : ['self'];
    const tasks: Task[] = [];
    const errors: string[] = [];
    for (const ref of refs) {
      try {
        const node = await ctx.api.nodeInspect(await nodeReference(ctx.api, ref));
        const filters = { ...toFilters(inv.flags.list('filter')), node: [node.ID] };
        tasks.push(...(await ctx.api.taskList(filters)));
      } catch (e) {
        errors.push(isApiError(e) ? `Error response from daemon: ${e.message}` : e instanceof Error ? e.message : String(e));
      }
    }
    if (errors.length === 0 || tasks.length > 0) {
      const [services, nodes] = await Promise.all([ctx.api.serviceList(), ctx.api.nodeList()]);
      const quiet = inv.flags.bool('quiet');
      ctx.stdout.write(
        renderTaskTable(tasks, {
          now: ctx.clock.now(),
          serviceNames: new Map(services.map((s) => [s.ID, s.Spec.Name])),
          nodeNames: new Map(nodes.map((n) => [n.ID, n.Description.Hostname])),
          noTrunc: inv.flags.bool('no-trunc') || quiet,
          noResolve: inv.flags.bool('no-resolve'),
          quiet,
          format: inv.flags.string('format'),
        }),
      );
    }
    if (errors.length > 0) throw new CliError(errors.join('\n'));
    return 0;
  },
};
