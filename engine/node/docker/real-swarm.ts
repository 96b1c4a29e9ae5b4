// The machines the shell can reach on a real swarm, as the Shell's ShellHost: `docker` runs on
// the current machine's daemon connection and `ssh <node>` switches to another one.
//  - The 3-node sandbox (scripts/sandbox/up.sh): manager1, worker1, worker2, each its own
//    dockerd socket under /run/sw3, so `ssh worker1` really talks to worker1's daemon.
//  - Otherwise one machine: the daemon the docker CLI would use (DOCKER_HOST or the default
//    socket), named by its hostname as the daemon reports it (Info.Name, = the node hostname).
import { existsSync } from 'node:fs';
import type { CliClock } from '../../cli/context.js';
import type { SwarmApi } from '../../api/swarm-api.js';
import type { ShellHost } from '../../shell/shell.js';
import { dockerOptionsFor, dockerOptionsFromEnv } from './docker-host.js';
import type { ReconnectPolicy } from './dockerode-api.js';
import { DockerodeApi } from './dockerode-api.js';
import { wallClock } from './wall-clock.js';

import { SANDBOX_NODES, SANDBOX_RUN_DIR, sandboxIsUp, sandboxSocket } from './sandbox-paths.js';

export { SANDBOX_NODES, SANDBOX_RUN_DIR, sandboxIsUp, sandboxSocket } from './sandbox-paths.js';

export interface RealSwarmOptions {
  /** true: the sandbox (fails if it is not up); false: DOCKER_HOST; default: the sandbox when its sockets exist. */
  sandbox?: boolean;
  /** Environment for DOCKER_HOST and friends (default process.env). */
  env?: Record<string, string | undefined>;
  /** Where the sandbox keeps its sockets (default /run/sw3). */
  runDir?: string;
  clock?: CliClock;
  canExit?: boolean;
  /** How long a daemon that answered may be gone before a command fails (default DEFAULT_RECONNECT). */
  reconnect?: ReconnectPolicy;
}

export interface RealSwarm extends ShellHost {
  kind: 'sandbox' | 'docker';
  /** The machine the shell starts on: manager1 in the sandbox, else the daemon's hostname. */
  startNode: string;
  /** Shown as "Local Docker: <name>". */
  name: string;
  /** The backend of each machine, by hostname. */
  apis: ReadonlyMap<string, DockerodeApi>;
}

export async function realSwarmHost(opts: RealSwarmOptions = {}): Promise<RealSwarm> {
  const runDir = opts.runDir ?? SANDBOX_RUN_DIR;
  const useSandbox = opts.sandbox ?? sandboxIsUp(runDir);
  const clock = opts.clock ?? wallClock();
  const reconnect = opts.reconnect ? { reconnect: opts.reconnect } : {};
  const apis = new Map<string, DockerodeApi>();
  let kind: RealSwarm['kind'];
  if (useSandbox) {
    if (!sandboxIsUp(runDir)) throw new Error(`the sandbox is not up (no sockets under ${runDir}): run npm run sandbox:up as root`);
    kind = 'sandbox';
    for (const n of SANDBOX_NODES) apis.set(n, new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: sandboxSocket(n, runDir) }), reconnect));
  } else {
    kind = 'docker';
    const api = new DockerodeApi(dockerOptionsFromEnv(opts.env ?? process.env), reconnect);
    // The daemon names its machine; an unreachable daemon fails here with the CLI's message.
    const info = await api.info();
    apis.set(info.Name || 'localhost', api);
  }
  const hostnames = [...apis.keys()];
  const startNode = hostnames[0]!;
  return {
    kind,
    startNode,
    name: startNode,
    apis,
    api: (h: string): SwarmApi | undefined => apis.get(h),
    hostnames: () => [...hostnames],
    clock,
    canExit: opts.canExit ?? false,
  };
}
