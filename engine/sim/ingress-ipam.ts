// The ingress network's addresses (10.0.0.0/24, gateway 10.0.0.1), handed out as swarmkit's
// allocator does: each node's ingress sandbox when the node joins, a service's virtual IP when
// it publishes a port in ingress mode, each of its tasks when the task is created; serially
// (the next free address after the last one given, wrapping), so a fresh swarm of three nodes
// gives 10.0.0.2-4 to the nodes, 10.0.0.5 to the first published service's VIP and 10.0.0.6 up
// to its tasks, as the real capture shows (test/fixtures/real/network.json). Allocation happens
// on store writes only, never on reads, so a replayed recipe hands out the same addresses.
import type { ServiceSpec } from '../api/types.js';
import type { Cluster } from './cluster.js';
import { isTerminal } from './model.js';
import type { ServiceRecord, TaskRecord } from './model.js';

const FIRST = 2;
const LAST = 254;

/** Whether a service's tasks join the ingress network: a port published in ingress mode, VIP endpoint. */
export function usesIngress(spec: ServiceSpec): boolean {
  const e = spec.EndpointSpec;
  if (!e || e.Mode === 'dnsrr') return false;
  return (e.Ports ?? []).some((p) => p.PublishMode !== 'host');
}

/** `10.0.0.<host>`. */
export const ingressAddr = (host: number): string => `10.0.0.${host}`;

/** Whether a stored spec uses ingress, cached per spec object (stored specs are frozen). */
const ingressSpecs = new WeakMap<ServiceSpec, boolean>();
function specUsesIngress(spec: ServiceSpec): boolean {
  let v = ingressSpecs.get(spec);
  if (v === undefined) ingressSpecs.set(spec, (v = usesIngress(spec)));
  return v;
}

type Owner = { kind: 'node' | 'vip' | 'task'; id: string };

export class IngressAddresses {
  /** Host part → what holds it. */
  private readonly owners = new Map<number, Owner>();
  private readonly held = { node: new Map<string, number>(), vip: new Map<string, number>(), task: new Map<string, number>() };
  private last = FIRST - 1;

  constructor(private readonly cluster: Cluster) {
    cluster.onTaskChange((t) => this.taskChanged(t));
  }

  /** The host part a node's ingress sandbox, a service's VIP or a task holds, if any. */
  hostOf(kind: Owner['kind'], id: string): number | undefined {
    return this.held[kind].get(id);
  }

  nodeJoined(nodeId: string): void {
    this.allocate({ kind: 'node', id: nodeId });
  }

  /** A service written (created, updated, rolled back): it gets or gives back its VIP. */
  serviceChanged(service: ServiceRecord): void {
    const owner: Owner = { kind: 'vip', id: service.id };
    if (specUsesIngress(service.spec)) {
      const host = this.allocate(owner);
      service.vip = host === undefined ? undefined : `${ingressAddr(host)}/24`;
    } else {
      this.release(owner);
      service.vip = undefined;
    }
  }

  // Runs on every task change of the swarm: the common case (a service without an ingress
  // port, a task already placed) returns after two map lookups.
  private taskChanged(t: TaskRecord): void {
    if (this.held.task.has(t.id)) {
      if (isTerminal(t) || !this.cluster.tasks.has(t.id)) this.release({ kind: 'task', id: t.id });
      return;
    }
    if (isTerminal(t)) return;
    const service = this.cluster.services.get(t.serviceId);
    if (service && specUsesIngress(service.spec)) this.allocate({ kind: 'task', id: t.id });
  }

  private release(owner: Owner): void {
    const host = this.held[owner.kind].get(owner.id);
    if (host === undefined) return;
    this.held[owner.kind].delete(owner.id);
    this.owners.delete(host);
  }

  /** An owner whose object is gone no longer holds its address (a removed service, task or node). */
  private stale(owner: Owner): boolean {
    if (owner.kind === 'node') return !this.cluster.nodes.has(owner.id);
    if (owner.kind === 'vip') return !this.cluster.services.has(owner.id);
    const t = this.cluster.tasks.get(owner.id);
    return !t || isTerminal(t);
  }

  private allocate(owner: Owner): number | undefined {
    const already = this.held[owner.kind].get(owner.id);
    if (already !== undefined) return already;
    const size = LAST - FIRST + 1;
    for (let i = 1; i <= size; i++) {
      const host = FIRST + ((this.last - FIRST + i) % size);
      const current = this.owners.get(host);
      if (current !== undefined && !this.stale(current)) continue;
      if (current !== undefined) this.held[current.kind].delete(current.id);
      this.owners.set(host, owner);
      this.held[owner.kind].set(owner.id, host);
      this.last = host;
      return host;
    }
    return undefined; // the /24 is full: the real allocator fails the task; here it only has no address
  }
}
