// The guarded Engine API of local mode: every call the docker CLI makes on the server goes
// through here before it reaches the real daemon (local-mode-security.md, items 8-12).
//  - reads pass, except that the manager join token never leaves the server;
//  - service specs are validated field by field on create AND update (spec-policy.ts), and
//    every service Swarm Lab creates carries MANAGED_LABEL;
//  - node updates may change the availability only;
//  - swarm membership calls, node removal and registry lookups are refused outright;
//  - scoped (the learner's own daemon): only services carrying MANAGED_LABEL are visible or
//    changeable, and the worker join token stays private too.
// Refusals are ApiError(403) so the CLI prints them as docker prints a daemon's error.
// Pure (no Node built-ins).
import type {
  ServiceCreateResponse,
  ServiceLogsOptions,
  ServiceUpdateOptions,
  ServiceUpdateResponse,
  SwarmApi,
  SwarmUpdateOptions,
} from '../../api/swarm-api.js';
import { ApiError } from '../../api/swarm-api.js';
import type {
  ContainerSummary,
  DistributionInspect,
  Filters,
  Info,
  LogLine,
  Node,
  NodeSpec,
  Service,
  ServiceSpec,
  Swarm,
  SwarmInitRequest,
  SwarmJoinRequest,
  Task,
  VersionInfo,
} from '../../api/types.js';
import { NOT_AVAILABLE } from './command-policy.js';
import type { SpecPolicyOptions } from './spec-policy.js';
import { DEFAULT_IMAGES, serviceSpecProblem } from './spec-policy.js';

export const MANAGED_LABEL_KEY = 'io.swarm-lab.managed';
export const MANAGED_LABEL = `${MANAGED_LABEL_KEY}=true`;

/** What a redacted join token reads as: obviously not a token, so nobody tries to use it. */
export const REDACTED_TOKEN = '<redacted by Swarm Lab local mode>';

export interface GuardOptions {
  /** The learner's own daemon: label scoping, no published ports, no join tokens at all. */
  scoped: boolean;
  /** Preloaded images a service may use (default redis:7.4.0 and redis:7.4.1). */
  images?: ReadonlySet<string>;
}

const refused = (why: string): ApiError => new ApiError(403, `${NOT_AVAILABLE}: ${why}`);

/** Whether Swarm Lab created the service (only such services may ever be removed by a lesson reset). */
export const isManaged = (s: { Spec: { Labels?: Record<string, string> } }): boolean => s.Spec.Labels?.[MANAGED_LABEL_KEY] === 'true';

export class GuardedApi implements SwarmApi {
  private readonly specOptions: SpecPolicyOptions;

  constructor(
    private readonly backend: SwarmApi,
    private readonly opts: GuardOptions,
  ) {
    this.specOptions = { images: opts.images ?? DEFAULT_IMAGES, allowPublish: !opts.scoped };
  }

  // ------------------------------------------------------------ system (reads)

  ping(): Promise<string> {
    return this.backend.ping();
  }

  version(): Promise<VersionInfo> {
    return this.backend.version();
  }

  info(): Promise<Info> {
    return this.backend.info();
  }

  // ------------------------------------------------------------ swarm

  async swarmInspect(): Promise<Swarm> {
    const swarm = await this.backend.swarmInspect();
    // The manager token would let anyone who sees it join a manager to this swarm.
    return {
      ...swarm,
      JoinTokens: { Worker: this.opts.scoped ? REDACTED_TOKEN : swarm.JoinTokens.Worker, Manager: REDACTED_TOKEN },
    };
  }

  swarmInit(_req: SwarmInitRequest): Promise<string> {
    return Promise.reject(refused('the swarm is formed by Swarm Lab, not from the terminal (swarm init)'));
  }

  swarmJoin(_req: SwarmJoinRequest): Promise<void> {
    return Promise.reject(refused('the swarm is formed by Swarm Lab, not from the terminal (swarm join)'));
  }

  swarmLeave(_force: boolean): Promise<void> {
    return Promise.reject(refused('leaving the swarm (swarm leave)'));
  }

  swarmUpdate(_version: number, _spec: Swarm['Spec'], _opts?: SwarmUpdateOptions): Promise<void> {
    return Promise.reject(refused('changing the swarm (swarm update, token rotation)'));
  }

  // ------------------------------------------------------------ nodes

  nodeList(filters?: Filters): Promise<Node[]> {
    return this.backend.nodeList(filters);
  }

  nodeInspect(idOrName: string): Promise<Node> {
    return this.backend.nodeInspect(idOrName);
  }

  /** Only Availability may change: same role (no promotion), same labels, same name. */
  async nodeUpdate(id: string, version: number, spec: NodeSpec): Promise<void> {
    const availability: unknown = spec?.Availability;
    if (availability !== 'active' && availability !== 'pause' && availability !== 'drain') {
      throw refused(`node availability ${JSON.stringify(availability)}`);
    }
    const allowedKeys = ['Name', 'Labels', 'Role', 'Availability'];
    const extra = Object.keys(spec).find((k) => !allowedKeys.includes(k));
    if (extra !== undefined) throw refused(`node spec field ${extra}`);
    const current = await this.backend.nodeInspect(id);
    if (spec.Role !== current.Spec.Role) throw refused('changing a node\'s role (promote/demote)');
    if (JSON.stringify(spec.Labels ?? {}) !== JSON.stringify(current.Spec.Labels ?? {})) throw refused('changing node labels');
    if ((spec.Name ?? '') !== (current.Spec.Name ?? '')) throw refused('renaming a node');
    // Write back the node's own spec with only the availability changed.
    return this.backend.nodeUpdate(current.ID, version, { ...current.Spec, Availability: availability });
  }

  nodeRemove(_id: string, _force: boolean): Promise<void> {
    return Promise.reject(refused('removing a node (node rm)'));
  }

  // ------------------------------------------------------------ services

  async serviceCreate(spec: ServiceSpec): Promise<ServiceCreateResponse> {
    const problem = serviceSpecProblem(spec, this.specOptions);
    if (problem !== undefined) throw refused(problem);
    return this.backend.serviceCreate({ ...spec, Labels: { ...spec.Labels, [MANAGED_LABEL_KEY]: 'true' } });
  }

  serviceList(opts?: { filters?: Filters; status?: boolean }): Promise<Service[]> {
    if (!this.opts.scoped) return this.backend.serviceList(opts);
    const filters = { ...(opts?.filters ?? {}) };
    filters.label = [...(filters.label ?? []), MANAGED_LABEL];
    return this.backend.serviceList({ ...opts, filters }).then((list) => list.filter(isManaged));
  }

  async serviceInspect(idOrName: string, opts?: { insertDefaults?: boolean }): Promise<Service> {
    const s = await this.backend.serviceInspect(idOrName, opts);
    if (this.opts.scoped && !isManaged(s)) throw refused(`service ${idOrName} was not created by Swarm Lab; your own services are left alone`);
    return s;
  }

  async serviceUpdate(id: string, version: number, spec: ServiceSpec, opts?: ServiceUpdateOptions): Promise<ServiceUpdateResponse> {
    // The whole spec is re-sent on update: validate all of it, then check the target.
    const problem = serviceSpecProblem(spec, this.specOptions, 'update');
    if (problem !== undefined) throw refused(problem);
    const current = await this.serviceInspect(id);
    const labels = { ...spec.Labels };
    if (isManaged(current)) labels[MANAGED_LABEL_KEY] = 'true';
    return this.backend.serviceUpdate(current.ID, version, { ...spec, Labels: labels }, opts);
  }

  async serviceDelete(idOrName: string): Promise<void> {
    const current = await this.serviceInspect(idOrName);
    return this.backend.serviceDelete(current.ID);
  }

  async serviceLogs(idOrName: string, opts?: ServiceLogsOptions): Promise<LogLine[]> {
    const current = await this.serviceInspect(idOrName);
    return this.backend.serviceLogs(current.ID, opts);
  }

  // ------------------------------------------------------------ tasks and containers

  private async managedServiceIds(): Promise<Set<string>> {
    const list = await this.serviceList();
    return new Set(list.map((s) => s.ID));
  }

  async taskList(filters?: Filters): Promise<Task[]> {
    const tasks = await this.backend.taskList(filters);
    if (!this.opts.scoped) return tasks;
    const ids = await this.managedServiceIds();
    return tasks.filter((t) => ids.has(t.ServiceID));
  }

  async taskInspect(id: string): Promise<Task> {
    const task = await this.backend.taskInspect(id);
    if (this.opts.scoped && !(await this.managedServiceIds()).has(task.ServiceID)) throw new ApiError(404, `no such task: ${id}`);
    return task;
  }

  async containerList(opts?: { all?: boolean }): Promise<ContainerSummary[]> {
    const list = await this.backend.containerList(opts);
    if (!this.opts.scoped) return list;
    // On the learner's daemon only the containers of Swarm Lab's services are shown.
    const ids = await this.managedServiceIds().catch(() => new Set<string>());
    return list.filter((c) => ids.has(c.Labels['com.docker.swarm.service.id'] ?? ''));
  }

  /** Never asks a registry: the CLI then prints its usual "could not be accessed" warning. */
  distributionInspect(_image: string): Promise<DistributionInspect> {
    return Promise.reject(refused('registry lookups'));
  }
}
