// docker service inspect
import type { Service } from '../../../api/types.js';
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { inspectJson } from '../../format/json.js';
import { TemplateInspector } from '../../format/template-inspector.js';
import { errorText, isNotFound } from '../../daemon-error.js';
import { INSPECT_FLAGS } from './flag-defs.js';
import { prettyService } from './pretty.js';

export const inspectCommand: CommandDef = {
  name: 'inspect',
  usage: '[OPTIONS] SERVICE [SERVICE...]',
  short: 'Display detailed information on one or more services',
  args: { min: 1 },
  flags: INSPECT_FLAGS,
  async run(ctx, { args, flags }) {
    const pretty = flags.bool('pretty');
    let format = flags.string('format');
    if (pretty && format !== '') throw new CliError('--format is incompatible with human friendly format');
    if (format === 'json') format = '';

    // A --format template is parsed before any service is fetched (a parse error ends it).
    const inspector = !pretty && format !== '' ? new TemplateInspector(format, 'swarm.Service') : undefined;
    const found: Service[] = [];
    const errors: string[] = [];
    for (const ref of args) {
      let service: Service;
      try {
        // Like docker, ask the daemon to fill in defaults for unset fields.
        service = await ctx.api.serviceInspect(ref, { insertDefaults: true });
      } catch (e) {
        const text = isNotFound(e) ? `Error: no such service: ${ref}` : errorText(e);
        // --pretty renders into a buffer and stops at the first failure, printing nothing.
        if (pretty) throw new CliError(text);
        errors.push(text);
        continue;
      }
      found.push(service);
      const failed = inspector?.inspect(service);
      if (failed !== undefined) errors.push(failed);
    }
    if (inspector) {
      ctx.stdout.write(inspector.flush());
    } else if (pretty) {
      ctx.stdout.write(found.map((s) => prettyService(s, ctx.clock.now())).join(''));
    } else {
      // The JSON array is printed even when some (or all) services were not found.
      ctx.stdout.write(inspectJson(found));
    }
    if (errors.length > 0) throw new CliError(errors.join('\n'));
    return 0;
  },
};
