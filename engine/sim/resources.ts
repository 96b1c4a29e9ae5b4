// swarmkit's ResourceFilter: a task that reserves CPUs or memory (--reserve-cpu,
// --reserve-memory) goes only to a node whose resources, less what the tasks already placed
// there reserve, still hold its reservation; otherwise it waits, Pending, with "insufficient
// resources on N nodes". A node's resources are its machine's (docker info's NCPU and
// MemTotal, the node's Description.Resources).
import { NS_PER_SECOND } from '../api/types.js';
import type { Cluster } from './cluster.js';
import type { NodeRecord, TaskRecord } from './model.js';
import { after, isTerminal } from './model.js';

export interface Reservation {
  nanoCpus: number;
  memoryBytes: number;
}

/** What a task reserves, or undefined when nothing (the common case: no filter to run). */
export function reservationOf(task: TaskRecord): Reservation | undefined {
  const r = task.spec.Resources?.Reservations;
  const nanoCpus = r?.['NanoCPUs'] ?? 0;
  const memoryBytes = r?.['MemoryBytes'] ?? 0;
  return nanoCpus > 0 || memoryBytes > 0 ? { nanoCpus, memoryBytes } : undefined;
}

/** What the tasks placed on each node reserve (swarmkit's nodeInfo: tasks meant to run, not ended). */
export function reservedPerNode(cluster: Cluster): Map<string, Reservation> {
  const used = new Map<string, Reservation>();
  for (const t of cluster.tasks.values()) {
    if (!t.nodeId || isTerminal(t) || after(t.desired, 'running') || t.state === 'new' || t.state === 'pending') continue;
    const r = reservationOf(t);
    if (r) add(used, t.nodeId, r);
  }
  return used;
}

export function add(used: Map<string, Reservation>, nodeId: string, r: Reservation): void {
  const u = used.get(nodeId) ?? { nanoCpus: 0, memoryBytes: 0 };
  used.set(nodeId, { nanoCpus: u.nanoCpus + r.nanoCpus, memoryBytes: u.memoryBytes + r.memoryBytes });
}

/** Whether `node` still has room for `r`, given what is reserved on it. */
export function fits(node: NodeRecord, r: Reservation, used: Map<string, Reservation>): boolean {
  const u = used.get(node.id) ?? { nanoCpus: 0, memoryBytes: 0 };
  return r.nanoCpus <= node.machine.ncpu * NS_PER_SECOND - u.nanoCpus && r.memoryBytes <= node.machine.memBytes - u.memoryBytes;
}
