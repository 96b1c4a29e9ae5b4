// docker network inspect: the daemon's JSON for each network (or a --format template over
// network.Inspect); what was not found is reported after the others print, as docker's
// inspect.Inspect does.
import type { Network } from '../../../api/types.js';
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { errorText } from '../../daemon-error.js';
import { inspectJson } from '../../format/json.js';
import { TemplateInspector } from '../../format/template-inspector.js';
import { FORMAT_INSPECT_USAGE } from '../../format/usage-texts.js';

export const networkInspectCommand: CommandDef = {
  name: 'inspect',
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  short: 'Display detailed information on one or more networks',
  args: { min: 1 },
  flags: [
    { name: 'format', short: 'f', kind: 'string', usage: FORMAT_INSPECT_USAGE },
    { name: 'verbose', short: 'v', kind: 'bool', usage: 'Verbose output for diagnostics' },
  ],
  async run(ctx, inv) {
    const format = inv.flags.string('format');
    // A template is parsed before any network is fetched (a parse error ends the command).
    const inspector = format !== '' && format !== 'json' ? new TemplateInspector(format, 'network.Inspect') : undefined;
    const found: Network[] = [];
    const errors: string[] = [];
    for (const ref of inv.args) {
      let network: Network;
      try {
        network = await ctx.api.networkInspect(ref, { verbose: inv.flags.bool('verbose') });
      } catch (e) {
        errors.push(errorText(e));
        continue;
      }
      found.push(network);
      const failed = inspector?.inspect(network, network);
      if (failed !== undefined) errors.push(failed);
    }
    // The daemon's JSON as it sent it: its encoder does not escape <, > and &.
    ctx.stdout.write(inspector ? inspector.flush() : inspectJson(found, false));
    if (errors.length > 0) throw new CliError(errors.join('\n'));
    return 0;
  },
};
