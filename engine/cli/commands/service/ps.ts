// docker service ps
import type { SwarmApi } from '../../../api/swarm-api.js';
import type { Filters } from '../../../api/types.js';
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { toFilters } from '../../format/filters.js';
import { nodeReference } from '../node/resolve.js';
import { printTasks, TASK_PS_FLAGS } from '../task-ps.js';

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

export const psCommand: CommandDef = {
  name: 'ps',
  usage: '[OPTIONS] SERVICE [SERVICE...]',
  short: 'List the tasks of one or more services',
  args: { min: 1 },
  flags: TASK_PS_FLAGS,
  async run(ctx, { args, flags }) {
    const { api } = ctx;
    const filter = toFilters(flags.list('filter'));
    const notFound = await serviceFilter(api, args, filter);
    // updateNodeFilter: `-f node=self` means the node this CLI talks to.
    if (filter['node']) filter['node'] = await Promise.all(filter['node'].map((n) => nodeReference(api, n)));
    await printTasks(ctx, await api.taskList(filter), flags, { quietFullIds: true });
    if (notFound.length > 0) throw new CliError(notFound.join('\n'));
    return 0;
  },
};
