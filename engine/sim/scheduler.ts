// The scheduler: assigns pending tasks to nodes. Only Ready + Active nodes take new
// tasks; among those it spreads: fewest tasks of the same service first, then fewest
// tasks overall (swarmkit's nodeInfo ordering). When no node fits, the task stays
// PENDING with swarmkit's "no suitable node (...)" explanation and is retried whenever
// nodes change.
import type { Cluster } from './cluster.js';
import type { NodeRecord, TaskRecord } from './model.js';
import { after } from './model.js';
import { TIMING } from './timing.js';

export class Scheduler {
  private readonly queue = new Set<TaskRecord>();
  private readonly allocating = new Set<string>();
  private timer: number | undefined;

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
      }
    });
  }

  enqueue(task: TaskRecord): void {
    this.queue.add(task);
    if (this.timer === undefined) {
      this.timer = this.cluster.clock.after(this.cluster.rng.jitter(TIMING.schedule.base, TIMING.schedule.spread), () => {
        this.timer = undefined;
        this.run();
      });
    }
  }

  /** Retry every pending task (nodes changed). */
  retryAll(): void {
    for (const t of this.cluster.tasks.values()) if (t.state === 'pending' && !after(t.desired, 'running')) this.enqueue(t);
  }

  private run(): void {
    const batch = [...this.queue].sort((a, b) => a.createdAt - b.createdAt);
    this.queue.clear();
    const nodes = [...this.cluster.nodes.values()];
    // Per-node counts of live tasks (desired <= RUNNING), overall and per service: the
    // cluster keeps them, and they follow each assignment below. A task that had its node
    // before being scheduled (global) was already counted; the batch counts it once more,
    // as it always has, so those extra counts are kept aside here.
    const total = this.cluster.placedPerNode();
    const extraTotal = new Map<string, number>();
    const extraMine = new Map<string, Map<string, number>>();
    for (const task of batch) {
      if (!this.cluster.tasks.has(task.id) || task.state !== 'pending' || after(task.desired, 'running')) continue;
      const mine = this.cluster.placedPerNodeOf(task.serviceId);
      const result = this.pick(task, nodes, total, mine, extraTotal, extraMine.get(task.serviceId));
      if (typeof result === 'string') {
        if (task.err !== result) {
          task.err = result;
          task.message = 'no suitable node';
          task.updatedAt = this.cluster.clock.now;
        }
        continue;
      }
      if (task.nodeId !== '') {
        extraTotal.set(result.id, (extraTotal.get(result.id) ?? 0) + 1);
        let m = extraMine.get(task.serviceId);
        if (!m) extraMine.set(task.serviceId, (m = new Map()));
        m.set(result.id, (m.get(result.id) ?? 0) + 1);
      }
      this.cluster.assign(task, result.id);
    }
  }

  /** The best node for a task, or the reason none fits. */
  private pick(
    task: TaskRecord,
    nodes: NodeRecord[],
    total: ReadonlyMap<string, number>,
    mine: ReadonlyMap<string, number> | undefined,
    extraTotal: ReadonlyMap<string, number>,
    extraMine: ReadonlyMap<string, number> | undefined,
  ): NodeRecord | string {
    let unavailable = 0;
    let constrained = 0;
    let maxed = 0;
    let best: NodeRecord | undefined;
    // Best key so far: (own tasks, all tasks, random tie-break), compared in that order.
    let bestOwn = 0;
    let bestTotal = 0;
    let bestRandom = 0;
    const pinned = task.slot === 0 ? task.nodeId : '';
    const constraints = task.spec.Placement?.Constraints ?? [];
    const maxReplicas = task.spec.Placement?.MaxReplicas ?? 0;
    const withExtra = extraTotal.size > 0;
    for (const node of nodes) {
      if (pinned && node.id !== pinned) continue;
      if (node.state !== 'ready' || node.availability !== 'active') {
        unavailable++;
        continue;
      }
      if (constraints.length > 0 && !constraints.every((c) => constraintHolds(c, node))) {
        constrained++;
        continue;
      }
      let own = mine?.get(node.id) ?? 0;
      let all = total.get(node.id) ?? 0;
      if (withExtra) {
        own += extraMine?.get(node.id) ?? 0;
        all += extraTotal.get(node.id) ?? 0;
      }
      if (maxReplicas > 0 && own >= maxReplicas) {
        maxed++;
        continue;
      }
      // One draw per candidate node, always: the seeded stream must not depend on the counts.
      const random = this.cluster.rng.float();
      if (!best || own < bestOwn || (own === bestOwn && (all < bestTotal || (all === bestTotal && random < bestRandom)))) {
        best = node;
        bestOwn = own;
        bestTotal = all;
        bestRandom = random;
      }
    }
    if (best) return best;
    const reasons: string[] = [];
    if (unavailable > 0) reasons.push(`${unavailable} ${unavailable === 1 ? 'node' : 'nodes'} not available for new tasks`);
    if (constrained > 0) reasons.push(`scheduling constraints not satisfied on ${constrained} ${constrained === 1 ? 'node' : 'nodes'}`);
    if (maxed > 0) reasons.push('max replicas per node limit exceed');
    return `no suitable node (${reasons.join('; ')})`;
  }
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
