// The worker's first swarm, asked for by the lesson page's <head> (HeadWithRouter.astro) the
// moment it starts the worker, before the terminal's own code has loaded. The request rides in
// the worker's name (WorkerOptions.name, read as `self.name`), not in a message: Chromium hands
// a page's messages to a starting worker only when the page's main thread has a gap, and while
// the page is being built it has none for 150 ms or more, whereas the name arrives with the
// worker itself. So the worker restores the stored swarm while the page is still parsing, and
// its answer (one plain message, beside comlink's, which ignores messages without its own
// fields) is waiting when the terminal starts (src/client/terminal/worker-boot.ts).
import type { ReadyInfo, TerminalEngine } from './terminal-engine.js';
import { parseSavedSwarm, parseSpeed, resumePoint } from './saved-swarm.js';

export interface BootRequest {
  /** The tab's stored swarm text (sessionStorage), null when there is none. */
  saved: string | null;
  /** The stored clock speed (localStorage), null when unset. */
  speed: string | null;
  /** The page's Date.now() when it asked (the worker's clock may differ slightly). */
  now: number;
  /** The page is hidden: the swarm's clock does not run. */
  hidden: boolean;
}

/**
 * What the worker started with: the stored swarm restored, or a fresh swarm (none stored, or
 * it could not be replayed: `restored` false, and the page drops its old screen).
 */
export interface BootReply {
  info: ReadyInfo;
  restored: boolean;
}

/** The reply's envelope: one field whose name comlink never uses. */
export interface BootReplyMessage {
  swarmLabBoot: BootReply;
}

/** Every engine worker's name starts with this; a boot request follows it as JSON. */
export const ENGINE_WORKER_NAME = 'swarm-lab-engine';

/** The worker name that carries `req`. */
export const bootWorkerName = (req: BootRequest): string => `${ENGINE_WORKER_NAME} ${JSON.stringify(req)}`;

/** The boot request a worker's name carries, or undefined (a plain name, or not one of ours). */
export function bootRequestOf(name: string | undefined): BootRequest | undefined {
  if (typeof name !== 'string' || !name.startsWith(`${ENGINE_WORKER_NAME} `)) return undefined;
  try {
    const v = JSON.parse(name.slice(ENGINE_WORKER_NAME.length + 1)) as Partial<BootRequest>;
    if (typeof v !== 'object' || v === null) return undefined;
    return {
      saved: typeof v.saved === 'string' ? v.saved : null,
      speed: typeof v.speed === 'string' ? v.speed : null,
      now: typeof v.now === 'number' ? v.now : Date.now(),
      hidden: v.hidden === true,
    };
  } catch {
    return undefined;
  }
}

/** Puts `engine` in the swarm the request describes. Never throws: a bad snapshot gives a fresh swarm. */
export async function boot(engine: TerminalEngine, req: BootRequest): Promise<BootReply> {
  const speed = parseSpeed(req.speed);
  engine.setSpeed(speed);
  if (req.hidden) engine.pause();
  const saved = parseSavedSwarm(req.saved);
  if (saved) {
    const from = resumePoint(saved, speed, Number.isFinite(req.now) ? req.now : Date.now());
    try {
      return { info: await engine.restore(from.engine, from.ranOnMs), restored: true };
    } catch {
      // not a snapshot this engine can replay: the fresh swarm it was built with stays
    }
  }
  return { info: engine.ready(), restored: false };
}

/** What the worker needs of its global scope: its name (absent outside a worker), and the way to the page. */
interface WorkerScope {
  name?: string;
  postMessage(message: unknown): void;
}

/** In the worker: boots from the request in its name, if any, and posts the answer. */
export function answerBoot(scope: WorkerScope, engine: TerminalEngine): void {
  const req = bootRequestOf(scope.name);
  if (!req) return;
  void boot(engine, req).then((reply) => {
    scope.postMessage({ swarmLabBoot: reply } satisfies BootReplyMessage);
    // A fresh swarm is usually given the lesson's start state next, whose setup lines are
    // docker commands: their code starts loading now. After a restore the page asks for it
    // once its prompt is up (engine/cli/lazy.ts).
    if (!reply.restored) void engine.loadCli().catch(() => undefined);
  });
}
