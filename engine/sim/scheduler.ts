// The scheduler: assigns pending tasks to nodes. Only Ready + Active nodes take new
// tasks; among those it spreads: fewest tasks of the same service first, then fewest
// tasks overall (swarmkit's nodeInfo ordering). When no node fits, the task stays
// PENDING with swarmkit's "no suitable node (...)" explanation and is retried whenever
// nodes change.
import type { Cluster } from './cluster.js';
import { MAX_CHANGES_PER_BATCH } from './cluster.js';
import type { NodeRecord, TaskRecord } from './model.js';
import { after } from './model.js';
import { TIMING } from './timing.js';
import type { Reservation } from './resources.js';
import { add, fits, reservationOf, reservedPerNode } from './resources.js';

export class Scheduler {
  private readonly queue = new Set<TaskRecord>();
  private readonly allocating = new Set<string>();
  private timer: number | undefined;
  /** The batch being placed, oldest first, when it holds more than one commit's worth. */
  private batch: TaskRecord[] = [];
  private next = 0;

  constructor(private readonly cluster: Cluster) {
    cluster.onTaskChange((t) => {
      if (t.state === 'new' && !after(t.desired, 'running') && !this.allocating.has(t.id)) {
        // The allocator hands NEW tasks over as PENDING shortly after they are created.
        this.allocating.add(t.id);
        cluster.clock.after(cluster.rng.jitter(TIMING.allocate.base, TIMING.allocate.spread), () => {
          this.allocating.delete(t.id);
          if (!after(t.desired, 'running')) cluster.setState(t, 'pending');
        });
      } else if (t.state === 'pending' && !after(t.desired, 'running')) {
        this.enqueue(t);
      } else if (after(t.state, 'running') && t.nodeId && hostPortKeys(t).length > 0) {
        // A stopped task frees its host-mode ports: swarmkit's scheduler tries what is
        // pending again on its next tick, so a task waiting for the port gets the node.
        this.retryAll();
      }
    });
    // A task that reserved resources and ended frees them: what waits for room is tried again.
    cluster.onTaskChange((t) => {
      if (t.nodeId && after(t.state, 'running') && reservationOf(t)) this.retryAll();
    });
  }

  enqueue(task: TaskRecord): void {
    this.queue.add(task);
    if (this.timer === undefined) this.startTimer();
  }

  private startTimer(): void {
    this.timer = this.cluster.clock.after(this.cluster.rng.jitter(TIMING.schedule.base, TIMING.schedule.spread), () => {
      this.timer = undefined;
      this.run();
    });
  }

  /** Retry every pending task (nodes changed). */
  retryAll(): void {
    for (const t of this.cluster.tasks.values()) if (t.state === 'pending' && !after(t.desired, 'running')) this.enqueue(t);
  }

  /**
   * Places the queued tasks, oldest first. A batch larger than one commit (see
   * MAX_CHANGES_PER_BATCH) is placed a commit at a time, each in an event due at once; tasks
   * queued meanwhile wait for the next batch.
   */
  private run(): void {
    if (this.next >= this.batch.length) {
      this.batch = [...this.queue].sort((a, b) => a.createdAt - b.createdAt);
      this.next = 0;
      this.queue.clear();
    }
    const batch = this.batch;
    const end = Math.min(batch.length, this.next + MAX_CHANGES_PER_BATCH);
    const start = this.next;
    this.next = end;
    if (end < batch.length) {
      this.timer = this.cluster.clock.after(0, () => {
        this.timer = undefined;
        this.run();
      });
    } else {
      this.batch = [];
      this.next = 0;
      if (this.queue.size > 0) this.startTimer();
    }
    const nodes = this.cluster.nodesByIndex();
    const total = this.cluster.placedPerNode();
    // Host-mode ports in use per node, built only when a task of this batch publishes one.
    let ports: HostPorts | undefined;
    // What placed tasks reserve per node, built only when a task of this batch reserves something.
    let reserved: Map<string, Reservation> | undefined;
    for (let k = start; k < end; k++) {
      const task = batch[k]!;
      if (!this.cluster.tasks.has(task.id) || task.state !== 'pending' || after(task.desired, 'running')) continue;
      const wanted = hostPortKeys(task);
      if (wanted.length > 0) ports ??= this.hostPortsInUse();
      // Only a task that publishes a host-mode port checks the nodes' ports.
      const taken = wanted.length > 0 ? (node: NodeRecord): boolean => wanted.some((p) => ports!.get(node.id)?.has(p) === true) : undefined;
      const want = reservationOf(task);
      if (want) reserved ??= reservedPerNode(this.cluster);
      const room = want ? (node: NodeRecord): boolean => fits(node, want, reserved!) : anyNode;
      const result =
        task.slot === 0
          ? this.checkPinned(task, room, taken)
          : this.spread(task, nodes, total, this.cluster.placedPerNodeOf(task.serviceId) ?? [], room, taken);
      if (typeof result === 'string') {
        if (task.err !== result) {
          task.err = result;
          task.message = 'no suitable node';
          task.updatedAt = this.cluster.clock.now;
          task.version = this.cluster.nextVersion();
        }
        continue;
      }
      // The cluster updates the spread counts as the task is placed.
      this.cluster.assign(task, result.id);
      if (ports && wanted.length > 0) {
        let used = ports.get(result.id);
        if (!used) ports.set(result.id, (used = new Set()));
        for (const p of wanted) used.add(p);
      }
      if (want) add(reserved!, result.id, want);
    }
  }

  /** A global task belongs to its node: it may only be told why it cannot run there. */
  private checkPinned(
    task: TaskRecord,
    room: (node: NodeRecord) => boolean,
    taken: ((node: NodeRecord) => boolean) | undefined,
  ): NodeRecord | string {
    const node = this.cluster.nodes.get(task.nodeId);
    if (!node || node.state !== 'ready' || node.availability !== 'active') return noSuitableNode(1, 0, false);
    if (!room(node)) return noSuitableNode(0, 0, false, 0, 1);
    const constraints = task.spec.Placement?.Constraints ?? [];
    if (!constraints.every((c) => constraintHolds(c, node))) return noSuitableNode(0, 1, false);
    if (taken?.(node)) return noSuitableNode(0, 0, false, 1);
    return node;
  }

  /**
   * swarmkit's nodeInfo.usedHostPorts: the host-mode published ports of the tasks on each node
   * that have not stopped yet (the scheduler forgets a task once it is past RUNNING).
   */
  private hostPortsInUse(): HostPorts {
    const used: HostPorts = new Map();
    for (const t of this.cluster.tasks.values()) {
      if (!t.nodeId || after(t.state, 'running') || t.state === 'pending' || t.state === 'new') continue;
      const keys = hostPortKeys(t);
      if (keys.length === 0) continue;
      let set = used.get(t.nodeId);
      if (!set) used.set(t.nodeId, (set = new Set()));
      for (const k of keys) set.add(k);
    }
    return used;
  }

  /**
   * Spread: the eligible node with the fewest tasks of this service, then the fewest tasks
   * overall. Ties go to the first such node found from a random starting point, which
   * spreads equal choices evenly with one draw per task. Placement preferences narrow the
   * choice first (preferredGroup).
   */
  private spread(
    task: TaskRecord,
    nodes: readonly (NodeRecord | undefined)[],
    total: readonly number[],
    own: readonly number[],
    room: (node: NodeRecord) => boolean,
    taken: ((node: NodeRecord) => boolean) | undefined,
  ): NodeRecord | string {
    let unavailable = 0;
    let insufficient = 0;
    let constrained = 0;
    let portTaken = 0;
    let maxed = 0;
    const constraints = task.spec.Placement?.Constraints ?? [];
    const maxReplicas = task.spec.Placement?.MaxReplicas ?? 0;
    const n = nodes.length;
    const offset = n > 0 ? this.cluster.rng.int(n) : 0;
    const prefs = task.spec.Placement?.Preferences;
    // With preferences the eligible nodes are collected first and narrowed; without (the
    // common case, and 10,000 tasks over 1,000 nodes) the best is picked in the same pass.
    const eligible: number[] | undefined = prefs && prefs.length > 0 ? [] : undefined;
    let best = -1;
    let bestOwn = 0;
    let bestTotal = 0;
    for (let k = 0; k < n; k++) {
      const i = (k + offset) % n;
      const node = nodes[i];
      if (!node) continue;
      if (node.state !== 'ready' || node.availability !== 'active') {
        unavailable++;
        continue;
      }
      if (!room(node)) {
        insufficient++;
        continue;
      }
      if (constraints.length > 0 && !constraints.every((c) => constraintHolds(c, node))) {
        constrained++;
        continue;
      }
      if (taken && taken(node)) {
        portTaken++;
        continue;
      }
      const mine = own[i] ?? 0;
      if (maxReplicas > 0 && mine >= maxReplicas) {
        maxed++;
        continue;
      }
      if (eligible) {
        eligible.push(i);
        continue;
      }
      const all = total[i] ?? 0;
      if (best < 0 || mine < bestOwn || (mine === bestOwn && all < bestTotal)) {
        best = i;
        bestOwn = mine;
        bestTotal = all;
      }
    }
    if (eligible) {
      let narrowed = eligible;
      for (const pref of prefs!) {
        if (narrowed.length <= 1) break;
        if (pref.Spread) narrowed = this.preferredGroup(pref.Spread.SpreadDescriptor, narrowed, nodes, own);
      }
      for (const i of narrowed) {
        const mine = own[i] ?? 0;
        const all = total[i] ?? 0;
        if (best < 0 || mine < bestOwn || (mine === bestOwn && all < bestTotal)) {
          best = i;
          bestOwn = mine;
          bestTotal = all;
        }
      }
    }
    return best >= 0 ? nodes[best]! : noSuitableNode(unavailable, constrained, maxed > 0, portTaken, insufficient);
  }

  /**
   * swarmkit's spread preference: the eligible nodes split by the descriptor's value (a node
   * label; nodes without it make one group of their own, as does any other descriptor), and
   * the task goes to the group holding the fewest of the service's tasks, which evens the
   * groups out whatever their sizes. Equal groups are drawn at random (swarmkit walks a map).
   */
  private preferredGroup(descriptor: string, eligible: number[], nodes: readonly (NodeRecord | undefined)[], own: readonly number[]): number[] {
    const groups = new Map<string, { members: number[]; tasks: number }>();
    for (const i of eligible) {
      const value = spreadValue(descriptor, nodes[i]!);
      let g = groups.get(value);
      if (!g) groups.set(value, (g = { members: [], tasks: 0 }));
      g.members.push(i);
      g.tasks += own[i] ?? 0;
    }
    if (groups.size === 1) return eligible;
    let fewest = Number.POSITIVE_INFINITY;
    for (const g of groups.values()) fewest = Math.min(fewest, g.tasks);
    const least = [...groups.values()].filter((g) => g.tasks === fewest);
    return least[least.length === 1 ? 0 : this.cluster.rng.int(least.length)]!.members;
  }
}

/** The value a spread descriptor reads on a node: `node.labels.<key>` (case-insensitive prefix), else none. */
export function spreadValue(descriptor: string, node: NodeRecord): string {
  const prefix = 'node.labels.';
  if (descriptor.length > prefix.length && descriptor.slice(0, prefix.length).toLowerCase() === prefix) {
    return node.labels[descriptor.slice(prefix.length)] ?? '';
  }
  return '';
}

/** The resource check of a task that reserves nothing. */
const anyNode = (): boolean => true;

/** swarmkit's explanation, reasons in the order its filters run (ready, resources, constraints, host ports, max replicas). */
function noSuitableNode(unavailable: number, constrained: number, maxed: boolean, portTaken = 0, insufficient = 0): string {
  const nodes = (k: number): string => `${k} ${k === 1 ? 'node' : 'nodes'}`;
  const reasons: string[] = [];
  if (unavailable > 0) reasons.push(`${nodes(unavailable)} not available for new tasks`);
  if (insufficient > 0) reasons.push(`insufficient resources on ${nodes(insufficient)}`);
  if (constrained > 0) reasons.push(`scheduling constraints not satisfied on ${nodes(constrained)}`);
  if (portTaken > 0) reasons.push(`host-mode port already in use on ${nodes(portTaken)}`);
  if (maxed) reasons.push('max replicas per node limit exceed');
  return `no suitable node (${reasons.join('; ')})`;
}

/** `node.role==manager`, `node.hostname!=worker1`, `node.labels.zone==a`, `node.id==...`. */
export function constraintHolds(expr: string, node: NodeRecord): boolean {
  const m = /^\s*([\w.-]+)\s*(==|!=)\s*(.*?)\s*$/.exec(expr);
  if (!m) return false;
  const [, key, op, want] = m as unknown as [string, string, string, string];
  let have: string | undefined;
  if (key === 'node.role') have = node.role;
  else if (key === 'node.hostname') have = node.hostname;
  else if (key === 'node.id') have = node.id;
  else if (key === 'node.platform.os') have = 'linux';
  else if (key === 'node.platform.arch') have = 'x86_64';
  else if (key.startsWith('node.labels.')) have = node.labels[key.slice('node.labels.'.length)];
  const eq = have !== undefined && have.toLowerCase() === want.toLowerCase();
  return op === '==' ? eq : !eq;
}

/** Per node ID: `protocol/port` of the host-mode ports bound there. */
type HostPorts = Map<string, Set<string>>;

/** The host-mode published ports a task binds (swarmkit's HostPortFilter ignores port 0: the daemon picks one). */
function hostPortKeys(t: TaskRecord): string[] {
  const ports = t.endpoint?.Ports;
  if (!ports) return NO_PORTS;
  const out: string[] = [];
  for (const p of ports) if (p.PublishMode === 'host' && p.PublishedPort) out.push(`${p.Protocol ?? 'tcp'}/${p.PublishedPort}`);
  return out.length > 0 ? out : NO_PORTS;
}

const NO_PORTS: string[] = [];
