// What a docker CLI command gets to run with: one daemon connection, two output
// streams, the terminal's shape, a clock, and the Ctrl-C signal. Nothing here knows
// whether the daemon is simulated or real, or what terminal renders the bytes.
import type { SwarmApi } from '../api/swarm-api.js';

export interface Writer {
  write(text: string): void;
}

/** Time as the CLI sees it. Sleeping on a simulated swarm advances its virtual clock. */
export interface CliClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with an AbortError-like error if `signal` fires first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** True while the learner has paused the simulated swarm (its waits then wait for Play). */
  paused?(): boolean;
  /**
   * Calls `listener` each time the learner pauses the swarm from outside the command (the
   * dock's Pause while the command waits); returns the unsubscribe. Absent where nobody can.
   */
  onPause?(listener: () => void): () => void;
  /** The words of PAUSED_WAIT_NOTICE in the page's language (the shell's ShellText.pausedWait). */
  pausedNotice?(): string;
}

/**
 * Said (stderr) before a command starts waiting on a paused swarm; before its first output
 * of the wait, so a progress display's redraws stay intact.
 */
export const PAUSED_WAIT_NOTICE = 'swarm-lab: the swarm is paused: this command waits for it (play, or Ctrl-C to stop waiting)\n';

/** Writes PAUSED_WAIT_NOTICE when the swarm is paused. */
export function noticeIfPaused(ctx: { clock: CliClock; stderr: Writer }): void {
  if (ctx.clock.paused?.()) ctx.stderr.write(pausedNotice(ctx.clock));
}

/** The notice in the session's language, English without one. */
export function pausedNotice(clock: CliClock): string {
  return clock.pausedNotice?.() ?? PAUSED_WAIT_NOTICE;
}

export interface CliContext {
  api: SwarmApi;
  stdout: Writer;
  stderr: Writer;
  /** stdout is a terminal: progress redraws in place; otherwise it prints plain lines. */
  tty: boolean;
  /** Terminal width in columns (progress bars appear above 110). */
  columns: number;
  clock: CliClock;
  /** Aborted when the user presses Ctrl-C. */
  signal: AbortSignal;
}
