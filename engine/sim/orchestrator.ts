// The orchestrator keeps each service at its desired shape: the right number of slots
// (replicated) or one task per eligible node (global). Its restart supervisor replaces
// tasks that end while they should be running, in the same slot and with the service's
// current spec, started only after the restart delay and after the old task stopped
// (swarmkit's Restart + DelayStart). It also hands spec changes to the updater.
import type { ServiceRecord, TaskRecord } from './model.js';
import { after, isRunnable, isTerminal } from './model.js';
import type { Cluster } from './cluster.js';
import { MAX_CHANGES_PER_BATCH, slotKey } from './cluster.js';
import { constraintHolds } from './scheduler.js';
import { DEFAULT_RESTART_DELAY_NS, isGlobal, replicasOf } from './spec.js';
import { NS_PER_MS } from '../api/types.js';

export interface UpdaterPort {
  /** Starts (or restarts) the rolling update of a service over its dirty slots. */
  update(service: ServiceRecord): void;
  cancel(serviceId: string): void;
}

export class Orchestrator {
  updater: UpdaterPort | undefined;
  private readonly promotionTimers = new Map<string, number>();
  /** Per service: the timer of the next batch of a reconcile that had more than one to make. */
  private readonly continuations = new Map<string, number>();

  constructor(private readonly cluster: Cluster) {
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

  /** A node changed availability or status: move its tasks, retry pending ones. */
  nodeChanged(nodeId: string): void {
    const node = this.cluster.nodes.get(nodeId);
    const invalid = !node || node.availability === 'drain' || node.state === 'down';
    if (invalid) {
      for (const t of [...this.cluster.tasks.values()]) {
        if (t.nodeId !== nodeId || !isRunnable(t) || t.slot === 0) continue;
        const service = this.cluster.services.get(t.serviceId);
        if (!service) continue;
        // No restart delay off a drained node; don't wait for a node that cannot answer.
        this.restart(t, service, { delayMs: 0, waitStop: node?.state === 'ready' });
      }
    }
    for (const s of this.cluster.services.values()) if (isGlobal(s.spec)) this.reconcileGlobal(s);
  }

  // ------------------------------------------------------------------ restarts

  private taskChanged(t: TaskRecord): void {
    // A delayed task waits for others in its slot to stop: re-check on every slot change.
    for (const other of this.cluster.slotTasks(t)) if (other.delayedStart) this.tryStart(other);
    if (!isRunnable(t)) {
      // Tasks told to stop before any node took them never ran: the reaper drops them.
      const unassigned = !t.nodeId || after('assigned', t.state);
      if (unassigned || (t.desired === 'remove' && isTerminal(t))) this.cluster.deleteTask(t);
      return;
    }
    if (!isTerminal(t) || t.delayedStart) return; // a delayed task is restarted once its start comes due
    const service = this.cluster.services.get(t.serviceId);
    if (!service) return;
    this.restart(t, service, { delayMs: this.restartDelayMs(t), waitStop: true });
  }

  /** Swarmkit's Restart: shut the task down and, if the policy allows, start a replacement. */
  restart(t: TaskRecord, service: ServiceRecord, opts: { delayMs: number; waitStop: boolean }): void {
    this.cluster.setDesired(t, 'shutdown');
    if (!this.shouldRestart(t, service)) return;
    // Another task already serves the slot (start-first update, earlier restart): no replacement.
    if (this.cluster.slotTasks(t).some((o) => o !== t && isRunnable(o))) return;
    const global = t.slot === 0;
    if (global) {
      // Global tasks are replaced by reconcile on their own node.
      const node = this.cluster.nodes.get(t.nodeId);
      if (!node || node.availability !== 'active' || node.state !== 'ready') return;
    }
    const replacement = this.cluster.createTask({
      service,
      slot: t.slot,
      nodeId: global ? t.nodeId : '',
      spec: service.spec.TaskTemplate,
      desired: 'ready',
    });
    this.delayStart(replacement, {
      notBefore: this.cluster.clock.now + opts.delayMs,
      waitFor: opts.waitStop && !isTerminal(t) ? [t.id] : [],
    });
  }

  /** Keeps `task` in desired READY until `notBefore` and until `waitFor` tasks have stopped. */
  delayStart(task: TaskRecord, start: { notBefore: number; waitFor: string[] }): void {
    task.delayedStart = start;
    const id = this.cluster.clock.at(start.notBefore, () => {
      this.promotionTimers.delete(task.id);
      this.tryStart(task);
    });
    this.promotionTimers.set(task.id, id);
    this.tryStart(task);
  }

  private tryStart(task: TaskRecord): void {
    const start = task.delayedStart;
    if (!start || !this.cluster.tasks.has(task.id)) return;
    if (this.cluster.clock.now < start.notBefore) return;
    const blocked = start.waitFor.some((id) => {
      const old = this.cluster.tasks.get(id);
      if (!old || isTerminal(old)) return false;
      const node = this.cluster.nodes.get(old.nodeId);
      return !!node && node.state === 'ready' && !!old.nodeId;
    });
    if (blocked) return;
    task.delayedStart = undefined;
    // StartNow: desired RUNNING; a task that already failed is then restarted by taskChanged.
    if (task.desired === 'ready') this.cluster.setDesired(task, 'running');
    else if (isRunnable(task) && isTerminal(task)) this.taskChanged(task);
  }

  private restartDelayMs(t: TaskRecord): number {
    const node = this.cluster.nodes.get(t.nodeId);
    if (node?.availability === 'drain') return 0;
    const ns = t.spec.RestartPolicy?.Delay ?? DEFAULT_RESTART_DELAY_NS;
    return ns / NS_PER_MS;
  }

  private shouldRestart(t: TaskRecord, service: ServiceRecord): boolean {
    const policy = service.spec.TaskTemplate.RestartPolicy;
    const condition = policy?.Condition ?? 'any';
    // Moving off an invalid node is always allowed.
    const node = this.cluster.nodes.get(t.nodeId);
    if (!node || node.availability === 'drain' || node.state === 'down') return true;
    if (condition === 'none') return false;
    if (condition === 'on-failure' && t.state === 'complete') return false;
    const max = policy?.MaxAttempts ?? 0;
    if (max > 0) {
      const restarts = this.cluster.slotTasks(t).length - 1;
      if (restarts >= max) return false;
    }
    return true;
  }

  private removeTask(t: TaskRecord): void {
    this.cluster.setDesired(t, 'remove');
    if (!t.nodeId || isTerminal(t) || t.state === 'pending' || t.state === 'new') this.cluster.deleteTask(t);
  }
}
