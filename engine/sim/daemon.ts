// One simulated machine's Docker daemon, implementing the Engine-API-shaped SwarmApi.
// It answers as dockerd does: manager-only calls fail on workers and outside a swarm with
// the daemon's texts, lookups accept full IDs, names and unique ID prefixes, updates
// need the current version index, and errors carry the daemon's status codes.
import type {
  SwarmUpdateOptions,
  ServiceCreateResponse,
  ServiceLogsOptions,
  ServiceUpdateOptions,
  ServiceUpdateResponse,
  SwarmApi,
} from '../api/swarm-api.js';
import { ApiError, DaemonUnreachableError } from '../api/swarm-api.js';
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
  TaskState,
  VersionInfo,
} from '../api/types.js';
import { humanDuration } from '../cli/format/human-duration.js';
import { newJoinToken } from './ids.js';
import { findImage } from './images.js';
import type { CatalogImage } from './images.js';
import { activeHealthcheck, healthVerdict, probePasses } from './health.js';
import { TIMING } from './timing.js';
import type { Machine, NodeRecord, ServiceRecord, TaskRecord } from './model.js';
import { containerName } from './agent.js';
import { taskName } from './names.js';
import { randomName } from './names.js';
import type { Simulator } from './simulator.js';
import { isTaskDirty } from './dirty.js';
import { tailCount, tailPerTask } from './logs.js';
import { freeze, sameTaskSpec, storedSpec } from './spec.js';
import { checkPortConflicts, validateServiceSpec } from './validate.js';
import { API_VERSION, ENGINE_VERSION } from './views.js';
import { LOST_QUORUM_TIMEOUT_MS } from './raft.js';

const NOT_IN_SWARM =
  'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
const WORKER =
  "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";
const ALREADY_IN_SWARM =
  'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.';

/** What a manager says when the swarm has no leader (swarmkit's lostQuorumMessage). */
export const LOST_QUORUM =
  "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";

/** How long dockerd waits for a swarm request (moby's swarmRequestTimeout). */
const SWARM_REQUEST_TIMEOUT_MS = 20_000;

const DESIRED_FILTER_STATES: readonly TaskState[] = ['running', 'shutdown', 'accepted', 'ready'];

/** Views a yielding read builds between two turns of the host's event loop (~10 ms of work). */
const VIEW_SLICE = 4_000;

export class SimulatedDaemon implements SwarmApi {
  constructor(
    private readonly sim: Simulator,
    private readonly machine: Machine,
  ) {}

  private get cluster() {
    return this.sim.cluster;
  }

  private get views() {
    return this.sim.views;
  }

  /** This machine's swarm node, if it is in the swarm. */
  private ownNode(): NodeRecord | undefined {
    const id = this.machine.nodeId;
    return id ? this.cluster.nodes.get(id) : undefined;
  }

  /**
   * Manager-only calls. A write needs a leader with a quorum behind it to commit: without one
   * it is refused at once (a real swarm's waits for a leader too, up to 20 s; a write made
   * later than it was asked for could not be replayed from the swarm's recipe).
   */
  private async requireManager(write = false): Promise<void> {
    const node = this.ownNode();
    if (!node || !this.cluster.swarm) throw new ApiError(503, NOT_IN_SWARM);
    if (node.role !== 'manager') throw new ApiError(503, WORKER);
    if (write && !(this.sim.raft.hasLeader() && this.sim.raft.hasQuorum())) throw new ApiError(500, `rpc error: code = Unknown desc = ${LOST_QUORUM}`);
    await this.leader(this.sim.clock.now + SWARM_REQUEST_TIMEOUT_MS);
  }

  /**
   * Control requests go to the leader (swarmkit's raft proxy). Without one, a swarm that has
   * had none for more than 10 raft ticks is refused at once with swarmkit's lost-quorum text;
   * before that the request waits for one, polling every second, until the daemon's request
   * times out (`deadline`). Without a host to wait on (`Simulator.wait`) it is refused at once.
   */
  private async leader(deadline: number): Promise<void> {
    const raft = this.sim.raft;
    const clock = this.sim.clock;
    if (raft.hasLeader()) return;
    const wait = this.sim.wait;
    if (!wait || clock.now - raft.leaderlessSince! > LOST_QUORUM_TIMEOUT_MS) throw new ApiError(500, `rpc error: code = Unknown desc = ${LOST_QUORUM}`);
    // Once waiting, swarmkit's LeaderConn only looks for a leader (it does not count again).
    while (!raft.hasLeader()) {
      if (clock.now >= deadline) throw new ApiError(500, 'rpc error: code = DeadlineExceeded desc = context deadline exceeded');
      await wait(Math.min(1_000, deadline - clock.now));
    }
  }

  /** A stopped dockerd answers nothing: the CLI cannot connect. */
  private up(): void {
    if (this.machine.daemon !== 'running') throw new DaemonUnreachableError();
  }

  // ------------------------------------------------------------------ system

  async ping(): Promise<string> {
    this.up();
    return 'OK';
  }

  async version(): Promise<VersionInfo> {
    this.up();
    return {
      Version: this.machine.engineVersion,
      ApiVersion: API_VERSION,
      MinAPIVersion: '1.24',
      GitCommit: '45873be',
      GoVersion: 'go1.24.3',
      Os: 'linux',
      Arch: 'amd64',
      KernelVersion: '6.1.0-28-amd64',
      BuildTime: '2025-05-30T12:07:26.000000000+00:00',
    };
  }

  async info(): Promise<Info> {
    this.up();
    const node = this.ownNode();
    const sw = this.cluster.swarm;
    const containers = this.containersHere(true);
    const running = containers.filter((c) => c.State === 'running').length;
    const manager = !!node && node.role === 'manager' && !!sw;
    const managers = [...this.cluster.nodes.values()].filter((n) => n.role === 'manager');
    // Its cluster details come from the leader, within one request's time: without a leader
    // the Swarm section carries the error instead (moby's Cluster.Info).
    let error = '';
    if (manager) await this.leader(this.sim.clock.now + SWARM_REQUEST_TIMEOUT_MS).catch((e: Error) => void (error = e.message));
    return {
      ID: this.machine.daemonId,
      Containers: containers.length,
      ContainersRunning: running,
      ContainersPaused: 0,
      ContainersStopped: containers.length - running,
      Images: this.machine.pulled.size,
      Driver: 'overlay2',
      Name: this.machine.hostname,
      ServerVersion: this.machine.engineVersion,
      OperatingSystem: 'Debian GNU/Linux 12 (bookworm)',
      OSType: 'linux',
      Architecture: 'x86_64',
      KernelVersion: '6.1.0-28-amd64',
      NCPU: this.machine.ncpu,
      // The component commits a Docker CE 28.2.2 engine reports.
      ContainerdCommit: { ID: '05044ec0a9a75232cad458027ca83437aae3f4da' },
      RuncCommit: { ID: 'v1.2.5-0-g59923ef' },
      InitCommit: { ID: 'de40ad0' },
      MemTotal: this.machine.memBytes,
      Swarm: {
        NodeID: node?.id ?? '',
        NodeAddr: node ? this.machine.addr : '',
        LocalNodeState: node && sw ? 'active' : 'inactive',
        ControlAvailable: manager,
        Error: error,
        RemoteManagers: node && sw ? managers.map((m) => ({ NodeID: m.id, Addr: `${m.machine.addr}:2377` })) : null,
        ...(manager && !error
          ? {
              Nodes: this.cluster.nodes.size,
              Managers: managers.length,
              Cluster: (({ JoinTokens: _, ...rest }) => rest)(this.views.swarm(sw!)),
            }
          : {}),
      },
    };
  }

  // ------------------------------------------------------------------ swarm

  async swarmInspect(): Promise<Swarm> {
    this.up();
    await this.requireManager();
    return this.views.swarm(this.cluster.swarm!);
  }

  async swarmInit(req: SwarmInitRequest): Promise<string> {
    this.up();
    if (this.ownNode()) throw new ApiError(503, ALREADY_IN_SWARM);
    if (this.cluster.swarm) {
      // The simulated machines share one cluster; a second, separate swarm is not modelled.
      // Once its last manager has left, it cannot be joined either: say how to start over.
      const managed = [...this.cluster.nodes.values()].some((n) => n.role === 'manager' && n.machine.nodeId === n.id);
      if (!managed) {
        throw new ApiError(
          503,
          'Swarm Lab simulates one swarm, and its last manager has left it: start a new simulated swarm to init again (the lesson\'s Reset button, or restart swarm-lab).',
        );
      }
      throw new ApiError(503, 'Swarm Lab simulates one swarm: join it with "docker swarm join" instead.');
    }
    const addr = (req.AdvertiseAddr ?? '').replace(/:\d+$/, '');
    if (addr && addr !== this.machine.addr) {
      throw new ApiError(
        400,
        `must specify a listening address because the address to advertise is not recognized as a system address, and a system's IP address to use could not be uniquely identified`,
      );
    }
    return this.sim.initSwarm(this.machine).id;
  }

  async swarmJoin(req: SwarmJoinRequest): Promise<void> {
    this.up();
    if (this.ownNode()) throw new ApiError(503, ALREADY_IN_SWARM);
    const sw = this.cluster.swarm;
    const token = req.JoinToken ?? '';
    if (!/^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/.test(token)) throw new ApiError(400, 'invalid join token');
    const managerAddrs = [...this.cluster.nodes.values()]
      .filter((n) => n.role === 'manager' && n.state === 'ready')
      .map((n) => n.machine.addr);
    const target = (req.RemoteAddrs ?? []).map((a) => a.replace(/:\d+$/, ''));
    if (!sw || !target.some((a) => managerAddrs.includes(a))) {
      throw new ApiError(
        503,
        'Timeout was reached before node joined. The attempt to join the swarm will continue in the background. Use the "docker info" command to see the current swarm status of your node.',
      );
    }
    if (token !== sw.workerToken && token !== sw.managerToken) {
      throw new ApiError(400, 'rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster');
    }
    this.sim.joinSwarm(this.machine, token === sw.managerToken ? 'manager' : 'worker');
  }

  async swarmLeave(force: boolean): Promise<void> {
    this.up();
    const node = this.ownNode();
    if (!node) throw new ApiError(503, 'This node is not part of a swarm');
    if (node.role === 'manager' && !force) {
      throw new ApiError(
        503,
        'You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.',
      );
    }
    this.sim.leaveSwarm(this.machine);
  }

  async swarmUpdate(version: number, spec: Swarm['Spec'], opts: SwarmUpdateOptions = {}): Promise<void> {
    this.up();
    await this.requireManager(true);
    const sw = this.cluster.swarm!;
    if (version !== sw.version) throw new ApiError(500, 'rpc error: code = Unknown desc = update out of sequence');
    const limit = spec?.Orchestration?.TaskHistoryRetentionLimit;
    if (limit !== undefined) {
      if (!Number.isInteger(limit)) throw new ApiError(400, 'json: cannot unmarshal number into Go struct field OrchestrationConfig.Orchestration.TaskHistoryRetentionLimit of type int64');
      sw.taskHistoryLimit = limit;
    }
    if (opts.rotateWorkerToken) sw.workerToken = newJoinToken(this.sim.rng, sw.caDigest36);
    if (opts.rotateManagerToken) sw.managerToken = newJoinToken(this.sim.rng, sw.caDigest36);
    sw.version = this.cluster.nextVersion();
    sw.updatedAt = this.sim.clock.now;
  }

  // ------------------------------------------------------------------ nodes

  async nodeList(filters: Filters = {}): Promise<Node[]> {
    this.up();
    await this.requireManager();
    checkFilterKeys(filters, ['id', 'label', 'name', 'node.label', 'membership', 'role']);
    return [...this.cluster.nodes.values()]
      .filter((n) => matchAny(filters['id'], (v) => n.id.startsWith(v)))
      .filter((n) => matchAny(filters['name'], (v) => n.hostname.startsWith(v)))
      .filter((n) => matchAny(filters['role'], (v) => n.role === v))
      .filter((n) => matchAny(filters['membership'], (v) => v === 'accepted'))
      .filter((n) => matchAny(filters['node.label'], (v) => labelMatches(n.labels, v)))
      .map((n) => this.views.node(n));
  }

  async nodeInspect(idOrName: string): Promise<Node> {
    this.up();
    await this.requireManager();
    return this.views.node(this.findNode(idOrName));
  }

  async nodeUpdate(id: string, version: number, spec: NodeSpec): Promise<void> {
    this.up();
    await this.requireManager(true);
    const node = this.findNode(id);
    if (!Number.isInteger(version)) throw new ApiError(400, `invalid node version '${String(version)}': strconv.ParseUint: parsing "${String(version)}": invalid syntax`);
    if (version !== node.version) throw new ApiError(500, 'rpc error: code = Unknown desc = update out of sequence');
    if (!['active', 'pause', 'drain'].includes(spec.Availability)) {
      throw new ApiError(400, `invalid Availability: "${String(spec.Availability)}"`);
    }
    if (!['worker', 'manager'].includes(spec.Role)) throw new ApiError(400, `invalid Role: "${String(spec.Role)}"`);
    if (spec.Role === 'worker' && node.role === 'manager') {
      const managers = [...this.cluster.nodes.values()].filter((n) => n.role === 'manager');
      if (managers.length === 1) {
        throw new ApiError(400, 'rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm');
      }
      if (node.leader) {
        // The leader hands over leadership to another manager before stepping down.
        const next = managers.find((m) => m !== node && m.state === 'ready');
        if (next) next.leader = true;
        node.leader = false;
      }
    }
    // A promoted node's raft member joins; the leader reaches it while its daemon runs.
    if (spec.Role === 'manager' && node.role !== 'manager') node.reachable = node.machine.daemon === 'running';
    node.role = spec.Role;
    node.labels = { ...(spec.Labels ?? {}) };
    node.version = this.cluster.nextVersion();
    node.updatedAt = this.sim.clock.now;
    if (node.availability !== spec.Availability) this.sim.setAvailability(node, spec.Availability);
  }

  async nodeRemove(id: string, force: boolean): Promise<void> {
    this.up();
    await this.requireManager(true);
    const node = this.findNode(id);
    if (node.role === 'manager') {
      throw new ApiError(
        400,
        `rpc error: code = FailedPrecondition desc = node ${node.id} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`,
      );
    }
    if (node.state !== 'down' && !force) {
      throw new ApiError(400, `rpc error: code = FailedPrecondition desc = node ${node.id} is not down and can't be removed`);
    }
    this.sim.removeNode(node);
  }

  private findNode(idOrName: string): NodeRecord {
    // No `self` here: the daemon does not know it (the CLI resolves it for inspect and ps
    // only, so `docker node rm self` is "node self not found" on a real swarm).
    const nodes = [...this.cluster.nodes.values()];
    const exact = nodes.find((n) => n.id === idOrName) ?? nodes.find((n) => n.hostname === idOrName);
    if (exact) return exact;
    const prefixed = idOrName ? nodes.filter((n) => n.id.startsWith(idOrName)) : [];
    if (prefixed.length === 1) return prefixed[0]!;
    if (prefixed.length > 1) throw new ApiError(400, `node ${idOrName} is ambiguous (${prefixed.length} matches found)`);
    throw new ApiError(404, `node ${idOrName} not found`);
  }

  // ------------------------------------------------------------------ services

  async serviceCreate(spec: ServiceSpec): Promise<ServiceCreateResponse> {
    this.up();
    await this.requireManager(true);
    const named = { ...spec, Name: spec?.Name || randomName(this.sim.rng) };
    validateServiceSpec(named);
    checkPortConflicts(named, '', this.cluster.services.values());
    for (const s of this.cluster.services.values()) {
      if (s.spec.Name === named.Name) {
        throw new ApiError(
          409,
          `rpc error: code = AlreadyExists desc = name conflicts with an existing object: service ${named.Name} already exists`,
        );
      }
    }
    const now = this.sim.clock.now;
    const record: ServiceRecord = {
      id: newServiceId(this.sim),
      spec: freeze(storedSpec(named)),
      createdAt: now,
      updatedAt: now,
      version: this.cluster.nextVersion(),
    };
    this.cluster.services.set(record.id, record);
    this.sim.serviceChanged(record);
    return { ID: record.id, Warnings: null };
  }

  async serviceList(opts: { filters?: Filters; status?: boolean } = {}): Promise<Service[]> {
    this.up();
    await this.requireManager();
    const filters = opts.filters ?? {};
    checkFilterKeys(filters, ['id', 'label', 'mode', 'name']);
    return [...this.cluster.services.values()]
      .filter((s) => matchAny(filters['id'], (v) => s.id.startsWith(v)))
      .filter((s) => matchAny(filters['name'], (v) => s.spec.Name.startsWith(v)))
      .filter((s) => matchAny(filters['mode'], (v) => (v === 'global') === !!s.spec.Mode.Global))
      .filter((s) => matchAny(filters['label'], (v) => labelMatches(s.spec.Labels, v)))
      .map((s) => {
        const view = this.views.service(s, false);
        return opts.status ? { ...view, ServiceStatus: this.serviceStatus(s) } : view;
      });
  }

  private serviceStatus(s: ServiceRecord) {
    let running = 0;
    let desiredGlobal = 0;
    // As moby counts them: tasks actually running (even while being stopped), and for
    // global services every task not meant to shut down.
    for (const t of this.cluster.tasksOf(s.id)) {
      if (t.state === 'running') running++;
      if (t.desired !== 'shutdown' && t.desired !== 'remove') desiredGlobal++;
    }
    const desired = s.spec.Mode.Global ? desiredGlobal : (s.spec.Mode.Replicated?.Replicas ?? 1);
    return { RunningTasks: running, DesiredTasks: desired, CompletedTasks: 0 };
  }

  async serviceInspect(idOrName: string, opts: { insertDefaults?: boolean } = {}): Promise<Service> {
    this.up();
    await this.requireManager();
    return this.views.service(this.findService(idOrName), opts.insertDefaults ?? false);
  }

  async serviceUpdate(
    id: string,
    version: number,
    spec: ServiceSpec,
    opts: ServiceUpdateOptions = {},
  ): Promise<ServiceUpdateResponse> {
    this.up();
    await this.requireManager(true);
    const s = this.findService(id);
    if (!Number.isInteger(version) || version < 0) {
      throw new ApiError(400, `invalid service version '${String(version)}': strconv.ParseUint: parsing "${String(version)}": invalid syntax`);
    }
    if (version !== s.version) throw new ApiError(500, 'rpc error: code = Unknown desc = update out of sequence');
    const now = this.sim.clock.now;
    if (opts.rollback === 'previous') {
      if (!s.previousSpec) {
        throw new ApiError(400, `rpc error: code = FailedPrecondition desc = service ${s.id} does not have a previous spec`);
      }
      const current = s.spec;
      s.spec = s.previousSpec;
      s.previousSpec = current;
      s.updateStatus = { state: 'rollback_started', startedAt: now, message: 'manually requested rollback' };
    } else {
      validateServiceSpec(spec);
      checkPortConflicts(spec, s.id, this.cluster.services.values());
      if (spec.Name !== s.spec.Name) throw new ApiError(400, 'rpc error: code = Unimplemented desc = renaming services is not supported');
      if (!!spec.Mode?.Global !== !!s.spec.Mode.Global) {
        throw new ApiError(400, 'rpc error: code = Unimplemented desc = service mode change is not allowed');
      }
      s.previousSpec = s.spec;
      s.spec = freeze(storedSpec(spec));
      delete s.updateStatus;
    }
    s.updatedAt = now;
    s.version = this.cluster.nextVersion();
    this.sim.serviceChanged(s);
    return { Warnings: null };
  }

  async serviceDelete(idOrName: string): Promise<void> {
    this.up();
    await this.requireManager(true);
    const s = this.findService(idOrName);
    this.cluster.services.delete(s.id);
    this.cluster.removed();
    this.sim.ingressAddresses.serviceRemoved(s.id);
    this.sim.orchestrator.serviceRemoved(s);
  }

  async serviceLogs(idOrName: string, opts: ServiceLogsOptions = {}): Promise<LogLine[]> {
    this.up();
    await this.requireManager();
    const now = this.sim.clock.now;
    let lines: readonly LogLine[];
    const service = this.tryFindService(idOrName);
    if (service) {
      lines = this.sim.logs.ofService(service.id, now);
    } else {
      const task = this.findTaskLoose(idOrName);
      if (!task) throw new ApiError(404, `service ${idOrName} not found`);
      lines = this.sim.logs.ofTask(task, now);
    }
    const tail = tailCount(opts.tail);
    // Unchanged lines come back as the same frozen array (see LogBook): callers only read them.
    return (tail !== undefined ? tailPerTask(lines, tail) : lines) as LogLine[];
  }

  private tryFindService(idOrName: string): ServiceRecord | undefined {
    try {
      return this.findService(idOrName);
    } catch {
      return undefined;
    }
  }

  private findService(idOrName: string): ServiceRecord {
    const services = [...this.cluster.services.values()];
    const exact = services.find((s) => s.id === idOrName) ?? services.find((s) => s.spec.Name === idOrName);
    if (exact) return exact;
    const prefixed = idOrName ? services.filter((s) => s.id.startsWith(idOrName)) : [];
    if (prefixed.length === 1) return prefixed[0]!;
    if (prefixed.length > 1) throw new ApiError(400, `service ${idOrName} is ambiguous (${prefixed.length} matches found)`);
    throw new ApiError(404, `service ${idOrName} not found`);
  }

  // ------------------------------------------------------------------ tasks

  async taskList(filters: Filters = {}): Promise<Task[]> {
    this.up();
    await this.requireManager();
    checkFilterKeys(filters, ['_up-to-date', 'desired-state', 'id', 'label', 'name', 'node', 'service']);
    for (const v of filters['desired-state'] ?? []) {
      if (!DESIRED_FILTER_STATES.includes(v as TaskState)) throw new ApiError(400, `Invalid desired-state filter: '${v}'`);
    }
    let candidates: Iterable<TaskRecord> = this.cluster.tasks.values();
    const serviceIds = (filters['service'] ?? []).map((v) => this.findService(v).id);
    if (serviceIds.length === 1) candidates = this.cluster.tasksOf(serviceIds[0]!);
    const nodeIds = (filters['node'] ?? []).map((v) => this.findNode(v).id);
    const found: TaskRecord[] = [];
    let scanned = 0;
    // The filters, looked up once: a poll of a huge service runs this loop 100,000 times.
    const ids = nonEmpty(filters['id']);
    const desired = nonEmpty(filters['desired-state']);
    const names = nonEmpty(filters['name']);
    const upToDate = !!filters['_up-to-date']?.length;
    for (const t of candidates) {
      scanned++;
      if (serviceIds.length > 0 && !serviceIds.includes(t.serviceId)) continue;
      if (nodeIds.length > 0 && !nodeIds.includes(t.nodeId)) continue;
      if (ids && !ids.some((v) => t.id.startsWith(v))) continue;
      if (desired && !desired.includes(t.desired)) continue;
      if (names && !names.some((v) => taskName(t, this.cluster).startsWith(v))) continue;
      if (upToDate) {
        const s = this.cluster.services.get(t.serviceId);
        if (!s || isTaskDirty(t, s.spec, this.cluster.nodes.get(t.nodeId))) continue;
      }
      found.push(t);
    }
    this.views.tasksRead += scanned;
    return this.taskViews(found);
  }

  /**
   * The views of `records`. Views are kept per task and rebuilt when it changed, which for a
   * huge service that churns is tens of thousands per poll (~100 ms): with a host that asks
   * for it, they are built in slices, giving the event loop back in between while the swarm
   * is held still (Simulator.reading), so the terminal keeps answering during the poll.
   */
  private async taskViews(records: readonly TaskRecord[]): Promise<Task[]> {
    const pause = this.sim.yieldToHost;
    if (!pause || records.length <= VIEW_SLICE) return records.map((t) => this.views.task(t));
    const out: Task[] = new Array<Task>(records.length);
    this.sim.reading++;
    try {
      for (let i = 0; i < records.length; i++) {
        if (i > 0 && i % VIEW_SLICE === 0) await pause();
        out[i] = this.views.task(records[i]!);
      }
    } finally {
      this.sim.reading--;
    }
    return out;
  }

  async taskInspect(id: string): Promise<Task> {
    this.up();
    await this.requireManager();
    const t = this.findTaskLoose(id);
    if (!t) throw new ApiError(404, `task ${id} not found`);
    return this.views.task(t);
  }

  private findTaskLoose(id: string): TaskRecord | undefined {
    const exact = this.cluster.tasks.get(id);
    if (exact) return exact;
    const prefixed = id ? [...this.cluster.tasks.values()].filter((t) => t.id.startsWith(id)) : [];
    return prefixed.length === 1 ? prefixed[0] : undefined;
  }

  // ------------------------------------------------------------------ networks

  private get networkScope() {
    return { cluster: this.cluster, ingress: this.sim.ingressAddresses, ts: (ms: number) => this.views.ts(ms) };
  }

  async networkList(filters: Filters = {}): Promise<Network[]> {
    this.up();
    // The network reads load on first use (engine/sim/networks.ts): most swarms never list them.
    const { filterNetworks, machineNetworks } = await import('./networks.js');
    this.up(); // still up once the module is in
    const detailed = filterNetworks(machineNetworks(this.networkScope, this.machine), filters);
    const keep = new Set(detailed.map((n) => n.Id));
    return machineNetworks(this.networkScope, this.machine, { list: true }).filter((n) => keep.has(n.Id));
  }

  async networkInspect(idOrName: string, opts: { verbose?: boolean } = {}): Promise<Network> {
    this.up();
    const { findNetwork, machineNetworks } = await import('./networks.js');
    this.up();
    return findNetwork(machineNetworks(this.networkScope, this.machine, { verbose: opts.verbose === true }), String(idOrName ?? ''));
  }

  // ------------------------------------------------------------------ containers

  async containerList(opts: { all?: boolean } = {}): Promise<ContainerSummary[]> {
    this.up();
    return this.containersHere(opts.all ?? false);
  }

  private containersHere(all: boolean): ContainerSummary[] {
    const nodeId = this.machine.nodeId;
    if (!nodeId) return [];
    const now = this.sim.clock.now;
    const out: { at: number; c: ContainerSummary }[] = [];
    for (const t of this.cluster.tasks.values()) {
      if (t.nodeId !== nodeId || !t.containerId || this.machine.lostContainers.has(t.id)) continue;
      const image = findImage(t.spec.ContainerSpec.Image);
      if (!image || t.state === 'preparing' || t.state === 'rejected') continue;
      const health = containerHealth(t, image, now);
      const running = t.state === 'running' || health?.status === 'starting';
      if (!running && !all) continue;
      const created = t.createdAt;
      const name = containerName(t);
      const argv = [...(t.spec.ContainerSpec.Command ?? image.entrypoint ?? []), ...(t.spec.ContainerSpec.Args ?? (t.spec.ContainerSpec.Command ? [] : image.cmd))];
      out.push({
        at: created,
        c: {
          Id: t.containerId,
          Names: [`/${name}`],
          Image: t.spec.ContainerSpec.Image,
          ImageID: image.digest,
          Command: argv.join(' '),
          Created: Math.floor((this.sim.clock.startEpochMs + created) / 1000),
          Ports: image.ports.map((p) => ({ PrivatePort: p, Type: 'tcp' })),
          Labels: {
            'com.docker.swarm.node.id': t.nodeId,
            'com.docker.swarm.service.id': t.serviceId,
            'com.docker.swarm.service.name': t.serviceName,
            'com.docker.swarm.task': '',
            'com.docker.swarm.task.id': t.id,
            'com.docker.swarm.task.name': name.slice(0, name.lastIndexOf('.')) + '.' + t.id,
          },
          State: running ? 'running' : t.state === 'ready' || t.state === 'starting' ? 'created' : 'exited',
          Status: health
            ? `Up ${humanDuration(now - health.upSince)} (${health.status === 'starting' ? 'health: starting' : health.status})`
            : running
            ? `Up ${humanDuration(now - (t.runningAt ?? now))}`
            : t.stoppedAt !== undefined
              ? `Exited (${t.exitCode ?? 0}) ${humanDuration(now - t.stoppedAt)} ago`
              : 'Created',
        },
      });
    }
    return out.sort((a, b) => b.at - a.at).map((x) => x.c);
  }

  // ------------------------------------------------------------------ registry

  async distributionInspect(image: string): Promise<DistributionInspect> {
    this.up();
    const found = findImage(image);
    if (!found) throw new ApiError(401, `errors:\ndenied: requested access to the resource is denied\nunauthorized: authentication required\n`);
    return {
      Descriptor: { mediaType: 'application/vnd.oci.image.index.v1+json', digest: found.digest, size: 10_240 },
      Platforms: [
        { Architecture: 'amd64', OS: 'linux' },
        { Architecture: 'arm64', OS: 'linux' },
      ],
    };
  }
}

/**
 * A health-checked task's container as `docker ps` sees it: up while its task is STARTING
 * (the executor waits for it to be healthy), healthy once the task runs. Since when: the
 * container starts at the end of STARTING's start step, before the probes (engine/sim/health.ts).
 */
function containerHealth(t: TaskRecord, image: CatalogImage, now: number): { status: 'starting' | 'healthy'; upSince: number } | undefined {
  const hc = activeHealthcheck(t.spec);
  if (!hc) return undefined;
  if (t.state === 'starting') {
    const upSince = t.stateAt + TIMING.start.base;
    return now >= upSince ? { status: 'starting', upSince } : undefined;
  }
  if (t.state !== 'running' || t.runningAt === undefined) return undefined;
  const verdict = healthVerdict(hc, probePasses(hc.Test ?? [], image));
  return { status: 'healthy', upSince: t.runningAt - verdict.afterMs };
}

const newServiceId = (sim: Simulator): string => {
  for (;;) {
    const id = sim.rng.chars(25, '0123456789abcdefghijklmnopqrstuvwxyz');
    if (!sim.cluster.services.has(id)) return id;
  }
};

function checkFilterKeys(filters: Filters, allowed: string[]): void {
  if (!filters || typeof filters !== 'object') throw new ApiError(400, 'invalid filter');
  for (const [k, v] of Object.entries(filters)) {
    if (!allowed.includes(k)) throw new ApiError(400, `Invalid filter '${k}'`);
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ApiError(400, `invalid filter '${k}'`);
  }
}

const matchAny = (values: string[] | undefined, test: (v: string) => boolean): boolean =>
  !values || values.length === 0 || values.some(test);

/** A filter's values, or undefined when it has none (matchAny's "no filter" case). */
const nonEmpty = (values: string[] | undefined): string[] | undefined => (values && values.length > 0 ? values : undefined);

function labelMatches(labels: Record<string, string>, expr: string): boolean {
  const eq = expr.indexOf('=');
  if (eq < 0) return expr in labels;
  return labels[expr.slice(0, eq)] === expr.slice(eq + 1);
}
