// docker swarm join-token (worker|manager): print (or rotate) a join token.
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { joinCommandText } from './join-command.js';

export const swarmJoinTokenCommand: CommandDef = {
  name: 'join-token',
  usage: '[OPTIONS] (worker|manager)',
  short: 'Manage join tokens',
  args: { min: 1, max: 1 },
  flags: [
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display token' },
    { name: 'rotate', kind: 'bool', usage: 'Rotate join token' },
  ],
  async run(ctx, inv) {
    const role = inv.args[0] as string;
    if (role !== 'worker' && role !== 'manager') throw new CliError(`unknown role ${role}`);
    if (inv.flags.bool('rotate')) {
      const swarm = await ctx.api.swarmInspect();
      await ctx.api.swarmUpdate(swarm.Version.Index, swarm.Spec, {
        rotateWorkerToken: role === 'worker',
        rotateManagerToken: role === 'manager',
      });
      if (!inv.flags.bool('quiet')) ctx.stdout.write(`Successfully rotated ${role} join token.\n\n`);
    }
    if (inv.flags.bool('quiet')) {
      const swarm = await ctx.api.swarmInspect();
      ctx.stdout.write((role === 'worker' ? swarm.JoinTokens.Worker : swarm.JoinTokens.Manager) + '\n');
      return 0;
    }
    ctx.stdout.write(await joinCommandText(ctx.api, role));
    return 0;
  },
};
