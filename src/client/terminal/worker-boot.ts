// The lesson page's engine worker, started before the terminal's own code has loaded.
// Starting a Web Worker costs Chromium 100-300 ms on a busy 2-core machine before the
// engine's first line runs, and the terminal script (xterm) takes about as long to load:
// so the lesson page's <head> constructs the worker with a tiny inline script
// (src/components/HeadWithRouter.astro) and the terminal adopts it here, and the two
// start-ups overlap instead of following each other. In the worker's name it sends the
// tab's stored swarm, so the worker's first answer is waiting when the terminal starts.

import type { BootReply } from '../../../engine/worker/boot.js';
import { ENGINE_WORKER_NAME } from '../../../engine/worker/boot.js';

/**
 * What the head script leaves on `window`: the built worker's URL, the worker it started and
 * the worker's answer to the boot request it sent with it (engine/worker/boot.ts).
 */
export interface EngineWorkerBoot {
  url: string;
  worker?: Worker;
  boot?: Promise<BootReply>;
}

declare global {
  // eslint-disable-next-line no-var -- a global the inline head script sets
  var swarmLabEngine: EngineWorkerBoot | undefined;
}

// A worker started here carries no boot request: the terminal restores through comlink.
export const ENGINE_WORKER_OPTIONS: WorkerOptions = { type: 'module', name: ENGINE_WORKER_NAME };

let adopted = false;

/**
 * The worker for the page's terminal: the first call takes the one the head script started
 * (it may already have the engine loaded, and its first swarm: `booted`); any later call (a
 * restart after the worker died) gets a new one from the same built file.
 */
export function engineWorker(): { worker: Worker; booted?: Promise<BootReply> } {
  const boot = globalThis.swarmLabEngine;
  if (!adopted && boot?.worker) {
    adopted = true;
    return boot.boot ? { worker: boot.worker, booted: boot.boot } : { worker: boot.worker };
  }
  adopted = true;
  // Without the head script (a page that renders the terminal but not the boot, or a
  // browser that refused the early worker) the terminal starts the worker itself.
  // (Vite bundles the worker only for this literal `new Worker(new URL(...), {...})` form,
  // options included: it reads them statically.)
  if (boot) return { worker: new Worker(boot.url, ENGINE_WORKER_OPTIONS) };
  return { worker: new Worker(new URL('../../../engine/worker.ts', import.meta.url), { type: 'module', name: 'swarm-lab-engine' }) };
}
