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

export class IngressAddresses {
  /** Host part → owner key (`node:<id>`, `vip:<service id>`, `task:<id>`). */
  private readonly owners = new Map<number, string>();
  private readonly byOwner = new Map<string, number>();
  private last = FIRST - 1;

  constructor(private readonly cluster: Cluster) {
    cluster.onTaskChange((t) => this.taskChanged(t));
  }

  /** The host part held by an owner, if any. */
  hostOf(owner: string): number | undefined {
    return this.byOwner.get(owner);
  }

  nodeJoined(nodeId: string): void {
    this.allocate(`node:${nodeId}`);
  }

  /** A service written (created, updated, rolled back): it gets or gives back its VIP. */
  serviceChanged(service: ServiceRecord): void {
    const owner = `vip:${service.id}`;
    if (usesIngress(service.spec)) {
      const host = this.allocate(owner);
      service.vip = host === undefined ? undefined : `${ingressAddr(host)}/24`;
    } else {
      this.release(owner);
      service.vip = undefined;
    }
  }

  private taskChanged(t: TaskRecord): void {
    const owner = `task:${t.id}`;
    if (isTerminal(t) || !this.cluster.tasks.has(t.id)) {
      this.release(owner);
      return;
    }
    if (this.byOwner.has(owner)) return;
    const service = this.cluster.services.get(t.serviceId);
    if (service && usesIngress(service.spec)) this.allocate(owner);
  }

  private release(owner: string): void {
    const host = this.byOwner.get(owner);
    if (host === undefined) return;
    this.byOwner.delete(owner);
    this.owners.delete(host);
  }

  /** An owner whose object is gone no longer holds its address (a removed service, task or node). */
  private stale(owner: string): boolean {
    const id = owner.slice(owner.indexOf(':') + 1);
    if (owner.startsWith('node:')) return !this.cluster.nodes.has(id);
    if (owner.startsWith('vip:')) return !this.cluster.services.has(id);
    const t = this.cluster.tasks.get(id);
    return !t || isTerminal(t);
  }

  private allocate(owner: string): number | undefined {
    const held = this.byOwner.get(owner);
    if (held !== undefined) return held;
    const size = LAST - FIRST + 1;
    for (let i = 1; i <= size; i++) {
      const host = FIRST + ((this.last - FIRST + i) % size);
      const current = this.owners.get(host);
      if (current !== undefined && !this.stale(current)) continue;
      if (current !== undefined) this.byOwner.delete(current);
      this.owners.set(host, owner);
      this.byOwner.set(owner, host);
      this.last = host;
      return host;
    }
    return undefined; // the /24 is full: the real allocator fails the task; here it only has no address
  }
}
