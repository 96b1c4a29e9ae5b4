// docker service rm: removes each service in turn, reporting failures at the end.
import type { CommandDef } from '../../command.js';
import { errorText, joinedError } from '../../daemon-error.js';

export const rmCommand: CommandDef = {
  name: 'rm',
  aliases: ['remove'],
  usage: 'SERVICE [SERVICE...]',
  short: 'Remove one or more services',
  args: { min: 1 },
  flags: [],
  async run(ctx, { args }) {
    const errors: string[] = [];
    for (const ref of args) {
      try {
        await ctx.api.serviceDelete(ref);
      } catch (e) {
        errors.push(errorText(e));
        continue;
      }
      ctx.stdout.write(ref + '\n');
    }
    const err = joinedError(errors);
    if (err) throw err;
    return 0;
  },
};
