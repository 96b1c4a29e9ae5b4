// docker service create
import type { CommandDef } from '../../command.js';
import { waitOnService } from '../../progress/service-progress.js';
import { CREATE_FLAGS } from './flag-defs.js';
import { validatePlacementPref } from './placement-prefs.js';
import { validatePublish } from './ports.js';
import { resolveSpecImage, tagSpecImage } from './resolve-image.js';
import { specFromFlags } from './spec-from-flags.js';

export const createCommand: CommandDef = {
  name: 'create',
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create a new service',
  args: { min: 1 },
  // Flags after IMAGE belong to the container command.
  interspersed: false,
  flags: CREATE_FLAGS.map((f) =>
    f.name === 'publish' ? { ...f, validate: validatePublish } : f.name === 'placement-pref' ? { ...f, validate: validatePlacementPref } : f,
  ),
  async run(ctx, { args, flags }) {
    const [image = '', ...command] = args;
    const spec = specFromFlags(flags, image, command);
    tagSpecImage(spec);
    const warnings: string[] = [];
    const digestWarning = flags.bool('no-resolve-image') ? undefined : await resolveSpecImage(ctx.api, spec);
    const response = await ctx.api.serviceCreate(spec);
    warnings.push(...(response.Warnings ?? []));
    if (digestWarning !== undefined) warnings.push(digestWarning);
    for (const w of warnings) ctx.stderr.write(w + '\n');
    ctx.stdout.write(response.ID + '\n');
    if (flags.bool('detach')) return 0;
    await waitOnService(ctx, response.ID, flags.bool('quiet'));
    return 0;
  },
};
