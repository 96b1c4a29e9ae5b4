// Invariants every simulated swarm must keep, whatever it was asked to do. The watcher
// remembers what it saw last time so it can tell when a task moved backwards.
import { TASK_STATES } from '../../engine/api/types.js';
import type { TaskState } from '../../engine/api/types.js';
import { slotKey } from '../../engine/sim/cluster.js';
import type { Simulator } from '../../engine/sim/simulator.js';

const ORDER = new Map<TaskState, number>(TASK_STATES.map((s, i) => [s, i]));
const ID = /^[0-9a-z]{25}$/;

export class InvariantWatcher {
  private readonly seen = new Map<string, { state: number; desired: number }>();

  constructor(private readonly sim: Simulator) {}

  /** Returns the violations found now (empty when all is well). */
  check(): string[] {
    const problems: string[] = [];
    const c = this.sim.cluster;
    const limit = c.swarm?.taskHistoryLimit ?? 5;
    const ids = new Set<string>();
    const perSlot = new Map<string, number>();
    for (const t of c.tasks.values()) {
      if (!ID.test(t.id)) problems.push(`task id ${t.id} is not 25-char base36`);
      if (ids.has(t.id)) problems.push(`duplicate id ${t.id}`);
      ids.add(t.id);
      const now = { state: ORDER.get(t.state)!, desired: ORDER.get(t.desired)! };
      const before = this.seen.get(t.id);
      if (before && now.state < before.state) problems.push(`task ${t.id} moved back to ${t.state}`);
      if (before && now.desired < before.desired) problems.push(`task ${t.id} desired moved back to ${t.desired}`);
      this.seen.set(t.id, now);
      const key = slotKey(t);
      perSlot.set(key, (perSlot.get(key) ?? 0) + 1);
      if (!c.services.has(t.serviceId) && t.desired !== 'remove') problems.push(`task ${t.id} of a removed service is not being removed`);
    }
    if (limit >= 0) for (const [key, n] of perSlot) if (n > Math.max(limit, 1)) problems.push(`slot ${key} holds ${n} tasks (limit ${limit})`);
    for (const s of c.services.values()) {
      if (!ID.test(s.id)) problems.push(`service id ${s.id} is not 25-char base36`);
      if (ids.has(s.id)) problems.push(`duplicate id ${s.id}`);
      ids.add(s.id);
    }
    for (const n of c.nodes.values()) {
      if (!ID.test(n.id)) problems.push(`node id ${n.id} is not 25-char base36`);
      if (ids.has(n.id)) problems.push(`duplicate id ${n.id}`);
      ids.add(n.id);
    }
    return problems;
  }
}
