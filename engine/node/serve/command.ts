// The `swarm-lab serve` command line: its options, the swarm it starts, and the lines it
// prints (the DOCKER_HOST to export first, on stdout, so `eval "$(swarm-lab serve …)"`-style
// use and scripts can read it).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../session.js';
import type { SessionOptions } from '../../session.js';
import { serveSwarm } from './serve.js';
import type { ListenTarget } from './listen.js';

export const SERVE_USAGE = `Usage:
  swarm-lab serve [OPTIONS]       serve the Docker Engine API of a simulated swarm, for
                                  your own docker CLI (export the DOCKER_HOST it prints)

Options:
  --socket PATH     unix socket to listen on (default: swarm-lab-<pid>.sock in
                    $XDG_RUNTIME_DIR, else in the temp dir)
  --port N          listen on 127.0.0.1:N instead (0: a free port)
  --per-node DIR    also one socket per machine: DIR/<hostname>.sock
  --topology SPEC   nodes, e.g. "manager1,worker1,worker2" (default) or "3m5w"
  --speed X         simulated seconds per real second (default 1; 0 freezes the clock)
  --seed N          random seed (default 1)
  --no-swarm        start the machines without a swarm, for the tutorial's first
                    step: \`docker swarm init\` on manager1, then \`docker swarm join\`
                    on the others (with --per-node, one socket each)
`;

export class ServeUsageError extends Error {}

export interface ServeArgs {
  target: ListenTarget;
  perNodeDir?: string;
  topology?: string;
  speed: number;
  seed: number;
  /** false: the machines exist but no swarm has been created yet (--no-swarm). */
  swarm?: false;
}

/**
 * Where the socket goes without --socket: the user's runtime directory ($XDG_RUNTIME_DIR, private
 * to them, as rootless dockerd uses), else the temp directory; named per process so two servers
 * never collide.
 */
export function defaultSocketPath(env: NodeJS.ProcessEnv = process.env, pid = process.pid): string {
  const runtime = env.XDG_RUNTIME_DIR;
  return join(runtime !== undefined && runtime !== '' ? runtime : tmpdir(), `swarm-lab-${pid}.sock`);
}

export function parseServeArgs(argv: readonly string[], defaultSocket = defaultSocketPath()): ServeArgs {
  let socket: string | undefined;
  let port: number | undefined;
  const out: Omit<ServeArgs, 'target'> = { speed: 1, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new ServeUsageError(`swarm-lab serve: ${name} needs a value`);
      return v;
    };
    const num = (min: number, max: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || n < min || n > max) throw new ServeUsageError(`swarm-lab serve: invalid value "${v}" for ${name}`);
      return n;
    };
    switch (name) {
      case '--socket':
        socket = value();
        break;
      case '--port':
        port = Math.trunc(num(0, 65535));
        break;
      case '--per-node':
        out.perNodeDir = value();
        break;
      case '--topology':
        out.topology = value();
        break;
      case '--speed':
        out.speed = num(0, 1000);
        break;
      case '--seed':
        out.seed = Math.trunc(num(0, 2 ** 32 - 1));
        break;
      case '--no-swarm':
        if (eq > 0) throw new ServeUsageError(`swarm-lab serve: ${name} takes no value`);
        out.swarm = false;
        break;
      default:
        throw new ServeUsageError(name.startsWith('-') ? `swarm-lab serve: unknown option ${name}` : `swarm-lab serve: unexpected argument "${a}"`);
    }
  }
  if (socket !== undefined && port !== undefined) throw new ServeUsageError('swarm-lab serve: --socket and --port cannot be used together');
  return { ...out, target: port !== undefined ? { port } : { socket: socket ?? defaultSocket } };
}

/**
 * A realtime session whose clock reads the wall clock: the learner's docker CLI computes
 * "2 minutes ago" from its own clock, so the swarm's timestamps must be real ones. The swarm
 * forms as the session starts (minutes of simulated joins, fixed by the seed), so it starts
 * that long ago.
 */
export function wallClockSession(opts: Pick<SessionOptions, 'seed' | 'topology' | 'swarm'>, now = Date.now()): Session {
  const formed = new Session({ ...opts, mode: 'realtime', startEpochMs: 0 }).sim.clock.epochNow();
  return new Session({ ...opts, mode: 'realtime', startEpochMs: now - formed });
}

/** Runs `swarm-lab serve` until SIGINT/SIGTERM; returns the exit status. */
export async function serveCommand(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  let args: ServeArgs;
  let session: Session;
  try {
    args = parseServeArgs(argv);
    session = wallClockSession({ seed: args.seed, ...(args.topology ? { topology: args.topology } : {}), ...(args.swarm === false ? { swarm: false } : {}) });
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${SERVE_USAGE}`);
    return 2;
  }
  let running;
  try {
    running = await serveSwarm({
      session,
      target: args.target,
      ...(args.perNodeDir !== undefined ? { perNodeDir: args.perNodeDir } : {}),
      speed: args.speed,
      log: (line) => void process.stderr.write(`swarm-lab serve: ${line}\n`),
    });
  } catch (e) {
    process.stderr.write(`swarm-lab serve: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  process.stdout.write(`export DOCKER_HOST=${running.url}\n`);
  for (const [host, url] of Object.entries(running.nodes)) process.stdout.write(`# ${host}: DOCKER_HOST=${url}\n`);
  const machines = session.sim.hostnames().join(', ');
  process.stderr.write(
    args.swarm === false
      ? `swarm-lab serve: simulated machines (${machines}), no swarm yet: run \`docker swarm init\` on ${session.sim.hostnames()[0]}; Ctrl-C stops it.\n`
      : `swarm-lab serve: a simulated swarm (${machines}); Ctrl-C stops it.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await running.close();
  return 0;
}
