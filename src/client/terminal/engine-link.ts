// The page's link to one engine worker: the worker, its comlink proxy, and how the page learns
// that the worker is gone. A worker that throws fires `error`; one that is terminated, killed
// by the browser or stuck in a loop fires nothing, so a heartbeat (worker-health.ts) watches
// for answers as well. Either way `died` rejects, so no call waits forever, and the terminal
// restarts the engine from the last saved swarm (terminal-session.ts, onWorkerDeath).
import * as Comlink from 'comlink';
import type { TerminalEngine } from '../../../engine/worker.js';
import { Heartbeat } from './worker-health.js';

/** What a call to a gone worker rejects with. */
export class WorkerDied extends Error {}

/** How the worker went: it failed (an error event), or it stopped answering (killed, or hung). */
export type WorkerDeath = 'crashed' | 'unresponsive';

export class EngineLink {
  readonly engine: Comlink.Remote<TerminalEngine>;
  /** Rejects with WorkerDied once the worker is gone; every call races it. */
  readonly died: Promise<never>;
  private readonly heartbeat: Heartbeat;
  private gone = false;
  private end!: (how: WorkerDeath) => void;

  /** `onDeath` is called once, after the worker was terminated and every call rejected. */
  constructor(
    readonly worker: Worker,
    onDeath: (how: WorkerDeath) => void,
  ) {
    this.engine = Comlink.wrap<TerminalEngine>(worker);
    this.died = new Promise<never>((_, reject) => {
      this.end = (how) => {
        if (this.gone) return;
        this.gone = true;
        this.heartbeat.stop();
        // A hung worker still holds its thread (and a CPU): end it.
        worker.terminate();
        reject(new WorkerDied());
        onDeath(how);
      };
    });
    this.died.catch(() => undefined);
    const crashed = (): void => this.end('crashed');
    worker.addEventListener('error', crashed);
    worker.addEventListener('messageerror', crashed);
    // ready() is the engine's cheapest answer: the session's prompt and machine names.
    this.heartbeat = new Heartbeat(
      () => this.engine.ready(),
      () => this.end('unresponsive'),
    );
    this.visible(!document.hidden);
  }

  /** Calls the engine; rejects with WorkerDied instead of hanging if the worker is gone. */
  call<T>(f: (e: Comlink.Remote<TerminalEngine>) => Promise<T>): Promise<T> {
    return Promise.race([f(this.engine), this.died]);
  }

  /**
   * A call that may hold the worker's event loop for a while (starting up, replaying a saved
   * swarm, a lesson's setup): the heartbeat waits longer for its answers meanwhile.
   */
  patient<T>(job: Promise<T>): Promise<T> {
    return this.heartbeat.patient(job);
  }

  /** The page was shown or hidden: the heartbeat runs only while it is shown. */
  visible(shown: boolean): void {
    if (this.gone) return;
    if (shown) this.heartbeat.start();
    else this.heartbeat.stop();
  }

  /** Test hook: the worker ends with no event at all, as when the browser reclaims it. */
  terminateSilently(): void {
    this.worker.terminate();
  }
}
