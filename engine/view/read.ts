// The three read-only calls the swarm view is built from, made through a SwarmApi (the
// simulator's daemon, or DockerodeApi on a real swarm), then derived (derive.ts). The lists
// are read one after the other with no await on anything else in between: on the simulator
// nothing moves between them (its clock only advances between tasks of the event loop).
import type { SwarmApi } from '../api/swarm-api.js';
import type { OursRule } from './derive.js';
import { deriveSwarmView } from './derive.js';
import type { SwarmViewModel } from './model.js';

export interface ReadViewOptions {
  /** Hostname of the machine the shell is on. */
  self?: string;
  /** The swarm's time, ms since the epoch. */
  now: number;
  ours?: OursRule;
  history?: boolean;
}

/**
 * The view through the first of `apis` that answers as a manager. A swarm with no manager to
 * ask (none created yet, or the shell's machines left it) is an empty view: the page says
 * there is no swarm to draw.
 */
export async function readSwarmView(apis: Iterable<SwarmApi>, opts: ReadViewOptions): Promise<SwarmViewModel> {
  for (const api of apis) {
    try {
      const nodes = await api.nodeList();
      const services = await api.serviceList({ status: true });
      const tasks = await api.taskList();
      return deriveSwarmView({ nodes, services, tasks, ...opts });
    } catch {
      // Not a manager (a worker, or no swarm): the next machine may be one.
    }
  }
  return deriveSwarmView({ nodes: [], services: [], tasks: [], ...opts });
}
