// The cluster store: every node, service and task, the indexes the controllers need,
// and the write helpers. All writes go through here so that versions grow like a raft
// index, task states only move forward, and every task change reaches the controllers
// (agent, orchestrator, updater, reaper) in order, without re-entrancy.
import type { TaskSpec, TaskState } from '../api/types.js';
import type { VirtualClock } from './clock.js';
import { newContainerId, newObjectId } from './ids.js';
import type { Machine, NodeRecord, ServiceRecord, TaskRecord } from './model.js';
import { after } from './model.js';
import type { Rng } from './rng.js';

export interface ClusterInfo {
  id: string;
  createdAt: number;
  updatedAt: number;
  version: number;
  caDigest36: string;
  workerToken: string;
  managerToken: string;
  taskHistoryLimit: number;
  trustRoot: string;
  issuerSubject: string;
  issuerPublicKey: string;
}

export type TaskListener = (task: TaskRecord) => void;

/**
 * Most task writes one controller step makes before it yields to the clock (swarmkit's
 * store.MaxChangesPerTransaction: its Batch commits in transactions of at most 200 changes).
 * A step with more to do carries on in a timer due at once, so creating, scheduling or
 * removing 20,000 tasks is a run of short events rather than one long one, and a host that
 * bounds its work per tick (the realtime driver) can stop between them.
 */
export const MAX_CHANGES_PER_BATCH = 200;

/** The message swarmkit's agent reports with each state. */
const STATE_MESSAGES: Partial<Record<TaskState, string>> = {
  new: 'created',
  pending: 'pending task scheduling',
  assigned: 'scheduler assigned task to node',
  accepted: 'accepted',
  preparing: 'preparing',
  ready: 'prepared',
  starting: 'starting',
  running: 'started',
  complete: 'finished',
  shutdown: 'shutdown',
  remove: 'removed',
  orphaned: 'orphaned',
};

export const messageFor = (state: TaskState): string => STATE_MESSAGES[state] ?? '';

export class Cluster {
  readonly machines = new Map<string, Machine>(); // by hostname
  readonly nodes = new Map<string, NodeRecord>(); // by ID
  readonly services = new Map<string, ServiceRecord>(); // by ID
  readonly tasks = new Map<string, TaskRecord>(); // by ID
  private readonly byService = new Map<string, Set<TaskRecord>>();
  private readonly bySlot = new Map<string, TaskRecord[]>();
  // The scheduler's spread counts: tasks placed on a node that are still meant to run
  // (desired <= RUNNING), per node and per service and node. Kept up to date on every write
  // so a scheduling batch need not rescan every task (that made large updates quadratic).
  // Counts are arrays indexed by NodeRecord.index because the scheduler reads them for
  // every candidate node of every task.
  private readonly placedByNode: number[] = [];
  private readonly placedByService = new Map<string, number[]>();
  /** Nodes by their index (a removed node leaves a hole). */
  private readonly nodeSlots: (NodeRecord | undefined)[] = [];
  swarm: ClusterInfo | undefined;

  /** Per service: bumped whenever a task that has run changes or goes (see `logRevision`). */
  private readonly ranChanges = new Map<string, number>();

  private raftIndex = 10;
  private readonly queue: TaskRecord[] = [];
  private draining = false;
  private readonly listeners: TaskListener[] = [];

  constructor(
    readonly clock: VirtualClock,
    readonly rng: Rng,
  ) {}

  nextVersion(): number {
    this.raftIndex += 1 + this.rng.int(3);
    this.changes++;
    return this.raftIndex;
  }

  /**
   * A number that changes with every write to the store (each new version, and each object
   * removed, which takes no version): the swarm view reads the swarm again only when it moved.
   */
  get revision(): number {
    return this.changes;
  }

  /** A write that takes no version (an object removed) still changes the revision. */
  removed(): void {
    this.changes++;
  }

  /**
   * What the Engine API shows changed without a write to the store (raft's view of its
   * members: who leads, who is reachable): the revision moves too.
   */
  touched(): void {
    this.changes++;
  }

  private changes = 0;

  /**
   * The lines requests left in tasks' server logs (the shell's `curl` through the routing
   * mesh, engine/sim/curl-sim.ts), by task ID, oldest first; and the last request served,
   * which the swarm view marks. Not part of the swarm's recipe: a replayed swarm has none.
   */
  readonly requestLog = new Map<string, RequestLogLine[]>();
  lastServed: ServedRequest | undefined;
  /** How many requests each task served (nginx's connection numbers in its error lines). */
  readonly requestsTo = new Map<string, number>();

  /** A request reached `task`: the lines its server logs (if any), and the view's mark. */
  served(task: TaskRecord, served: ServedRequest, added: readonly RequestLogLine[]): void {
    let lines = this.requestLog.get(task.id);
    if (!lines) this.requestLog.set(task.id, (lines = []));
    lines.push(...added);
    // A bounded log: a script that curls in a loop must not grow the worker without end.
    if (lines.length > MAX_REQUEST_LINES) lines.splice(0, lines.length - MAX_REQUEST_LINES);
    if (added.length > 0) this.ranChanged(task);
    this.requestsTo.set(task.id, (this.requestsTo.get(task.id) ?? 0) + 1);
    this.lastServed = served;
    this.changes++;
  }

  /** Listeners see every task after each change, in registration order. */
  onTaskChange(listener: TaskListener): void {
    this.listeners.push(listener);
  }

  // ------------------------------------------------------------------ lookups

  tasksOf(serviceId: string): Iterable<TaskRecord> {
    return this.byService.get(serviceId) ?? [];
  }

  /** Tasks of one slot (replicated) or of one node (global), oldest first. */
  slotTasks(task: TaskRecord): TaskRecord[] {
    // A list that still holds tasks is the index's own (see TaskRecord.slotList).
    const list = task.slotList;
    return list.length > 0 ? list : (this.bySlot.get(task.key) ?? list);
  }

  slotTasksByKey(key: string): TaskRecord[] {
    return this.bySlot.get(key) ?? [];
  }

  /** Placed tasks still meant to run, by node index (see `placedByNode`); holes read as 0. */
  placedPerNode(): readonly number[] {
    return this.placedByNode;
  }

  /** The same counts for one service's tasks. */
  placedPerNodeOf(serviceId: string): readonly number[] | undefined {
    return this.placedByService.get(serviceId);
  }

  /** Nodes by index, with holes where nodes were removed. */
  nodesByIndex(): readonly (NodeRecord | undefined)[] {
    return this.nodeSlots;
  }

  addNode(node: NodeRecord): void {
    node.index = this.nodeSlots.length;
    this.nodeSlots.push(node);
    this.nodes.set(node.id, node);
  }

  removeNode(node: NodeRecord): void {
    this.removed();
    this.nodes.delete(node.id);
    this.nodeSlots[node.index] = undefined;
  }

  /**
   * A number that changes whenever a task of the service that reached RUNNING changes or is
   * deleted, or another one reaches RUNNING: what its logs are made of (engine/sim/logs.ts).
   * Tasks that never ran (a crash loop of an image no node can pull) leave it alone.
   */
  logRevision(serviceId: string): number {
    return this.ranChanges.get(serviceId) ?? 0;
  }

  private ranChanged(task: TaskRecord): void {
    if (task.runningAt !== undefined) this.ranChanges.set(task.serviceId, (this.ranChanges.get(task.serviceId) ?? 0) + 1);
  }

  nodeByHostname(hostname: string): NodeRecord | undefined {
    const id = this.machines.get(hostname)?.nodeId;
    return id ? this.nodes.get(id) : undefined;
  }

  // ------------------------------------------------------------------ writes

  createTask(init: {
    service: ServiceRecord;
    slot: number;
    nodeId?: string;
    spec: TaskSpec;
    desired: TaskState;
  }): TaskRecord {
    const now = this.clock.now;
    const nodeId = init.nodeId ?? '';
    const task: TaskRecord = {
      id: newObjectId(this.rng),
      serviceId: init.service.id,
      serviceName: init.service.spec.Name,
      slot: init.slot,
      nodeId,
      key: slotKey({ serviceId: init.service.id, slot: init.slot, nodeId }),
      slotList: NO_TASKS,
      spec: init.spec,
      endpoint: init.service.spec.EndpointSpec,
      hostPorts: undefined,
      createdAt: now,
      updatedAt: now,
      version: this.nextVersion(),
      state: 'new',
      stateAt: now,
      message: messageFor('new'),
      err: undefined,
      desired: init.desired,
      // Every field present from the start (and never deleted): all task records share one
      // shape, which keeps the controllers' property reads fast with 100,000 of them.
      containerId: undefined,
      exitCode: undefined,
      runningAt: undefined,
      stoppedAt: undefined,
      delayedStart: undefined,
      restartWhenStarted: undefined,
      timer: undefined,
      view: undefined,
      viewVersion: -1,
    };
    this.tasks.set(task.id, task);
    let set = this.byService.get(task.serviceId);
    if (!set) this.byService.set(task.serviceId, (set = new Set()));
    set.add(task);
    let slot = this.bySlot.get(task.key);
    if (!slot) this.bySlot.set(task.key, (slot = []));
    slot.push(task);
    task.slotList = slot;
    if (isPlaced(task)) this.countPlaced(task, 1);
    this.emit(task);
    return task;
  }

  /** Moves a task's observed state forward (never back); a no-op for an older state. */
  setState(task: TaskRecord, state: TaskState, opts: { message?: string; err?: string } = {}): boolean {
    if (!this.tasks.has(task.id)) return false;
    if (state !== task.state && !after(state, task.state)) return false;
    const now = this.clock.now;
    task.state = state;
    task.stateAt = now;
    task.updatedAt = now;
    task.version = this.nextVersion();
    task.message = opts.message ?? messageFor(state);
    if (opts.err !== undefined) task.err = opts.err;
    if (state === 'preparing' && !task.containerId) task.containerId = newContainerId(this.rng);
    if (state === 'running') task.runningAt = now;
    if (after(state, 'running') && task.runningAt !== undefined && task.stoppedAt === undefined) task.stoppedAt = now;
    this.emit(task);
    return true;
  }

  /** Re-reports the current state with a fresh timestamp (the agent does this when asked to stop). */
  touchState(task: TaskRecord): void {
    task.stateAt = this.clock.now;
    task.updatedAt = this.clock.now;
    task.version = this.nextVersion();
    this.ranChanged(task);
  }

  setDesired(task: TaskRecord, desired: TaskState): void {
    if (task.desired === desired || !this.tasks.has(task.id)) return;
    // Desired state also only moves forward, except READY -> RUNNING which is its normal path.
    if (!after(desired, task.desired)) return;
    const wasPlaced = isPlaced(task);
    task.desired = desired;
    if (wasPlaced && !isPlaced(task)) this.countPlaced(task, -1);
    task.updatedAt = this.clock.now;
    task.version = this.nextVersion();
    this.emit(task);
  }

  assign(task: TaskRecord, nodeId: string): void {
    const live = this.tasks.has(task.id);
    if (live && isPlaced(task)) this.countPlaced(task, -1);
    task.nodeId = nodeId;
    if (live && isPlaced(task)) this.countPlaced(task, 1);
    task.err = undefined;
    this.setState(task, 'assigned');
  }

  deleteTask(task: TaskRecord): void {
    if (!this.tasks.delete(task.id)) return;
    this.requestLog.delete(task.id);
    this.requestsTo.delete(task.id);
    this.removed();
    this.ranChanged(task);
    if (isPlaced(task)) this.countPlaced(task, -1);
    this.clock.cancel(task.timer);
    this.byService.get(task.serviceId)?.delete(task);
    if (this.byService.get(task.serviceId)?.size === 0) this.byService.delete(task.serviceId);
    const slot = task.slotList;
    const i = slot.indexOf(task);
    if (i >= 0) slot.splice(i, 1);
    if (slot.length === 0 && this.bySlot.get(task.key) === slot) this.bySlot.delete(task.key);
  }

  private countPlaced(task: TaskRecord, delta: 1 | -1): void {
    const i = this.nodes.get(task.nodeId)?.index;
    if (i === undefined) return;
    this.placedByNode[i] = (this.placedByNode[i] ?? 0) + delta;
    let mine = this.placedByService.get(task.serviceId);
    if (!mine) this.placedByService.set(task.serviceId, (mine = []));
    mine[i] = (mine[i] ?? 0) + delta;
  }

  /** Queues a task change for the listeners; drains the queue unless already draining. */
  emit(task: TaskRecord): void {
    this.ranChanged(task);
    this.queue.push(task);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.queue.length; i++) {
        const t = this.queue[i]!;
        if (!this.tasks.has(t.id)) continue;
        for (const l of this.listeners) l(t);
      }
    } finally {
      this.queue.length = 0;
      this.draining = false;
    }
  }
}

/** A new task's slot list until it is indexed; never filled. */
const NO_TASKS: TaskRecord[] = [];

/** On a node and still meant to run: what the scheduler's spread counts. */
const isPlaced = (t: TaskRecord): boolean => t.nodeId !== '' && !after(t.desired, 'running');

/** Replicated tasks are grouped by slot, global ones by node. */
export const slotKey = (t: Pick<TaskRecord, 'serviceId' | 'slot' | 'nodeId'>): string =>
  t.slot > 0 ? `${t.serviceId}/${t.slot}` : `${t.serviceId}@${t.nodeId}`;

/** A line a request left in a task's log, at elapsed time `at`. */
export interface RequestLogLine {
  at: number;
  text: string;
}

/** The last request the mesh delivered: which task served it and where it entered. */
export interface ServedRequest {
  /** Counts requests in this swarm, so two requests to the same task are two marks. */
  seq: number;
  taskId: string;
  /** The machine the request entered (the URL's host). */
  entry: string;
  /** The machine curl ran on. */
  from: string;
  mode: 'ingress' | 'host';
  /** Elapsed ms. */
  at: number;
}

const MAX_REQUEST_LINES = 500;
