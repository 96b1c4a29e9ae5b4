// A service's health check on the simulated swarm (--health-cmd & co.), as dockerd's health
// monitor and swarm's executor run it:
//  - dockerd probes the container every Interval (default 30 s; during the StartPeriod every
//    StartInterval, default 5 s), failures inside the start period not counted; the first
//    passing probe makes it healthy, Retries (default 3) failures in a row unhealthy;
//  - the executor keeps the task STARTING until the container is healthy, then reports it
//    RUNNING; an unhealthy one it stops (SIGTERM), and since the servers of the catalog exit 0
//    on it, the task ends COMPLETE (captured: `Shutdown  Complete 4 seconds ago`, no error),
//    for the restart policy to replace.
// The probe's command cannot run here, so its outcome is decided from its words: the failing
// commands a learner writes on purpose (`false`, `exit 1`, a `test -f` of a file the image does
// not have, a client the image lacks) fail, the usual checks of the catalog's servers pass
// (`redis-cli ping` on redis, `curl -f http://localhost/` on nginx), anything else passes.
import type { HealthConfig, TaskSpec } from '../api/types.js';
import { NS_PER_MS } from '../api/types.js';
import type { CatalogImage } from './images.js';

/** How long a catalog server takes to exit on the SIGTERM that stops an unhealthy container. */
export const UNHEALTHY_STOP_MS = 100;

const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_START_INTERVAL_MS = 5_000;
const DEFAULT_RETRIES = 3;

/** The check a task's container runs, or undefined when it has none (unset, empty, NONE). */
export function activeHealthcheck(spec: TaskSpec): HealthConfig | undefined {
  const h = spec.ContainerSpec.Healthcheck;
  const test = h?.Test ?? [];
  if (test.length === 0 || test[0] === 'NONE') return undefined;
  if ((test[0] === 'CMD' || test[0] === 'CMD-SHELL') && test.length < 2) return undefined;
  return h;
}

// Files the catalog's images have (what `test -f` and friends can find).
const COMMON_FILES = ['/bin/sh', '/bin/bash', '/etc/hostname', '/etc/hosts', '/etc/passwd', '/etc/os-release', '/tmp', '/', '/proc', '/dev/null'];
const IMAGE_FILES: Record<string, string[]> = {
  nginx: ['/usr/share/nginx/html/index.html', '/usr/share/nginx/html/50x.html', '/etc/nginx/nginx.conf', '/etc/nginx/conf.d/default.conf', '/docker-entrypoint.sh', '/usr/sbin/nginx', '/var/run/nginx.pid', '/run/nginx.pid', '/usr/bin/curl'],
  redis: ['/usr/local/bin/redis-server', '/usr/local/bin/redis-cli', '/usr/local/bin/docker-entrypoint.sh', '/data'],
};
// Programs a probe may call that only some images have.
const IMAGE_PROGRAMS: Record<string, string[]> = {
  nginx: ['curl', 'nginx'],
  redis: ['redis-cli', 'redis-server'],
  alpine: ['wget', 'nc'],
  busybox: ['wget', 'nc'],
};
const OPTIONAL_PROGRAMS = new Set(['curl', 'wget', 'nc', 'redis-cli', 'nginx', 'redis-server', 'pg_isready', 'mysqladmin']);

/** Whether one simple command (words already split) exits 0 in a container of `image`. */
function simplePasses(words: string[], image: CatalogImage): boolean {
  const prog = (words[0] ?? '').split('/').pop() ?? '';
  if (prog === '') return true;
  if (prog === 'false') return false;
  if (prog === 'true' || prog === ':') return true;
  if (prog === 'exit') return (Number(words[1] ?? '0') || 0) % 256 === 0;
  if (prog === 'test' || prog === '[') {
    const args = prog === '[' ? words.slice(1, words[words.length - 1] === ']' ? -1 : undefined) : words.slice(1);
    const negate = args[0] === '!';
    const [op, path] = negate ? args.slice(1) : args;
    if (op && path && /^-[efdsrx]$/.test(op)) {
      const files = [...COMMON_FILES, ...(IMAGE_FILES[image.repo] ?? [])];
      const found = files.includes(path) || files.some((f) => f.startsWith(path.replace(/\/$/, '') + '/'));
      return found !== negate;
    }
    return true;
  }
  if (OPTIONAL_PROGRAMS.has(prog) && !(IMAGE_PROGRAMS[image.repo] ?? []).includes(prog)) return false; // command not found
  if (prog === 'redis-cli') {
    const port = words[words.indexOf('-p') + 1];
    return !words.includes('-p') || port === '6379';
  }
  if (prog === 'curl' || prog === 'wget') {
    // Only the image's own server answers, on its own port.
    const url = words.find((w) => /^https?:\/\//.test(w)) ?? '';
    const m = /^https?:\/\/(localhost|127\.0\.0\.1)(?::(\d+))?(\/[^\s]*)?$/.exec(url);
    if (!m) return false;
    const port = Number(m[2] ?? (url.startsWith('https') ? 443 : 80));
    const path = m[3] ?? '/';
    return image.ports.includes(port) && (path === '/' || path === '/index.html' || !words.includes('-f'));
  }
  return true;
}

/** Whether the probe `test` (HealthConfig.Test) passes in a container of `image`. */
export function probePasses(test: string[], image: CatalogImage): boolean {
  const argv = test[0] === 'CMD' ? test.slice(1) : test[0] === 'CMD-SHELL' ? [test[1] ?? ''] : test;
  if (test[0] !== 'CMD-SHELL') return simplePasses(argv, image);
  // A shell line: `a && b` passes when both do, `a || b` when either does (left to right, no
  // grouping); words split on blanks, quotes dropped.
  let result = true;
  let op: '&&' | '||' | '' = '';
  for (const part of (argv[0] ?? '').split(/\s*(&&|\|\||;)\s*/)) {
    if (part === '&&' || part === '||' || part === ';') {
      op = part === ';' ? '' : part;
      continue;
    }
    const words = part.trim().split(/\s+/).map((w) => w.replace(/^['"]|['"]$/g, '')).filter((w) => w !== '');
    if (op === '&&' && !result) continue;
    if (op === '||' && result) continue;
    result = simplePasses(words, image);
  }
  return result;
}

/** When, after the container starts, the health monitor decides (ms), and what. */
export function healthVerdict(h: HealthConfig, passes: boolean): { healthy: boolean; afterMs: number } {
  const ms = (ns: number | undefined, dflt: number): number => (ns && ns > 0 ? ns / NS_PER_MS : dflt);
  const interval = ms(h.Interval, DEFAULT_INTERVAL_MS);
  const startInterval = ms(h.StartInterval, DEFAULT_START_INTERVAL_MS);
  const startPeriod = ms(h.StartPeriod, 0);
  const retries = h.Retries && h.Retries > 0 ? h.Retries : DEFAULT_RETRIES;
  let t = 0;
  let failures = 0;
  // At most one probe per millisecond of a day: a bound, not a limit a real check reaches.
  for (let probes = 0; probes < 100_000; probes++) {
    t += t < startPeriod ? startInterval : interval;
    if (passes) return { healthy: true, afterMs: t };
    if (t >= startPeriod && ++failures >= retries) return { healthy: false, afterMs: t };
  }
  return { healthy: false, afterMs: t };
}
