// The restart supervisor (swarmkit's orchestrator/restart): replaces a task that ended while
// it should run, or whose node became invalid, in the same slot with the service's current
// spec. The replacement waits in desired READY until the restart delay has passed (none on
// a drained node) and the old task has stopped (not waited for on a node that is down, or
// when it already stopped), then is started. Whether it is replaced at all is the restart
// policy's call: its condition, and MaxAttempts counted per slot over the policy's Window,
// as swarmkit keeps that history (reset when the slot's spec changes).
import { NS_PER_MS } from '../api/types.js';
import type { Cluster } from './cluster.js';
import type { ServiceRecord, TaskRecord } from './model.js';
import { isRunnable, isTerminal } from './model.js';
import { DEFAULT_RESTART_DELAY_NS } from './spec.js';

/** How long a replacement waits for the task it replaces to stop (swarmkit's defaultOldTaskTimeout). */
export const OLD_TASK_TIMEOUT_MS = 60_000;

/** Restarts of one slot (or one node of a global service) for one spec: swarmkit's instanceRestartInfo. */
interface SlotHistory {
  /** The task spec these restarts were for (a new one, after an update, starts the count over). */
  spec: TaskRecord['spec'];
  total: number;
  /** When each counted replacement was created, oldest first; only kept when the policy has a Window. */
  instants: number[];
}

export class RestartSupervisor {
  /** Keyed by the slot's key (`slotKey`: service and slot, or service and node). */
  private readonly history = new Map<string, SlotHistory>();

  constructor(private readonly cluster: Cluster) {}

  /**
   * Swarmkit's Restart: shut the task down and, if the policy allows, start a replacement
   * after the restart delay. Moving off a drained node skips the delay; a task on a node
   * that is down (or one already stopped) is not waited for.
   */
  restart(t: TaskRecord, service: ServiceRecord): void {
    this.cluster.setDesired(t, 'shutdown');
    if (!this.shouldRestart(t)) return;
    // Another task already serves the slot (start-first update, earlier restart): no replacement.
    if (this.cluster.slotTasks(t).some((o) => o !== t && isRunnable(o))) return;
    const node = this.cluster.nodes.get(t.nodeId);
    const global = t.slot === 0;
    if (global) {
      // Global tasks are replaced by reconcile on their own node.
      if (!node || node.availability !== 'active' || node.state !== 'ready') return;
    }
    const replacement = this.cluster.createTask({
      service,
      slot: t.slot,
      nodeId: global ? t.nodeId : '',
      spec: service.spec.TaskTemplate,
      desired: 'ready',
    });
    this.record(replacement);
    const delayMs = node?.availability === 'drain' ? 0 : (t.spec.RestartPolicy?.Delay ?? DEFAULT_RESTART_DELAY_NS) / NS_PER_MS;
    const waitStop = node?.state !== 'down' && !isTerminal(t);
    this.delayStart(replacement, { notBefore: this.cluster.clock.now + delayMs, waitFor: waitStop ? [t.id] : [] });
  }

  /** A delayed start's timer for the old-task timeout, cancelled once the task starts. */
  private readonly giveUps = new Map<string, number>();

  /**
   * Keeps `task` in desired READY until `notBefore` and until `waitFor` tasks have stopped, or
   * a minute has passed waiting for them (swarmkit's TaskTimeout for the old task).
   */
  delayStart(task: TaskRecord, start: { notBefore: number; waitFor: string[] }): void {
    const giveUpAt = Math.max(start.notBefore, this.cluster.clock.now + OLD_TASK_TIMEOUT_MS);
    task.delayedStart = { ...start, giveUpAt };
    this.cluster.clock.at(start.notBefore, () => this.tryStart(task));
    if (start.waitFor.length > 0) this.giveUps.set(task.id, this.cluster.clock.at(giveUpAt, () => this.tryStart(task)));
    this.tryStart(task);
  }

  /** Starts a delayed task once its time has come and the tasks it waits for have stopped. */
  tryStart(task: TaskRecord, restartNow?: (t: TaskRecord) => void): void {
    const start = task.delayedStart;
    if (!start || !this.cluster.tasks.has(task.id)) return;
    const now = this.cluster.clock.now;
    if (now < start.notBefore) return;
    const blocked = now < start.giveUpAt && start.waitFor.some((id) => {
      const old = this.cluster.tasks.get(id);
      if (!old || isTerminal(old)) return false;
      const node = this.cluster.nodes.get(old.nodeId);
      return !!node && node.state !== 'down' && !!old.nodeId;
    });
    if (blocked) return;
    task.delayedStart = undefined;
    this.cluster.clock.cancel(this.giveUps.get(task.id));
    this.giveUps.delete(task.id);
    // StartNow: desired RUNNING; a task that already failed is then restarted by the orchestrator.
    if (task.desired === 'ready') this.cluster.setDesired(task, 'running');
    else if (isRunnable(task) && isTerminal(task)) restartNow?.(task);
  }

  /** Whether the policy lets `t` be replaced (swarmkit's shouldRestart, on the task's own spec). */
  shouldRestart(t: TaskRecord): boolean {
    const policy = t.spec.RestartPolicy;
    const condition = policy?.Condition ?? 'any';
    if (condition === 'none') return false;
    if (condition === 'on-failure' && t.state === 'complete') return false;
    const max = policy?.MaxAttempts ?? 0;
    if (max <= 0) return true;
    const info = this.history.get(t.key);
    if (!info || info.spec !== t.spec) return true;
    const windowMs = (policy?.Window ?? 0) / NS_PER_MS;
    if (windowMs <= 0) return info.total < max;
    if (info.instants.length === 0) return true;
    // Restarts before the window (counted back from when the task ended) no longer count, and
    // are forgotten; those made at or after that instant are not this task's.
    const at = t.stateAt;
    while (info.instants.length > 0 && info.instants[0]! <= at - windowMs) info.instants.shift();
    let count = info.instants.length;
    for (let i = info.instants.length - 1; i >= 0 && info.instants[i]! >= at; i--) count--;
    return count < max;
  }

  /** A service was removed: its slots' history goes with it. */
  clearService(serviceId: string): void {
    for (const key of this.history.keys()) if (key.startsWith(serviceId)) this.history.delete(key);
  }

  /** Swarmkit's RecordRestartHistory: only kept when the policy limits the attempts. */
  private record(replacement: TaskRecord): void {
    const policy = replacement.spec.RestartPolicy;
    if (!policy?.MaxAttempts) return;
    let info = this.history.get(replacement.key);
    if (!info || info.spec !== replacement.spec) this.history.set(replacement.key, (info = { spec: replacement.spec, total: 0, instants: [] }));
    info.total++;
    if ((policy.Window ?? 0) > 0) info.instants.push(replacement.createdAt);
  }
}
