// Container logs, produced on demand from a task's life (when it started, when it was
// asked to stop) rather than stored, so idle services cost nothing.
import type { LogLine } from '../api/types.js';
import type { Cluster } from './cluster.js';
import { findImage } from './images.js';
import type { TaskRecord } from './model.js';

/** At most this many periodic lines (ping) are produced per task. */
const MAX_PERIODIC_LINES = 2000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** redis's own log timestamp: `27 Nov 2026 14:23:25.368`. */
function redisTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
}

export function logLinesFor(t: TaskRecord, cluster: Cluster, now: number, ts: (elapsedMs: number) => string): LogLine[] {
  if (t.runningAt === undefined) return [];
  const image = findImage(t.spec.ContainerSpec.Image);
  if (!image) return [];
  const start = t.runningAt;
  const epoch = cluster.clock.startEpochMs;
  const out: LogLine[] = [];
  const line = (at: number, text: string): void => {
    out.push({ time: ts(at), stream: 'stdout', text, taskId: t.id, nodeId: t.nodeId, serviceId: t.serviceId });
  };
  const stopRequested = t.desired === 'shutdown' || t.desired === 'remove';
  const stopAt = t.stoppedAt ?? (stopRequested ? t.stateAt : undefined);
  switch (image.logStyle) {
    case 'redis': {
      const r = (at: number, role: 'C' | 'M', mark: '*' | '#', text: string) => line(at, `1:${role} ${redisTime(epoch + at)} ${mark} ${text}`);
      r(start, 'C', '*', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
      r(start, 'C', '*', `Redis version=${image.version ?? '7.4.0'}, bits=64, commit=00000000, modified=0, pid=1, just started`);
      r(start, 'C', '#', 'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf');
      r(start + 1, 'M', '*', 'monotonic clock: POSIX clock_gettime');
      r(start + 1, 'M', '*', 'Running mode=standalone, port=6379.');
      r(start + 2, 'M', '*', 'Server initialized');
      r(start + 2, 'M', '*', 'Ready to accept connections tcp');
      if (stopAt !== undefined && stopAt <= now) {
        const unix = Math.floor((epoch + stopAt) / 1000);
        line(stopAt, `1:signal-handler (${unix}) Received SIGTERM scheduling shutdown...`);
        r(stopAt + 50, 'M', '*', 'User requested shutdown...');
        r(stopAt + 50, 'M', '*', 'Saving the final RDB snapshot before exiting.');
        r(stopAt + 52, 'M', '*', 'DB saved on disk');
        r(stopAt + 52, 'M', '#', 'Redis is now ready to exit, bye bye...');
      }
      break;
    }
    case 'nginx': {
      const msgs = [
        '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
        '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
        '/docker-entrypoint.sh: Configuration complete; ready for start up',
      ];
      for (const m of msgs) line(start, m);
      break;
    }
    case 'ping': {
      break;
    }
    case 'hello': {
      for (const m of ['', 'Hello from Docker!', 'This message shows that your installation appears to be working correctly.', '']) line(start, m);
      break;
    }
    case 'none':
      break;
  }
  const argv = [...(t.spec.ContainerSpec.Command ?? []), ...(t.spec.ContainerSpec.Args ?? [])];
  if (argv[0] === 'ping' && argv.length > 1) {
    const host = argv[argv.length - 1]!;
    line(start, `PING ${host} (141.193.213.20): 56 data bytes`);
    const end = Math.min(now, stopAt ?? now);
    const count = Math.min(MAX_PERIODIC_LINES, Math.max(0, Math.floor((end - start) / 1000)));
    const first = Math.max(0, Math.floor((end - start) / 1000) - count);
    for (let i = first; i < first + count; i++) {
      line(start + i * 1000, `64 bytes from 141.193.213.20: seq=${i} ttl=42 time=${(11 + ((i * 7919) % 50) / 10).toFixed(3)} ms`);
    }
  }
  return out;
}
