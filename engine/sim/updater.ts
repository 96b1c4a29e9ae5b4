// The rolling updater (swarmkit's orchestrator/update): replaces the dirty slots of a
// service, `Parallelism` at a time (0 = all), in random slot order, waiting `Delay` after
// every slot; stop-first starts the new task only after the old one stopped, start-first
// stops the old one once the new one runs. Failures of tasks it created (before running,
// or within the monitor window after) trigger the failure action once their ratio
// exceeds MaxFailureRatio — judged when swarmkit would read them: at once while slots are
// still to be handed out or during the final watch, else when that watch begins (so a task
// killed while the workers wait out the delay after the last slots may be forgiven).
// After the last slot it watches one more monitor window, then marks the update completed. A slot that already holds a task with the new spec keeps it;
// an update already heading for a re-written spec goes on rather than starting over.
import { NS_PER_MS } from '../api/types.js';
import type { Cluster } from './cluster.js';
import { MAX_CHANGES_PER_BATCH } from './cluster.js';
import type { ServiceRecord, TaskRecord } from './model.js';
import { isRunnable, isTerminal } from './model.js';
import type { Orchestrator, UpdaterPort } from './orchestrator.js';
import { isTaskDirty } from './dirty.js';
import { effectivePolicy, sameServiceSpec } from './spec.js';

interface SlotWork {
  key: string;
  slot: number;
  nodeId: string;
}

class ServiceUpdate {
  stopped = false;
  /** Slots still to do, in order: `queue[next]` is the next one (an index, not shift(): O(1)). */
  private readonly queue: SlotWork[];
  private next = 0;
  /** Keys of the slots still in the queue. */
  private readonly queued = new Set<string>();
  private active = 0;
  /** Tasks this update created → when they reached RUNNING (undefined: not yet). */
  private readonly created = new Map<string, number | undefined>();
  /** New task ID → the worker waiting for it, and the old tasks to stop after (start-first). */
  private readonly waiting = new Map<string, { old: TaskRecord[] }>();
  private readonly failed = new Set<string>();
  private readonly timers = new Set<number>();
  private readonly policy;
  /** The spec this update works towards. */
  readonly spec: ServiceRecord['spec'];
  /** UpdateConfig.Monitor: how long after it ran a task's end counts as a failure while slots are handed out. */
  private readonly monitorMs: number;
  /** The watch after the last slot, and the window failures are counted in then (Delay + 1 s when Delay >= Monitor). */
  private readonly finalMonitorMs: number;
  private readonly delayMs: number;
  /**
   * Ends of its tasks that happened while nothing read them: swarmkit's updater reads task
   * failures only while it hands out slots and while it watches after the last one, not while
   * it waits for its workers to finish the last slots (their update delay included); those are
   * read when the watch begins, and judged by how long the task had run by then.
   */
  private readonly unread: TaskRecord[] = [];
  /** The watch after the last slot has begun. */
  private monitoring = false;

  /** Tasks an interrupted update started that are still coming up: they hold workers. */
  private readonly inherited: Set<string>;

  constructor(
    private readonly cluster: Cluster,
    private readonly orchestrator: Orchestrator,
    readonly service: ServiceRecord,
    readonly rollback: boolean,
    dirty: SlotWork[],
    inherited: string[],
    private readonly onEnd: (u: ServiceUpdate) => void,
    private readonly onCreate: (taskId: string) => void,
  ) {
    this.inherited = new Set(inherited);
    this.spec = service.spec;
    this.active = this.inherited.size;
    this.policy = effectivePolicy(service.spec, rollback);
    this.delayMs = this.policy.Delay / NS_PER_MS;
    this.monitorMs = this.policy.Monitor / NS_PER_MS;
    // Swarmkit: with Delay >= Monitor the final watch lasts Delay + 1 s.
    this.finalMonitorMs = this.delayMs >= this.monitorMs ? this.delayMs + 1000 : this.monitorMs;
    this.queue = cluster.rng.shuffle(dirty);
    for (const w of this.queue) this.queued.add(w.key);
    this.dirtyCount = dirty.length;
  }

  private readonly dirtyCount: number;

  start(): void {
    const left = this.queue.length - this.next;
    const free = this.policy.Parallelism === 0 ? left : this.policy.Parallelism - this.active;
    const workers = Math.max(0, Math.min(free, left));
    // Workers beyond one commit's worth start in an event of their own (MAX_CHANGES_PER_BATCH).
    const now = Math.min(workers, MAX_CHANGES_PER_BATCH);
    for (let i = 0; i < now; i++) this.nextSlot();
    if (workers > now) {
      const id = this.cluster.clock.after(0, () => {
        this.timers.delete(id);
        if (!this.stopped && this.next < this.queue.length) this.start();
      });
      this.timers.add(id);
    } else if (workers === 0 && this.active === 0) this.finish();
  }

  /** Whether this update is still working towards `spec` (in the same direction). */
  goesOn(spec: ServiceRecord['spec'], rollback: boolean): boolean {
    return !this.stopped && this.rollback === rollback && sameServiceSpec(this.spec, spec);
  }

  /** Whether every slot of `work` is still ahead of this update, or has its new task coming up. */
  coversAll(work: readonly SlotWork[]): boolean {
    let comingUp: Set<string> | undefined;
    for (const w of work) {
      if (this.queued.has(w.key)) continue;
      if (!comingUp) {
        comingUp = new Set();
        for (const ids of [this.waiting.keys(), this.inherited]) {
          for (const id of ids) {
            const t = this.cluster.tasks.get(id);
            if (t && isRunnable(t)) comingUp.add(t.key);
          }
        }
      }
      if (!comingUp.has(w.key)) return false;
    }
    return true;
  }

  cancel(): void {
    this.stopped = true;
    for (const id of this.timers) this.cluster.clock.cancel(id);
    this.timers.clear();
  }

  /** Called for every change of this service's tasks. */
  taskChanged(t: TaskRecord): void {
    if (this.stopped) return;
    if (this.created.has(t.id)) {
      if (t.state === 'running' && this.created.get(t.id) === undefined) this.created.set(t.id, this.cluster.clock.now);
      // With failure action continue swarmkit does not watch for failures at all.
      if (isTerminal(t) && this.policy.FailureAction !== 'continue' && !this.failed.has(t.id)) {
        if (!this.reading) {
          if (!this.unread.includes(t)) this.unread.push(t);
        } else if (this.triggers(t)) return;
      }
    }
    if (this.inherited.has(t.id) && (t.state === 'running' || isTerminal(t) || !isRunnable(t))) {
      this.inherited.delete(t.id);
      this.slotDone();
      return;
    }
    const wait = this.waiting.get(t.id);
    if (wait && (t.state === 'running' || isTerminal(t))) {
      this.waiting.delete(t.id);
      if (t.state === 'running') for (const old of wait.old) this.cluster.setDesired(old, 'shutdown');
      this.slotDone();
    }
  }

  /** Whether failures are read now: while slots are still to be handed out, and during the final watch. */
  private get reading(): boolean {
    return this.monitoring || this.next < this.queue.length;
  }

  /**
   * Swarmkit's failureTriggersAction, as the task's end is read: a task of this update that
   * never ran, or ran no longer than the monitor window by now, is a failure; past the ratio
   * the failure action is taken (true).
   */
  private triggers(t: TaskRecord): boolean {
    if (this.failed.has(t.id)) return false;
    const ranAt = this.created.get(t.id);
    const window = this.monitoring ? this.finalMonitorMs : this.monitorMs;
    if (ranAt !== undefined && this.cluster.clock.now - ranAt > window) return false;
    this.failed.add(t.id);
    if (this.failed.size / this.dirtyCount <= this.policy.MaxFailureRatio) return false;
    this.fail(t);
    return true;
  }

  private nextSlot(): void {
    if (this.stopped) return;
    const work = this.queue[this.next];
    if (work) {
      this.next++;
      this.queued.delete(work.key);
    } else {
      if (this.active === 0) this.finish();
      return;
    }
    this.active++;
    const spec = this.service.spec.TaskTemplate;
    const old: TaskRecord[] = [];
    const upToDate: TaskRecord[] = [];
    for (const t of this.cluster.slotTasksByKey(work.key)) if (isRunnable(t)) (this.dirty(t) ? old : upToDate).push(t);
    if (old.length === 0) {
      // The slot went away or was fixed meanwhile (scale-down, restart with the new spec).
      this.active--;
      this.nextSlot();
      return;
    }
    // As swarmkit's update worker does: a slot that already has a task with the new spec
    // (an interrupted update started it) keeps that task and only sheds the others, so
    // re-updating never stacks a second replacement on a slot.
    // (A kept task still in desired Ready already has its delayed start pending.)
    if (upToDate.length > 0) {
      for (const t of old) this.cluster.setDesired(t, 'shutdown');
      this.slotDone();
      return;
    }
    const startFirst = this.policy.Order === 'start-first';
    const fresh = this.cluster.createTask({
      service: this.service,
      slot: work.slot,
      nodeId: work.slot === 0 ? work.nodeId : '',
      spec,
      desired: startFirst ? 'running' : 'ready',
    });
    this.created.set(fresh.id, undefined);
    this.onCreate(fresh.id);
    if (startFirst) {
      this.waiting.set(fresh.id, { old });
    } else {
      this.waiting.set(fresh.id, { old: [] });
      // Wait for every container of the slot, including ones an earlier update already
      // asked to stop, so two tasks of one slot never run at once under stop-first.
      const stopping = this.cluster.slotTasksByKey(work.key).filter((t) => t !== fresh && !isTerminal(t));
      for (const t of old) this.cluster.setDesired(t, 'shutdown');
      this.orchestrator.restarts.delayStart(fresh, { notBefore: this.cluster.clock.now, waitFor: stopping.map((t) => t.id) });
    }
  }

  private dirty(t: TaskRecord): boolean {
    return isTaskDirty(t, this.service.spec, this.cluster.nodes.get(t.nodeId));
  }

  /** The worker's slot reached RUNNING (or ended): wait the delay, then take the next. */
  private slotDone(): void {
    const id = this.cluster.clock.after(this.delayMs, () => {
      this.timers.delete(id);
      this.active--;
      this.nextSlot();
    });
    this.timers.add(id);
  }

  private finish(): void {
    if (this.stopped || this.monitoring) return;
    // The watch begins by reading what ended while the workers finished the last slots.
    this.monitoring = true;
    for (const t of this.unread.splice(0)) if (this.triggers(t)) return;
    const id = this.cluster.clock.after(this.finalMonitorMs, () => {
      this.timers.delete(id);
      if (this.stopped) return;
      this.stopped = true;
      const s = this.service;
      // Swarmkit leaves the status alone when a write cleared it since (the same spec
      // written again while this update went on).
      if (!s.updateStatus) {
        this.onEnd(this);
        return;
      }
      s.updateStatus = {
        state: this.rollback ? 'rollback_completed' : 'completed',
        startedAt: s.updateStatus.startedAt,
        completedAt: this.cluster.clock.now,
        message: this.rollback ? 'rollback completed' : 'update completed',
      };
      this.touch();
      this.onEnd(this);
    });
    this.timers.add(id);
  }

  private fail(t: TaskRecord): void {
    this.cancel();
    const s = this.service;
    if (!s.updateStatus) {
      // As in finish(): a write since cleared the status, so there is no update to pause.
      this.onEnd(this);
      return;
    }
    const startedAt = s.updateStatus.startedAt;
    if (this.rollback) {
      s.updateStatus = {
        state: 'rollback_paused',
        startedAt,
        message: `rollback paused due to failure or early termination of task ${t.id}`,
      };
      this.touch();
      this.onEnd(this);
      return;
    }
    if (this.policy.FailureAction === 'rollback' && s.previousSpec) {
      s.spec = s.previousSpec;
      delete s.previousSpec;
      s.updateStatus = {
        state: 'rollback_started',
        startedAt: this.cluster.clock.now,
        message: `update rolled back due to failure or early termination of task ${t.id}`,
      };
      this.touch();
      this.onEnd(this);
      this.orchestrator.serviceChanged(s);
      return;
    }
    s.updateStatus = {
      state: 'paused',
      startedAt,
      message: `update paused due to failure or early termination of task ${t.id}`,
    };
    this.touch();
    this.onEnd(this);
  }

  private touch(): void {
    this.service.updatedAt = this.cluster.clock.now;
    this.service.version = this.cluster.nextVersion();
  }
}

export class Updater implements UpdaterPort {
  private readonly running = new Map<string, ServiceUpdate>();
  /** Tasks created by an update that have not come up yet (the slots it has in flight). */
  private readonly comingUp = new Set<string>();

  constructor(
    private readonly cluster: Cluster,
    private readonly orchestrator: Orchestrator,
  ) {
    cluster.onTaskChange((t) => {
      if (this.comingUp.has(t.id) && (t.state === 'running' || isTerminal(t) || !isRunnable(t))) this.comingUp.delete(t.id);
      this.running.get(t.serviceId)?.taskChanged(t);
    });
  }

  isUpdating(serviceId: string): boolean {
    return this.running.has(serviceId);
  }

  cancel(serviceId: string): void {
    this.running.get(serviceId)?.cancel();
    this.running.delete(serviceId);
  }

  update(service: ServiceRecord): void {
    const status = service.updateStatus?.state;
    const dirty = this.dirtySlots(service);
    // Swarmkit's update supervisor: an update already working towards this very spec goes
    // on (several writes in one reconcile tick each ask for an update of the final spec).
    // Writes reach the orchestrator a tick late, so a task created meanwhile from a spec in
    // between can be dirty without the running update knowing: then it starts over.
    const current = this.running.get(service.id);
    if (
      current?.goesOn(service.spec, status === 'rollback_started') &&
      current.coversAll(dirty)
    )
      return;
    this.cancel(service.id);
    if (status === 'paused' || status === 'rollback_paused') return;
    const rollback = status === 'rollback_started';
    if (dirty.length === 0) {
      if (status === 'updating' || status === 'rollback_started') {
        service.updateStatus = {
          state: rollback ? 'rollback_completed' : 'completed',
          startedAt: service.updateStatus!.startedAt,
          completedAt: this.cluster.clock.now,
          message: rollback ? 'rollback completed' : 'update completed',
        };
        service.version = this.cluster.nextVersion();
      }
      return;
    }
    if (!rollback) {
      service.updateStatus = { state: 'updating', startedAt: this.cluster.clock.now, message: 'update in progress' };
      service.version = this.cluster.nextVersion();
    }
    // Slots a cancelled update left half-replaced, with the spec now wanted, keep their
    // workers busy: an interrupted update never raises how many slots are in flight.
    const inherited = [...this.cluster.tasksOf(service.id)]
      .filter((t) => this.comingUp.has(t.id) && isRunnable(t) && !isTaskDirty(t, service.spec, this.cluster.nodes.get(t.nodeId)))
      .map((t) => t.id);
    const u = new ServiceUpdate(
      this.cluster,
      this.orchestrator,
      service,
      rollback,
      dirty,
      inherited,
      (done) => {
        if (this.running.get(service.id) === done) this.running.delete(service.id);
      },
      (id) => this.comingUp.add(id),
    );
    this.running.set(service.id, u);
    u.start();
  }

  /** Slots (or nodes, for global services) running a task spec or endpoint other than the service's. */
  private dirtySlots(service: ServiceRecord): SlotWork[] {
    const seen = new Map<string, SlotWork & { dirty: boolean }>();
    for (const t of this.cluster.tasksOf(service.id)) {
      if (!isRunnable(t)) continue;
      let w = seen.get(t.key);
      if (!w) seen.set(t.key, (w = { key: t.key, slot: t.slot, nodeId: t.nodeId, dirty: false }));
      if (isTaskDirty(t, service.spec, this.cluster.nodes.get(t.nodeId))) w.dirty = true;
    }
    return [...seen.values()].filter((w) => w.dirty).map(({ key, slot, nodeId }) => ({ key, slot, nodeId }));
  }
}
