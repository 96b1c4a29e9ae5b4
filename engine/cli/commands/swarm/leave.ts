// docker swarm leave: the daemon refuses managers without --force.
import type { CommandDef } from '../../command.js';

export const swarmLeaveCommand: CommandDef = {
  name: 'leave',
  usage: '[OPTIONS]',
  short: 'Leave the swarm',
  args: { max: 0 },
  flags: [{ name: 'force', short: 'f', kind: 'bool', usage: 'Force this node to leave the swarm, ignoring warnings' }],
  async run(ctx, inv) {
    await ctx.api.swarmLeave(inv.flags.bool('force'));
    ctx.stdout.write('Node left the swarm.\n');
    return 0;
  },
};
