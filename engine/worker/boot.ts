// The worker's first swarm, asked for by the lesson page's <head> (HeadWithRouter.astro) the
// moment it starts the worker, before the terminal's own code has loaded. The page's main
// thread is busy building the page then; a comlink round trip made later by the terminal would
// wait behind that work, so the head sends the stored swarm (or nothing) with the worker's
// construction and the answer is already waiting when the terminal starts
// (src/client/terminal/worker-boot.ts). One plain message each way, beside comlink's (comlink
// ignores messages without its own fields).
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

/** Message envelopes: one field whose name comlink never uses. */
export interface BootRequestMessage {
  swarmLabBoot: BootRequest;
}
export interface BootReplyMessage {
  swarmLabBoot: BootReply;
}

export const isBootRequest = (data: unknown): data is BootRequestMessage =>
  typeof data === 'object' && data !== null && 'swarmLabBoot' in data && typeof (data as BootRequestMessage).swarmLabBoot === 'object';

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

/** Endpoint shape shared by a worker's global scope and a Worker object. */
interface MessageEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
}

/** In the worker: answers the first boot request (there is at most one per worker). */
export function answerBoot(scope: MessageEndpoint, engine: TerminalEngine): void {
  const onMessage = (e: { data: unknown }): void => {
    if (!isBootRequest(e.data)) return;
    scope.removeEventListener('message', onMessage);
    void boot(engine, e.data.swarmLabBoot).then((reply) => scope.postMessage({ swarmLabBoot: reply } satisfies BootReplyMessage));
  };
  scope.addEventListener('message', onMessage);
}
