// Where the swarm view's models come from. The panel draws whatever a source gives it: the
// simulated swarm's worker (below), or in local mode the local server over its WebSocket
// (which derives the same model from the real daemon with engine/view/derive.ts). A source
// pushes; the panel never polls. A sink's promise resolves once the model is drawn, and a
// source sends the next model only then (at most one per animation frame).
import * as Comlink from 'comlink';
import type { SwarmViewModel } from '../../../engine/view/model.js';
import type { EngineLink } from '../terminal/engine-link.js';
import type { TerminalSession } from '../terminal/terminal-session.js';

export interface ViewOptions {
  /** Send the tasks `docker service ps` lists under ` \_ ` too (the history toggle). */
  history: boolean;
}

/** Called with each model; resolves when it is drawn. */
export type ModelSink = (model: SwarmViewModel) => Promise<void> | void;

export interface SwarmViewSource {
  /** Starts pushing models to `sink` (the current one first); the returned function stops. */
  subscribe(sink: ModelSink, options: ViewOptions): () => void;
  /** The panel's options changed: the next model follows them. */
  setOptions(options: ViewOptions): void;
  /** How many ms of the swarm's time pass per ms of wall time (ages between models); 1 on a real swarm. */
  rate(): number;
}

/**
 * The simulated swarm's models, from the worker's TerminalEngine.watchView. A worker that dies
 * is replaced by the terminal with a new link: the source watches again through it.
 */
export class WorkerViewSource implements SwarmViewSource {
  private link: EngineLink | undefined;
  private sink: ModelSink | undefined;
  private options: ViewOptions = { history: false };
  private unlisten: (() => void) | undefined;

  constructor(private readonly session: TerminalSession) {}

  subscribe(sink: ModelSink, options: ViewOptions): () => void {
    this.sink = sink;
    this.options = { ...options };
    this.unlisten = this.session.onChange(() => this.follow());
    this.follow();
    return () => this.stop();
  }

  setOptions(options: ViewOptions): void {
    this.options = { ...options };
    void this.link?.call((e) => e.setViewOptions(this.options)).catch(() => undefined);
  }

  rate(): number {
    return this.session.speed;
  }

  /** Watches through the session's current worker, once it has one that is up. */
  private follow(): void {
    const link = this.session.engineLink;
    if (!this.sink || link === this.link || this.session.state === 'loading') return;
    this.link = link;
    if (!link) return;
    const sink = this.sink;
    // The worker awaits this proxy's answer before it sends the next model.
    void link.call((e) => e.watchView(Comlink.proxy((m: SwarmViewModel) => sink(m)), this.options)).catch(() => undefined);
  }

  private stop(): void {
    this.unlisten?.();
    this.unlisten = undefined;
    this.sink = undefined;
    const link = this.link;
    this.link = undefined;
    void link?.call((e) => e.unwatchView()).catch(() => undefined);
  }
}
