// The networks one machine's dockerd knows, as `GET /networks` and `GET /networks/{id}` return
// them (docker network ls|inspect). Every machine has the three its daemon makes at its first
// start (bridge, host, none); joining a swarm adds docker_gwbridge (kept after leaving, as
// dockerd keeps it) and the node's end of the swarm's ingress overlay (gone when it leaves).
// Shapes, options and addresses are those of the real capture (test/fixtures/real/network.json).
//
// Nothing here draws from the simulator's Rng: IDs, endpoint IDs and the few milliseconds
// between a daemon's steps come from a hash of what they belong to (the daemon's ID, the
// node's, the task's), so adding networks changed no other ID of a seeded swarm, and a
// replayed recipe shows the same networks.
import type { Filters, Network, NetworkEndpoint, NetworkServiceInfo } from '../api/types.js';
import { ApiError } from '../api/swarm-api.js';
import type { Cluster } from './cluster.js';
import { ingressAddr, ingressNetworkId, usesIngress } from './ingress-ipam.js';
import type { IngressAddresses } from './ingress-ipam.js';
import type { Machine, NodeRecord, TaskRecord } from './model.js';
import { Rng } from './rng.js';

const HEX = '0123456789abcdef';

/** A generator seeded by its parts (FNV-1a), for values that must not move the swarm's own Rng. */
function derived(...parts: string[]): Rng {
  let h = 0x811c9dc5;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) h = Math.imul(h ^ part.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ 0x1f, 0x01000193) >>> 0;
  }
  return new Rng(h);
}

const hex64 = (...parts: string[]): string => derived(...parts).chars(64, HEX);

export { ingressNetworkId };

/** The MAC address docker derives from an IPv4 address: 02:42 and the four octets. */
const macOf = (ip: string): string =>
  '02:42:' + ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join(':');

// The default networks a dockerd creates at its first start, a few milliseconds apart (none,
// host, then bridge, as the capture's Created stamps show), before the swarm is formed.
const DEFAULTS = ['none', 'host', 'bridge'] as const;

/** Where a machine's daemon first started, in the simulation's elapsed ms (before any swarm init). */
const bootAt = (m: Machine): number => derived(m.daemonId, 'boot').jitter(250, 150);

const base = (name: string, id: string, created: string, scope: 'local' | 'swarm', driver: string): Network => ({
  Name: name,
  Id: id,
  Created: created,
  Scope: scope,
  Driver: driver,
  EnableIPv6: false,
  IPAM: { Driver: 'default', Options: null, Config: [] },
  Internal: false,
  Attachable: false,
  Ingress: false,
  ConfigFrom: { Network: '' },
  ConfigOnly: false,
  Containers: {},
  Options: {},
  Labels: {},
});

/** What a network read needs from the simulator. */
export interface NetworkScope {
  cluster: Cluster;
  ingress: IngressAddresses;
  /** rfc3339Nano of an elapsed time (Views.ts). */
  ts: (elapsedMs: number) => string;
}

/** Live task containers on a node: created and not yet stopped, still on this daemon. */
const liveOn = (cluster: Cluster, machine: Machine, node: NodeRecord): TaskRecord[] =>
  [...cluster.tasks.values()].filter(
    (t) =>
      t.nodeId === node.id &&
      t.containerId !== undefined &&
      (t.state === 'ready' || t.state === 'starting' || t.state === 'running') &&
      !machine.stoppedContainers.has(t.id) &&
      !machine.lostContainers.has(t.id),
  );

const sortedKeys = <V>(o: Record<string, V>): Record<string, V> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The networks `machine` knows, in the daemon's own (unsorted) order: the CLI sorts them.
 * As inspect returns them (with Containers and Peers; `verbose` adds the Services of
 * `docker network inspect -v`), or as the list does (`list`: no endpoints, and a manager
 * lists the swarm's own ingress object).
 */
export function machineNetworks(scope: NetworkScope, machine: Machine, opts: { list?: boolean; verbose?: boolean } = {}): Network[] {
  const detailed = detailedNetworks(scope, machine, opts.list ?? false, opts.verbose ?? false);
  if (!opts.list) return detailed;
  return detailed.map(({ Peers: _p, Services: _s, ...n }) => ({ ...n, Containers: {} }));
}

/** Whether a network has endpoints, before a list drops them (the dangling filter asks). */
export const inUse = (n: Network): boolean => Object.keys(n.Containers).length > 0;

function detailedNetworks(scope: NetworkScope, machine: Machine, list: boolean, verbose: boolean): Network[] {
  const { cluster, ts } = scope;
  const boot = bootAt(machine);
  const step = derived(machine.daemonId, 'steps');
  const out: Network[] = [];
  let at = boot;
  for (const name of DEFAULTS) {
    const n = base(name, hex64(machine.daemonId, name), ts(at), 'local', name === 'none' ? 'null' : name);
    if (name === 'bridge') {
      n.IPAM.Config = [{ Subnet: '172.17.0.0/16' }];
      n.Options = {
        'com.docker.network.bridge.default_bridge': 'true',
        'com.docker.network.bridge.enable_icc': 'true',
        'com.docker.network.bridge.enable_ip_masquerade': 'true',
        'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
        'com.docker.network.bridge.name': 'docker0',
        'com.docker.network.driver.mtu': '1500',
      };
    }
    out.push(n);
    at += step.jitter(12, 2);
  }
  const node = machine.nodeId ? cluster.nodes.get(machine.nodeId) : undefined;
  if (machine.gwbridgeAt !== undefined) {
    const gw = base('docker_gwbridge', hex64(machine.daemonId, 'docker_gwbridge'), ts(machine.gwbridgeAt + derived(machine.daemonId, 'gw').jitter(490, 60)), 'local', 'bridge');
    gw.IPAM.Config = [{ Subnet: '172.18.0.0/16', Gateway: '172.18.0.1' }];
    gw.Options = {
      'com.docker.network.bridge.enable_icc': 'false',
      'com.docker.network.bridge.enable_ip_masquerade': 'true',
      'com.docker.network.bridge.name': 'docker_gwbridge',
    };
    // The ingress sandbox's leg on the host's bridge; it goes with the node's ingress end.
    if (node) {
      gw.Containers = {
        'ingress-sbox': {
          Name: 'gateway_ingress-sbox',
          EndpointID: hex64(node.id, 'gateway_ingress-sbox'),
          MacAddress: macOf('172.18.0.2'),
          IPv4Address: '172.18.0.2/16',
          IPv6Address: '',
        },
      };
    }
    out.push(gw);
  }
  if (node && cluster.swarm) out.push(ingressOf(scope, machine, node, list, verbose));
  return out;
}

function ingressOf(scope: NetworkScope, machine: Machine, node: NodeRecord, list: boolean, verbose: boolean): Network {
  const { cluster, ingress, ts } = scope;
  const sw = cluster.swarm!;
  // A manager lists the swarm's network object (created with the swarm); inspect and a
  // worker's list show this node's end of it (created as the node joined).
  const listedFromStore = list && node.role === 'manager';
  const created = listedFromStore ? sw.createdAt + derived(sw.id, 'ingress').jitter(5, 3) : node.createdAt + derived(node.id, 'ingress').jitter(110, 30);
  const n = base('ingress', ingressNetworkId(cluster), ts(created), 'swarm', 'overlay');
  n.IPAM.Config = [{ Subnet: '10.0.0.0/24', Gateway: '10.0.0.1' }];
  n.Ingress = true;
  n.Options = { 'com.docker.network.driver.overlay.vxlanid_list': '4096' };
  const containers: Record<string, NetworkEndpoint> = {};
  const sbox = ingress.hostOf('node', node.id);
  if (sbox !== undefined) {
    containers['ingress-sbox'] = {
      Name: 'ingress-endpoint',
      EndpointID: hex64(node.id, 'ingress-sbox'),
      MacAddress: macOf(ingressAddr(sbox)),
      IPv4Address: `${ingressAddr(sbox)}/24`,
      IPv6Address: '',
    };
  }
  for (const t of liveOn(cluster, machine, node)) {
    const host = ingress.hostOf('task', t.id);
    if (host === undefined) continue;
    containers[t.containerId!] = {
      Name: `${t.serviceName}.${t.slot || t.nodeId}.${t.id}`,
      EndpointID: hex64(t.id, 'ingress'),
      MacAddress: macOf(ingressAddr(host)),
      IPv4Address: `${ingressAddr(host)}/24`,
      IPv6Address: '',
    };
  }
  n.Containers = sortedKeys(containers);
  n.Peers = members(cluster)
    .map((m) => ({ Name: derived(m.machine.daemonId, 'networkdb').chars(12, HEX), IP: m.machine.addr }))
    .sort((a, b) => (a.Name < b.Name ? -1 : 1));
  if (verbose) n.Services = servicesOn(scope);
  return n;
}

/** Nodes whose daemon is up and in the swarm: networkdb's peers of the ingress network. */
const members = (cluster: Cluster): NodeRecord[] =>
  [...cluster.nodes.values()].filter((n) => n.machine.nodeId === n.id && n.machine.daemon === 'running');

/** `inspect -v`: the load balancers of the ingress network, swarm-wide (libnetwork's service records). */
function servicesOn(scope: NetworkScope): Record<string, NetworkServiceInfo> {
  const { cluster, ingress } = scope;
  const taskEntry = (name: string, endpointId: string, host: number, node: NodeRecord) => ({
    Name: name,
    EndpointID: endpointId,
    EndpointIP: ingressAddr(host),
    Info: { 'Host IP': node.machine.addr },
  });
  const out: Record<string, NetworkServiceInfo> = {};
  const sboxes = members(cluster).flatMap((n) => {
    const host = ingress.hostOf('node', n.id);
    return host === undefined ? [] : [taskEntry('ingress-endpoint', hex64(n.id, 'ingress-sbox'), host, n)];
  });
  out[''] = { VIP: '<nil>', Ports: [], LocalLBIndex: 0, Tasks: sboxes };
  let lb = 256;
  const services = [...cluster.services.values()].filter((s) => usesIngress(s.spec)).sort((a, b) => a.createdAt - b.createdAt);
  for (const s of services) {
    const tasks: NetworkServiceInfo['Tasks'] = [];
    for (const t of cluster.tasksOf(s.id)) {
      const node = cluster.nodes.get(t.nodeId);
      const host = ingress.hostOf('task', t.id);
      if (!node || host === undefined || t.state !== 'running') continue;
      tasks.push(taskEntry(`${t.serviceName}.${t.slot || t.nodeId}.${t.id}`, hex64(t.id, 'ingress'), host, node));
    }
    out[s.spec.Name] = {
      VIP: (s.vip ?? '').replace(/\/\d+$/, ''),
      Ports: (s.spec.EndpointSpec?.Ports ?? [])
        .filter((p) => p.PublishMode !== 'host')
        .map((p) => `Target: ${p.TargetPort ?? 0}, Publish: ${p.PublishedPort ?? 0}`),
      LocalLBIndex: lb++,
      Tasks: tasks,
    };
  }
  return sortedKeys(out);
}

// ------------------------------------------------------------------ the daemon's lookups

const FILTER_KEYS = ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type'];
// libnetwork's predefined networks: the type filter's "builtin" ones.
const BUILTIN = new Set(['bridge', 'host', 'none']);

/**
 * `GET /networks?filters=`: moby's network filters (exact driver and scope, substring id and
 * name). Given the networks with their endpoints, for `dangling`.
 */
export function filterNetworks(networks: Network[], filters: Filters = {}): Network[] {
  if (!filters || typeof filters !== 'object') throw new ApiError(400, 'invalid filter');
  for (const [k, v] of Object.entries(filters)) {
    if (!FILTER_KEYS.includes(k)) throw new ApiError(400, `Invalid filter '${k}'`);
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ApiError(400, `invalid filter '${k}'`);
  }
  const any = (key: string, test: (v: string) => boolean): ((n: Network) => boolean) => {
    const values = filters[key];
    return () => !values || values.length === 0 || values.some(test);
  };
  for (const v of filters['type'] ?? []) if (v !== 'custom' && v !== 'builtin') throw new ApiError(400, `invalid filter: 'type'='${v}'`);
  for (const v of filters['dangling'] ?? []) if (!['true', 'false', '1', '0'].includes(v)) throw new ApiError(400, `invalid filter 'dangling=${v}'`);
  return networks.filter((n) => {
    const has = (key: string, test: (v: string) => boolean): boolean => any(key, test)(n);
    return (
      has('driver', (v) => n.Driver === v) &&
      has('id', (v) => n.Id.includes(v)) &&
      has('name', (v) => n.Name.includes(v)) &&
      has('scope', (v) => n.Scope === v) &&
      has('type', (v) => (v === 'builtin') === BUILTIN.has(n.Name)) &&
      has('label', (v) => {
        const eq = v.indexOf('=');
        return eq < 0 ? v in n.Labels : n.Labels[v.slice(0, eq)] === v.slice(eq + 1);
      }) &&
      // Predefined networks are never dangling; the others are when no container uses them.
      has('dangling', (v) => (v === 'true' || v === '1') === (!BUILTIN.has(n.Name) && !inUse(n)))
    );
  });
}

/** moby's FindNetwork: a full ID, then an exact name, then a unique ID prefix. */
export function findNetwork(networks: Network[], term: string): Network {
  const byId = networks.find((n) => n.Id === term);
  if (byId) return byId;
  const byName = networks.find((n) => n.Name === term);
  if (byName) return byName;
  const prefixed = term === '' ? [] : networks.filter((n) => n.Id.startsWith(term));
  if (prefixed.length === 1) return prefixed[0]!;
  if (prefixed.length > 1) throw new ApiError(400, `network ${term} is ambiguous (${prefixed.length} matches found based on ID prefix)`);
  throw new ApiError(404, `network ${term} not found`);
}
