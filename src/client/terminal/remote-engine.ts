// The terminal's engine in local mode: `swarm-lab local` runs the shell and the docker CLI
// server-side against a real swarm, and this class speaks its WebSocket protocol
// (engine/node/server/protocol.ts) while offering the same calls the simulated engine
// answers through comlink, so the line editor, Run buttons and lesson checks need not know
// which one is live. The browser only sends terminal intents, never Engine API requests.
import type { Completion } from '../../../engine/worker/complete.js';
import type { EngineOptions, StepResult } from '../../../engine/worker/terminal-engine.js';
import type { SkippedLine } from '../../../engine/node/server/terminal.js';
import type { LocalFailure } from './local-common.js';
import { ENGLISH_FAILURE_STRINGS, failureText, isFailure, RemoteClosed, RemoteError, RemoteUnavailable } from './local-common.js';

/** A setup line the real swarm does not run, and the server's reason (English, as the terminal prints refusals). */
export type { SkippedLine } from '../../../engine/node/server/terminal.js';

/** What the terminal session calls on whichever engine is live. */
export interface LineEngine {
  run(line: string, columns: number, onOutput: (text: string) => void): Promise<number>;
  prompt(): Promise<string>;
  interrupt(): Promise<unknown>;
  /** The terminal's new width while a command runs (its progress display counts rows at it). */
  resize(columns: number): Promise<unknown>;
  complete(line: string, cursor: number): Promise<Completion>;
  check(lessonId: string): Promise<StepResult[]>;
  vars(lessonId: string): Promise<Record<string, string>>;
}

/** The machine set a local server drives (its `ready` frame). */
export interface RemoteBackend {
  kind: 'sandbox' | 'docker';
  name: string;
}


/** The server's dry run of a lesson's start state (engine/node/server/terminal.ts StartPlan). */
export interface StartPlan {
  applied: boolean;
  /** Names of the Swarm Lab services the reset would remove. */
  remove: string[];
  skipped: SkippedLine[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const skippedLines = (v: unknown): SkippedLine[] =>
  Array.isArray(v)
    ? v.filter((x): x is SkippedLine => typeof x === 'object' && x !== null && typeof (x as SkippedLine).line === 'string' && typeof (x as SkippedLine).reason === 'string')
    : [];

type ServerFrame =
  | { t: 'ready'; prompt: string; hostnames: string[]; backend: RemoteBackend; failure?: LocalFailure }
  | { t: 'failure'; id: number; failure: LocalFailure }
  | { t: 'out'; id: number; text: string }
  | { t: 'done'; id: number; code: number; prompt: string }
  | { t: 'result'; id: number; value: unknown }
  | { t: 'error'; id?: number; message: string }
  | { t: 'view'; model: unknown; omitted?: unknown };

/** Receives each swarm view model the server pushes (checked by src/client/swarm-view/local-source.ts). */
export type ViewListener = (model: unknown, omitted: unknown) => void;

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  /** Output of a run. */
  onOutput?: (text: string) => void;
}

/**
 * The page's language for the server (protocol.ts LANGS): the shell's own words and local
 * mode's refusals are then written in it. Nothing when the page has none the server knows.
 */
function pageLang(): { lang?: 'en' | 'zh-CN' } {
  const lang = typeof document === 'undefined' ? '' : document.documentElement.lang;
  return lang === 'en' || lang === 'zh-CN' ? { lang } : {};
}

/** How long connecting (upgrade + auth + ready) may take. */
const CONNECT_TIMEOUT_MS = 5000;

export class RemoteEngine implements LineEngine {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private lastPrompt: string;
  private closedWith: RemoteClosed | undefined;
  private readonly closeListeners = new Set<(e: RemoteClosed) => void>();
  private readonly viewListeners = new Set<ViewListener>();

  private constructor(
    private readonly ws: WebSocket,
    ready: Extract<ServerFrame, { t: 'ready' }>,
  ) {
    this.lastPrompt = ready.prompt;
    this.backend = ready.backend;
    this.hostnames = ready.hostnames;
    ws.addEventListener('message', (e) => this.onFrame(e.data));
    ws.addEventListener('close', (e) => this.onClose(e.code, e.reason));
  }

  readonly backend: RemoteBackend;
  readonly hostnames: string[];
  /** How a failure found after a run is written in the terminal (the page sets its language's). */
  describeFailure: (f: LocalFailure) => string = (f) => failureText(f, ENGLISH_FAILURE_STRINGS);

  /** Connects to the server this page was served from and authenticates with `token`. */
  static connect(token: string, url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`): Promise<RemoteEngine> {
    return new Promise((resolve, reject) => {
      let ws: WebSocket;
      try {
        ws = new WebSocket(url);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      let settled = false;
      const fail = (e: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.close();
        reject(e);
      };
      const timer = setTimeout(() => fail(new RemoteClosed(0, 'timeout')), CONNECT_TIMEOUT_MS);
      ws.addEventListener('open', () => ws.send(JSON.stringify({ t: 'auth', token, ...pageLang() })));
      ws.addEventListener('close', (e) => fail(new RemoteClosed(e.code, e.reason)));
      ws.addEventListener('message', (e) => {
        if (settled) return;
        const f = parseFrame(e.data);
        if (f?.t !== 'ready') return fail(new RemoteClosed(0, 'unexpected first message'));
        if (f.failure) return fail(new RemoteUnavailable(f.failure));
        settled = true;
        clearTimeout(timer);
        resolve(new RemoteEngine(ws, f));
      });
    });
  }

  /** Called once when the connection is lost (not when close() was called). */
  onClosed(l: (e: RemoteClosed) => void): () => void {
    this.closeListeners.add(l);
    return () => this.closeListeners.delete(l);
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Hangs up on purpose (the learner switched back to the simulator). */
  close(): void {
    this.closeListeners.clear();
    this.ws.close(1000, 'switched to the simulator');
    this.viewListeners.clear();
    this.fail(new RemoteClosed(1000, 'closed'));
  }

  /**
   * The swarm view on this socket: the server pushes the model while the page watches (and
   * only when it changed); `history` adds the tasks `docker service ps` lists under ` \_ `.
   */
  watchView(history: boolean): void {
    if (!this.closed) this.ws.send(JSON.stringify({ t: 'view', watch: true, history }));
  }

  /** The view was closed: the server stops reading the swarm for it. */
  unwatchView(): void {
    if (!this.closed) this.ws.send(JSON.stringify({ t: 'view', watch: false }));
  }

  onView(l: ViewListener): () => void {
    this.viewListeners.add(l);
    return () => this.viewListeners.delete(l);
  }

  run(line: string, columns: number, onOutput: (text: string) => void): Promise<number> {
    // The server refuses widths outside 10..1000; a tiny terminal still gets an answer.
    const cols = Math.min(1000, Math.max(10, Math.floor(columns)));
    return this.request({ t: 'run', line, cols }, onOutput) as Promise<number>;
  }

  prompt(): Promise<string> {
    return Promise.resolve(this.lastPrompt);
  }

  interrupt(): Promise<unknown> {
    if (!this.closed) this.ws.send(JSON.stringify({ t: 'interrupt' }));
    return Promise.resolve(true);
  }

  resize(columns: number): Promise<unknown> {
    if (!this.closed) this.ws.send(JSON.stringify({ t: 'resize', cols: Math.min(1000, Math.max(10, Math.floor(columns))) }));
    return Promise.resolve(true);
  }

  complete(line: string, cursor: number): Promise<Completion> {
    return this.request({ t: 'complete', line, cursor }) as Promise<Completion>;
  }

  check(lessonId: string): Promise<StepResult[]> {
    return this.request({ t: 'check', lessonId }) as Promise<StepResult[]>;
  }

  vars(lessonId: string): Promise<Record<string, string>> {
    return this.request({ t: 'vars', lessonId }) as Promise<Record<string, string>>;
  }

  /**
   * What reset(opts) would do on the real swarm, changing nothing: the Swarm Lab services it
   * would remove, and whether the swarm is still in exactly this start state.
   */
  async plan(opts: EngineOptions): Promise<StartPlan> {
    const r = (await this.request({ t: 'plan', setup: opts.setup ?? [] })) as Record<string, unknown>;
    return { applied: r.applied === true, remove: strings(r.remove), skipped: skippedLines(r.skipped) };
  }

  /**
   * A lesson's start state on the real swarm: the Swarm Lab services removed, then its setup
   * lines run; resolves to the lines that failed or were refused (`skipped`: refused, with
   * the server's reason). Topology and swarm flags do not apply: the real machines are what they are.
   */
  async reset(opts: EngineOptions): Promise<{ failed: string[]; skipped: SkippedLine[] }> {
    const r = (await this.request({ t: 'reset', setup: opts.setup ?? [] })) as { failed?: unknown; prompt?: unknown; skipped?: unknown };
    if (typeof r.prompt === 'string') this.lastPrompt = r.prompt;
    return { failed: strings(r.failed), skipped: skippedLines(r.skipped) };
  }

  private request(body: Record<string, unknown>, onOutput?: (text: string) => void): Promise<unknown> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(onOutput ? { onOutput } : {}) });
      this.ws.send(JSON.stringify({ ...body, id }));
    });
  }

  private onFrame(data: unknown): void {
    const f = parseFrame(data);
    if (!f || f.t === 'ready') return;
    if (f.t === 'view') {
      for (const l of this.viewListeners) l(f.model, f.omitted);
      return;
    }
    if (f.t === 'error' && f.id === undefined) {
      // An error not tied to a request (a message the server could not take, an internal
      // failure): a command waiting for its `done` would wait forever, so it ends here.
      for (const [id, p] of this.pending) {
        if (!p.onOutput) continue;
        this.pending.delete(id);
        p.onOutput(`swarm-lab: ${f.message}\n`);
        p.resolve(1);
      }
      return;
    }
    const p = f.id === undefined ? undefined : this.pending.get(f.id);
    if (!p) return;
    switch (f.t) {
      case 'failure':
        // Told before the run's `done`: it reads as part of the command's output.
        p.onOutput?.(`${this.describeFailure(f.failure)}\n`);
        return;
      case 'out':
        p.onOutput?.(f.text);
        return;
      case 'done':
        this.pending.delete(f.id);
        this.lastPrompt = f.prompt;
        p.resolve(f.code);
        return;
      case 'result':
        this.pending.delete(f.id);
        p.resolve(f.value);
        return;
      case 'error':
        this.pending.delete(f.id!);
        if (p.onOutput) {
          // A refused run (rate limit, one already running) reads as the command's output.
          p.onOutput(`swarm-lab: ${f.message}\n`);
          p.resolve(1);
        } else p.reject(new RemoteError(f.message));
        return;
    }
  }

  private onClose(code: number, reason: string): void {
    if (this.closedWith) return;
    const e = new RemoteClosed(code, reason);
    this.fail(e);
    for (const l of this.closeListeners) l(e);
    this.closeListeners.clear();
  }

  private fail(e: RemoteClosed): void {
    this.closedWith ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/** A server frame, or undefined for anything else (the server is trusted, but not blindly). */
function parseFrame(data: unknown): ServerFrame | undefined {
  if (typeof data !== 'string') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const f = v as Record<string, unknown>;
  const idOk = f.id === undefined || typeof f.id === 'number';
  switch (f.t) {
    case 'ready':
      return typeof f.prompt === 'string' && Array.isArray(f.hostnames) && typeof f.backend === 'object' && f.backend !== null && (f.failure === undefined || isFailure(f.failure))
        ? (f as unknown as ServerFrame)
        : undefined;
    case 'failure':
      return typeof f.id === 'number' && isFailure(f.failure) ? (f as unknown as ServerFrame) : undefined;
    case 'out':
      return typeof f.id === 'number' && typeof f.text === 'string' ? (f as unknown as ServerFrame) : undefined;
    case 'done':
      return typeof f.id === 'number' && typeof f.code === 'number' && typeof f.prompt === 'string' ? (f as unknown as ServerFrame) : undefined;
    case 'result':
      return typeof f.id === 'number' ? (f as unknown as ServerFrame) : undefined;
    case 'error':
      return idOk && typeof f.message === 'string' ? (f as unknown as ServerFrame) : undefined;
    case 'view':
      return typeof f.model === 'object' && f.model !== null ? (f as unknown as ServerFrame) : undefined;
    default:
      return undefined;
  }
}
