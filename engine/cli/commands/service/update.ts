// docker service update
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { waitOnService } from '../../progress/service-progress.js';
import { UPDATE_FLAGS } from './flag-defs.js';
import { validatePlacementPref } from './placement-prefs.js';
import { validatePublish } from './ports.js';
import { resolveSpecImage, tagSpecImage } from './resolve-image.js';
import { mergeFlagsIntoSpec } from './spec-from-flags.js';

/** Flags that may accompany --rollback. */
const ROLLBACK_COMPANIONS = new Set(['rollback', 'detach', 'quiet']);

export const updateCommand: CommandDef = {
  name: 'update',
  usage: '[OPTIONS] SERVICE',
  short: 'Update a service',
  args: { min: 1, max: 1 },
  flags: UPDATE_FLAGS.map((f) =>
    f.name === 'publish-add' || f.name === 'publish-rm'
      ? { ...f, validate: validatePublish }
      : f.name === 'placement-pref-add' || f.name === 'placement-pref-rm'
        ? { ...f, validate: validatePlacementPref }
        : f,
  ),
  async run(ctx, { args, flags }) {
    const ref = args[0] ?? '';
    const service = await ctx.api.serviceInspect(ref);
    const rollback = flags.bool('rollback');
    if (rollback && UPDATE_FLAGS.some((f) => !ROLLBACK_COMPANIONS.has(f.name) && flags.changed(f.name))) {
      throw new CliError('other flags may not be combined with --rollback');
    }
    const spec = mergeFlagsIntoSpec(service.Spec, flags);
    // The Go client tags the image on every update; it asks the registry only for a new --image.
    tagSpecImage(spec);
    const digestWarning =
      flags.changed('image') && !flags.bool('no-resolve-image') ? await resolveSpecImage(ctx.api, spec) : undefined;
    const response = await ctx.api.serviceUpdate(
      service.ID,
      service.Version.Index,
      spec,
      rollback ? { rollback: 'previous', registryAuthFrom: 'spec' } : { registryAuthFrom: 'spec' },
    );
    const warnings = [...(response.Warnings ?? []), ...(digestWarning !== undefined ? [digestWarning] : [])];
    for (const w of warnings) ctx.stderr.write(w + '\n');
    ctx.stdout.write(ref + '\n');
    if (flags.bool('detach')) return 0;
    await waitOnService(ctx, ref, flags.bool('quiet'));
    return 0;
  },
};
