// Service specs as the daemon stores and returns them: fields in the Engine's struct
// order (inspect prints them in this order), swarmkit's defaults for insertDefaults, and
// the task-spec comparison the updater uses to find dirty slots.
import type {
  ContainerSpec,
  EndpointSpec,
  HealthConfig,
  PortConfig,
  ServiceMode,
  ServiceSpec,
  TaskSpec,
  UpdateConfig,
} from '../api/types.js';
import { NS_PER_SECOND } from '../api/types.js';

export const DEFAULT_RESTART_DELAY_NS = 5 * NS_PER_SECOND;
export const DEFAULT_MONITOR_NS = 5 * NS_PER_SECOND;
export const DEFAULT_STOP_GRACE_NS = 10 * NS_PER_SECOND;

export const isGlobal = (spec: ServiceSpec): boolean => spec.Mode.Global !== undefined;
export const replicasOf = (spec: ServiceSpec): number => spec.Mode.Replicated?.Replicas ?? 1;

/**
 * Drops undefined values so optional fields do not appear as keys. Copies the defined keys,
 * in order, into a fresh object rather than deleting the others: `delete` turns an object
 * into a slow dictionary, and every task view (each row of `docker service ps`) passes here.
 */
function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  const src = o as Record<string, unknown>;
  for (const k of Object.keys(src)) if (src[k] !== undefined) out[k] = src[k];
  return out as T;
}

function containerSpec(c: ContainerSpec, defaults: boolean): ContainerSpec {
  return compact({
    Image: c.Image,
    Labels: c.Labels && Object.keys(c.Labels).length > 0 ? { ...c.Labels } : undefined,
    Command: c.Command && c.Command.length > 0 ? [...c.Command] : undefined,
    Args: c.Args && c.Args.length > 0 ? [...c.Args] : undefined,
    Env: c.Env && c.Env.length > 0 ? [...c.Env] : undefined,
    Init: c.Init ?? false,
    StopGracePeriod: c.StopGracePeriod ?? (defaults ? DEFAULT_STOP_GRACE_NS : undefined),
    Healthcheck: c.Healthcheck ? healthConfig(c.Healthcheck) : undefined,
    DNSConfig: {},
    Isolation: c.Isolation ?? 'default',
  });
}

/** As the daemon stores it: HealthConfig's field order, zero values left out (omitempty). */
function healthConfig(h: HealthConfig): HealthConfig {
  return compact({
    Test: h.Test && h.Test.length > 0 ? [...h.Test] : undefined,
    Interval: h.Interval || undefined,
    Timeout: h.Timeout || undefined,
    StartPeriod: h.StartPeriod || undefined,
    StartInterval: h.StartInterval || undefined,
    Retries: h.Retries || undefined,
  });
}

function taskSpec(t: TaskSpec, defaults: boolean): TaskSpec {
  const r = t.RestartPolicy;
  return compact({
    ContainerSpec: containerSpec(t.ContainerSpec, defaults),
    Resources: {
      Limits: { ...(t.Resources?.Limits ?? {}) },
      Reservations: { ...(t.Resources?.Reservations ?? {}) },
    },
    RestartPolicy:
      r || defaults
        ? compact({
            Condition: r?.Condition ?? (defaults ? 'any' : undefined),
            Delay: r?.Delay ?? (defaults ? DEFAULT_RESTART_DELAY_NS : undefined),
            MaxAttempts: r?.MaxAttempts ?? (defaults ? 0 : undefined),
            Window: r?.Window,
          })
        : undefined,
    Placement: compact({
      Constraints: t.Placement?.Constraints && t.Placement.Constraints.length > 0 ? [...t.Placement.Constraints] : undefined,
      Preferences:
        t.Placement?.Preferences && t.Placement.Preferences.length > 0
          ? t.Placement.Preferences.map((p) => (p.Spread ? { Spread: { SpreadDescriptor: p.Spread.SpreadDescriptor } } : {}))
          : undefined,
      MaxReplicas: t.Placement?.MaxReplicas || undefined,
      Platforms: t.Placement?.Platforms && t.Placement.Platforms.length > 0 ? t.Placement.Platforms.map((p) => ({ ...p })) : undefined,
    }),
    ForceUpdate: t.ForceUpdate ?? 0,
    Runtime: t.Runtime ?? 'container',
  });
}

function updateConfig(u: UpdateConfig | undefined, defaults: boolean): UpdateConfig | undefined {
  if (!u && !defaults) return undefined;
  return compact({
    Parallelism: u?.Parallelism ?? 1,
    Delay: u?.Delay || undefined,
    FailureAction: u?.FailureAction ?? 'pause',
    Monitor: u?.Monitor || (defaults ? DEFAULT_MONITOR_NS : undefined),
    MaxFailureRatio: u?.MaxFailureRatio ?? 0,
    Order: u?.Order ?? 'stop-first',
  });
}

function mode(m: ServiceMode): ServiceMode {
  if (m.Global) return { Global: {} };
  return { Replicated: { Replicas: m.Replicated?.Replicas ?? 1 } };
}

function port(p: PortConfig): PortConfig {
  return compact({
    Name: p.Name || undefined,
    Protocol: p.Protocol ?? 'tcp',
    TargetPort: p.TargetPort,
    PublishedPort: p.PublishedPort,
    PublishMode: p.PublishMode ?? 'ingress',
  });
}

function endpointSpec(e: EndpointSpec | undefined): EndpointSpec {
  return compact({
    Mode: e?.Mode ?? 'vip',
    Ports: e?.Ports && e.Ports.length > 0 ? e.Ports.map(port) : undefined,
  });
}

/** The spec as the daemon stores it (struct order, empty collections normalised). */
export function storedSpec(spec: ServiceSpec): ServiceSpec {
  return compact({
    Name: spec.Name,
    Labels: { ...(spec.Labels ?? {}) },
    TaskTemplate: taskSpec(spec.TaskTemplate, false),
    Mode: mode(spec.Mode ?? {}),
    UpdateConfig: updateConfig(spec.UpdateConfig, false),
    RollbackConfig: updateConfig(spec.RollbackConfig, false),
    EndpointSpec: endpointSpec(spec.EndpointSpec),
  });
}

/** The spec with swarmkit's defaults filled in (inspect with insertDefaults=true). */
export function withDefaults(spec: ServiceSpec): ServiceSpec {
  return compact({
    Name: spec.Name,
    Labels: { ...spec.Labels },
    TaskTemplate: taskSpec(spec.TaskTemplate, true),
    Mode: mode(spec.Mode),
    UpdateConfig: updateConfig(spec.UpdateConfig, true),
    RollbackConfig: updateConfig(spec.RollbackConfig, true),
    EndpointSpec: endpointSpec(spec.EndpointSpec),
  });
}

/** The update policy in force (UpdateConfig or RollbackConfig) with defaults applied. */
export function effectivePolicy(spec: ServiceSpec, rollback: boolean): Required<UpdateConfig> {
  const u = updateConfig(rollback ? spec.RollbackConfig : spec.UpdateConfig, true)!;
  return {
    Parallelism: u.Parallelism,
    Delay: u.Delay ?? 0,
    FailureAction: u.FailureAction ?? 'pause',
    Monitor: u.Monitor ?? DEFAULT_MONITOR_NS,
    MaxFailureRatio: u.MaxFailureRatio,
    Order: u.Order,
  };
}

const specKeys = new WeakMap<TaskSpec, string>();

/** A canonical string of a task spec, cached per (immutable) spec object. */
export function taskSpecKey(spec: TaskSpec): string {
  let key = specKeys.get(spec);
  if (key === undefined) {
    key = JSON.stringify(taskSpec(spec, true));
    specKeys.set(spec, key);
  }
  return key;
}

export const sameTaskSpec = (a: TaskSpec, b: TaskSpec): boolean => a === b || taskSpecKey(a) === taskSpecKey(b);

const looseKeys = new WeakMap<TaskSpec, string>();

/** A task spec's canonical string without its placement (cached like taskSpecKey). */
function keyWithoutPlacement(spec: TaskSpec): string {
  let key = looseKeys.get(spec);
  if (key === undefined) {
    key = JSON.stringify({ ...taskSpec(spec, true), Placement: undefined });
    looseKeys.set(spec, key);
  }
  return key;
}

/** Whether two task specs differ in their placement alone (swarmkit's IsTaskDirtyPlacementConstraintsOnly). */
export const differsInPlacementOnly = (a: TaskSpec, b: TaskSpec): boolean => keyWithoutPlacement(a) === keyWithoutPlacement(b);

const endpointKeys = new WeakMap<EndpointSpec, string>();

/** A canonical string of an endpoint spec (stored specs are frozen, so cached per object). */
export function endpointKey(e: EndpointSpec | undefined): string {
  if (!e) return '';
  let key = endpointKeys.get(e);
  if (key === undefined) {
    key = JSON.stringify(endpointSpec(e));
    endpointKeys.set(e, key);
  }
  return key;
}

/** Whether two stored service specs are equal (stored specs share one field order). */
export const sameServiceSpec = (a: ServiceSpec, b: ServiceSpec): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Deep-freezes a stored spec so records can share it safely. */
export function freeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) freeze(v);
  }
  return o;
}
