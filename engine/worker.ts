// The lesson terminal's Web Worker entry: one TerminalEngine, exposed through comlink, plus
// the one early "boot" message the lesson page's <head> may send (engine/worker/boot.ts).
// The page creates it with `new Worker(new URL('…/engine/worker.ts', import.meta.url), { type: 'module' })`.
import { expose } from 'comlink';
import { answerBoot } from './worker/boot.js';
import { TerminalEngine } from './worker/terminal-engine.js';

export type { TerminalEngine } from './worker/terminal-engine.js';
export type { Completion } from './worker/complete.js';

const engine = new TerminalEngine();
// In a worker the global scope is the message endpoint to the page.
answerBoot(globalThis as unknown as Parameters<typeof answerBoot>[0], engine);
expose(engine);
