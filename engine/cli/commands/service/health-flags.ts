// The --health-* flags and --no-healthcheck of `docker service create` and `update`, as
// docker/cli 28 turns them into ContainerSpec.Healthcheck (opts.go toHealthConfig for create,
// update.go updateHealthcheck for update).
import type { ParsedFlags } from '../../command.js';
import { CliError } from '../../command.js';
import type { ContainerSpec, HealthConfig } from '../../../api/types.js';

const HEALTH_FLAGS = ['health-cmd', 'health-interval', 'health-retries', 'health-timeout', 'health-start-period'];
const CONFLICT = '--no-healthcheck conflicts with --health-* options';

/** create: a config only when some health flag says something (zero values say nothing). */
export function healthFromFlags(flags: ParsedFlags): HealthConfig | undefined {
  const cmd = flags.string('health-cmd');
  const have =
    cmd !== '' ||
    ['health-interval', 'health-timeout', 'health-start-period', 'health-start-interval'].some((f) => flags.changed(f)) ||
    flags.int('health-retries') !== 0;
  if (flags.bool('no-healthcheck')) {
    if (have) throw new CliError(CONFLICT);
    return { Test: ['NONE'] };
  }
  if (!have) return undefined;
  return {
    ...(cmd !== '' ? { Test: ['CMD-SHELL', cmd] } : {}),
    Interval: flags.duration('health-interval'),
    Timeout: flags.duration('health-timeout'),
    StartPeriod: flags.duration('health-start-period'),
    StartInterval: flags.duration('health-start-interval'),
    Retries: flags.int('health-retries'),
  };
}

/** update: changes only what the flags name; --no-healthcheck replaces the whole config. */
export function updateHealthcheck(flags: ParsedFlags, cs: ContainerSpec): void {
  if (![...HEALTH_FLAGS, 'no-healthcheck'].some((f) => flags.changed(f))) return;
  if (flags.bool('no-healthcheck')) {
    if (HEALTH_FLAGS.some((f) => flags.changed(f))) throw new CliError(CONFLICT);
    cs.Healthcheck = { Test: ['NONE'] };
    return;
  }
  const h: HealthConfig = { ...(cs.Healthcheck ?? {}) };
  if (h.Test?.[0] === 'NONE') delete h.Test;
  if (flags.changed('health-interval')) h.Interval = flags.duration('health-interval');
  if (flags.changed('health-timeout')) h.Timeout = flags.duration('health-timeout');
  if (flags.changed('health-start-period')) h.StartPeriod = flags.duration('health-start-period');
  if (flags.changed('health-retries')) h.Retries = flags.int('health-retries');
  if (flags.changed('health-cmd')) {
    const cmd = flags.string('health-cmd');
    if (cmd !== '') h.Test = ['CMD-SHELL', cmd];
    else delete h.Test;
  }
  cs.Healthcheck = h;
}
