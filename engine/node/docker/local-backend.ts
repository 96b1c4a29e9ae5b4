// The real swarm behind `swarm-lab local`, found again whenever the page connects: Docker may
// be started, or the sandbox brought up, after the server was. Each probe opens fresh
// connections (which fail at once when nothing answers, instead of waiting out a restart the
// way a connection that has answered does) and asks the daemon whether it is a swarm manager.
import type { CliClock } from '../../cli/context.js';
import type { SwarmApi } from '../../api/swarm-api.js';
import type { ReconnectPolicy } from './dockerode-api.js';
import type { LocalFailure } from './failures.js';
import type { DaemonSetting } from './failures.js';
import { daemonConfigured, dockerdSearchPath, failureOf, findDockerd, missingImages, probeDaemon } from './failures.js';
import type { RealSwarm } from './real-swarm.js';
import { realSwarmHost, SANDBOX_RUN_DIR, sandboxIsUp } from './real-swarm.js';
import { wallClock } from './wall-clock.js';

export interface LocalDockerOptions {
  env?: Record<string, string | undefined>;
  runDir?: string;
  clock?: CliClock;
  reconnect?: ReconnectPolicy;
  /** Where to look for dockerd, PATH syntax (default: env's PATH and the sbin folders, dockerdSearchPath). */
  dockerdPath?: string;
}

export class LocalDockerBackend {
  private swarm: RealSwarm | undefined;
  private readonly env: Record<string, string | undefined>;
  private readonly runDir: string;
  private readonly reconnect: { reconnect?: ReconnectPolicy };
  private readonly dockerdPath: string;
  readonly clock: CliClock;

  constructor(opts: LocalDockerOptions = {}) {
    this.env = opts.env ?? process.env;
    this.runDir = opts.runDir ?? SANDBOX_RUN_DIR;
    this.clock = opts.clock ?? wallClock();
    this.reconnect = opts.reconnect ? { reconnect: opts.reconnect } : {};
    this.dockerdPath = opts.dockerdPath ?? dockerdSearchPath(this.env);
  }

  get kind(): 'sandbox' | 'docker' {
    return this.swarm?.kind ?? 'docker';
  }
  get name(): string {
    return this.swarm?.name ?? 'localhost';
  }
  get startNode(): string {
    return this.swarm?.startNode ?? 'localhost';
  }
  hostnames(): string[] {
    return this.swarm?.hostnames() ?? [];
  }
  api(hostname: string): SwarmApi | undefined {
    return this.swarm?.api(hostname);
  }

  /** The sandbox when its manager answers, else the daemon the docker CLI would use. */
  private async open(): Promise<RealSwarm> {
    if (sandboxIsUp(this.runDir)) {
      try {
        const sandbox = await realSwarmHost({ sandbox: true, runDir: this.runDir, clock: this.clock, ...this.reconnect });
        await sandbox.apis.get(sandbox.startNode)!.ping();
        return sandbox;
      } catch {
        // Sockets left behind by a crashed sandbox: the daemon DOCKER_HOST names instead.
      }
    }
    return realSwarmHost({ sandbox: false, env: this.env, clock: this.clock, ...this.reconnect });
  }

  /**
   * What stops the lessons from running on the real swarm now, or undefined when nothing
   * does. `reopen`: the swarm found becomes the one the terminal uses (a new page connected).
   */
  async probe(opts: { reopen?: boolean } = {}): Promise<LocalFailure | undefined> {
    // Looked up on every probe: Docker may be installed while the server runs.
    const setting: DaemonSetting = { configured: daemonConfigured(this.env), dockerd: findDockerd(this.dockerdPath) };
    let fresh: RealSwarm;
    try {
      fresh = await this.open();
    } catch (e) {
      const f = failureOf(e, setting);
      if (f) return f;
      throw e;
    }
    if (opts.reopen || !this.swarm) this.swarm = fresh;
    return probeDaemon(fresh.api(fresh.startNode)!, setting);
  }

  async missingImages(service: string, preloaded: ReadonlySet<string>, sinceMs: number): Promise<LocalFailure[]> {
    const api = this.swarm?.api(this.swarm.startNode);
    return api ? missingImages(api, service, preloaded, sinceMs) : [];
  }
}
