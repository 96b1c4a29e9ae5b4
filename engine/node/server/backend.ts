// What the local server runs commands against: the machines of a swarm, each reachable
// through a SwarmApi, and the clock the CLI polls with. engine/node/docker's RealSwarm has
// this shape (sandbox or DOCKER_HOST); tests pass the simulator.
import type { SwarmApi } from '../../api/swarm-api.js';
import type { CliClock } from '../../cli/context.js';
import type { LocalFailure } from '../docker/failures.js';

export interface LocalBackend {
  kind: 'sandbox' | 'docker';
  /** Shown by the page as "Local Docker: <name>". */
  name: string;
  /** The machine the shell starts on (the first manager). */
  startNode: string;
  hostnames(): string[];
  api(hostname: string): SwarmApi | undefined;
  clock: CliClock;
  /**
   * What stops the lessons from running on this swarm now (Docker down, not a manager…), asked
   * when a page connects (`reopen`: find the swarm again) and after a command fails.
   */
  probe?(opts?: { reopen?: boolean }): Promise<LocalFailure | undefined>;
  /** The images of `preloaded` a service's tasks were rejected for because their node has not got them. */
  missingImages?(service: string, preloaded: ReadonlySet<string>, sinceMs: number): Promise<LocalFailure[]>;
}
