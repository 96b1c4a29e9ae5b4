// Building and merging a ServiceSpec from command-line flags the way docker/cli's service
// options do (service/opts.go ToService for create, update.go updateService for update).
// Only the fields this engine models are handled; other accepted flags are ignored.
import type { ParsedFlags } from '../../command.js';
import { CliError } from '../../command.js';
import type { PlacementPreference, PortConfig, RestartPolicy, ServiceMode, ServiceSpec, UpdateConfig } from '../../../api/types.js';
import { NS_PER_SECOND } from '../../../api/types.js';
import { healthFromFlags, updateHealthcheck } from './health-flags.js';
import { parsePlacementPref } from './placement-prefs.js';
import { parsePublish } from './ports.js';
import { shlexSplit } from './shlex.js';

/** swarmkit defaults.Service.Update / .Rollback: what the CLI fills in when any --update-* flag is given. */
export function defaultUpdateConfig(): UpdateConfig {
  return { Parallelism: 1, FailureAction: 'pause', Monitor: 5 * NS_PER_SECOND, MaxFailureRatio: 0, Order: 'stop-first' };
}

/** swarmkit defaults.Service.Task.Restart, as defaultRestartPolicy() sends it. */
function defaultRestartPolicy(): RestartPolicy {
  return { Condition: 'any', Delay: 5 * NS_PER_SECOND, MaxAttempts: 0 };
}

const anyChanged = (flags: ParsedFlags, ...names: string[]) => names.some((n) => flags.changed(n));

/** runconfigopts.ConvertKVStringsToMap: "k=v" → k: v, "k" → k: "". */
function kvMap(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) out[v] = '';
    else out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/** opts.NanoCPUs: a decimal number of CPUs. */
function nanoCpus(text: string): number {
  // big.Rat also reads `a/b` (the flag's validate has checked the form).
  const [num, den] = text.includes('/') ? text.split('/').map(Number) : [Number(text), 1];
  const v = (num ?? NaN) / (den ?? 1);
  if (text.trim() === '' || !Number.isFinite(v)) throw new CliError(`failed to parse ${text} as a rational number`);
  return Math.round(v * 1e9);
}

/** go-units RAMInBytes: "512m", "1g", "1.5GiB", plain bytes. */
function ramInBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) throw new CliError(`invalid size: '${text}'`);
  const exp = ['', 'k', 'm', 'g', 't', 'p'].indexOf((m[2] ?? '').toLowerCase());
  return Math.floor(Number(m[1]) * 1024 ** exp);
}

function updateConfigFromFlags(flags: ParsedFlags, prefix: 'update' | 'rollback', base: UpdateConfig): UpdateConfig {
  const cfg = { ...base };
  if (flags.changed(`${prefix}-parallelism`)) cfg.Parallelism = flags.uint(`${prefix}-parallelism`);
  if (flags.changed(`${prefix}-delay`)) cfg.Delay = flags.duration(`${prefix}-delay`);
  if (flags.changed(`${prefix}-failure-action`)) {
    // The daemon validates the value ("unrecognized update failure action foo").
    cfg.FailureAction = flags.string(`${prefix}-failure-action`) as UpdateConfig['FailureAction'];
  }
  if (flags.changed(`${prefix}-monitor`)) cfg.Monitor = flags.duration(`${prefix}-monitor`);
  if (flags.changed(`${prefix}-max-failure-ratio`)) cfg.MaxFailureRatio = Math.fround(flags.float(`${prefix}-max-failure-ratio`));
  if (flags.changed(`${prefix}-order`)) cfg.Order = flags.string(`${prefix}-order`) as UpdateConfig['Order'];
  // Key order of the Go struct; zero Delay/empty strings are omitempty there.
  return {
    Parallelism: cfg.Parallelism,
    ...(cfg.Delay ? { Delay: cfg.Delay } : {}),
    ...(cfg.FailureAction ? { FailureAction: cfg.FailureAction } : {}),
    ...(cfg.Monitor ? { Monitor: cfg.Monitor } : {}),
    MaxFailureRatio: cfg.MaxFailureRatio,
    Order: cfg.Order,
  };
}

const UPDATE_FLAG_SUFFIXES = ['parallelism', 'delay', 'monitor', 'failure-action', 'max-failure-ratio', 'order'];

function serviceMode(flags: ParsedFlags): ServiceMode {
  const mode = flags.string('mode');
  switch (mode) {
    case 'global':
      // create and update word this differently in docker/cli 28.2.2 (checked live).
      if (flags.changed('replicas')) throw new CliError('replicas can only be used with replicated or replicated-job mode');
      return { Global: {} };
    case 'replicated':
      return flags.changed('replicas') ? { Replicated: { Replicas: flags.uint('replicas') } } : { Replicated: {} };
    default:
      // replicated-job / global-job are not modelled by this engine.
      throw new CliError(`Unknown mode: ${mode}, only replicated and global supported`);
  }
}

function restartPolicy(flags: ParsedFlags, current: RestartPolicy | undefined): RestartPolicy | undefined {
  if (!anyChanged(flags, 'restart-condition', 'restart-delay', 'restart-max-attempts', 'restart-window')) return current;
  const rp = { ...(current ?? defaultRestartPolicy()) };
  if (flags.changed('restart-condition')) rp.Condition = flags.string('restart-condition') as RestartPolicy['Condition'];
  if (flags.changed('restart-delay')) rp.Delay = flags.duration('restart-delay');
  if (flags.changed('restart-max-attempts')) rp.MaxAttempts = flags.uint('restart-max-attempts');
  if (flags.changed('restart-window')) rp.Window = flags.duration('restart-window');
  return rp;
}

function publishedPorts(values: string[]): PortConfig[] {
  const out: PortConfig[] = [];
  for (const v of values) {
    try {
      out.push(...parsePublish(v));
    } catch (e) {
      throw new CliError(e instanceof Error ? e.message : String(e));
    }
  }
  return out;
}

function placementPrefs(values: string[]): PlacementPreference[] {
  return values.map((v) => {
    try {
      return parsePlacementPref(v);
    } catch (e) {
      throw new CliError(e instanceof Error ? e.message : String(e));
    }
  });
}

/**
 * docker/cli's updatePlacementPreferences: `-rm` drops every current spread with a removed
 * descriptor, `-add` appends (a descriptor already there is added again, as docker does).
 */
function updatePlacementPrefs(current: PlacementPreference[], flags: ParsedFlags): PlacementPreference[] {
  const removed = new Set(placementPrefs(flags.list('placement-pref-rm')).map((p) => p.Spread?.SpreadDescriptor));
  const kept = current.filter((p) => !(p.Spread && removed.has(p.Spread.SpreadDescriptor)));
  return [...kept, ...placementPrefs(flags.list('placement-pref-add'))];
}

/** `docker service create IMAGE [COMMAND] [ARG...]`: the spec the CLI sends (before image tagging/pinning). */
export function specFromFlags(flags: ParsedFlags, image: string, args: string[]): ServiceSpec {
  const env = flags.list('env');
  const containerLabels = flags.list('container-label');
  const spec: ServiceSpec = {
    Name: flags.string('name'),
    Labels: kvMap(flags.list('label')),
    TaskTemplate: {
      ContainerSpec: { Image: image },
      Resources: { Limits: {}, Reservations: {} },
      Placement: {},
      ForceUpdate: 0,
    },
    Mode: serviceMode(flags),
    EndpointSpec: { Mode: flags.string('endpoint-mode').toLowerCase() as 'vip' | 'dnsrr' },
  };
  const cs = spec.TaskTemplate.ContainerSpec;
  if (containerLabels.length > 0) cs.Labels = kvMap(containerLabels);
  if (flags.changed('entrypoint')) cs.Command = splitWords(flags.string('entrypoint'));
  if (args.length > 0) cs.Args = args;
  if (env.length > 0) cs.Env = mergeEnv([], env);
  // The docker CLI always sends Init (a *bool it points at the flag's value), so the daemon
  // stores false and `inspect --pretty` prints "Init: false" even without --init.
  cs.Init = flags.bool('init');
  if (flags.changed('stop-grace-period')) cs.StopGracePeriod = flags.duration('stop-grace-period');
  const health = healthFromFlags(flags);
  if (health) cs.Healthcheck = health;
  cs.DNSConfig = {};

  applyResources(flags, spec, 'limit-cpu', 'limit-memory', 'reserve-cpu', 'reserve-memory');
  const rp = restartPolicy(flags, undefined);
  if (rp) spec.TaskTemplate.RestartPolicy = rp;
  const placement = spec.TaskTemplate.Placement ?? {};
  const constraints = flags.list('constraint');
  if (constraints.length > 0) placement.Constraints = constraints;
  const prefs = placementPrefs(flags.list('placement-pref'));
  if (prefs.length > 0) placement.Preferences = prefs;
  if (flags.changed('replicas-max-per-node')) placement.MaxReplicas = flags.uint('replicas-max-per-node');
  // Placement has to come before ForceUpdate in the serialised order; rebuild the task spec.
  spec.TaskTemplate = {
    ContainerSpec: cs,
    Resources: spec.TaskTemplate.Resources,
    ...(rp ? { RestartPolicy: rp } : {}),
    Placement: placement,
    ForceUpdate: 0,
  };

  if (UPDATE_FLAG_SUFFIXES.some((s) => flags.changed(`update-${s}`))) {
    spec.UpdateConfig = updateConfigFromFlags(flags, 'update', defaultUpdateConfig());
  }
  if (UPDATE_FLAG_SUFFIXES.some((s) => flags.changed(`rollback-${s}`))) {
    spec.RollbackConfig = updateConfigFromFlags(flags, 'rollback', defaultUpdateConfig());
  }
  const ports = publishedPorts(flags.list('publish'));
  if (ports.length > 0 && spec.EndpointSpec) spec.EndpointSpec.Ports = ports;
  // Key order of swarm.ServiceSpec: Name, Labels, TaskTemplate, Mode, UpdateConfig, RollbackConfig, EndpointSpec.
  const ordered: ServiceSpec = { Name: spec.Name, Labels: spec.Labels, TaskTemplate: spec.TaskTemplate, Mode: spec.Mode };
  if (spec.UpdateConfig) ordered.UpdateConfig = spec.UpdateConfig;
  if (spec.RollbackConfig) ordered.RollbackConfig = spec.RollbackConfig;
  if (spec.EndpointSpec) ordered.EndpointSpec = spec.EndpointSpec;
  return ordered;
}

function splitWords(text: string): string[] {
  try {
    return shlexSplit(text);
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
}

const envKey = (v: string) => v.split('=', 1)[0] ?? v;

/** Adds/overrides variables by key, keeping first-seen order. */
function mergeEnv(current: string[], add: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const v of current) byKey.set(envKey(v), v);
  for (const v of add) byKey.set(envKey(v), v);
  return [...byKey.values()];
}

/**
 * The resource flags into the task's Limits and Reservations. Update changes only the values
 * named (docker's updateInt64Value per field: `--limit-memory 128M` keeps the CPU limit), and a
 * zero drops the value (omitempty); keys in swarm.Limit's order.
 */
function applyResources(flags: ParsedFlags, spec: ServiceSpec, limCpu: string, limMem: string, resCpu: string, resMem: string) {
  const task = spec.TaskTemplate;
  const merged = (current: Record<string, number> | undefined, cpu: string, mem: string): Record<string, number> => {
    const values = { ...(current ?? {}) };
    if (flags.changed(cpu)) values['NanoCPUs'] = nanoCpus(flags.string(cpu));
    if (flags.changed(mem)) values['MemoryBytes'] = ramInBytes(flags.string(mem));
    const out: Record<string, number> = {};
    for (const k of ['NanoCPUs', 'MemoryBytes', 'Pids']) if (values[k]) out[k] = values[k]!;
    return out;
  };
  if (anyChanged(flags, limCpu, limMem)) task.Resources = { ...(task.Resources ?? {}), Limits: merged(task.Resources?.Limits, limCpu, limMem) };
  if (anyChanged(flags, resCpu, resMem)) task.Resources = { ...(task.Resources ?? {}), Reservations: merged(task.Resources?.Reservations, resCpu, resMem) };
}

/** Keys named by `--*-rm` values: "k" or "k=v" both remove key k. */
const removalKeys = (values: string[]) => new Set(values.map((v) => v.split('=', 1)[0] ?? v));

/**
 * `docker service update`: merges the changed flags into a copy of the current spec, field by
 * field as updateService does; untouched fields keep what the daemon returned.
 */
export function mergeFlagsIntoSpec(current: ServiceSpec, flags: ParsedFlags): ServiceSpec {
  const spec = JSON.parse(JSON.stringify(current)) as ServiceSpec;
  const task = spec.TaskTemplate;
  const cs = task.ContainerSpec;

  if (anyChanged(flags, 'label-add', 'label-rm')) {
    const labels = { ...spec.Labels, ...kvMap(flags.list('label-add')) };
    for (const k of removalKeys(flags.list('label-rm'))) delete labels[k];
    spec.Labels = labels;
  }
  if (anyChanged(flags, 'container-label-add', 'container-label-rm')) {
    const labels = { ...(cs.Labels ?? {}), ...kvMap(flags.list('container-label-add')) };
    for (const k of removalKeys(flags.list('container-label-rm'))) delete labels[k];
    cs.Labels = labels;
  }
  if (flags.changed('image')) cs.Image = flags.string('image');
  if (flags.changed('args')) cs.Args = splitWords(flags.string('args'));
  if (flags.changed('entrypoint')) cs.Command = splitWords(flags.string('entrypoint'));
  if (anyChanged(flags, 'env-add', 'env-rm')) {
    const rm = removalKeys(flags.list('env-rm'));
    cs.Env = mergeEnv((cs.Env ?? []).filter((v) => !rm.has(envKey(v))), flags.list('env-add'));
  }
  applyResources(flags, spec, 'limit-cpu', 'limit-memory', 'reserve-cpu', 'reserve-memory');
  if (flags.changed('stop-grace-period')) cs.StopGracePeriod = flags.duration('stop-grace-period');
  updateHealthcheck(flags, cs);
  const rp = restartPolicy(flags, task.RestartPolicy);
  if (rp) task.RestartPolicy = rp;
  if (anyChanged(flags, 'constraint-add', 'constraint-rm')) {
    task.Placement ??= {};
    const rm = new Set(flags.list('constraint-rm'));
    const constraints = [...(task.Placement.Constraints ?? []), ...flags.list('constraint-add')].filter((c) => !rm.has(c));
    task.Placement.Constraints = constraints;
  }
  if (anyChanged(flags, 'placement-pref-add', 'placement-pref-rm')) {
    task.Placement ??= {};
    task.Placement.Preferences = updatePlacementPrefs(task.Placement.Preferences ?? [], flags);
  }
  if (flags.changed('replicas-max-per-node')) {
    task.Placement ??= {};
    task.Placement.MaxReplicas = flags.uint('replicas-max-per-node');
  }
  if (flags.changed('replicas')) {
    if (!spec.Mode.Replicated) throw new CliError('replicas can only be used with replicated mode');
    spec.Mode.Replicated.Replicas = flags.uint('replicas');
  }
  if (UPDATE_FLAG_SUFFIXES.some((s) => flags.changed(`update-${s}`))) {
    spec.UpdateConfig = updateConfigFromFlags(flags, 'update', spec.UpdateConfig ?? defaultUpdateConfig());
  }
  if (UPDATE_FLAG_SUFFIXES.some((s) => flags.changed(`rollback-${s}`))) {
    spec.RollbackConfig = updateConfigFromFlags(flags, 'rollback', spec.RollbackConfig ?? defaultUpdateConfig());
  }
  if (flags.changed('endpoint-mode')) {
    spec.EndpointSpec ??= {};
    spec.EndpointSpec.Mode = flags.string('endpoint-mode') as 'vip' | 'dnsrr';
  }
  if (anyChanged(flags, 'publish-add', 'publish-rm')) {
    spec.EndpointSpec ??= {};
    spec.EndpointSpec.Ports = updatePorts(spec.EndpointSpec.Ports ?? [], flags.list('publish-add'), flags.list('publish-rm'));
  }
  if (flags.bool('force')) task.ForceUpdate = (task.ForceUpdate ?? 0) + 1;
  if (flags.changed('init')) cs.Init = flags.bool('init');
  return spec;
}

/** docker/cli's portConfigToString: `published:target/protocol/mode`, the key ports are matched and sorted by. */
const portKey = (p: PortConfig): string => `${p.PublishedPort ?? 0}:${p.TargetPort ?? 0}/${p.Protocol ?? ''}/${p.PublishMode ?? ''}`;

/** equalProtocol / equalPublishMode: an empty value stands for the default (tcp, ingress). */
const sameOrDefault = (a: string | undefined, b: string | undefined, dflt: string): boolean => (a || dflt) === (b || dflt);

/**
 * docker/cli's updatePorts: `--publish-rm` removes every current port with the same target,
 * protocol and publish mode (a bare `80` means tcp and ingress, so a host-mode port with that
 * target stays; the published port plays no part); `--publish-add` appends what is not there
 * under the same key (it replaces nothing: the daemon refuses a published port used twice);
 * the result is sorted by the key as a string, as docker sorts it.
 */
function updatePorts(current: PortConfig[], add: string[], rm: string[]): PortConfig[] {
  const toRemove = publishedPorts(rm);
  const added = publishedPorts(add);
  const existing = new Map<string, PortConfig>();
  for (const p of current) if (!existing.has(portKey(p))) existing.set(portKey(p), p);
  const out = [...existing.values()].filter(
    (p) =>
      !toRemove.some(
        (r) => sameOrDefault(p.Protocol, r.Protocol, 'tcp') && p.TargetPort === r.TargetPort && sameOrDefault(p.PublishMode, r.PublishMode, 'ingress'),
      ),
  );
  for (const a of added) if (!existing.has(portKey(a))) out.push(a);
  // Go's sort.Slice compares the keys as byte strings ("10000:..." sorts before "8080:...").
  return out.sort((a, b) => (portKey(a) < portKey(b) ? -1 : portKey(a) > portKey(b) ? 1 : 0));
}
