// `swarm-lab serve`: a simulated swarm behind real Engine API sockets, so the learner's own
// docker CLI drives it. The main socket is the first manager's daemon (manager1); with a
// per-node directory every machine gets its own socket, as `DOCKER_HOST` per host would.
// The swarm's clock follows the wall clock times `speed`; speed 0 freezes it (tests compare
// two CLIs on the same instant).
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { RealtimeDriver } from '../../session.js';
import type { Session } from '../../session.js';
import type { ListenTarget } from './listen.js';
import { closeServer, listen } from './listen.js';
import { createEngineServer } from './server.js';

export interface ServeOptions {
  session: Session;
  /** Where the first manager's daemon answers. */
  target: ListenTarget;
  /** A directory for one socket per machine (`<hostname>.sock`). */
  perNodeDir?: string;
  /** Simulated seconds per real second; 0 = the clock stands still. */
  speed: number;
  log?: (line: string) => void;
}

export interface RunningServe {
  /** DOCKER_HOST for the main socket. */
  url: string;
  /** DOCKER_HOST per machine (only with perNodeDir). */
  nodes: Record<string, string>;
  driver: RealtimeDriver | undefined;
  close(): Promise<void>;
}

export async function serveSwarm(opts: ServeOptions): Promise<RunningServe> {
  const { session } = opts;
  const servers: Server[] = [];
  const start = async (host: string, target: ListenTarget): Promise<string> => {
    let hosts: ReadonlySet<string> | undefined;
    const api = session.journal.wrap(host, session.sim.api(host));
    const server = createEngineServer(api, { allowedHosts: () => hosts, ...(opts.log ? { log: opts.log } : {}) });
    const url = await listen(server, target, (h) => void (hosts = h));
    servers.push(server);
    return url;
  };
  const closeAll = async (): Promise<void> => {
    await Promise.all(servers.map(closeServer));
  };
  try {
    const main = session.sim.hostnames()[0]!;
    const url = await start(main, opts.target);
    const nodes: Record<string, string> = {};
    if (opts.perNodeDir !== undefined) {
      await mkdir(opts.perNodeDir, { recursive: true, mode: 0o700 });
      for (const host of session.sim.hostnames()) nodes[host] = await start(host, { socket: join(opts.perNodeDir, `${host}.sock`) });
    }
    const driver = opts.speed > 0 ? new RealtimeDriver(session, opts.speed) : undefined;
    driver?.start();
    return {
      url,
      nodes,
      driver,
      close: async () => {
        driver?.stop();
        await closeAll();
      },
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
