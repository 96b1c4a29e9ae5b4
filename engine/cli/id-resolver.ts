// docker/cli's idresolver: the service and node names that task tables and log prefixes
// print in place of IDs. With --no-resolve every ID is printed as it is.
import type { SwarmApi } from '../api/swarm-api.js';
import type { Node } from '../api/types.js';

export interface IdNames {
  /** Service ID → Spec.Name (the ID when the service is gone). */
  service(id: string): string;
  /** Node ID → display name; '' for a task not assigned to a node yet. */
  node(id: string | undefined): string;
}

/** What idresolver prints for a node: Spec.Name, else the hostname, else the ID. */
export const nodeDisplayName = (n: Node): string => n.Spec.Name || n.Description.Hostname || n.ID;

export async function resolveIds(api: SwarmApi, noResolve: boolean): Promise<IdNames> {
  if (noResolve) return { service: (id) => id, node: (id) => id ?? '' };
  const [services, nodes] = await Promise.all([api.serviceList(), api.nodeList()]);
  const serviceNames = new Map(services.map((s) => [s.ID, s.Spec.Name]));
  const nodeNames = new Map(nodes.map((n) => [n.ID, nodeDisplayName(n)]));
  return {
    service: (id) => serviceNames.get(id) ?? id,
    node: (id) => (id ? (nodeNames.get(id) ?? id) : ''),
  };
}
