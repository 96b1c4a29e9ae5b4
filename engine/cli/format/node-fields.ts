// The columns `docker node ls` works out for a node (docker/cli node/formatter.go), shared by
// the node table and the swarm view (engine/view/) so both say the same thing.
import type { Node } from '../../api/types.js';
import { capitalizeFirst } from './time.js';

/** MANAGER STATUS: Leader, or the manager's reachability (Reachable, Unreachable); '' for a worker. */
export function managerStatus(n: Pick<Node, 'ManagerStatus'>): string {
  const m = n.ManagerStatus;
  if (!m) return '';
  return m.Leader ? 'Leader' : capitalizeFirst(m.Reachability ?? '');
}
