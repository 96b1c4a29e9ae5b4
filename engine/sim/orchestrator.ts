// The orchestrator keeps each service at its desired shape: the right number of slots
// (replicated) or one task per eligible node (global). Tasks that end while they should be
// running, or whose node is drained or down, go to its restart supervisor
// (engine/sim/restart.ts). It also hands spec changes to the updater.
import type { ServiceRecord, TaskRecord } from './model.js';
import { after, isRunnable, isTerminal } from './model.js';
import type { Cluster } from './cluster.js';
import { MAX_CHANGES_PER_BATCH, slotKey } from './cluster.js';
import { constraintHolds } from './scheduler.js';
import { RestartSupervisor } from './restart.js';
import { isGlobal, replicasOf } from './spec.js';

export interface UpdaterPort {
  /** Starts (or restarts) the rolling update of a service over its dirty slots. */
  update(service: ServiceRecord): void;
  cancel(serviceId: string): void;
}

export class Orchestrator {
  updater: UpdaterPort | undefined;
  /** Replaces tasks that end or lose their node (engine/sim/restart.ts). */
  readonly restarts: RestartSupervisor;
  /** Per service: the timer of the next batch of a reconcile that had more than one to make. */
  private readonly continuations = new Map<string, number>();

  constructor(private readonly cluster: Cluster) {
    this.restarts = new RestartSupervisor(cluster);
    cluster.onTaskChange((t) => this.taskChanged(t));
  }

  // ------------------------------------------------------------------ services

  /** A service was created or its spec changed. */
  serviceChanged(service: ServiceRecord): void {
    this.reconcile(service);
    this.updater?.update(service);
  }

  serviceRemoved(service: ServiceRecord): void {
    this.updater?.cancel(service.id);
    this.restarts.clearService(service.id);
    this.removeTasksOf(service.id);
  }

  /**
   * Removes a deleted service's tasks, a batch at a time. The iterator is the live one of the
   * service's task set, so a later batch goes on where the last one stopped.
   */
  private removeTasksOf(serviceId: string, tasks: Iterator<TaskRecord> = this.cluster.tasksOf(serviceId)[Symbol.iterator]()): void {
    for (let n = 0; n < MAX_CHANGES_PER_BATCH; n++) {
      const next = tasks.next();
      if (next.done) return;
      this.removeTask(next.value);
    }
    this.cluster.clock.after(0, () => this.removeTasksOf(serviceId, tasks));
  }

  /**
   * Makes a reconcile's next batch of changes in an event of its own (MAX_CHANGES_PER_BATCH).
   * If the spec was written meanwhile, a fresh reconcile runs instead.
   */
  private nextBatch(service: ServiceRecord, batch: () => void): void {
    const spec = service.spec;
    const id = this.cluster.clock.after(0, () => {
      this.continuations.delete(service.id);
      if (this.cluster.services.get(service.id) !== service) return;
      if (service.spec === spec) batch();
      else this.reconcile(service);
    });
    this.continuations.set(service.id, id);
  }

  reconcile(service: ServiceRecord): void {
    // A fresh look at the service replaces what an earlier one still had to do.
    const pending = this.continuations.get(service.id);
    if (pending !== undefined) {
      this.cluster.clock.cancel(pending);
      this.continuations.delete(service.id);
    }
    if (isGlobal(service.spec)) this.reconcileGlobal(service);
    else this.reconcileReplicated(service);
  }

  private reconcileReplicated(service: ServiceRecord): void {
    const want = replicasOf(service.spec);
    const runnable = new Map<number, TaskRecord[]>();
    for (const t of this.cluster.tasksOf(service.id)) {
      if (!isRunnable(t)) continue;
      const list = runnable.get(t.slot);
      if (list) list.push(t);
      else runnable.set(t.slot, [t]);
    }
    if (runnable.size < want) {
      // New tasks fill the lowest free slots.
      const create = (after: number, count: number): void => {
        let slot = after;
        const now = Math.min(count, MAX_CHANGES_PER_BATCH);
        for (let n = 0; n < now; n++) {
          do slot++;
          while (runnable.has(slot));
          this.cluster.createTask({ service, slot, spec: service.spec.TaskTemplate, desired: 'running' });
        }
        if (count > now) this.nextBatch(service, () => create(slot, count - now));
      };
      create(0, want - runnable.size);
    } else if (runnable.size > want) {
      // Remove slots that are not running first, then those on the busiest nodes, then the highest.
      const perNode = new Map<string, number>();
      for (const tasks of runnable.values())
        for (const t of tasks) if (t.nodeId) perNode.set(t.nodeId, (perNode.get(t.nodeId) ?? 0) + 1);
      const ranked = [...runnable.entries()].map(([slot, tasks]) => {
        const running = tasks.some((t) => t.state === 'running');
        const node = tasks.find((t) => t.nodeId)?.nodeId ?? '';
        return { slot, tasks, running, load: perNode.get(node) ?? 0 };
      });
      ranked.sort((a, b) => Number(a.running) - Number(b.running) || b.load - a.load || b.slot - a.slot);
      const excess = runnable.size - want;
      const remove = (from: number): void => {
        const end = Math.min(excess, from + MAX_CHANGES_PER_BATCH);
        for (let i = from; i < end; i++) {
          const { slot, tasks } = ranked[i]!;
          // A later batch takes the slot's tasks as they are by then (one may have been replaced).
          const now = from === 0 ? tasks : this.cluster.slotTasksByKey(slotKey({ serviceId: service.id, slot, nodeId: '' })).filter(isRunnable);
          for (const t of now) this.removeTask(t);
        }
        if (end < excess) this.nextBatch(service, () => remove(end));
      };
      remove(0);
    }
  }

  private reconcileGlobal(service: ServiceRecord): void {
    const constraints = service.spec.TaskTemplate.Placement?.Constraints ?? [];
    for (const node of this.cluster.nodes.values()) {
      const live = this.cluster
        .slotTasksByKey(slotKey({ serviceId: service.id, slot: 0, nodeId: node.id }))
        .filter(isRunnable);
      const fits = constraints.every((c) => constraintHolds(c, node));
      const eligible = node.state === 'ready' && node.availability === 'active' && fits;
      if (live.length === 0 && eligible) {
        this.cluster.createTask({ service, slot: 0, nodeId: node.id, spec: service.spec.TaskTemplate, desired: 'running' });
      } else if (live.length > 0 && (node.availability === 'drain' || node.state === 'down' || !fits)) {
        for (const t of live) this.cluster.setDesired(t, 'shutdown');
      }
    }
    // Tasks on nodes that left the swarm.
    for (const t of [...this.cluster.tasksOf(service.id)])
      if (isRunnable(t) && !this.cluster.nodes.has(t.nodeId)) this.removeTask(t);
  }

  // ------------------------------------------------------------------ nodes

  /**
   * A node changed availability or status: replicated tasks move off an invalid (drained or
   * down) node through the restart supervisor, so its policy and delay apply as in swarmkit
   * (no delay off a drained node); global services reconcile; replacements waiting for a
   * task of a node that went down wait no more.
   */
  nodeChanged(nodeId: string): void {
    const node = this.cluster.nodes.get(nodeId);
    const invalid = !node || node.availability === 'drain' || node.state === 'down';
    const waiting: TaskRecord[] = [];
    for (const t of [...this.cluster.tasks.values()]) {
      if (t.delayedStart) waiting.push(t);
      if (!invalid || t.nodeId !== nodeId || !isRunnable(t) || t.slot === 0) continue;
      const service = this.cluster.services.get(t.serviceId);
      if (service) this.restarts.restart(t, service);
    }
    for (const s of this.cluster.services.values()) if (isGlobal(s.spec)) this.reconcileGlobal(s);
    if (node?.state === 'down') for (const t of waiting) this.restarts.tryStart(t, this.restartNow);
  }

  // ------------------------------------------------------------------ restarts

  private taskChanged(t: TaskRecord): void {
    // A delayed task waits for others in its slot to stop: re-check on every slot change.
    for (const other of this.cluster.slotTasks(t)) if (other.delayedStart) this.restarts.tryStart(other, this.restartNow);
    if (!isRunnable(t)) {
      // Tasks told to stop before any node took them never ran: the reaper drops them.
      const unassigned = !t.nodeId || after('assigned', t.state);
      if (unassigned || (t.desired === 'remove' && isTerminal(t))) this.cluster.deleteTask(t);
      return;
    }
    if (!isTerminal(t) || t.delayedStart) return; // a delayed task is restarted once its start comes due
    const service = this.cluster.services.get(t.serviceId);
    if (!service) return;
    this.restarts.restart(t, service);
  }

  /** A delayed task that failed before its start came due is restarted then. */
  private readonly restartNow = (t: TaskRecord): void => this.taskChanged(t);

  private removeTask(t: TaskRecord): void {
    this.cluster.setDesired(t, 'remove');
    if (!t.nodeId || isTerminal(t) || t.state === 'pending' || t.state === 'new') this.cluster.deleteTask(t);
  }
}
