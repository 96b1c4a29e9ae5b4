// The task reaper: keeps at most TaskHistoryRetentionLimit tasks per slot (per node for
// global services), the current one included, deleting the oldest finished ones first. A
// service whose restart policy limits the attempts keeps MaxAttempts + 1 instead, whatever
// the limit (swarmkit keeps them to rebuild its restart history after a leader change).
import type { Cluster } from './cluster.js';
import type { TaskRecord } from './model.js';
import { isRunnable, isTerminal } from './model.js';

export class Reaper {
  constructor(private readonly cluster: Cluster) {
    cluster.onTaskChange((t) => this.trim(t));
  }

  private trim(task: TaskRecord): void {
    const attempts = this.cluster.services.get(task.serviceId)?.spec.TaskTemplate.RestartPolicy?.MaxAttempts ?? 0;
    const limit = attempts > 0 ? attempts + 1 : (this.cluster.swarm?.taskHistoryLimit ?? 5);
    if (limit < 0) return;
    const slot = this.cluster.slotTasks(task);
    let excess = slot.length - Math.max(limit, 1);
    if (excess <= 0) return;
    // Slot lists are kept oldest first.
    for (const t of [...slot]) {
      if (excess <= 0) break;
      if (!isRunnable(t) && isTerminal(t)) {
        this.cluster.deleteTask(t);
        excess--;
      }
    }
  }
}
