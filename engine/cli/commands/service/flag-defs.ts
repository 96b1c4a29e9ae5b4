// The flag sets of the `docker service` commands, transcribed from docker 28.2.2's own
// --help output (names, shorthands, value types and usage texts are what help prints).
// Defaults pflag shows on its own are in defaultText; defaults docker/cli writes into the
// usage string itself (flagDesc in service/opts.go) stay part of the usage.
import type { FlagDef } from '../../command.js';
import { FORMAT_INSPECT_USAGE, FORMAT_TABLE_USAGE } from '../../format/usage-texts.js';

/**
 * opts.NanoCPUs.Set: a rational number (big.Rat's forms: decimal, exponent, a/b) that is a
 * whole number of nano-CPUs. A bad value is a flag error (exit 125), as with docker.
 */
function cpusProblem(text: string): string | undefined {
  const fraction = /^[+-]?\d+\/\d+$/.test(text);
  if (!fraction && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return `failed to parse ${text} as a rational number`;
  if (fraction) {
    const [n, d] = text.split('/').map(Number) as [number, number];
    if (d === 0) return `failed to parse ${text} as a rational number`;
    return Number.isInteger((n * 1e9) / d) ? undefined : 'value is too precise';
  }
  return Number.isInteger(Math.round(Number(text) * 1e9 * 1e6) / 1e6) ? undefined : 'value is too precise';
}

/** opts.MemBytes.Set (go-units RAMInBytes): `512m`, `1.5GiB`, `64 MB`, plain bytes. */
const bytesProblem = (text: string): string | undefined =>
  /^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.test(text) ? undefined : `invalid size: '${text}'`;

// The commands that wait for convergence (create, update, scale, rollback).
const DETACH: FlagDef = { name: 'detach', short: 'd', kind: 'bool', usage: 'Exit immediately instead of waiting for the service to converge' };
const QUIET: FlagDef = { name: 'quiet', short: 'q', kind: 'bool', usage: 'Suppress progress output' };

/**
 * The --update-* and --rollback-* flags: one strategy each (docker/cli addServiceFlags), the
 * same texts with the nouns swapped. Create documents its defaults; update has none, since an
 * unset flag there keeps what the service has.
 */
function strategyFlags(kind: 'update' | 'rollback', withDefaults: boolean): FlagDef[] {
  const w =
    kind === 'update'
      ? { steps: 'updates', act: 'update', actions: '"pause", "continue", "rollback"', during: 'an update', Order: 'Update', done: 'updated', doAll: 'update' }
      : { steps: 'task rollbacks', act: 'rollback', actions: '"pause", "continue"', during: 'a rollback', Order: 'Rollback', done: 'rolled back', doAll: 'roll back' };
  const d = (value: string) => (withDefaults ? ` (default ${value})` : '');
  return [
    { name: `${kind}-delay`, kind: 'duration', usage: `Delay between ${w.steps} (ns|us|ms|s|m|h)${d('0s')}` },
    { name: `${kind}-failure-action`, kind: 'string', usage: `Action on ${w.act} failure (${w.actions})${d('"pause"')}` },
    { name: `${kind}-max-failure-ratio`, kind: 'float', usage: `Failure rate to tolerate during ${w.during}${d('0')}` },
    { name: `${kind}-monitor`, kind: 'duration', usage: `Duration after each task ${w.act} to monitor for failure (ns|us|ms|s|m|h)${d('5s')}` },
    { name: `${kind}-order`, kind: 'string', usage: `${w.Order} order ("start-first", "stop-first")${d('"stop-first"')}` },
    {
      name: `${kind}-parallelism`,
      kind: 'uint',
      usage: `Maximum number of tasks ${w.done} simultaneously (0 to ${w.doAll} all at once)`,
      // pflag prints this default itself: it is the flag's value, not part of the usage.
      ...(withDefaults ? { default: 1, defaultText: '1' } : {}),
    },
  ];
}

/** The flags create and update both have, with create's documented defaults when asked for. */
function sharedFlags(withDefaults: boolean): FlagDef[] {
  const d = (value: string) => (withDefaults ? ` (default ${value})` : '');
  return [
    { name: 'cap-add', kind: 'list', usage: 'Add Linux capabilities' },
    { name: 'cap-drop', kind: 'list', usage: 'Drop Linux capabilities' },
    { name: 'credential-spec', kind: 'string', valueName: 'credential-spec', usage: 'Credential spec for managed service account (Windows only)' },
    DETACH,
    { name: 'entrypoint', kind: 'string', valueName: 'command', usage: 'Overwrite the default ENTRYPOINT of the image' },
    { name: 'health-cmd', kind: 'string', usage: 'Command to run to check health' },
    { name: 'health-interval', kind: 'duration', usage: 'Time between running the check (ms|s|m|h)' },
    { name: 'health-retries', kind: 'int', usage: 'Consecutive failures needed to report unhealthy' },
    { name: 'health-start-interval', kind: 'duration', usage: 'Time between running the check during the start period (ms|s|m|h)' },
    { name: 'health-start-period', kind: 'duration', usage: 'Start period for the container to initialize before counting retries towards unstable (ms|s|m|h)' },
    { name: 'health-timeout', kind: 'duration', usage: 'Maximum time to allow one check to run (ms|s|m|h)' },
    { name: 'hostname', kind: 'string', usage: 'Container hostname' },
    { name: 'init', kind: 'bool', usage: 'Use an init inside each service container to forward signals and reap processes' },
    { name: 'isolation', kind: 'string', usage: 'Service container isolation mode' },
    { name: 'limit-cpu', kind: 'string', valueName: 'decimal', usage: 'Limit CPUs', validate: cpusProblem },
    { name: 'limit-memory', kind: 'string', valueName: 'bytes', usage: 'Limit Memory', validate: bytesProblem },
    { name: 'limit-pids', kind: 'int', usage: 'Limit maximum number of processes (default 0 = unlimited)' },
    { name: 'log-driver', kind: 'string', usage: 'Logging driver for service' },
    { name: 'log-opt', kind: 'list', usage: 'Logging driver options' },
    { name: 'max-concurrent', kind: 'uint-ptr', valueName: 'uint', usage: 'Number of job tasks to run concurrently (default equal to --replicas)' },
    { name: 'no-healthcheck', kind: 'bool', usage: 'Disable any container-specified HEALTHCHECK' },
    { name: 'no-resolve-image', kind: 'bool', usage: 'Do not query the registry to resolve image digest and supported platforms' },
    { name: 'oom-score-adj', kind: 'int', usage: "Tune host's OOM preferences (-1000 to 1000) " },
    QUIET,
    { name: 'read-only', kind: 'bool', usage: "Mount the container's root filesystem as read only" },
    { name: 'replicas', kind: 'uint-ptr', valueName: 'uint', usage: 'Number of tasks' },
    { name: 'replicas-max-per-node', kind: 'uint', usage: 'Maximum number of tasks per node (default 0 = unlimited)' },
    { name: 'reserve-cpu', kind: 'string', valueName: 'decimal', usage: 'Reserve CPUs', validate: cpusProblem },
    { name: 'reserve-memory', kind: 'string', valueName: 'bytes', usage: 'Reserve Memory', validate: bytesProblem },
    { name: 'restart-max-attempts', kind: 'uint-ptr', valueName: 'uint', usage: 'Maximum number of restarts before giving up' },
    { name: 'restart-window', kind: 'duration', usage: 'Window used to evaluate the restart policy (ns|us|ms|s|m|h)' },
    { name: 'stop-signal', kind: 'string', usage: 'Signal to stop the container' },
    { name: 'tty', short: 't', kind: 'bool', usage: 'Allocate a pseudo-TTY' },
    { name: 'user', short: 'u', kind: 'string', usage: 'Username or UID (format: <name|uid>[:<group|gid>])' },
    { name: 'with-registry-auth', kind: 'bool', usage: 'Send registry authentication details to swarm agents' },
    { name: 'workdir', short: 'w', kind: 'string', usage: 'Working directory inside the container' },
    { name: 'endpoint-mode', kind: 'string', usage: 'Endpoint mode (vip or dnsrr)', ...(withDefaults ? { default: 'vip', defaultText: '"vip"' } : {}) },
    { name: 'restart-condition', kind: 'string', usage: `Restart when condition is met ("none", "on-failure", "any")${d('"any"')}` },
    { name: 'restart-delay', kind: 'duration', usage: `Delay between restart attempts (ns|us|ms|s|m|h)${d('5s')}` },
    { name: 'stop-grace-period', kind: 'duration', usage: `Time to wait before force killing a container (ns|us|ms|s|m|h)${d('10s')}` },
    ...strategyFlags('update', withDefaults),
    ...strategyFlags('rollback', withDefaults),
  ];
}

// Help sorts flags by name, so the order here does not show.
export const CREATE_FLAGS: FlagDef[] = [
  ...sharedFlags(true),
  { name: 'config', kind: 'list', valueName: 'config', usage: 'Specify configurations to expose to the service' },
  { name: 'constraint', kind: 'list', usage: 'Placement constraints' },
  { name: 'container-label', kind: 'list', usage: 'Container labels' },
  { name: 'dns', kind: 'list', usage: 'Set custom DNS servers' },
  { name: 'dns-option', kind: 'list', usage: 'Set DNS options' },
  { name: 'dns-search', kind: 'list', usage: 'Set custom DNS search domains' },
  { name: 'env', short: 'e', kind: 'list', usage: 'Set environment variables' },
  { name: 'env-file', kind: 'list', usage: 'Read in a file of environment variables' },
  { name: 'generic-resource', kind: 'list', usage: 'User defined resources' },
  { name: 'group', kind: 'list', usage: 'Set one or more supplementary user groups for the container' },
  { name: 'host', kind: 'list', usage: 'Set one or more custom host-to-IP mappings (host:ip)' },
  { name: 'label', short: 'l', kind: 'list', usage: 'Service labels' },
  { name: 'mode', kind: 'string', usage: 'Service mode ("replicated", "global", "replicated-job", "global-job")', default: 'replicated', defaultText: '"replicated"' },
  { name: 'mount', kind: 'list', valueName: 'mount', usage: 'Attach a filesystem mount to the service' },
  { name: 'name', kind: 'string', usage: 'Service name' },
  { name: 'network', kind: 'list', valueName: 'network', usage: 'Network attachments' },
  { name: 'placement-pref', kind: 'list', valueName: 'pref', usage: 'Add a placement preference' },
  { name: 'publish', short: 'p', kind: 'list', valueName: 'port', usage: 'Publish a port as a node port' },
  { name: 'secret', kind: 'list', valueName: 'secret', usage: 'Specify secrets to expose to the service' },
  { name: 'sysctl', kind: 'list', usage: 'Sysctl options' },
  { name: 'ulimit', kind: 'list', valueName: 'ulimit', usage: 'Ulimit options', defaultText: '[]' },
];

export const UPDATE_FLAGS: FlagDef[] = [
  ...sharedFlags(false),
  { name: 'args', kind: 'string', valueName: 'command', usage: 'Service command args' },
  { name: 'config-add', kind: 'list', valueName: 'config', usage: 'Add or update a config file on a service' },
  { name: 'config-rm', kind: 'list', usage: 'Remove a configuration file' },
  { name: 'constraint-add', kind: 'list', usage: 'Add or update a placement constraint' },
  { name: 'constraint-rm', kind: 'list', usage: 'Remove a constraint' },
  { name: 'container-label-add', kind: 'list', usage: 'Add or update a container label' },
  { name: 'container-label-rm', kind: 'list', usage: 'Remove a container label by its key' },
  { name: 'dns-add', kind: 'list', usage: 'Add or update a custom DNS server' },
  { name: 'dns-option-add', kind: 'list', usage: 'Add or update a DNS option' },
  { name: 'dns-option-rm', kind: 'list', usage: 'Remove a DNS option' },
  { name: 'dns-rm', kind: 'list', usage: 'Remove a custom DNS server' },
  { name: 'dns-search-add', kind: 'list', usage: 'Add or update a custom DNS search domain' },
  { name: 'dns-search-rm', kind: 'list', usage: 'Remove a DNS search domain' },
  { name: 'env-add', kind: 'list', usage: 'Add or update an environment variable' },
  { name: 'env-rm', kind: 'list', usage: 'Remove an environment variable' },
  { name: 'force', kind: 'bool', usage: 'Force update even if no changes require it' },
  { name: 'generic-resource-add', kind: 'list', usage: 'Add a Generic resource' },
  { name: 'generic-resource-rm', kind: 'list', usage: 'Remove a Generic resource' },
  { name: 'group-add', kind: 'list', usage: 'Add an additional supplementary user group to the container' },
  { name: 'group-rm', kind: 'list', usage: 'Remove a previously added supplementary user group from the container' },
  { name: 'host-add', kind: 'list', usage: 'Add a custom host-to-IP mapping ("host:ip")' },
  { name: 'host-rm', kind: 'list', usage: 'Remove a custom host-to-IP mapping ("host:ip")' },
  { name: 'image', kind: 'string', usage: 'Service image tag' },
  { name: 'label-add', kind: 'list', usage: 'Add or update a service label' },
  { name: 'label-rm', kind: 'list', usage: 'Remove a label by its key' },
  { name: 'mount-add', kind: 'list', valueName: 'mount', usage: 'Add or update a mount on a service' },
  { name: 'mount-rm', kind: 'list', usage: 'Remove a mount by its target path' },
  { name: 'network-add', kind: 'list', valueName: 'network', usage: 'Add a network' },
  { name: 'network-rm', kind: 'list', usage: 'Remove a network' },
  { name: 'placement-pref-add', kind: 'list', valueName: 'pref', usage: 'Add a placement preference' },
  { name: 'placement-pref-rm', kind: 'list', valueName: 'pref', usage: 'Remove a placement preference' },
  { name: 'publish-add', kind: 'list', valueName: 'port', usage: 'Add or update a published port' },
  { name: 'publish-rm', kind: 'list', valueName: 'port', usage: 'Remove a published port by its target port' },
  { name: 'rollback', kind: 'bool', usage: 'Rollback to previous specification' },
  { name: 'secret-add', kind: 'list', valueName: 'secret', usage: 'Add or update a secret on a service' },
  { name: 'secret-rm', kind: 'list', usage: 'Remove a secret' },
  { name: 'sysctl-add', kind: 'list', usage: 'Add or update a Sysctl option' },
  { name: 'sysctl-rm', kind: 'list', usage: 'Remove a Sysctl option' },
  { name: 'ulimit-add', kind: 'list', valueName: 'ulimit', usage: 'Add or update a ulimit option', defaultText: '[]' },
  { name: 'ulimit-rm', kind: 'list', usage: 'Remove a ulimit option' },
];

export const LS_FLAGS: FlagDef[] = [
  { name: 'filter', short: 'f', kind: 'filter', usage: 'Filter output based on conditions provided' },
  { name: 'format', kind: 'string', usage: FORMAT_TABLE_USAGE },
  { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display IDs' },
];

export const INSPECT_FLAGS: FlagDef[] = [
  { name: 'format', short: 'f', kind: 'string', usage: FORMAT_INSPECT_USAGE },
  { name: 'pretty', kind: 'bool', usage: 'Print the information in a human friendly format' },
];

export const SCALE_FLAGS: FlagDef[] = [
  DETACH,
];

export const ROLLBACK_FLAGS: FlagDef[] = [
  DETACH,
  QUIET,
];

export const LOGS_FLAGS: FlagDef[] = [
  { name: 'details', kind: 'bool', usage: 'Show extra details provided to logs' },
  { name: 'follow', short: 'f', kind: 'bool', usage: 'Follow log output' },
  { name: 'no-resolve', kind: 'bool', usage: 'Do not map IDs to Names in output' },
  { name: 'no-task-ids', kind: 'bool', usage: 'Do not include task IDs in output' },
  { name: 'no-trunc', kind: 'bool', usage: 'Do not truncate output' },
  { name: 'raw', kind: 'bool', usage: 'Do not neatly format logs' },
  { name: 'since', kind: 'string', usage: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
  { name: 'tail', short: 'n', kind: 'string', usage: 'Number of lines to show from the end of the logs', default: 'all', defaultText: '"all"' },
  { name: 'timestamps', short: 't', kind: 'bool', usage: 'Show timestamps' },
];
