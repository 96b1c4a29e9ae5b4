// The lesson terminal's Web Worker entry: one TerminalEngine, exposed through comlink.
// The page creates it with `new Worker(new URL('…/engine/worker.ts', import.meta.url), { type: 'module' })`.
import { expose } from 'comlink';
import { TerminalEngine } from './worker/terminal-engine.js';

export type { TerminalEngine } from './worker/terminal-engine.js';
export type { Completion } from './worker/complete.js';

expose(new TerminalEngine());
