// The swarm view's models in local mode: the local server (`swarm-lab local`) reads the real
// swarm and pushes the model over the terminal's authenticated WebSocket (engine/node/server/
// view-feed.ts) while this source is subscribed, and only when it changed. Subscribing asks
// the server to start, unsubscribing to stop: the page asks only while the view is open, so a
// closed view costs the daemon nothing. Models are handed to the sink one at a time: one that
// arrives while the sink is still drawing the last waits, and a newer one replaces it (at most
// one draw per sink answer, as the worker's source). The server is trusted, not blindly: a
// frame that is not a model of this version is dropped.
import type { SwarmViewModel } from '../../../engine/view/model.js';
import { VIEW_MODEL_VERSION } from '../../../engine/view/model.js';

export interface ViewOptions {
  /** The tasks `docker service ps` lists under ` \_ ` too (the history toggle). */
  history: boolean;
}

/** Called with each model; resolves when it is drawn. */
export type ModelSink = (model: SwarmViewModel) => Promise<void> | void;

/** What the source needs of the connection to the local server (RemoteEngine has it). */
export interface ViewLink {
  readonly closed: boolean;
  watchView(history: boolean): void;
  unwatchView(): void;
  onView(listener: (model: unknown, omitted: unknown) => void): () => void;
  onClosed(listener: (e: unknown) => void): () => void;
}

/** What the server's caps left out of the last model (view-reads.ts): nodes, and tasks of services not Swarm Lab's. */
export interface ViewOmitted {
  nodes: number;
  tasks: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): boolean => Array.isArray(v) && v.every(isObject);

/** A model this page can draw: the version it was built for, and the lists it reads. */
export function isViewModel(v: unknown): v is SwarmViewModel {
  return (
    isObject(v) &&
    v.version === VIEW_MODEL_VERSION &&
    typeof v.now === 'number' &&
    typeof v.historyOmitted === 'number' &&
    objects(v.nodes) &&
    objects(v.services) &&
    objects(v.tasks)
  );
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : 0);

export class LocalViewSource {
  private link: ViewLink | undefined;
  private sink: ModelSink | undefined;
  private options: ViewOptions = { history: false };
  private unlisten: (() => void)[] = [];
  /** The newest model not drawn yet. */
  private next: SwarmViewModel | undefined;
  private drawing = false;
  private lastOmitted: ViewOmitted = { nodes: 0, tasks: 0 };

  constructor(link?: ViewLink) {
    this.link = link;
  }

  /**
   * The connection to use from now on: a new one after the terminal reconnected, or none when
   * it left local mode. A subscribed source asks the new one for the view at once.
   */
  attach(link: ViewLink | undefined): void {
    if (link === this.link) return;
    this.detach();
    this.link = link;
    if (this.sink) this.listen();
  }

  /** Starts the server's pushes to `sink`; the returned function stops them. */
  subscribe(sink: ModelSink, options: ViewOptions = { history: false }): () => void {
    this.detach();
    this.sink = sink;
    this.options = { ...options };
    this.listen();
    return () => {
      if (this.sink !== sink) return;
      this.detach();
      this.sink = undefined;
      this.next = undefined;
    };
  }

  setOptions(options: ViewOptions): void {
    this.options = { ...options };
    if (this.sink && this.link && !this.link.closed) this.link.watchView(this.options.history);
  }

  /** ms of the swarm's time per ms of wall time: a real swarm runs in real time. */
  rate(): number {
    return 1;
  }

  /** What the server left out of the last model to keep it small. */
  get omitted(): ViewOmitted {
    return this.lastOmitted;
  }

  private listen(): void {
    const link = this.link;
    if (!link || link.closed) return;
    this.unlisten.push(
      link.onView((model, omitted) => this.receive(model, omitted)),
      // The socket is gone: nothing more comes from it (a reconnect attaches a new link).
      link.onClosed(() => this.detach()),
    );
    link.watchView(this.options.history);
  }

  private detach(): void {
    for (const u of this.unlisten.splice(0)) u();
    if (this.sink && this.link && !this.link.closed) this.link.unwatchView();
  }

  private receive(model: unknown, omitted: unknown): void {
    if (!this.sink || !isViewModel(model)) return;
    const o = isObject(omitted) ? omitted : {};
    this.lastOmitted = { nodes: count(o.nodes), tasks: count(o.tasks) };
    this.next = model;
    this.pump();
  }

  private pump(): void {
    const sink = this.sink;
    const model = this.next;
    if (this.drawing || !sink || !model) return;
    this.next = undefined;
    this.drawing = true;
    void (async () => {
      try {
        await sink(model);
      } catch {
        // A sink that failed to draw one model may draw the next.
      }
      this.drawing = false;
      this.pump();
    })();
  }
}
