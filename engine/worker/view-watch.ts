// The worker's side of the swarm view: it pushes the view model to the page when the swarm
// changes, rather than being polled. The realtime driver calls `poke()` after each tick and the
// engine after each command, reset and restore; a poke reads the swarm again only if the
// cluster's revision (or the shell's machine, or what the page asked for) moved since the
// last model. One model is in flight at a time: the page's answer comes after it has drawn
// it, on its next animation frame, so changes that come meanwhile are coalesced into the
// next model and the page gets at most one per frame (and none while its tab is hidden and
// the browser runs no frames). No watcher, no work: the page unwatches while the view is
// collapsed. This module and the view's code (derive.ts) are a chunk of their own, loaded on
// the first watch (terminal-engine.ts), not with the worker.
import type { SwarmApi } from '../api/swarm-api.js';
import type { SwarmViewModel, ViewServed } from '../view/model.js';
import { readSwarmView } from '../view/read.js';

/** Receives each model; resolves when the page has drawn it (then the next may come). */
export type ViewSink = (model: SwarmViewModel) => unknown;

export interface ViewWatchOptions {
  /** Include the tasks `docker service ps` prints under ` \_ ` (the view's history toggle). */
  history?: boolean;
}

/** What the watcher reads the swarm from: the current session's, whichever it is. */
export interface ViewSubject {
  /** Changes with every write to the swarm (and when the swarm is replaced: undo, redo). */
  revision(): string;
  /** Connections to the machines, managers first if possible (the first manager answers). */
  apis(): Iterable<SwarmApi>;
  /** The machine the shell is on. */
  self(): string;
  /** The swarm's time, ms since the epoch. */
  now(): number;
  /** The last request `curl` got answered (the view marks the task that served it). */
  served?(): ViewServed | undefined;
}

export class ViewWatcher {
  private sent: string | undefined;
  private inFlight = false;
  private stopped = false;

  constructor(
    private readonly subject: () => ViewSubject,
    private readonly sink: ViewSink,
    private options: ViewWatchOptions = {},
    private readonly onStop: () => void = () => undefined,
  ) {}

  /** What the last model was built from; a poke with the same key sends nothing. */
  private key(s: ViewSubject): string {
    return `${s.revision()}|${s.self()}|${this.options.history === true}|${s.served?.()?.seq ?? 0}`;
  }

  setOptions(options: ViewWatchOptions): void {
    this.options = { ...options };
    this.poke();
  }

  /** The swarm may have changed: send a model if it did and the page is ready for one. */
  poke(force = false): void {
    if (this.stopped) return;
    if (force) this.sent = undefined;
    if (this.inFlight) return; // the answer pokes again
    const s = this.subject();
    if (this.key(s) === this.sent) return;
    this.inFlight = true;
    void this.send().finally(() => {
      this.inFlight = false;
      this.poke();
    });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop();
  }

  private async send(): Promise<void> {
    const s = this.subject();
    // The lists are read with no clock tick in between (see read.ts): one instant of the swarm.
    const key = this.key(s);
    const served = s.served?.();
    const model = await readSwarmView(s.apis(), { self: s.self(), now: s.now(), history: this.options.history === true });
    if (this.stopped) return;
    if (served) model.served = served;
    this.sent = key;
    try {
      await this.sink(model);
    } catch {
      // The page went away (its port closed): nothing more to send to it.
      this.stop();
    }
  }
}
