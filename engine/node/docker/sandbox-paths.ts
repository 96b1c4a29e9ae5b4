// Where the 3-node sandbox (scripts/sandbox/up.sh) puts its daemons' sockets. Apart from
// real-swarm.ts so that callers needing only the paths (the benches) do not load dockerode.
import { existsSync } from 'node:fs';

export const SANDBOX_NODES = ['manager1', 'worker1', 'worker2'] as const;
export const SANDBOX_RUN_DIR = '/run/sw3';

export const sandboxSocket = (node: string, runDir = SANDBOX_RUN_DIR): string => `${runDir}/${node}/docker.sock`;

/** The sandbox's sockets all exist (up.sh ran and down.sh did not). Whether the daemons answer is for `ping` to say. */
export const sandboxIsUp = (runDir = SANDBOX_RUN_DIR): boolean => SANDBOX_NODES.every((n) => existsSync(sandboxSocket(n, runDir)));
