// Container logs, produced on demand from a task's life (when it started, when it was
// asked to stop) rather than stored, so idle services cost nothing. What was produced is
// kept (`LogBook`) until the task or the time it depends on changes: `logs -f` asks for a
// service's lines every 200 ms, and a thousand tasks' lines took most of that to build.
import { ApiError } from '../api/swarm-api.js';
import type { LogLine } from '../api/types.js';
import type { Cluster } from './cluster.js';
import { KILLED_EXIT_CODE } from './agent.js';
import { findImage } from './images.js';
import type { TaskRecord } from './model.js';

interface Kept {
  /** The task's version (or the service's log revision) the lines were made at. */
  version: number;
  /** How many request lines the task had then (a request changes no version). */
  requests?: number;
  /** The lines hold until this elapsed time (periodic lines: the next one is due). */
  until: number;
  lines: readonly LogLine[];
}

/**
 * The lines of tasks and services, made by `logLinesFor` and kept while they hold: a task's
 * until its version changes (or its next periodic line is due), a service's until one of its
 * tasks that ran changes (`Cluster.logRevision`). An unchanged service answers with the very
 * same frozen array, so a poller can tell nothing is new without reading it.
 */
export class LogBook {
  private readonly byTask = new WeakMap<TaskRecord, Kept>();
  private readonly byService = new Map<string, Kept>();
  /** How many times a task's lines were made (what the cache saves; tests read it). */
  made = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly ts: (elapsedMs: number) => string,
  ) {}

  /** The task's lines at elapsed time `now`. */
  ofTask(t: TaskRecord, now: number): readonly LogLine[] {
    if (t.runningAt === undefined) return NO_LINES;
    const hit = this.byTask.get(t);
    const requests = this.cluster.requestLog.get(t.id)?.length ?? 0;
    if (hit && hit.version === t.version && hit.requests === requests && now < hit.until) return hit.lines;
    this.made++;
    const lines = Object.freeze(logLinesFor(t, this.cluster, now, this.ts).map((l) => Object.freeze(l)));
    this.byTask.set(t, { version: t.version, requests, until: linesChangeAt(t, now), lines });
    return lines;
  }

  /** The lines of every task of the service, tasks oldest first (as the daemon answers). */
  ofService(serviceId: string, now: number): readonly LogLine[] {
    const revision = this.cluster.logRevision(serviceId);
    const hit = this.byService.get(serviceId);
    if (hit && hit.version === revision && now < hit.until) return hit.lines;
    const ran: TaskRecord[] = [];
    for (const t of this.cluster.tasksOf(serviceId)) if (t.runningAt !== undefined) ran.push(t);
    ran.sort((a, b) => a.createdAt - b.createdAt);
    const lines: LogLine[] = [];
    let until = Number.POSITIVE_INFINITY;
    for (const t of ran) {
      for (const l of this.ofTask(t, now)) lines.push(l);
      until = Math.min(until, this.byTask.get(t)!.until);
    }
    // Services come and go: keep only what is asked for again (the last few services).
    if (!hit && this.byService.size >= MAX_SERVICES_KEPT) this.byService.delete(this.byService.keys().next().value!);
    const kept = { version: revision, until, lines: Object.freeze(lines) };
    this.byService.set(serviceId, kept);
    return kept.lines;
  }
}

const NO_LINES: readonly LogLine[] = Object.freeze([]);
const MAX_SERVICES_KEPT = 8;

/** When a task's lines next change by time alone (its next periodic line); Infinity if never. */
function linesChangeAt(t: TaskRecord, now: number): number {
  if (t.runningAt === undefined) return Number.POSITIVE_INFINITY;
  const stopRequested = t.desired === 'shutdown' || t.desired === 'remove';
  const stopAt = t.stoppedAt ?? (stopRequested ? t.stateAt : undefined);
  // The stop lines appear once the clock reaches the stop (always there already, as kept now).
  if (stopAt !== undefined && stopAt <= now) return Number.POSITIVE_INFINITY;
  const argv = [...(t.spec.ContainerSpec.Command ?? []), ...(t.spec.ContainerSpec.Args ?? [])];
  const periodic = argv[0] === 'ping' && argv.length > 1;
  const next = periodic ? t.runningAt + (Math.floor((now - t.runningAt) / 1000) + 1) * 1000 : Number.POSITIVE_INFINITY;
  return stopAt !== undefined ? Math.min(next, stopAt) : next;
}

/** At most this many periodic lines (ping) are produced per task. */
const MAX_PERIODIC_LINES = 2000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** redis's own log timestamp: `27 Nov 2026 14:23:25.368`. */
export function redisTime(epochMs: number): string {
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
  /** Where the server's stop lines begin (the request lines go before them). */
  let stopIndex = -1;
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
      // SIGKILL (`lab task kill`) leaves redis no time to say anything (captured: logs-tail).
      if (stopAt !== undefined && stopAt <= now && t.exitCode !== KILLED_EXIT_CODE) {
        stopIndex = out.length;
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
  // What requests through the mesh left in the server's log (engine/sim/curl-sim.ts), between
  // its start-up lines and its stop lines, as the server wrote them.
  const requests = cluster.requestLog.get(t.id);
  if (requests && requests.length > 0) {
    const added = requests.filter((r) => r.at <= now).map((r) => ({ time: ts(r.at), stream: 'stdout' as const, text: r.text, taskId: t.id, nodeId: t.nodeId, serviceId: t.serviceId }));
    if (stopIndex >= 0) out.splice(stopIndex, 0, ...added);
    else out.push(...added);
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

/**
 * moby's ServiceLogs reading of `tail`: "all" or nothing for every line, else a decimal
 * integer (strconv.Atoi: an optional sign, digits), never negative.
 */
export function tailCount(tail: number | string | undefined): number | undefined {
  if (tail === undefined || tail === 'all' || tail === '') return undefined;
  const text = String(tail);
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new ApiError(500, 'tail value must be a positive integer or "all"');
  const n = Number(text);
  if (n < 0) throw new ApiError(500, 'negative tail values not supported');
  return n;
}

/**
 * `--tail N` of a service's logs: the daemon asks each task's container for its last N lines
 * (moby's service logs fan out to every task, stopped ones still kept included), so the
 * answer holds N lines per task, in the order they were logged.
 */
export function tailPerTask(lines: readonly LogLine[], n: number): LogLine[] {
  const left = new Map<string, number>();
  const keep: boolean[] = new Array<boolean>(lines.length);
  for (let i = lines.length - 1; i >= 0; i--) {
    const task = lines[i]!.taskId;
    const k = left.get(task) ?? n;
    keep[i] = k > 0;
    if (k > 0) left.set(task, k - 1);
  }
  return lines.filter((_, i) => keep[i]);
}
