// One authenticated terminal on the local server: the shell and the docker CLI run here,
// server-side, over the guarded Engine API. The browser only sends terminal intents (a
// line to run, Ctrl-C, a Tab completion, a lesson check); it never sees or sends an Engine
// request. Every line passes the command table (command-policy.ts) before it runs.
import { checkLesson, varsOfLesson } from '../../../content/lessons/run.js';
import type { SwarmApi } from '../../api/swarm-api.js';
import { batchedWriter } from '../../output-batch.js';
import type { ShellIo } from '../../shell/shell.js';
import { Shell } from '../../shell/shell.js';
import { CHINESE } from '../../shell/text-zh.js';
import { complete, swarmNames } from '../../worker/complete.js';
import type { LocalBackend } from './backend.js';
import { checkCommandLine } from './command-policy.js';
import type { CurlRunner } from './curl-runner.js';
import { curlText } from './curl-text.js';
import type { GuardOptions } from './guard.js';
import { GuardedApi, isManaged } from './guard.js';
import { LocalLedger } from './ledger.js';
import { LocalCurl } from './local-curl.js';
import type { ClientFrame, FrameId, ServerFrame } from './protocol.js';

export type Send = (frame: ServerFrame) => void;

export type TerminalFrame = Exclude<ClientFrame, { t: 'auth' } | { t: 'view' }>;

/** A setup line that will not run on the real swarm, and why (an English message for the terminal). */
export interface SkippedLine {
  line: string;
  reason: string;
}

/**
 * What putting the real swarm in a lesson's start state would do (the `plan` frame's
 * answer; `reset` does exactly this). Only services carrying MANAGED_LABEL are ever in
 * `remove`: the learner's own services are never touched.
 */
export interface StartPlan {
  /** The swarm is still as the last reset to this very setup left it: nothing to do. */
  applied: boolean;
  /** Names of the Swarm Lab services that would be removed. */
  remove: string[];
  /**
   * Nodes whose availability would change back: those Swarm Lab changed (to what they were),
   * and on the sandbox any other node not active. Never a node of the learner's own swarm.
   */
  activate: string[];
  /** Setup lines that would run. */
  run: string[];
  /** Setup lines the command table refuses, with its reason. */
  skipped: SkippedLine[];
}

/** What `reset` did. */
export interface StartResult {
  removed: string[];
  activated: string[];
  skipped: SkippedLine[];
  /** Lines that ran and failed (or were refused by the guard). */
  failed: string[];
  prompt: string;
}

/**
 * The last start state applied per backend, and how the swarm looked right after: the
 * server outlives a page (reloads open new sockets), and a page showing a lesson whose
 * start state is still in place must not be asked to reset again.
 */
const lastApplied = new WeakMap<LocalBackend, { setup: string; fingerprint: string }>();

const discard = { write: (): void => undefined };

/** What the terminal's `curl` needs from the server (local-curl.ts). */
export interface TerminalCurl {
  run: CurlRunner;
  ipvs: () => boolean;
  netnsDir?: string;
}

export interface TerminalOptions {
  /** The page's language (the auth frame's): the shell's words and local mode's curl refusals in it. */
  lang?: string;
  /** The real curl; without it the shell has no `curl`. */
  curl?: TerminalCurl;
}

export class TerminalSession {
  private readonly shell: Shell;
  private readonly guarded = new Map<string, SwarmApi>();
  private running: AbortController | undefined;
  private runningIo: ShellIo | undefined;
  /** Commands and resets under way: close() waits for them to end. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;
  private readonly ledger: LocalLedger;

  constructor(
    private readonly backend: LocalBackend,
    private readonly guard: GuardOptions,
    private readonly send: Send,
    private readonly options: TerminalOptions = {},
  ) {
    // The server passes its one ledger to every terminal; a session on its own keeps its own.
    this.ledger = guard.ledger ?? new LocalLedger();
    const curl = options.curl;
    this.shell = new Shell(
      {
        api: (h) => this.api(h),
        hostnames: () => backend.hostnames(),
        clock: backend.clock,
        canExit: false,
        ...(curl
          ? {
              curl: new LocalCurl({
                // Asked at each request: the backend finds the swarm again when a page connects.
                sandboxNodes: () => (backend.kind === 'sandbox' && !guard.scoped ? backend.hostnames() : []),
                scoped: guard.scoped,
                manager: () => this.checkApi(),
                run: curl.run,
                ipvs: curl.ipvs,
                text: () => curlText(options.lang),
                ...(curl.netnsDir ? { netnsDir: curl.netnsDir } : {}),
              }),
            }
          : {}),
      },
      backend.startNode,
    );
    if (options.lang?.toLowerCase().startsWith('zh')) this.shell.text = CHINESE;
  }

  /** The guarded connection to `hostname` (one per machine, made on first use). */
  private api(hostname: string): SwarmApi | undefined {
    let api = this.guarded.get(hostname);
    if (!api) {
      const raw = this.backend.api(hostname);
      if (!raw) return undefined;
      const manager = this.backend.api(this.backend.startNode);
      api = new GuardedApi(raw, { ...this.guard, ledger: this.ledger, ...(manager ? { manager } : {}) });
      this.guarded.set(hostname, api);
    }
    return api;
  }

  ready(): ServerFrame {
    return {
      t: 'ready',
      prompt: this.shell.prompt(),
      hostnames: this.backend.hostnames(),
      backend: { kind: this.backend.kind, name: this.backend.name },
    };
  }

  /**
   * The client went away: a running command or reset is aborted at once (the CLI stops polling;
   * the swarm carries on), and no new one starts. Resolves when it has ended, so nothing of this
   * session talks to the daemon afterwards.
   */
  close(): Promise<void> {
    this.closed = true;
    this.running?.abort();
    return Promise.allSettled([...this.inFlight]).then(() => undefined);
  }

  /** Keeps `work` in inFlight until it settles. */
  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = (): void => void this.inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** The machine the shell is on (`ssh`): the swarm view marks it. */
  get node(): string {
    return this.shell.node;
  }

  /** Frames of the terminal itself; `auth` and `view` are the server's (server.ts, view-feed.ts). */
  async handle(frame: TerminalFrame): Promise<void> {
    if (this.closed) return;
    return this.track(this.dispatch(frame));
  }

  private async dispatch(frame: TerminalFrame): Promise<void> {
    switch (frame.t) {
      case 'run':
        return this.run(frame.id, frame.line, frame.cols);
      case 'interrupt':
        this.running?.abort();
        return;
      case 'resize':
        if (this.runningIo) this.runningIo.columns = frame.cols;
        return;
      case 'complete':
        return this.reply(frame.id, () => this.complete(frame.line, frame.cursor));
      case 'check':
        return this.reply(frame.id, () => this.check(frame.lessonId));
      case 'vars':
        return this.reply(frame.id, () => this.vars(frame.lessonId));
      case 'reset':
        return this.reply(frame.id, () => this.reset(frame.setup));
      case 'plan':
        return this.reply(frame.id, () => this.plan(frame.setup));
    }
  }

  private async reply(id: FrameId, work: () => Promise<unknown>): Promise<void> {
    try {
      const value = await work();
      if (!this.closed) this.send({ t: 'result', id, value });
    } catch (e) {
      if (!this.closed) this.send({ t: 'error', id, message: e instanceof Error ? e.message : String(e) });
    }
  }

  private async run(id: FrameId, line: string, cols: number): Promise<void> {
    if (this.closed) return;
    if (this.running) {
      this.send({ t: 'error', id, message: 'a command is already running (send an interrupt first)' });
      return;
    }
    const verdict = checkCommandLine(line, this.policy());
    if (!verdict.ok) {
      this.send({ t: 'out', id, text: `swarm-lab: ${verdict.message}\n` });
      this.send({ t: 'done', id, code: 1, prompt: this.shell.prompt() });
      return;
    }
    const controller = new AbortController();
    this.running = controller;
    // One frame per burst of writes, not one per write.
    const writer = batchedWriter((text) => {
      if (!this.closed) this.send({ t: 'out', id, text });
    });
    // Kept while it runs: a `resize` frame changes its width (the CLI reads it through).
    const io: ShellIo = { stdout: writer, stderr: writer, tty: true, columns: cols, signal: controller.signal };
    this.runningIo = io;
    try {
      const code = await this.shell.run(line, io);
      writer.flush();
      if (!this.closed) this.send({ t: 'done', id, code, prompt: this.shell.prompt() });
    } finally {
      if (this.running === controller) this.running = undefined;
      if (this.runningIo === io) this.runningIo = undefined;
    }
  }

  private complete(line: string, cursor: number): Promise<unknown> {
    return complete(line, cursor, swarmNames(() => this.api(this.shell.node), () => this.backend.hostnames()));
  }

  /** The connection lesson checks use: the first manager's, guarded like the terminal's. */
  private checkApi(): SwarmApi {
    const api = this.api(this.backend.startNode);
    if (!api) throw new Error(`no machine named ${this.backend.startNode}`);
    return api;
  }

  private async check(lessonId: string): Promise<unknown> {
    return checkLesson(lessonId, this.checkApi());
  }

  private async vars(lessonId: string): Promise<unknown> {
    return varsOfLesson(lessonId, this.checkApi());
  }

  /** The Swarm Lab services visible from the first manager (all of them carry MANAGED_LABEL). */
  private async managedServices(): Promise<{ ID: string; name: string; version: number }[]> {
    const list = await this.checkApi().serviceList();
    return list.filter(isManaged).map((s) => ({ ID: s.ID, name: s.Spec.Name, version: s.Version.Index }));
  }

  /** Drained or paused nodes a reset sets active again: only on the sandbox, whose nodes are Swarm Lab's. */
  private async inactiveNodes(): Promise<{ ID: string; name: string }[]> {
    if (this.guard.scoped) return [];
    const nodes = await this.checkApi().nodeList();
    return nodes.filter((n) => n.Spec.Availability !== 'active').map((n) => ({ ID: n.ID, name: n.Description.Hostname }));
  }

  /** The first manager's own connection (not guarded): what Swarm Lab itself uses to undo its changes. */
  private rawManager(): SwarmApi {
    const api = this.backend.api(this.backend.startNode);
    if (!api) throw new Error(`no machine named ${this.backend.startNode}`);
    return api;
  }

  /** Hostnames of the nodes whose availability a reset would change back. */
  private async nodesToRestore(): Promise<string[]> {
    const names = new Set([...this.ledger.changedNodes().values()].map((n) => n.hostname));
    for (const n of await this.inactiveNodes()) names.add(n.name);
    return [...names].sort();
  }

  /** Services with their versions and node availabilities: any change the learner makes shows here. */
  private async fingerprint(): Promise<string> {
    const services = (await this.managedServices()).map((s) => `${s.ID}@${s.version}`).sort();
    const nodes = this.guard.scoped ? [] : (await this.checkApi().nodeList()).map((n) => `${n.ID}:${n.Spec.Availability}`).sort();
    return JSON.stringify([services, nodes]);
  }

  private skipped(setup: string[]): SkippedLine[] {
    const skipped: SkippedLine[] = [];
    for (const line of setup) {
      const v = checkCommandLine(line, this.policy());
      if (!v.ok) skipped.push({ line, reason: v.message });
    }
    return skipped;
  }

  private policy(): { scoped: boolean; images?: ReadonlySet<string>; lang?: string } {
    return {
      scoped: this.guard.scoped,
      ...(this.guard.images ? { images: this.guard.images } : {}),
      ...(this.options.lang ? { lang: this.options.lang } : {}),
    };
  }

  /** The dry run of reset(setup): reads only, changes nothing. */
  private async plan(setup: string[]): Promise<StartPlan> {
    const memo = lastApplied.get(this.backend);
    const applied = memo !== undefined && memo.setup === JSON.stringify(setup) && memo.fingerprint === (await this.fingerprint());
    const skipped = this.skipped(setup);
    return {
      applied,
      remove: (await this.managedServices()).map((s) => s.name),
      activate: await this.nodesToRestore(),
      run: setup.filter((l) => !skipped.some((s) => s.line === l)),
      skipped,
    };
  }

  /**
   * A lesson's start state on the real swarm: the Swarm Lab services removed (only those: a
   * service without MANAGED_LABEL is never touched), the sandbox's nodes active again, then
   * the setup lines, each through the command table and the guard like a typed line, output
   * discarded. The page asks the learner first (plan) whenever something would be removed.
   */
  private async reset(setup: string[]): Promise<StartResult> {
    if (this.running) throw new Error('a command is already running');
    if (this.closed) throw new Error('the terminal is closed');
    const controller = new AbortController();
    this.running = controller;
    const result: StartResult = { removed: [], activated: [], skipped: this.skipped(setup), failed: [], prompt: '' };
    try {
      const api = this.checkApi();
      for (const s of await this.managedServices()) {
        // Inspected again right before removal: only a service still carrying the label goes.
        const current = await api.serviceInspect(s.ID);
        if (!isManaged(current)) continue;
        await api.serviceDelete(current.ID);
        result.removed.push(s.name);
      }
      // Every availability Swarm Lab changed goes back to what it was (on the learner's daemon
      // there are none: it changes none); then, on the sandbox, every node is active again.
      const back = await this.ledger.restoreNodes(this.rawManager());
      if (back.failed.length > 0) throw new Error(`could not set the availability of ${back.failed.join(', ')} back`);
      result.activated.push(...back.restored);
      for (const n of await this.inactiveNodes()) {
        // Through the manager's own connection: Swarm Lab's reset is not a change to undo later.
        const raw = this.rawManager();
        const node = await raw.nodeInspect(n.ID);
        await raw.nodeUpdate(node.ID, node.Version.Index, { ...node.Spec, Availability: 'active' });
        if (!result.activated.includes(n.name)) result.activated.push(n.name);
      }
      for (const line of setup) {
        if (this.closed) break;
        if (result.skipped.some((s) => s.line === line)) continue;
        const code = await this.shell.run(line, { stdout: discard, stderr: discard, tty: false, columns: 80, signal: controller.signal });
        if (code !== 0) result.failed.push(line);
      }
      lastApplied.set(this.backend, { setup: JSON.stringify(setup), fingerprint: await this.fingerprint() });
    } finally {
      if (this.running === controller) this.running = undefined;
    }
    // Refused lines count as failed too, for clients that only read `failed`.
    result.failed.unshift(...result.skipped.map((s) => s.line));
    result.prompt = this.shell.prompt();
    return result;
  }
}
