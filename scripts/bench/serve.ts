// `swarm-lab serve` against a real swarm (issue 5's speed target): the real docker CLI's
// `docker service ls` and `docker service ps redis` against the simulated swarm's Engine API
// and against the sandbox's manager1, interleaved, each with a 3-replica redis service.
import { spawnSync } from 'node:child_process';
import { startSwarmLab } from './child.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Timing } from './measure.js';
import { summarize } from './measure.js';

const SANDBOX = 'unix:///run/sw3/manager1/docker.sock';

export interface ServeCompare {
  command: string;
  serve: Timing;
  sandbox: Timing;
}

/** Why the serve bench cannot run here, or undefined. */
export function serveBenchBlocker(): string | undefined {
  if (spawnSync('docker', ['--version'], { encoding: 'utf8' }).status !== 0) return 'the docker CLI is missing';
  if (!existsSync('/run/sw3/manager1/docker.sock')) return 'the sandbox swarm is not up (npm run sandbox:up, as root)';
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
      out.push({ command: `docker ${args.join(' ')}`, serve: summarize(samples[0]!), sandbox: summarize(samples[1]!) });
    }
    return out;
  } finally {
    docker(SANDBOX, ['service', 'rm', 'redis']);
    serve.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
