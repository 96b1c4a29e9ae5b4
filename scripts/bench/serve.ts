// `swarm-lab serve` against a real swarm (issue 5's speed target): the real docker CLI's
// `docker service ls` and `docker service ps redis` against the simulated swarm's Engine API
// and against the sandbox's manager1, interleaved, each with a 3-replica redis service.
import { spawnSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { startSwarmLab } from './child.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Timing } from './measure.js';
import { summarize } from './measure.js';
import { sandboxSocket } from '../../engine/node/docker/sandbox-paths.js';

const SANDBOX_SOCKET = sandboxSocket('manager1');
const SANDBOX = `unix://${SANDBOX_SOCKET}`;

export interface ServeCompare {
  command: string;
  serve: Timing;
  sandbox: Timing;
  /** The same command's Engine API requests alone, replayed by a plain HTTP client (no CLI start-up). */
  api: { serve: Timing; sandbox: Timing };
}

/** One request on `agent`'s connection, with the docker CLI's headers; resolves with status, body and API version. */
function get(agent: Agent, socketPath: string, method: string, path: string): Promise<{ status: number; body: string; version: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, socketPath, method, path, headers: { host: 'api.moby.localhost', 'user-agent': 'Docker-Client/28.2.2 (linux)' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, version: String(res.headers['api-version'] ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const socketOf = (host: string): string => host.replace(/^unix:\/\//, '');
const q = (filters: Record<string, Record<string, boolean>>): string => encodeURIComponent(JSON.stringify(filters));

/**
 * The Engine API requests the docker CLI 28 makes for `args` (local-mode-security.md, "What the
 * tutorial commands actually hit"), at the API version the server offers, on one keep-alive
 * connection as the CLI uses. Returns a function that replays them and the ms it took.
 */
async function apiReplay(host: string, args: string[]): Promise<() => Promise<number>> {
  const socket = socketOf(host);
  const probe = new Agent({ keepAlive: false });
  const ping = await get(probe, socket, 'HEAD', '/_ping');
  // The CLI's own version (1.50), or the server's when it is older: what the CLI negotiates.
  const v = Number(ping.version) >= 1.5 ? '/v1.50' : `/v${ping.version}`;
  let paths: string[];
  if (args.join(' ') === 'service ls') paths = [`${v}/services?status=true`];
  else {
    const [svc] = JSON.parse((await get(probe, socket, 'GET', `${v}/services?filters=${q({ name: { redis: true } })}`)).body) as { ID: string }[];
    if (!svc) throw new Error(`no redis service on ${host}`);
    const tasks = JSON.parse((await get(probe, socket, 'GET', `${v}/tasks?filters=${q({ service: { [svc.ID]: true } })}`)).body) as { NodeID?: string }[];
    const nodes = [...new Set(tasks.map((t) => t.NodeID).filter((n): n is string => !!n))];
    paths = [
      `${v}/services?filters=${q({ id: { redis: true } })}`,
      `${v}/services?filters=${q({ name: { redis: true } })}`,
      `${v}/tasks?filters=${q({ service: { [svc.ID]: true } })}`,
      `${v}/services/${svc.ID}?insertDefaults=false`,
      ...nodes.map((n) => `${v}/nodes/${n}`),
    ];
  }
  return async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const t0 = performance.now();
    await get(agent, socket, 'HEAD', '/_ping');
    for (const path of paths) {
      const r = await get(agent, socket, 'GET', path);
      if (r.status !== 200) throw new Error(`GET ${path} on ${host}: ${r.status} ${r.body}`);
    }
    const ms = performance.now() - t0;
    agent.destroy();
    return ms;
  };
}

/** Why the serve bench cannot run here, or undefined. */
export function serveBenchBlocker(): string | undefined {
  if (spawnSync('docker', ['--version'], { encoding: 'utf8' }).status !== 0) return 'the docker CLI is missing';
  if (!existsSync(SANDBOX_SOCKET)) return 'the sandbox swarm is not up (npm run sandbox:up, as root)';
  return undefined;
}

const docker = (host: string, args: string[]): { code: number; out: string; ms: number } => {
  const t0 = performance.now();
  const r = spawnSync('docker', args, { env: { ...process.env, DOCKER_HOST: host }, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}`, ms: performance.now() - t0 };
};

export async function serveVsSandbox(root: string, runs: number): Promise<ServeCompare[]> {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-lab-bench-'));
  const serve = await startSwarmLab(root, ['serve', '--socket', join(dir, 'engine.sock')], /^export DOCKER_HOST=(\S+)$/m).then((s) => ({ host: s.match, stop: s.stop }));
  const hosts = [serve.host, SANDBOX];
  try {
    for (const host of hosts) {
      docker(host, ['service', 'rm', 'redis']);
      const c = docker(host, ['service', 'create', '--detach', '--quiet', '--replicas', '3', '--name', 'redis', 'redis:7.4.0']);
      if (c.code !== 0) throw new Error(`service create on ${host} failed: ${c.out}`);
    }
    // Both converge (the simulated swarm in real time, ~7 s) before anything is timed.
    for (let waited = 0; ; waited += 500) {
      const done = hosts.every((h) => /3\/3/.test(docker(h, ['service', 'ls', '--format', '{{.Replicas}}']).out));
      if (done) break;
      if (waited > 60_000) throw new Error('redis did not converge on both swarms within 60 s');
      await new Promise((r) => setTimeout(r, 500));
    }
    const commands = [['service', 'ls'], ['service', 'ps', 'redis']];
    const out: ServeCompare[] = [];
    for (const args of commands) {
      const samples: number[][] = [[], []];
      for (let i = 0; i < 3; i++) hosts.forEach((h) => docker(h, args));
      for (let i = 0; i < runs; i++) {
        hosts.forEach((h, j) => {
          const r = docker(h, args);
          if (r.code !== 0) throw new Error(`docker ${args.join(' ')} on ${h} failed: ${r.out}`);
          samples[j]!.push(r.ms);
        });
      }
      // The server's share alone: the same requests without the CLI's ~55 ms start-up, which
      // is most of the figure above and the same for both servers.
      const replays = await Promise.all(hosts.map((h) => apiReplay(h, args)));
      const api: number[][] = [[], []];
      for (let i = 0; i < 5; i++) for (const r of replays) await r();
      for (let i = 0; i < runs * 5; i++) for (const [j, r] of replays.entries()) api[j]!.push(await r());
      out.push({ command: `docker ${args.join(' ')}`, serve: summarize(samples[0]!), sandbox: summarize(samples[1]!), api: { serve: summarize(api[0]!), sandbox: summarize(api[1]!) } });
    }
    return out;
  } finally {
    docker(SANDBOX, ['service', 'rm', 'redis']);
    serve.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
