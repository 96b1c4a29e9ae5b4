// `swarm-lab serve`: a simulated swarm behind real Engine API sockets, so the learner's own
// docker CLI drives it. The main socket is the first manager's daemon (manager1); with a
// per-node directory every machine gets its own socket, as `DOCKER_HOST` per host would.
// The swarm's clock follows the wall clock times `speed`; speed 0 freezes it (tests compare
// two CLIs on the same instant).
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { JournalLimits } from '../../journal.js';
import { simulatorStamp } from '../../journal.js';
import { RealtimeDriver } from '../../session.js';
import type { Session } from '../../session.js';
import type { ListenTarget } from './listen.js';
import { closeServer, listen } from './listen.js';
import type { ConnectionLimits } from './server.js';
import { createEngineServer } from './server.js';

/**
 * What the served swarm's journal (its recipe, engine/journal.ts) may hold: a lesson makes
 * a few hundred changes of a few KB; a script that makes tens of thousands is refused from
 * then on with a clear error rather than growing the server without end.
 */
export const SERVE_JOURNAL_LIMITS: JournalLimits = {
  maxEntries: 50_000,
  maxBytes: 32 << 20,
  hint: 'restart swarm-lab serve for a new swarm',
};

export interface ServeOptions {
  session: Session;
  /** Where the first manager's daemon answers. */
  target: ListenTarget;
  /** A directory for one socket per machine (`<hostname>.sock`). */
  perNodeDir?: string;
  /** Simulated seconds per real second; 0 = the clock stands still. */
  speed: number;
  log?: (line: string) => void;
  /** Overrides of the connection limits (tests use short ones). */
  limits?: Partial<ConnectionLimits>;
  /** Overrides of SERVE_JOURNAL_LIMITS. */
  journalLimits?: JournalLimits;
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
  // Keep only the writes replay needs (a refused one that changed nothing is dropped), and
  // no more than the limits.
  session.journal.stamp ??= simulatorStamp(session.sim);
  session.journal.limits = opts.journalLimits ?? session.journal.limits ?? SERVE_JOURNAL_LIMITS;
  const servers: Server[] = [];
  const start = async (host: string, target: ListenTarget): Promise<string> => {
    let hosts: ReadonlySet<string> | undefined;
    const api = session.journal.wrap(host, session.sim.api(host));
    const server = createEngineServer(api, { allowedHosts: () => hosts, ...(opts.log ? { log: opts.log } : {}), ...(opts.limits ? { limits: opts.limits } : {}) });
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
