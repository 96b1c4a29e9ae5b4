// The lesson page's engine worker, started before the terminal's own code has loaded.
// Starting a Web Worker costs Chromium 100-300 ms on a busy 2-core machine before the
// engine's first line runs, and the terminal script (xterm) takes about as long to load:
// so the lesson page's <head> constructs the worker with a tiny inline script
// (src/components/HeadWithRouter.astro) and the terminal adopts it here, and the two
// start-ups overlap instead of following each other.

/** What the head script leaves on `window`: the built worker's URL and the worker it started. */
export interface EngineWorkerBoot {
  url: string;
  worker?: Worker;
}

declare global {
  // eslint-disable-next-line no-var -- a global the inline head script sets
  var swarmLabEngine: EngineWorkerBoot | undefined;
}

export const ENGINE_WORKER_OPTIONS: WorkerOptions = { type: 'module', name: 'swarm-lab-engine' };

let adopted = false;

/**
 * The worker for the page's terminal: the first call takes the one the head script started
 * (it may already have the engine loaded); any later call (a restart after the worker died)
 * gets a new one from the same built file.
 */
export function engineWorker(): Worker {
  const boot = globalThis.swarmLabEngine;
  if (!adopted && boot?.worker) {
    adopted = true;
    return boot.worker;
  }
  adopted = true;
  // Without the head script (a page that renders the terminal but not the boot, or a
  // browser that refused the early worker) the terminal starts the worker itself.
  // (Vite bundles the worker only for this literal `new Worker(new URL(...))` form.)
  if (boot) return new Worker(boot.url, ENGINE_WORKER_OPTIONS);
  return new Worker(new URL('../../../engine/worker.ts', import.meta.url), { type: 'module', name: 'swarm-lab-engine' });
}
