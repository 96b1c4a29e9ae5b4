// docker node ps: the tasks on one or more nodes (default: the connected node).
import type { Task } from '../../../api/types.js';
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { errorText } from '../../daemon-error.js';
import { toFilters } from '../../format/filters.js';
import { printTasks, TASK_PS_FLAGS } from '../task-ps.js';
import { nodeReference } from './resolve.js';

export const nodePsCommand: CommandDef = {
  name: 'ps',
  usage: '[OPTIONS] [NODE...]',
  short: 'List tasks running on one or more nodes, defaults to current node',
  flags: TASK_PS_FLAGS,
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
        errors.push(errorText(e));
      }
    }
    if (errors.length === 0 || tasks.length > 0) await printTasks(ctx, tasks, inv.flags, { quietFullIds: false });
    if (errors.length > 0) throw new CliError(errors.join('\n'));
    return 0;
  },
};
