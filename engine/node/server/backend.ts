// What the local server runs commands against: the machines of a swarm, each reachable
// through a SwarmApi, and the clock the CLI polls with. engine/node/docker's RealSwarm has
// this shape (sandbox or DOCKER_HOST); tests pass the simulator.
import type { SwarmApi } from '../../api/swarm-api.js';
import type { CliClock } from '../../cli/context.js';

export interface LocalBackend {
  kind: 'sandbox' | 'docker';
  /** Shown by the page as "Local Docker: <name>". */
  name: string;
  /** The machine the shell starts on (the first manager). */
  startNode: string;
  hostnames(): string[];
  api(hostname: string): SwarmApi | undefined;
  clock: CliClock;
}
