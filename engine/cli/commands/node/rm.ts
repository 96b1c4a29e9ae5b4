// docker node rm: remove nodes from the swarm. The API contract has no node delete yet,
// so this reports what the daemon would refuse and otherwise explains the limitation.
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { ApiError } from '../../../api/swarm-api.js';

export const nodeRmCommand: CommandDef = {
  name: 'rm',
  aliases: ['remove'],
  usage: '[OPTIONS] NODE [NODE...]',
  short: 'Remove one or more nodes from the swarm',
  args: { min: 1 },
  flags: [{ name: 'force', short: 'f', kind: 'bool', usage: 'Force remove a node from the swarm' }],
  async run(ctx, inv) {
    const errors: string[] = [];
    for (const ref of inv.args) {
      try {
        const node = await ctx.api.nodeInspect(ref);
        if (node.ManagerStatus && !inv.flags.bool('force')) {
          throw new ApiError(
            400,
            `rpc error: code = FailedPrecondition desc = node ${node.ID} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`,
          );
        }
        const remove = ctx.api.nodeRemove;
        if (!remove) throw new CliError(`docker node rm: not available in Swarm Lab yet`);
        await remove.call(ctx.api, node.ID, inv.flags.bool('force'));
        ctx.stdout.write(`${ref}\n`);
      } catch (e) {
        errors.push(e instanceof ApiError ? `Error response from daemon: ${e.message}` : e instanceof Error ? e.message : String(e));
      }
    }
    if (errors.length > 0) throw new CliError(errors.join('\n'));
    return 0;
  },
};
