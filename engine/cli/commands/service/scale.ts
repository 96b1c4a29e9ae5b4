// docker service scale SERVICE=REPLICAS...
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { GoParseError } from '../../format/go-parse.js';
import { waitOnService } from '../../progress/service-progress.js';
import { errorText, joinedError } from '../../daemon-error.js';
import { SCALE_FLAGS } from './flag-defs.js';

const USAGE = 'SERVICE=REPLICAS [SERVICE=REPLICAS...]';
const SHORT = 'Scale one or multiple replicated services';

/** strconv.ParseUint(s, 10, 64) — base 10 only, unlike flag values. */
function parseReplicas(s: string): number {
  if (!/^\d+$/.test(s)) throw new GoParseError(`strconv.ParseUint: parsing "${s}": invalid syntax`);
  const v = BigInt(s);
  if (v >= 1n << 64n) throw new GoParseError(`strconv.ParseUint: parsing "${s}": value out of range`);
  return Number(v);
}

export const scaleCommand: CommandDef = {
  name: 'scale',
  usage: USAGE,
  short: SHORT,
  args: { min: 1 },
  flags: SCALE_FLAGS,
  async run(ctx, { args, flags, path }) {
    // cobra's Args check: every argument must look like name=value before anything runs.
    for (const arg of args) {
      const eq = arg.indexOf('=');
      if (eq <= 0 || eq === arg.length - 1) {
        throw new CliError(
          `invalid scale specifier '${arg}'.\nSee '${path} --help'.\n\nUsage:  ${path} ${USAGE}\n\n${SHORT}`,
        );
      }
    }
    const errors: string[] = [];
    const scaled: string[] = [];
    for (const arg of args) {
      const eq = arg.indexOf('=');
      const name = arg.slice(0, eq);
      const value = arg.slice(eq + 1);
      let replicas: number;
      try {
        replicas = parseReplicas(value);
      } catch (e) {
        errors.push(`${name}: invalid replicas value ${value}: ${errorText(e)}`);
        continue;
      }
      try {
        const service = await ctx.api.serviceInspect(name);
        const spec = JSON.parse(JSON.stringify(service.Spec)) as typeof service.Spec;
        if (!spec.Mode.Replicated) throw new CliError('scale can only be used with replicated or replicated-job mode');
        spec.Mode.Replicated.Replicas = replicas;
        const response = await ctx.api.serviceUpdate(service.ID, service.Version.Index, spec);
        for (const w of response.Warnings ?? []) ctx.stderr.write(w + '\n');
      } catch (e) {
        errors.push(`${name}: ${errorText(e)}`);
        continue;
      }
      ctx.stdout.write(`${name} scaled to ${replicas}\n`);
      scaled.push(name);
    }
    if (!flags.bool('detach')) {
      for (const name of scaled) {
        try {
          await waitOnService(ctx, name, false);
        } catch (e) {
          errors.push(`${name}: ${errorText(e)}`);
        }
      }
    }
    const err = joinedError(errors);
    if (err) throw err;
    return 0;
  },
};
