// The swarm view's feed on one authenticated terminal socket: while the page watches (it says
// so with a `view` frame when it opens the view, and again when it closes it), the swarm is
// read (view-reads.ts) at a modest pace and the model is sent only when it changed.
//
// Why a poll and not Docker's events stream: measured on the sandbox (dockerd 20.10.24, API
// 1.41), a manager's `GET /events` carries `service create/update/remove` (update also for
// each UpdateStatus change) and `node update` (availability, state), but no task events at
// all: a task going from preparing to running on worker1 shows up only as a `container start`
// on worker1's own daemon. The view is mostly tasks, so events would still need polling, and
// would add a long-lived stream that also carries the learner's container events.
//
// Pace: a read a second (VIEW_POLL_MS) while the terminal is idle; while one of its commands
// runs, four a second (VIEW_BUSY_POLL_MS), as the docker CLI itself polls every 200 ms then:
// that is when the swarm moves (measured on the sandbox, `service create` takes a task from
// new to running in about a second, which a read a second would show as one jump).
//
// Bounds (what a huge swarm, or a page asking again and again, can make the server do):
//  - at most one read at a time, and the next starts no sooner than that pace after the last
//    ended, nor sooner than VIEW_DUTY times as long as the last took (a slow daemon or a big
//    swarm is read less often: the view never spends more than about a tenth of the time);
//    commands are one at a time and rate-limited, so no page makes it more than four a second;
//  - no more than VIEW_OBJECTS_PER_SECOND objects (nodes, services, tasks) read from the daemon
//    on average: a read that returned N waits N / VIEW_OBJECTS_PER_SECOND seconds (a task is
//    about 0.8 KB of JSON: under a megabyte a second; a swarm of 5,000 live tasks is read every
//    5 s, the sandbox's few dozen objects every second as above);
//  - no more than VIEW_BYTES_PER_SECOND of view frames on average: after a frame of B bytes
//    the next read waits B / VIEW_BYTES_PER_SECOND seconds (the model is capped, view-reads.ts);
//  - starting, stopping, starting again never moves the next read earlier: a page that asks
//    for the view a thousand times gets the model it already has, not a thousand reads;
//  - a read that fails twice in a row (the daemon went away) backs off to VIEW_RETRY_MS and the
//    page gets the empty model (no swarm to draw), as readSwarmView gives one;
//  - stop() (socket closed, server stopping) ends it for good: nothing is read after the read
//    under way, whose result is dropped.
import type { SwarmViewModel } from '../../view/model.js';
import type { ServerFrame } from './protocol.js';
import type { ViewRead } from './view-reads.js';

export const VIEW_POLL_MS = 1000;
export const VIEW_BUSY_POLL_MS = 250;
export const VIEW_DUTY = 10;
export const VIEW_BYTES_PER_SECOND = 64 * 1024;
export const VIEW_OBJECTS_PER_SECOND = 1000;
export const VIEW_RETRY_MS = 5000;

export interface ViewFeedOptions {
  /** Reads the swarm now; `history`: include Swarm Lab's older tasks. */
  read: (history: boolean) => Promise<ViewRead>;
  send: (frame: Extract<ServerFrame, { t: 'view' }>) => void;
  /** The empty model, when the swarm cannot be read. */
  empty: (history: boolean) => SwarmViewModel;
  log?: (line: string) => void;
  /** A command of the terminal is running (the swarm is likely to move): read at the busy pace. */
  busy?: () => boolean;
  /** Tests shorten these; the server uses the defaults. */
  pollMs?: number;
  retryMs?: number;
}

export class ViewFeed {
  private watching = false;
  private history = false;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reading: Promise<void> | undefined;
  /** How the last read went: when it ended, how long it took, the bytes it sent (the pace follows). */
  private lastRead: { end: number; took: number; bytes: number; objects: number } | undefined;
  /** The last model sent, as sent but for `now` (what "changed" compares), and its options. */
  private last: { key: string; frame: Extract<ServerFrame, { t: 'view' }>; history: boolean; at: number } | undefined;
  /** The page has not been sent the current model since it (re)started watching. */
  private owed = false;
  private failing = false;
  /** Reads failed in a row. */
  private failures = 0;

  private readonly pollMs: number;

  constructor(private readonly opts: ViewFeedOptions) {
    this.pollMs = opts.pollMs ?? VIEW_POLL_MS;
  }

  /** The page shows the view (again, or with other options). */
  watch(history: boolean): void {
    if (this.stopped) return;
    const changed = history !== this.history;
    this.history = history;
    if (!this.watching || changed) this.owed = true;
    this.watching = true;
    // A model read moments ago is what a read now would give: the page gets it at once, and
    // asking again and again costs no read. An older one waits for the read, due now.
    const fresh = this.last !== undefined && this.last.history === history && Date.now() - this.last.at < this.pollMs;
    if (this.owed && fresh && !this.reading) {
      this.opts.send(this.last!.frame);
      this.owed = false;
    }
    this.schedule();
  }

  /** The page closed the view: no more reads until it watches again. */
  unwatch(): void {
    this.watching = false;
    this.clear();
  }

  /** For good (the socket closed, the server stops); resolves once no read is under way. */
  stop(): Promise<void> {
    this.stopped = true;
    this.watching = false;
    this.clear();
    return this.reading ?? Promise.resolve();
  }

  get active(): boolean {
    return this.watching && !this.stopped;
  }

  private clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A command started: the next read comes at the busy pace rather than the idle one. */
  poke(): void {
    if (!this.active || this.reading) return;
    this.clear();
    this.schedule();
  }

  /** When the next read may start (ms, Date.now()). */
  private due(): number {
    const last = this.lastRead;
    if (!last) return 0;
    const base = this.opts.busy?.() === true ? Math.min(VIEW_BUSY_POLL_MS, this.pollMs) : this.pollMs;
    const pace = Math.max(base, VIEW_DUTY * last.took, (last.bytes / VIEW_BYTES_PER_SECOND) * 1000, (last.objects / VIEW_OBJECTS_PER_SECOND) * 1000);
    return last.end + (this.failing ? Math.max(pace, this.opts.retryMs ?? VIEW_RETRY_MS) : pace);
  }

  private schedule(): void {
    if (!this.active || this.reading || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.cycle();
    }, Math.max(0, this.due() - Date.now()));
  }

  private cycle(): void {
    if (!this.active || this.reading) return;
    const history = this.history;
    const started = Date.now();
    let bytes = 0;
    let objects = 0;
    this.reading = (async () => {
      let frame: Extract<ServerFrame, { t: 'view' }>;
      try {
        const r = await this.opts.read(history);
        objects = r.read;
        frame = { t: 'view', model: r.model, ...(r.omitted.nodes + r.omitted.tasks > 0 ? { omitted: r.omitted } : {}) };
        if (this.failing) this.opts.log?.('swarm view: the swarm can be read again');
        this.failing = false;
        this.failures = 0;
      } catch (e) {
        // One failed read is often a race (a service removed between two lists): the page keeps
        // what it has and the next read comes at the usual pace. Twice in a row, or with nothing
        // drawn yet, the page is told there is no swarm to draw.
        if (++this.failures === 1 && !this.owed) return;
        if (!this.failing) this.opts.log?.(`swarm view: cannot read the swarm: ${e instanceof Error ? e.message : String(e)}`);
        this.failing = true;
        frame = { t: 'view', model: this.opts.empty(history) };
      }
      if (this.stopped || !this.watching || history !== this.history) return;
      const key = JSON.stringify({ ...frame, model: { ...frame.model, now: 0 } });
      if (this.owed || key !== this.last?.key) {
        this.opts.send(frame);
        bytes = key.length;
        this.owed = false;
      }
      this.last = { key, frame, history, at: Date.now() };
    })().finally(() => {
      this.lastRead = { end: Date.now(), took: Date.now() - started, bytes, objects };
      this.reading = undefined;
      this.schedule();
    });
  }
}
