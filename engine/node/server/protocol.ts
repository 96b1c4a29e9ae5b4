// The terminal protocol on the local server's WebSocket: JSON text frames, one object each,
// `t` = type. Parsing is strict: a frame that is not exactly one of these shapes is refused.
// Pure (no Node built-ins).

import type { SwarmViewModel } from '../../view/model.js';
import type { LocalFailure } from '../docker/failures.js';

export type ClientFrame =
  /** `lang`: the page's language (`en`, `zh-CN`): the shell's own words and local mode's refusals of curl in it. */
  | { t: 'auth'; token: string; lang?: Lang }
  | { t: 'run'; id: FrameId; line: string; cols: number }
  | { t: 'interrupt' }
  /** The page's terminal changed width while a command runs (its progress display follows). */
  | { t: 'resize'; cols: number }
  | { t: 'complete'; id: FrameId; line: string; cursor: number }
  | { t: 'check'; id: FrameId; lessonId: string }
  | { t: 'vars'; id: FrameId; lessonId: string }
  | { t: 'reset'; id: FrameId; setup: string[] }
  /** A dry run of `reset`: what it would remove and run (terminal.ts StartPlan); changes nothing. */
  | { t: 'plan'; id: FrameId; setup: string[] }
  /**
   * The swarm view (view-feed.ts): `watch: true` while the page shows the view (with the
   * tasks `docker service ps` lists under ` \_ ` when `history`), `watch: false` when it closes it.
   */
  | { t: 'view'; watch: true; history: boolean }
  | { t: 'view'; watch: false };

export type FrameId = string | number;

/** The page languages the server writes in. */
export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];
const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGS as readonly string[]).includes(v);

export type ServerFrame =
  /** `failure`: the real swarm cannot run the lessons (Docker down, not a manager…); the page says why and stays simulated. */
  | { t: 'ready'; prompt: string; hostnames: string[]; backend: { kind: 'sandbox' | 'docker'; name: string }; failure?: LocalFailure }
  /** Something the learner must fix, found after a run (`id`): the daemon went away, an image is missing on a node. */
  | { t: 'failure'; id: FrameId; failure: LocalFailure }
  | { t: 'out'; id: FrameId; text: string }
  | { t: 'done'; id: FrameId; code: number; prompt: string }
  | { t: 'result'; id: FrameId; value: unknown }
  | { t: 'error'; id?: FrameId; message: string }
  /**
   * The swarm view's model, sent while the page watches and only when it changed. `omitted`:
   * what the caps left out (view-reads.ts): nodes, and live tasks of services not Swarm Lab's.
   */
  | { t: 'view'; model: SwarmViewModel; omitted?: { nodes: number; tasks: number } };

/** Most setup lines a lesson has is a handful; this bounds a reset request. */
export const MAX_SETUP_LINES = 50;
const MAX_STRING = 8192;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is FrameId =>
  (typeof v === 'string' && v.length > 0 && v.length <= 64) || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_STRING;
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** The frame, or undefined if it is not a valid client frame. */
export function parseClientFrame(data: string): ClientFrame | undefined {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v).sort().join(',');
  switch (v.t) {
    case 'auth':
      if (typeof v.token !== 'string' || v.token.length > 256) return undefined;
      if (keys === 't,token') return { t: 'auth', token: v.token };
      return keys === 'lang,t,token' && isLang(v.lang) ? { t: 'auth', token: v.token, lang: v.lang } : undefined;
    case 'run':
      return keys === 'cols,id,line,t' && isId(v.id) && isText(v.line) && isInt(v.cols, 10, 1000)
        ? { t: 'run', id: v.id, line: v.line, cols: v.cols }
        : undefined;
    case 'interrupt':
      return keys === 't' ? { t: 'interrupt' } : undefined;
    case 'resize':
      return keys === 'cols,t' && isInt(v.cols, 10, 1000) ? { t: 'resize', cols: v.cols } : undefined;
    case 'complete':
      return keys === 'cursor,id,line,t' && isId(v.id) && isText(v.line) && isInt(v.cursor, 0, v.line.length)
        ? { t: 'complete', id: v.id, line: v.line, cursor: v.cursor }
        : undefined;
    case 'check':
    case 'vars':
      return keys === 'id,lessonId,t' && isId(v.id) && typeof v.lessonId === 'string' && /^[a-z0-9-]{1,64}$/.test(v.lessonId)
        ? { t: v.t, id: v.id, lessonId: v.lessonId }
        : undefined;
    case 'reset':
    case 'plan':
      return keys === 'id,setup,t' && isId(v.id) && Array.isArray(v.setup) && v.setup.length <= MAX_SETUP_LINES && v.setup.every(isText)
        ? { t: v.t, id: v.id, setup: v.setup as string[] }
        : undefined;
    case 'view':
      if (v.watch === false) return keys === 't,watch' ? { t: 'view', watch: false } : undefined;
      return keys === 'history,t,watch' && v.watch === true && typeof v.history === 'boolean' ? { t: 'view', watch: true, history: v.history } : undefined;
    default:
      return undefined;
  }
}
