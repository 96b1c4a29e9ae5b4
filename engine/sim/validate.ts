// What the daemon checks in a service spec before handing it to swarmkit, with the
// daemon's exact error texts (conversion errors, then swarmkit's InvalidArgument ones).
import { ApiError } from '../api/swarm-api.js';
import type { PortConfig, ServiceSpec, UpdateConfig } from '../api/types.js';
import { parseImageRef } from './images.js';

const invalid = (desc: string): ApiError => new ApiError(400, `rpc error: code = InvalidArgument desc = ${desc}`);

/** The simulator's own limit: real swarms accept more, but a browser tab cannot hold them. */
export const MAX_REPLICAS = 20_000;

const DNS_COMPONENT = /^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$/;

/** The daemon's conversion of an update/rollback config to swarmkit's (strings it cannot map). */
function convertUpdateConfig(u: UpdateConfig | undefined, what: 'update' | 'rollback'): void {
  if (!u) return;
  if (u.FailureAction !== undefined && !['', 'pause', 'continue', 'rollback'].includes(u.FailureAction as string)) {
    throw new ApiError(400, `unrecognized ${what} failure action ${u.FailureAction}`);
  }
  if (u.Order !== undefined && !['', 'stop-first', 'start-first'].includes(u.Order as string)) {
    throw new ApiError(400, `unrecognized ${what} order ${u.Order}`);
  }
}

/** swarmkit's validateUpdate. */
function checkUpdateConfig(u: UpdateConfig | undefined, what: 'update' | 'rollback'): void {
  if (!u) return;
  if (what === 'rollback' && u.FailureAction === 'rollback') {
    throw invalid('TaskSpec: rollback-failureaction cannot be rollback');
  }
  if (!Number.isFinite(u.Parallelism) || u.Parallelism < 0) throw invalid(`TaskSpec: ${what}-parallelism cannot be negative`);
  if ((u.Delay ?? 0) < 0) throw invalid(`TaskSpec: ${what}-delay cannot be negative`);
  if ((u.Monitor ?? 0) < 0) throw invalid(`TaskSpec: ${what}-monitor cannot be negative`);
  if (!(u.MaxFailureRatio >= 0 && u.MaxFailureRatio <= 1)) {
    throw invalid(`TaskSpec: ${what}-maxfailureratio cannot be less than 0 or bigger than 1`);
  }
}

const CONSTRAINT_KEY = /^[a-z_][a-z0-9\-_.]+$/i;
const CONSTRAINT_VALUE = /^[a-z0-9:\-_\s.*()?+[\]\\^$|/]+$/i;

/**
 * swarmkit's constraint.Parse: `key==value` or `key!=value`. Its errors are plain Go errors,
 * so gRPC reports them with code Unknown.
 */
function checkConstraints(constraints: readonly string[]): void {
  const unknown = (desc: string): ApiError => new ApiError(400, `rpc error: code = Unknown desc = ${desc}`);
  for (const expr of constraints) {
    const op = ['==', '!='].find((o) => expr.includes(o));
    if (op === undefined) throw unknown('constraint expected one operator from ==, !=');
    const at = expr.indexOf(op);
    const key = expr.slice(0, at).trim();
    const value = expr.slice(at + op.length).trim();
    if (!CONSTRAINT_KEY.test(key)) throw unknown(`key '${key}' is invalid`);
    if (!CONSTRAINT_VALUE.test(value)) throw unknown(`value '${value}' is invalid`);
  }
}

/** Throws the daemon's error for a spec it would refuse. */
export function validateServiceSpec(spec: ServiceSpec): void {
  if (!spec || typeof spec !== 'object') throw new ApiError(400, 'service spec must be a JSON object');
  if (typeof spec.Name !== 'string') throw new ApiError(400, 'json: cannot unmarshal into Go struct field ServiceSpec.Name of type string');
  // The daemon converts the spec for swarmkit first; strings it cannot map fail here.
  const restart = spec.TaskTemplate?.RestartPolicy?.Condition;
  if (restart !== undefined && !['', 'none', 'on-failure', 'any'].includes(restart as string)) {
    throw new ApiError(400, `invalid RestartCondition: ${JSON.stringify(restart)}`);
  }
  convertUpdateConfig(spec.UpdateConfig, 'update');
  convertUpdateConfig(spec.RollbackConfig, 'rollback');
  // Then swarmkit validates: name, task spec, mode, update configs, endpoint.
  if (spec.Name.length > 63 || !DNS_COMPONENT.test(spec.Name)) throw invalid('name must be valid as a DNS name component');
  const c = spec.TaskTemplate?.ContainerSpec;
  if (!c) throw invalid('ContainerSpec: missing in service spec');
  if (typeof c.Image !== 'string' || c.Image === '') throw invalid('ContainerSpec: image reference must be provided');
  if (!parseImageRef(c.Image)) throw invalid(`ContainerSpec: "${c.Image}" is not a valid repository/tag`);
  checkConstraints(spec.TaskTemplate.Placement?.Constraints ?? []);
  const mode = spec.Mode ?? {};
  if (mode.Global && mode.Replicated) throw invalid('ServiceSpec: mode must be either replicated or global');
  const replicas = mode.Replicated?.Replicas;
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
    throw new ApiError(400, 'json: cannot unmarshal number into Go struct field ReplicatedService.Mode.Replicated.Replicas of type uint64');
  }
  if (replicas !== undefined && replicas > MAX_REPLICAS) {
    throw invalid(`Swarm Lab's simulated swarm runs at most ${MAX_REPLICAS} replicas per service`);
  }
  checkUpdateConfig(spec.UpdateConfig, 'update');
  checkUpdateConfig(spec.RollbackConfig, 'rollback');
  for (const p of spec.EndpointSpec?.Ports ?? []) {
    if (!p.TargetPort || p.TargetPort < 1 || p.TargetPort > 65535) throw invalid('EndpointSpec: port target port must be between 1 and 65535');
    if (p.PublishedPort !== undefined && (p.PublishedPort < 0 || p.PublishedPort > 65535)) {
      throw invalid('EndpointSpec: port published port must be between 0 and 65535');
    }
  }
  checkEndpointSpec(spec);
}

const protocolOf = (p: PortConfig): string => p.Protocol || 'tcp';
const modeOf = (p: PortConfig): string => p.PublishMode || 'ingress';

/** swarmkit's validateEndpointSpec: no ingress port under dnsrr, no published port (per protocol) twice. */
function checkEndpointSpec(spec: ServiceSpec): void {
  const seen = new Set<string>();
  for (const p of spec.EndpointSpec?.Ports ?? []) {
    if (spec.EndpointSpec?.Mode === 'dnsrr' && modeOf(p) === 'ingress') {
      throw invalid("EndpointSpec: port published with ingress mode can't be used with dnsrr mode");
    }
    if (!p.PublishedPort) continue;
    const key = `${p.PublishedPort}/${protocolOf(p)}`;
    if (seen.has(key)) throw invalid('EndpointSpec: duplicate published ports provided');
    seen.add(key);
  }
}

/**
 * swarmkit's checkPortConflicts, after the spec itself passed: a published port another service
 * holds in ingress mode is taken for any mode, and one another holds in host mode only for
 * ingress (services may share a host-mode port; the scheduler keeps them on different nodes).
 */
export function checkPortConflicts(spec: ServiceSpec, serviceId: string, others: Iterable<{ id: string; spec: ServiceSpec }>): void {
  const ingress = new Set<string>();
  const host = new Set<string>();
  for (const p of spec.EndpointSpec?.Ports ?? []) {
    if (!p.PublishedPort) continue;
    (modeOf(p) === 'host' ? host : ingress).add(`${p.PublishedPort}/${protocolOf(p)}`);
  }
  if (ingress.size === 0 && host.size === 0) return;
  for (const other of others) {
    if (other.id === serviceId) continue;
    for (const p of other.spec.EndpointSpec?.Ports ?? []) {
      if (!p.PublishedPort) continue;
      const key = `${p.PublishedPort}/${protocolOf(p)}`;
      const name = `'${other.spec.Name}' (${other.id})`;
      // swarmkit's wording names the mode of the port already there (its texts read the other way round).
      if (modeOf(p) === 'host' && ingress.has(key)) throw invalid(`port '${p.PublishedPort}' is already in use by service ${name} as a host-published port`);
      if (modeOf(p) === 'ingress' && (ingress.has(key) || host.has(key))) {
        throw invalid(`port '${p.PublishedPort}' is already in use by service ${name} as an ingress port`);
      }
    }
  }
}
