// Per-mode progress bookkeeping, as docker/cli's replicatedProgressUpdater and
// globalProgressUpdater: which task represents a slot (or node), the mapped line index of
// each slot, and when the service counts as converged.
import type { Service, Task } from '../../api/types.js';
import { CliError } from '../command.js';
import type { ProgressDisplay } from './display.js';
import { isTerminal, LONGEST_STATE, MAX_PROGRESS, MAX_PROGRESS_BARS, stateNumber, truncError } from './task-states.js';

export interface ProgressUpdater {
  /** Draws the current state; true when every slot/node runs an up-to-date task. */
  update(service: Service, tasks: Task[], activeNodes: Set<string>, rollback: boolean): boolean;
}

function writeOverall(display: ProgressDisplay, running: number, total: number, rollback: boolean): void {
  display.progress(
    'overall progress',
    rollback ? `rolling back update: ${running} out of ${total} tasks` : `${running} out of ${total} tasks`,
  );
}

/** Of several tasks for one slot/node, keep the lowest desired state, then the lowest observed one. */
function preferred(existing: Task | undefined, task: Task): boolean {
  if (!existing) return true;
  const ed = stateNumber(existing.DesiredState);
  const td = stateNumber(task.DesiredState);
  if (ed < td) return false;
  if (ed === td && stateNumber(existing.Status.State) <= stateNumber(task.Status.State)) return false;
  return true;
}

const countable = (t: Task) => stateNumber(t.DesiredState) !== 0 && stateNumber(t.Status.State) !== 0;

function writeTask(display: ProgressDisplay, id: string, task: Task): void {
  if (task.Status.Err) {
    display.progress(id, truncError(task.Status.Err));
    return;
  }
  if (!isTerminal(task.DesiredState) && !isTerminal(task.Status.State)) {
    display.progress(id, task.Status.State.padEnd(LONGEST_STATE), {
      current: stateNumber(task.Status.State),
      total: MAX_PROGRESS,
    });
  }
}

export class ReplicatedProgress implements ProgressUpdater {
  /** Slots mapped to 1..N in the order they are first seen, so lines appear in order. */
  private slotMap = new Map<number, number>();
  private initialized = false;
  private done = false;

  constructor(private readonly display: ProgressDisplay) {}

  update(service: Service, tasks: Task[], activeNodes: Set<string>, rollback: boolean): boolean {
    const replicas = service.Spec.Mode.Replicated?.Replicas;
    if (replicas === undefined) throw new CliError('no replica count');
    if (!this.initialized) {
      writeOverall(this.display, 0, replicas, rollback);
      if (replicas <= MAX_PROGRESS_BARS) {
        for (let i = 1; i <= replicas; i++) this.display.progress(`${i}/${replicas}`, ' ');
      }
      this.initialized = true;
    }
    const bySlot = new Map<number, Task>();
    for (const task of tasks) {
      if (!countable(task)) continue;
      const slot = task.Slot ?? 0;
      if (!preferred(bySlot.get(slot), task)) continue;
      if (task.NodeID && !activeNodes.has(task.NodeID)) continue;
      bySlot.set(slot, task);
    }
    if (this.done && [...bySlot.values()].some((t) => t.Status.State !== 'running')) this.done = false;

    let running = 0;
    for (const [slot, task] of bySlot) {
      let mapped = this.slotMap.get(slot);
      if (mapped === undefined) {
        mapped = this.slotMap.size + 1;
        this.slotMap.set(slot, mapped);
      }
      if (!isTerminal(task.DesiredState) && task.Status.State === 'running') running++;
      if (!this.done && replicas <= MAX_PROGRESS_BARS && mapped <= replicas) {
        writeTask(this.display, `${mapped}/${replicas}`, task);
      }
    }
    if (!this.done) {
      writeOverall(this.display, running, replicas, rollback);
      if (running === replicas) this.done = true;
    }
    return running === replicas;
  }
}

export class GlobalProgress implements ProgressUpdater {
  private initialized = false;
  private done = false;

  constructor(private readonly display: ProgressDisplay) {}

  update(_service: Service, tasks: Task[], activeNodes: Set<string>, rollback: boolean): boolean {
    const byNode = new Map<string, Task>();
    for (const task of tasks) {
      if (!countable(task)) continue;
      const node = task.NodeID ?? '';
      if (!preferred(byNode.get(node), task)) continue;
      byNode.set(node, task);
    }
    // The orchestrator creates all eligible nodes' tasks at once, so their count is the target.
    const nodeCount = byNode.size;
    if (!this.initialized) {
      if (nodeCount === 0) {
        this.display.progress('overall progress', 'waiting for new tasks');
        return false;
      }
      writeOverall(this.display, 0, nodeCount, rollback);
      this.initialized = true;
    }
    if (this.done && [...byNode.values()].some((t) => t.Status.State !== 'running')) this.done = false;

    let running = 0;
    for (const task of byNode.values()) {
      if (!activeNodes.has(task.NodeID ?? '')) continue;
      if (!isTerminal(task.DesiredState) && task.Status.State === 'running') running++;
      if (!this.done && nodeCount <= MAX_PROGRESS_BARS) writeTask(this.display, (task.NodeID ?? '').slice(0, 12), task);
    }
    if (!this.done) {
      writeOverall(this.display, running, nodeCount, rollback);
      if (running === nodeCount) this.done = true;
    }
    return running === nodeCount;
  }
}

export function updaterFor(service: Service, display: ProgressDisplay): ProgressUpdater {
  if (service.Spec.Mode.Replicated?.Replicas !== undefined) return new ReplicatedProgress(display);
  if (service.Spec.Mode.Global) return new GlobalProgress(display);
  throw new CliError('unrecognized service mode');
}
