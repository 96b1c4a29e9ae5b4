// The guarded Engine API of local mode: every call the docker CLI makes on the server goes
// through here before it reaches the real daemon (local-mode-security.md, items 8-12).
//  - service specs are validated field by field on create AND update (spec-policy.ts), and
//    every service Swarm Lab creates carries MANAGED_LABEL;
//  - label scoping, on the sandbox and on the learner's own daemon alike: only services carrying
//    MANAGED_LABEL (and their tasks and containers) are ever read, listed or changed. A name or
//    ID is looked up among Swarm Lab's services first (one list call filtered by the label), so a
//    line naming one of the learner's own services never reads it: it is "not found";
//  - resource caps: at most MAX_SERVICES services and MAX_TOTAL_REPLICAS replicas of Swarm Lab's,
//    checked before any write;
//  - node updates may change the availability only, on the sandbox only, and each change is
//    remembered (ledger.ts) so it can be put back; on the learner's daemon they are refused;
//  - swarm membership calls, node removal and registry lookups are refused outright;
//  - the manager join token never leaves the server; on the learner's daemon neither does the
//    worker token, and `info` carries only the fields `docker info` prints.
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
import { ApiError, isApiError } from '../../api/swarm-api.js';
import type {
  ContainerSummary,
  DistributionInspect,
  Filters,
  Info,
  LogLine,
  Network,
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
import { NODES_ON_OWN_DAEMON, NOT_AVAILABLE, NOT_OURS } from './command-policy.js';
import { LocalLedger } from './ledger.js';
import type { SpecPolicyOptions } from './spec-policy.js';
import { DEFAULT_IMAGES, serviceSpecProblem } from './spec-policy.js';

export const MANAGED_LABEL_KEY = 'io.swarm-lab.managed';
export const MANAGED_LABEL = `${MANAGED_LABEL_KEY}=true`;

/** What a redacted join token reads as: obviously not a token, so nobody tries to use it. */
export const REDACTED_TOKEN = '<redacted by Swarm Lab local mode>';

/**
 * What Swarm Lab may run on a real swarm at once. The lessons need at most two services and
 * eight replicas (helloworld scaled to 5 in scale-service, still there while redis runs 3 in
 * rolling-update or drain-node); the caps leave room for trying things, not for filling a machine.
 */
export const MAX_SERVICES = 5;
export const MAX_TOTAL_REPLICAS = 20;

export interface GuardOptions {
  /** The learner's own daemon: no node changes, no published ports, no join tokens, a trimmed `info`. */
  scoped: boolean;
  /** Preloaded images a service may use (default redis:7.4.0 and redis:7.4.1). */
  images?: ReadonlySet<string>;
  /** The server's memory of node changes and its write queue (default: one of this guard's own). */
  ledger?: LocalLedger;
  /**
   * The first manager's connection, for finding Swarm Lab's services when this connection is a
   * worker's (`docker ps` after `ssh worker1`). Default: this connection.
   */
  manager?: SwarmApi;
}

const refused = (why: string): ApiError => new ApiError(403, `${NOT_AVAILABLE}: ${why}`);

/** Whether Swarm Lab created the service (only such services may ever be read, changed or removed). */
export const isManaged = (s: { Spec: { Labels?: Record<string, string> } }): boolean => s.Spec.Labels?.[MANAGED_LABEL_KEY] === 'true';

const replicasOf = (spec: ServiceSpec | undefined): number => (spec?.Mode?.Global ? 0 : (spec?.Mode?.Replicated?.Replicas ?? 1));

/** The fields of /info that `docker info` prints (engine/api/types.ts Info): nothing else leaves the learner's daemon. */
const INFO_FIELDS: readonly (keyof Info)[] = [
  'ID', 'Containers', 'ContainersRunning', 'ContainersPaused', 'ContainersStopped', 'Images', 'Driver', 'Name', 'ServerVersion',
  'OperatingSystem', 'OSType', 'Architecture', 'KernelVersion', 'NCPU', 'MemTotal', 'Swarm', 'DriverStatus', 'LoggingDriver',
  'CgroupDriver', 'CgroupVersion', 'Plugins', 'Runtimes', 'DefaultRuntime', 'InitBinary', 'ContainerdCommit', 'RuncCommit',
  'InitCommit', 'SecurityOptions', 'DockerRootDir', 'Debug', 'ExperimentalBuild', 'LiveRestoreEnabled', 'Warnings',
];

export class GuardedApi implements SwarmApi {
  private readonly specOptions: SpecPolicyOptions;
  private readonly ledger: LocalLedger;

  constructor(
    private readonly backend: SwarmApi,
    private readonly opts: GuardOptions,
  ) {
    this.specOptions = { images: opts.images ?? DEFAULT_IMAGES, allowPublish: !opts.scoped };
    this.ledger = opts.ledger ?? new LocalLedger();
  }

  // ------------------------------------------------------------ system (reads)

  ping(): Promise<string> {
    return this.backend.ping();
  }

  version(): Promise<VersionInfo> {
    return this.backend.version();
  }

  async info(): Promise<Info> {
    const info = await this.backend.info();
    if (!this.opts.scoped) return info;
    // The learner's daemon may report proxies (with credentials), labels, registry mirrors…:
    // only what `docker info` prints passes.
    const out: Record<string, unknown> = {};
    for (const k of INFO_FIELDS) if (info[k] !== undefined) out[k] = info[k];
    if (info.RegistryConfig) out['RegistryConfig'] = { InsecureRegistryCIDRs: info.RegistryConfig.InsecureRegistryCIDRs ?? [] };
    return out as unknown as Info;
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

  /**
   * Only Availability may change (same role, labels and name), and only on the sandbox, whose
   * nodes are Swarm Lab's: on the learner's swarm a drain moves their own services' tasks.
   * Every change is remembered with what the node was before, to be put back.
   */
  async nodeUpdate(id: string, version: number, spec: NodeSpec): Promise<void> {
    if (this.opts.scoped) throw refused(NODES_ON_OWN_DAEMON);
    const availability: unknown = spec?.Availability;
    if (availability !== 'active' && availability !== 'pause' && availability !== 'drain') {
      throw refused(`node availability ${JSON.stringify(availability)}`);
    }
    const allowedKeys = ['Name', 'Labels', 'Role', 'Availability'];
    const extra = Object.keys(spec).find((k) => !allowedKeys.includes(k));
    if (extra !== undefined) throw refused(`node spec field ${extra}`);
    return this.ledger.serial(async () => {
      const current = await this.backend.nodeInspect(id);
      if (spec.Role !== current.Spec.Role) throw refused('changing a node\'s role (promote/demote)');
      if (JSON.stringify(spec.Labels ?? {}) !== JSON.stringify(current.Spec.Labels ?? {})) throw refused('changing node labels');
      if ((spec.Name ?? '') !== (current.Spec.Name ?? '')) throw refused('renaming a node');
      // Write back the node's own spec with only the availability changed, remembering what it was.
      this.ledger.nodeChanging(current.ID, current.Description.Hostname, current.Spec.Availability);
      await this.backend.nodeUpdate(current.ID, version, { ...current.Spec, Availability: availability });
      this.ledger.nodeChanged(current.ID, availability);
    });
  }

  nodeRemove(_id: string, _force: boolean): Promise<void> {
    return Promise.reject(refused('removing a node (node rm)'));
  }

  // ------------------------------------------------------------ Swarm Lab's services

  /** Swarm Lab's services on `api` (this connection by default): one list call filtered by the label. */
  private async managed(api: SwarmApi = this.backend): Promise<Service[]> {
    const list = await api.serviceList({ filters: { label: [MANAGED_LABEL] } });
    return list.filter(isManaged);
  }

  private notFound(ref: string): ApiError {
    // On the learner's daemon say why a service they can see with their own docker CLI is "not found".
    return new ApiError(404, this.opts.scoped ? `service ${ref} not found (${NOT_OURS})` : `service ${ref} not found`);
  }

  /** The Swarm Lab service `ref` names, matched as the daemon matches: full ID, exact name, unique ID prefix. */
  private resolve(ref: string, list: Service[]): Service {
    const exact = list.find((s) => s.ID === ref) ?? list.find((s) => s.Spec.Name === ref);
    if (exact) return exact;
    const prefixed = ref === '' ? [] : list.filter((s) => s.ID.startsWith(ref));
    if (prefixed.length > 1) throw new ApiError(400, `service ${ref} is ambiguous (${prefixed.length} matches found)`);
    if (prefixed[0]) return prefixed[0];
    throw this.notFound(ref);
  }

  /** The resource caps, asked before a write: what the swarm would hold afterwards. */
  private capProblem(list: Service[], change: { adds: boolean; replicas: number; replacing?: Service }): string | undefined {
    const others = list.filter((s) => s.ID !== change.replacing?.ID);
    const names = (): string => others.map((s) => `${s.Spec.Name} ${replicasOf(s.Spec)}`).join(', ');
    if (change.adds && others.length >= MAX_SERVICES) {
      return (
        `Swarm Lab runs at most ${MAX_SERVICES} services on a real swarm and has ${others.length} (${others.map((s) => s.Spec.Name).join(', ')}). ` +
        'Remove one first (docker service rm NAME), or reset the lesson.'
      );
    }
    const total = others.reduce((n, s) => n + replicasOf(s.Spec), 0) + change.replicas;
    const before = change.replacing ? replicasOf(change.replacing.Spec) : 0;
    if (total > MAX_TOTAL_REPLICAS && change.replicas > before) {
      return (
        `Swarm Lab runs at most ${MAX_TOTAL_REPLICAS} replicas in all on a real swarm; this would make ${total}` +
        `${others.length > 0 ? ` (the others: ${names()})` : ''}. Scale a service down or remove one first.`
      );
    }
    return undefined;
  }

  async serviceCreate(spec: ServiceSpec): Promise<ServiceCreateResponse> {
    const problem = serviceSpecProblem(spec, this.specOptions);
    if (problem !== undefined) throw refused(problem);
    return this.ledger.serial(async () => {
      const cap = this.capProblem(await this.managed(), { adds: true, replicas: replicasOf(spec) });
      if (cap !== undefined) throw refused(cap);
      return this.backend.serviceCreate({ ...spec, Labels: { ...spec.Labels, [MANAGED_LABEL_KEY]: 'true' } });
    });
  }

  serviceList(opts?: { filters?: Filters; status?: boolean }): Promise<Service[]> {
    const filters = { ...(opts?.filters ?? {}) };
    filters.label = [...(filters.label ?? []), MANAGED_LABEL];
    return this.backend.serviceList({ ...opts, filters }).then((list) => list.filter(isManaged));
  }

  async serviceInspect(idOrName: string, opts?: { insertDefaults?: boolean }): Promise<Service> {
    const target = this.resolve(idOrName, await this.managed());
    const s = await this.backend.serviceInspect(target.ID, opts);
    if (!isManaged(s)) throw this.notFound(idOrName);
    return s;
  }

  async serviceUpdate(id: string, version: number, spec: ServiceSpec, opts?: ServiceUpdateOptions): Promise<ServiceUpdateResponse> {
    // The whole spec is re-sent on update: validate all of it, then check the target.
    const problem = serviceSpecProblem(spec, this.specOptions, 'update');
    if (problem !== undefined) throw refused(problem);
    return this.ledger.serial(async () => {
      const list = await this.managed();
      const current = this.resolve(id, list);
      // A rollback makes the previous spec current: its replicas are what count.
      const next = opts?.rollback === 'previous' ? (current.PreviousSpec ?? current.Spec) : spec;
      const cap = this.capProblem(list, { adds: false, replicas: replicasOf(next), replacing: current });
      if (cap !== undefined) throw refused(cap);
      return this.backend.serviceUpdate(current.ID, version, { ...spec, Labels: { ...spec.Labels, [MANAGED_LABEL_KEY]: 'true' } }, opts);
    });
  }

  async serviceDelete(idOrName: string): Promise<void> {
    const current = this.resolve(idOrName, await this.managed());
    return this.backend.serviceDelete(current.ID);
  }

  async serviceLogs(idOrName: string, opts?: ServiceLogsOptions): Promise<LogLine[]> {
    const current = this.resolve(idOrName, await this.managed());
    return this.backend.serviceLogs(current.ID, opts);
  }

  // ------------------------------------------------------------ tasks and containers

  /**
   * Tasks of Swarm Lab's services only: the daemon is asked with a `service` filter naming them
   * (a service the caller named is looked up among them first), so no other task is read.
   */
  async taskList(filters?: Filters): Promise<Task[]> {
    const list = await this.managed();
    const query: Filters = { ...(filters ?? {}) };
    if (query.service !== undefined && query.service.length > 0) {
      query.service = [...new Set(query.service.map((ref) => this.resolve(ref, list).ID))];
    } else {
      if (list.length === 0) return [];
      query.service = list.map((s) => s.ID);
    }
    const ids = new Set(list.map((s) => s.ID));
    const tasks = await this.backend.taskList(query);
    return tasks.filter((t) => ids.has(t.ServiceID));
  }

  async taskInspect(id: string): Promise<Task> {
    const tasks = await this.taskList();
    const exact = tasks.find((t) => t.ID === id);
    const prefixed = id === '' ? [] : tasks.filter((t) => t.ID.startsWith(id));
    const task = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
    if (!task) throw new ApiError(404, `task ${id} not found`);
    return task;
  }

  /**
   * The containers of Swarm Lab's services on this machine: one request per service, filtered by
   * the label swarm puts on its task containers, so the learner's own containers are never read.
   */
  async containerList(opts?: { all?: boolean }): Promise<ContainerSummary[]> {
    let list: Service[];
    try {
      list = await this.managed(this.opts.manager ?? this.backend);
    } catch (e) {
      // A daemon that answers but has no swarm to ask (not in swarm mode, not a manager) has no
      // Swarm Lab containers either; one that does not answer is reported as such.
      if (isApiError(e)) return [];
      throw e;
    }
    const out: ContainerSummary[] = [];
    for (const s of list) {
      const query: { all?: boolean; filters: Filters } = { ...(opts?.all ? { all: true } : {}), filters: { label: [`${SERVICE_ID_LABEL}=${s.ID}`] } };
      // DockerodeApi sends `filters`; the SwarmApi interface only promises `all`, so the result is checked again here.
      const found = await this.backend.containerList(query);
      out.push(...found.filter((c) => c.Labels[SERVICE_ID_LABEL] === s.ID));
    }
    return out;
  }

  // ------------------------------------------------------------ networks (reads)

  /** The backend reads only the networks every swarm node has (DockerodeApi.networkList). */
  networkList(filters?: Filters): Promise<Network[]> {
    return this.backend.networkList(filters);
  }

  /**
   * On the learner's own daemon (scoped) an endpoint is shown only when it is a node's ingress
   * sandbox or a container of Swarm Lab's services: the names of the learner's tasks stay private.
   */
  async networkInspect(idOrName: string, opts?: { verbose?: boolean }): Promise<Network> {
    const n = await this.backend.networkInspect(idOrName, opts);
    if (!this.opts.scoped) return n;
    const names = new Set((await this.managed(this.opts.manager ?? this.backend).catch(() => [] as Service[])).map((s) => s.Spec.Name));
    const ours = (task: string): boolean => names.has(task.slice(0, task.indexOf('.')));
    const containers = Object.fromEntries(Object.entries(n.Containers ?? {}).filter(([k, e]) => k === 'ingress-sbox' || ours(e.Name)));
    const services = n.Services && Object.fromEntries(Object.entries(n.Services).filter(([k]) => k === '' || names.has(k)));
    return { ...n, Containers: containers, ...(services ? { Services: services } : {}) };
  }

  /** Never asks a registry: the CLI then prints its usual "could not be accessed" warning. */
  distributionInspect(_image: string): Promise<DistributionInspect> {
    return Promise.reject(refused('registry lookups'));
  }
}

/** The label swarm puts on every task container: its service's ID. */
const SERVICE_ID_LABEL = 'com.docker.swarm.service.id';
