// docker node rm: remove nodes from the swarm. The daemon decides what may go (a manager
// must be demoted first, a live worker needs --force); errors are reported per node.
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { errorText } from '../../daemon-error.js';

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
        await ctx.api.nodeRemove(node.ID, inv.flags.bool('force'));
        ctx.stdout.write(`${ref}\n`);
      } catch (e) {
        errors.push(errorText(e));
      }
    }
    if (errors.length > 0) throw new CliError(errors.join('\n'));
    return 0;
  },
};
