// docker service rollback: a server-side rollback to PreviousSpec.
import type { CommandDef } from '../../command.js';
import { waitOnService } from '../../progress/service-progress.js';
import { ROLLBACK_FLAGS } from './flag-defs.js';

export const rollbackCommand: CommandDef = {
  name: 'rollback',
  usage: '[OPTIONS] SERVICE',
  short: "Revert changes to a service's configuration",
  args: { min: 1, max: 1 },
  flags: ROLLBACK_FLAGS,
  async run(ctx, { args, flags }) {
    const ref = args[0] ?? '';
    const service = await ctx.api.serviceInspect(ref);
    const response = await ctx.api.serviceUpdate(service.ID, service.Version.Index, service.Spec, { rollback: 'previous' });
    for (const w of response.Warnings ?? []) ctx.stderr.write(w + '\n');
    ctx.stdout.write(ref + '\n');
    if (flags.bool('detach')) return 0;
    await waitOnService(ctx, ref, flags.bool('quiet'));
    return 0;
  },
};
