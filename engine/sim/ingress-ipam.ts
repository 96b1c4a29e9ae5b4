// The ingress network's addresses (10.0.0.0/24, gateway 10.0.0.1), handed out as swarmkit's
// allocator does: each node's ingress sandbox when the node joins, a service's virtual IP when
// it publishes a port in ingress mode, each of its tasks when the task is created; serially
// (the next free address after the last one given, wrapping), so a fresh swarm of three nodes
// gives 10.0.0.2-4 to the nodes, 10.0.0.5 to the first published service's VIP and 10.0.0.6 up
// to its tasks, as the real capture shows (test/fixtures/real/network.json). Allocation happens
// on store writes only, never on reads, so a replayed recipe hands out the same addresses;
// every address is given back on the write that ends its owner (task ended, service or node
// removed).
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
  /** Services whose tasks join the ingress network, by ID: the task listener's fast check. */
  private readonly ingressServices = new Set<string>();

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
      this.ingressServices.add(service.id);
      const host = this.allocate(owner);
      service.vip = host === undefined ? undefined : `${ingressAddr(host)}/24`;
    } else {
      this.ingressServices.delete(service.id);
      this.release(owner);
      service.vip = undefined;
    }
  }

  /** A service removed gives its VIP back; a node removed its sandbox's address. */
  serviceRemoved(serviceId: string): void {
    this.ingressServices.delete(serviceId);
    this.release({ kind: 'vip', id: serviceId });
  }

  nodeRemoved(nodeId: string): void {
    this.release({ kind: 'node', id: nodeId });
  }

  // Runs on every task change of the swarm: a swarm without published ports pays one set
  // lookup. A task gets its address once placed (a pending one may be deleted unplaced) and
  // gives it back when it ends; only ended tasks leave the store otherwise, so nothing is held
  // by a task that is gone.
  private taskChanged(t: TaskRecord): void {
    if (this.held.task.size > 0 && this.held.task.has(t.id)) {
      if (isTerminal(t) || !this.cluster.tasks.has(t.id)) this.release({ kind: 'task', id: t.id });
      return;
    }
    if (!this.ingressServices.has(t.serviceId)) return;
    if (isTerminal(t) || t.state === 'new' || t.state === 'pending' || !t.nodeId) return;
    this.allocate({ kind: 'task', id: t.id });
  }

  private release(owner: Owner): void {
    const host = this.held[owner.kind].get(owner.id);
    if (host === undefined) return;
    this.held[owner.kind].delete(owner.id);
    this.owners.delete(host);
  }

  private allocate(owner: Owner): number | undefined {
    const already = this.held[owner.kind].get(owner.id);
    if (already !== undefined) return already;
    const size = LAST - FIRST + 1;
    // The /24 is full (a swarm of more than 250 nodes, or as many tasks): the real allocator
    // fails the attachment; here the owner only has no address.
    if (this.owners.size >= size) return undefined;
    for (let i = 1; i <= size; i++) {
      const host = FIRST + ((this.last - FIRST + i) % size);
      if (this.owners.has(host)) continue;
      this.owners.set(host, owner);
      this.held[owner.kind].set(owner.id, host);
      this.last = host;
      return host;
    }
    return undefined;
  }
}

/**
 * The ingress network's swarm ID (as service views name it in Endpoint.VirtualIPs). Here, not in
 * networks.ts, so the views do not pull the network reads into the worker's first chunk.
 */
export const ingressNetworkId = (c: Cluster): string => (c.swarm ? c.swarm.id.split('').reverse().join('') : '');
