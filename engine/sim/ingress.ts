// The routing mesh of the simulated swarm: where a TCP connection to HOST:PORT from one of the
// machines ends up, modelled on what a Linux kernel with IPVS does for a swarm (Docker's
// "Use swarm mode routing mesh"):
//  - every node in the swarm whose dockerd runs holds the ingress network's sandbox, with an
//    IPVS service per ingress-published port: a connection to that port on ANY such node (one
//    with no task of the service, a drained one) is balanced over the service's running tasks,
//    wherever they run, and SNATed to the entry node's address on the ingress network;
//  - an IPVS service with no task behind it answers ICMP port-unreachable (ip_vs_leave): refused;
//  - a host-mode published port is a plain port mapping on the node where a running task binds
//    it, and nowhere else: elsewhere the kernel answers RST (refused);
//  - on a node whose dockerd is stopped (`lab node stop`: the machine is up, its daemon is not)
//    an ingress port answers nothing: Docker's DNAT rules for it outlive the daemon but the
//    ingress sandbox they point into is gone, so, as for a stopped machine on the same LAN, the
//    packets find nobody to answer ARP and the connect fails with "no route" after ~3 s (curl's
//    -m ends it sooner). Any other port there is refused by the machine's own kernel (host-mode
//    mappings went with their stopped containers). An address of the LAN that is no machine's
//    answers nothing either.
// Balancing is round-robin (IPVS's default `rr` in Docker's ingress), kept per entry node:
// each node's ingress sandbox has its own IPVS table with its own rr position, so two curls to
// worker1 alternate between the tasks while a curl to worker2 meanwhile starts its own turn.
// Pure: it reads the cluster and returns the route; the caller keeps the rr positions.
import type { PortConfig } from '../api/types.js';
import type { Cluster } from './cluster.js';
import type { Machine, NodeRecord, TaskRecord } from './model.js';

/** Where a connection goes. */
export type MeshRoute =
  /** The name is no machine's (curl exit 6). */
  | { kind: 'unresolved' }
  /** Nobody answers ARP for the address: connect fails after ~3 s (exit 7) or -m runs out (28). */
  | { kind: 'unreachable' }
  /** RST or ICMP port unreachable at once (exit 7). */
  | { kind: 'refused' }
  | {
      kind: 'task';
      task: TaskRecord;
      /** The port inside the task's container. */
      targetPort: number;
      mode: 'ingress' | 'host';
      /** The machine the connection entered (the HOST of the URL). */
      entry: Machine;
      /** The address the task's server sees the connection come from. */
      source: string;
    };

/** What the caller remembers between requests: the next rr position per entry node and port. */
export type RoundRobin = Map<string, number>;

/** A connection from `from` (a machine's hostname) to `host` (as typed, lowercased) on TCP `port`. */
export function routeConnection(cluster: Cluster, from: string, host: string, port: number, rr: RoundRobin): MeshRoute {
  const client = cluster.machines.get(from);
  const resolved = resolveHost(cluster, from, host);
  if (resolved === 'unresolved' || resolved === 'unreachable') return { kind: resolved };
  const { machine, loopback } = resolved;
  const node = machine.nodeId ? cluster.nodes.get(machine.nodeId) : undefined;
  if (!node) return { kind: 'refused' };
  if (machine.daemon !== 'running') {
    for (const service of cluster.services.values()) if (publishedTcp(service.spec.EndpointSpec?.Ports, port, 'ingress')) return { kind: 'unreachable' };
    return { kind: 'refused' };
  }

  // A host-mode port: only a task running here binds it. Its container holds the port until
  // it stops, even after its service was removed (the real capture's last curl): that holds
  // where the task records its bound ports (hostPortsOf).
  for (const t of cluster.tasks.values()) {
    if (t.nodeId !== node.id || t.state !== 'running') continue;
    const published = publishedTcp(hostPortsOf(t), port, 'host');
    if (!published) continue;
    // Through localhost the task sees the default bridge's gateway (172.17.0.1); to a
    // node's address DNAT keeps the client's own, the node's too (the real capture's
    // access log shows both).
    const source = loopback ? '172.17.0.1' : (client?.addr ?? machine.addr);
    return { kind: 'task', task: t, targetPort: published.TargetPort ?? port, mode: 'host', entry: machine, source };
  }

  // An ingress port: every node of the swarm listens, the tasks may run anywhere.
  for (const service of cluster.services.values()) {
    const published = publishedTcp(service.spec.EndpointSpec?.Ports, port, 'ingress');
    if (!published) continue;
    const backends = runningBackends(cluster, service.id);
    if (backends.length === 0) return { kind: 'refused' };
    const key = `${node.id}|${service.id}|${port}`;
    const turn = rr.get(key) ?? 0;
    rr.set(key, turn + 1);
    const task = backends[turn % backends.length]!;
    return { kind: 'task', task, targetPort: published.TargetPort ?? port, mode: 'ingress', entry: machine, source: ingressAddress(node) };
  }
  return { kind: 'refused' };
}

/** The machine HOST names, as the client's resolver and routing see it. */
function resolveHost(cluster: Cluster, from: string, host: string): { machine: Machine; loopback: boolean } | 'unresolved' | 'unreachable' {
  if (host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) {
    const self = cluster.machines.get(from);
    return self ? { machine: self, loopback: true } : 'unresolved';
  }
  for (const m of cluster.machines.values()) {
    if (m.hostname.toLowerCase() === host || m.addr === host) return { machine: m, loopback: false };
  }
  // An address nobody holds is still routable on the LAN (nobody answers); a name is not known.
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':') ? 'unreachable' : 'unresolved';
}

/**
 * The host-mode ports a task's container binds: what it bound when it started (the agent
 * records them, TaskRecord.hostPorts; none when undefined), not its service's current spec.
 */
function hostPortsOf(t: TaskRecord): readonly PortConfig[] | undefined {
  return t.hostPorts;
}

/** The TCP port published as `port` in `mode` (ingress when the spec says nothing). */
function publishedTcp(ports: readonly PortConfig[] | undefined, port: number, mode: 'ingress' | 'host'): PortConfig | undefined {
  return ports?.find((p) => p.PublishedPort === port && (p.PublishMode ?? 'ingress') === mode && (p.Protocol ?? 'tcp') === 'tcp');
}

/**
 * The service's tasks IPVS sends connections to: running, on a node whose dockerd runs (a
 * stopped daemon's containers are gone), in the order they joined the load balancer.
 */
export function runningBackends(cluster: Cluster, serviceId: string): TaskRecord[] {
  const out: TaskRecord[] = [];
  for (const t of cluster.tasksOf(serviceId)) {
    if (t.state !== 'running') continue;
    const node = cluster.nodes.get(t.nodeId);
    if (node && node.machine.daemon === 'running') out.push(t);
  }
  return out.sort((a, b) => (a.runningAt ?? 0) - (b.runningAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The node's address on the ingress network (its ingress sandbox's endpoint), what a task's
 * server logs as the client of a connection through the mesh: 10.0.0.2 for the first node to
 * join, and on.
 */
export function ingressAddress(node: NodeRecord): string {
  return `10.0.0.${2 + (node.index % 250)}`;
}
