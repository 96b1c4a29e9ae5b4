// One authenticated terminal on the local server: the shell and the docker CLI run here,
// server-side, over the guarded Engine API. The browser only sends terminal intents (a
// line to run, Ctrl-C, a Tab completion, a lesson check); it never sees or sends an Engine
// request. Every line passes the command table (command-policy.ts) before it runs.
import { checkLesson, varsOfLesson } from '../../../content/lessons/run.js';
import type { SwarmApi } from '../../api/swarm-api.js';
import { batchedWriter } from '../../output-batch.js';
import { Shell } from '../../shell/shell.js';
import { complete, swarmNames } from '../../worker/complete.js';
import type { LocalBackend } from './backend.js';
import { checkCommandLine } from './command-policy.js';
import type { GuardOptions } from './guard.js';
import { GuardedApi } from './guard.js';
import type { ClientFrame, FrameId, ServerFrame } from './protocol.js';

export type Send = (frame: ServerFrame) => void;

const discard = { write: (): void => undefined };

export class TerminalSession {
  private readonly shell: Shell;
  private readonly guarded = new Map<string, SwarmApi>();
  private running: AbortController | undefined;
  private closed = false;

  constructor(
    private readonly backend: LocalBackend,
    private readonly guard: GuardOptions,
    private readonly send: Send,
  ) {
    this.shell = new Shell(
      {
        api: (h) => this.api(h),
        hostnames: () => backend.hostnames(),
        clock: backend.clock,
        canExit: false,
      },
      backend.startNode,
    );
  }

  /** The guarded connection to `hostname` (one per machine, made on first use). */
  private api(hostname: string): SwarmApi | undefined {
    let api = this.guarded.get(hostname);
    if (!api) {
      const raw = this.backend.api(hostname);
      if (!raw) return undefined;
      api = new GuardedApi(raw, this.guard);
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

  /** The connection closed: a running command stops waiting (the swarm carries on). */
  close(): void {
    this.closed = true;
    this.running?.abort();
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  async handle(frame: Exclude<ClientFrame, { t: 'auth' }>): Promise<void> {
    switch (frame.t) {
      case 'run':
        return this.run(frame.id, frame.line, frame.cols);
      case 'interrupt':
        this.running?.abort();
        return;
      case 'complete':
        return this.reply(frame.id, () => this.complete(frame.line, frame.cursor));
      case 'check':
        return this.reply(frame.id, () => this.check(frame.lessonId));
      case 'vars':
        return this.reply(frame.id, () => this.vars(frame.lessonId));
      case 'reset':
        return this.reply(frame.id, () => this.reset(frame.setup));
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
    if (this.running) {
      this.send({ t: 'error', id, message: 'a command is already running (send an interrupt first)' });
      return;
    }
    const verdict = checkCommandLine(line, { scoped: this.guard.scoped });
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
    try {
      const code = await this.shell.run(line, { stdout: writer, stderr: writer, tty: true, columns: cols, signal: controller.signal });
      writer.flush();
      if (!this.closed) this.send({ t: 'done', id, code, prompt: this.shell.prompt() });
    } finally {
      if (this.running === controller) this.running = undefined;
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

  /**
   * A lesson's start state on the real swarm: its setup lines, each through the command
   * table and the guard like a typed line, output discarded. Returns the lines that failed
   * or were refused. (The page asks the learner before sending lines that remove anything.)
   */
  private async reset(setup: string[]): Promise<unknown> {
    if (this.running) throw new Error('a command is already running');
    const failed: string[] = [];
    const controller = new AbortController();
    this.running = controller;
    try {
      for (const line of setup) {
        if (this.closed) break;
        if (!checkCommandLine(line, { scoped: this.guard.scoped }).ok) {
          failed.push(line);
          continue;
        }
        const code = await this.shell.run(line, { stdout: discard, stderr: discard, tty: false, columns: 80, signal: controller.signal });
        if (code !== 0) failed.push(line);
      }
    } finally {
      if (this.running === controller) this.running = undefined;
    }
    return { failed, prompt: this.shell.prompt() };
  }
}
