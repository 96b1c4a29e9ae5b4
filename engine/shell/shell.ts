// The tiny shell around the docker CLI: a prompt that names the node you are on, `ssh`
// and `exit` to move between nodes, and the few builtins a lesson needs. Anything else
// gets bash's "command not found". It never throws: every line ends with an exit code.
import type { CurlBackend } from './curl-backend.js';
import { LAB_COMMANDS } from './lab-line.js';
import type { SwarmApi } from '../api/swarm-api.js';
import type { CliClock, Writer } from '../cli/context.js';
import { noticeIfPaused } from '../cli/context.js';
import type { DockerCli } from '../cli/lazy.js';
import { dockerCli } from '../cli/lazy.js';
import type { InjectionDone, InjectionKind, InjectionRefusal } from '../sim/faults.js';
import type { StepChange } from '../step.js';
import { formatSwarmTime } from '../swarm-time.js';
import { parseSleep } from './sleep.js';
import type { ShellText } from './text.js';
import { ENGLISH } from './text.js';
import { splitWords } from './words.js';

/** The session's time and undo history, for the builtins that steer them (engine/session-control.ts). */
export interface SwarmControl {
  /** False in instant mode (scripts), where time moves only while a line waits: pause, play and step change nothing. */
  readonly realtime: boolean;
  paused(): boolean;
  pause(): void;
  play(): void;
  /** Moves the swarm to its next event and pauses it; moved is false when nothing is scheduled. */
  step(): { moved: boolean; changes: StepChange[] };
  /** The swarm's time, ms since it started. */
  now(): number;
  /** The line taken back, or undefined when there is nothing to undo. */
  undo(): Promise<string | undefined>;
  redo(): Promise<string | undefined>;
  /** Injects a failure (the `lab` builtin): what was done, or why it was not. */
  inject(kind: InjectionKind, ref: string): InjectionOutcome;
}

/** What became of an injection: done, refused (nothing changed), or the swarm's recipe is full. */
export type InjectionOutcome = { done: InjectionDone } | { refused: InjectionRefusal } | { full: string };

export { labLine } from './lab-line.js';

export interface ShellHost {
  /** A connection to the daemon on `hostname`, or undefined if no such machine exists. */
  api(hostname: string): SwarmApi | undefined;
  hostnames(): string[];
  clock: CliClock;
  /** True when `exit` on the first node may end the session (a real terminal); false in the browser. */
  canExit?: boolean;
  /** The swarm's time and undo history; absent on a real swarm. */
  control?: SwarmControl;
  /** What the shell's `curl` reaches (engine/shell/curl-backend.ts); absent: no `curl` here. */
  curl?: CurlBackend;
}

export interface ShellIo {
  stdout: Writer;
  stderr: Writer;
  tty: boolean;
  columns: number;
  signal: AbortSignal;
}

export const HISTORY_SIZE = 1000;

export const CLEAR_SCREEN = '\x1b[H\x1b[2J\x1b[3J';

/** What the shell remembers between commands (saved with the swarm, see engine/snapshot.ts). */
export interface ShellState {
  /** The ssh stack: the first machine, then each one entered. */
  stack: string[];
  history: string[];
  historyBase: number;
  lastExit: number;
}

export class Shell {
  /** Nodes entered with ssh; the last one is where commands run. */
  private readonly stack: string[];
  readonly history: string[] = [];
  /** How many older entries were dropped, so numbers keep counting like bash's. */
  private historyBase = 0;
  text: ShellText = ENGLISH;
  /** Exit code of the last command ($?). */
  lastExit = 0;
  /** Set when `exit` on the first node asked to end the session (hosts with canExit). */
  exited = false;

  constructor(
    private readonly host: ShellHost,
    startNode: string,
  ) {
    this.stack = [startNode];
  }

  state(): ShellState {
    return { stack: [...this.stack], history: [...this.history], historyBase: this.historyBase, lastExit: this.lastExit };
  }

  /** Takes back a saved state; machines that no longer exist are left out of the ssh stack. */
  restoreState(s: ShellState): void {
    const known = new Set(this.host.hostnames());
    const stack = s.stack.filter((h) => known.has(h));
    if (stack.length > 0) this.stack.splice(0, this.stack.length, ...stack);
    this.history.splice(0, this.history.length, ...s.history.slice(-HISTORY_SIZE));
    this.historyBase = s.historyBase;
    this.lastExit = s.lastExit;
  }

  get node(): string {
    return this.stack[this.stack.length - 1]!;
  }

  prompt(): string {
    return `docker@${this.node}:~$ `;
  }

  /** Runs one (logical) line. Returns its exit code. */
  async run(line: string, io: ShellIo): Promise<number> {
    // A blank line runs nothing: it succeeds and leaves $? as it was.
    if (line.trim() === '') return 0;
    let code: number;
    try {
      code = await this.dispatch(line, io);
    } catch (e) {
      // A bug in a command must never take the shell down with it.
      io.stderr.write(`swarm-lab: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      code = 1;
    }
    this.lastExit = code;
    return code;
  }

  private async dispatch(line: string, io: ShellIo): Promise<number> {
    if (line.trim() !== '') {
      this.history.push(line);
      // Like bash's HISTSIZE (1000 in Debian's default .bashrc).
      if (this.history.length > HISTORY_SIZE) this.historyBase += this.history.splice(0, this.history.length - HISTORY_SIZE).length;
    }
    const split = splitWords(line, this.lastExit);
    if (split.kind === 'incomplete') {
      io.stderr.write("bash: syntax error: unexpected end of file\n");
      return 2;
    }
    if (split.kind === 'operator') {
      io.stderr.write(this.text.operatorUnsupported(split.operator));
      return 2;
    }
    const [cmd, ...args] = split.words;
    if (cmd === undefined) return this.lastExit;
    switch (cmd) {
      case 'docker': {
        const api = this.host.api(this.node);
        if (!api) return 1;
        // Loaded on the first docker command (engine/cli/lazy.ts); no yield once it is.
        const loaded = dockerCli();
        let cli: DockerCli;
        try {
          cli = loaded instanceof Promise ? await loaded : loaded;
        } catch {
          // A network error in the browser; the next docker command tries again.
          io.stderr.write(this.text.cliUnavailable);
          return 1;
        }
        return cli.runDocker(args, {
          api,
          stdout: io.stdout,
          stderr: io.stderr,
          tty: io.tty,
          // Read through: the host may change io.columns while the command runs (a resized
          // terminal), and the progress display counts its rows at the current width.
          get columns() {
            return io.columns;
          },
          clock: this.host.clock,
          signal: io.signal,
        });
      }
      case 'curl':
        return this.curl(args, io);
      case 'ssh':
        return this.ssh(args, io);
      case 'exit':
      case 'logout':
        return this.exit(io);
      case 'clear':
        io.stdout.write(CLEAR_SCREEN);
        return 0;
      case 'history':
        this.history.forEach((h, i) => io.stdout.write(`${String(this.historyBase + i + 1).padStart(5)}  ${h.replace(/\n/g, ' ')}\n`));
        return 0;
      case 'sleep':
        return this.sleep(args, io);
      case 'echo': {
        const noNewline = args[0] === '-n';
        const text = (noNewline ? args.slice(1) : args).join(' ');
        io.stdout.write(noNewline ? text : `${text}\n`);
        return 0;
      }
      case 'hostname':
        io.stdout.write(`${this.node}\n`);
        return 0;
      case 'whoami':
        io.stdout.write('docker\n');
        return 0;
      case 'true':
        return 0;
      case 'false':
        return 1;
      case 'help':
        io.stdout.write(this.text.help(this.host.hostnames()));
        return 0;
      case 'lab':
        return this.lab(args, io);
      case 'pause':
      case 'play':
      case 'step':
      case 'undo':
      case 'redo':
        return this.steer(cmd, args, io);
      default:
        io.stderr.write(`bash: ${cmd}: command not found\n`);
        return 127;
    }
  }

  /** pause, play, step, undo, redo: the swarm's time and history (see SwarmControl). */
  private async steer(cmd: 'pause' | 'play' | 'step' | 'undo' | 'redo', args: string[], io: ShellIo): Promise<number> {
    if (args.length > 0) {
      io.stderr.write(this.text.steerUsage(cmd));
      return 2;
    }
    const control = this.host.control;
    if (!control) {
      io.stderr.write(this.text.steerUnavailable(cmd));
      return 1;
    }
    if (cmd === 'undo' || cmd === 'redo') {
      const line = await (cmd === 'undo' ? control.undo() : control.redo());
      if (line === undefined) {
        io.stderr.write(cmd === 'undo' ? this.text.nothingToUndo : this.text.nothingToRedo);
        return 1;
      }
      io.stdout.write(cmd === 'undo' ? this.text.undone(line, formatSwarmTime(control.now())) : this.text.redone(line, formatSwarmTime(control.now())));
      return 0;
    }
    // A script's time moves only while a line waits: nothing to pause, play or step.
    if (!control.realtime) return 0;
    if (cmd === 'pause') {
      control.pause();
      io.stdout.write(this.text.paused(formatSwarmTime(control.now(), true)));
    } else if (cmd === 'play') {
      control.play();
      io.stdout.write(this.text.playing(formatSwarmTime(control.now(), true)));
    } else {
      const { moved, changes } = control.step();
      io.stdout.write(moved ? this.text.stepped(formatSwarmTime(control.now(), true), changes) : this.text.nothingScheduled);
    }
    return 0;
  }

  /** `lab node stop NODE`, `lab node start NODE`, `lab task kill TASK`: failures, injected. */
  private async lab(args: string[], io: ShellIo): Promise<number> {
    if (args.length === 1 && (args[0] === '--help' || args[0] === '-h' || args[0] === 'help')) {
      io.stdout.write(this.text.labUsage);
      return 0;
    }
    const kind = LAB_COMMANDS[`${args[0] ?? ''} ${args[1] ?? ''}`];
    const target = args[2];
    if (kind === undefined || target === undefined || target === '' || args.length > 3) {
      io.stderr.write(this.text.labUsage);
      return 2;
    }
    const control = this.host.control;
    if (!control) {
      io.stderr.write(this.text.labUnavailable);
      return 1;
    }
    const outcome = control.inject(kind, target);
    if ('done' in outcome) {
      // As `systemctl start docker` does, wait until the daemon answers (Ctrl-C stops waiting;
      // it goes on starting).
      const wait = outcome.done.answersIn ?? 0;
      if (wait > 0) {
        noticeIfPaused({ clock: this.host.clock, stderr: io.stderr });
        try {
          await this.host.clock.sleep(wait, io.signal);
        } catch {
          return 130;
        }
      }
      io.stdout.write(this.text.injected(outcome.done));
      return 0;
    }
    io.stderr.write('refused' in outcome ? this.text.injectionRefused(outcome.refused) : `lab: ${outcome.full}\n`);
    return 1;
  }

  /** `curl`: parsed and run by engine/shell/curl.ts, loaded on its first use; the host's backend answers. */
  private async curl(args: string[], io: ShellIo): Promise<number> {
    const backend = this.host.curl;
    if (!backend) {
      // A machine without curl installed.
      io.stderr.write('bash: curl: command not found\n');
      return 127;
    }
    let curl: typeof import('./curl.js');
    try {
      curl = await import('./curl.js');
    } catch {
      // A network error in the browser; the next curl tries again.
      io.stderr.write(this.text.curlUnavailable);
      return 1;
    }
    return curl.runCurl(args, this.node, backend, io, io.signal, { waiting: () => noticeIfPaused({ clock: this.host.clock, stderr: io.stderr }) });
  }

  private ssh(args: string[], io: ShellIo): number {
    const target = args.find((a) => !a.startsWith('-'));
    if (!target) {
      io.stderr.write(
        'usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n' +
          '           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\n' +
          '           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\n' +
          '           [-J destination] [-L address] [-l login_name] [-m mac_spec]\n' +
          '           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]\n' +
          '           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n' +
          '           destination [command [argument ...]]\n',
      );
      return 255;
    }
    const hostname = target.includes('@') ? target.slice(target.lastIndexOf('@') + 1) : target;
    if (!this.host.hostnames().includes(hostname)) {
      io.stderr.write(`ssh: Could not resolve hostname ${hostname}: Name or service not known\n`);
      return 255;
    }
    this.stack.push(hostname);
    return 0;
  }

  private exit(io: ShellIo): number {
    if (this.stack.length === 1) {
      if (this.host.canExit) this.exited = true;
      else io.stdout.write(this.text.cannotExit);
      return 0;
    }
    const left = this.stack.pop()!;
    io.stdout.write(`logout\nConnection to ${left} closed.\n`);
    return 0;
  }

  private async sleep(args: string[], io: ShellIo): Promise<number> {
    const parsed = parseSleep(args);
    if (typeof parsed === 'string') {
      io.stderr.write(parsed);
      return 1;
    }
    if (parsed > 0) noticeIfPaused({ clock: this.host.clock, stderr: io.stderr });
    try {
      await this.host.clock.sleep(parsed, io.signal);
      return 0;
    } catch {
      return 130;
    }
  }
}
