// The rolling-update lesson as a script, and per-command timings of it against the capture
// of the same commands on a real 3-node swarm (test/fixtures/real/rolling-update.json).
import { performance } from 'node:perf_hooks';
import { Session } from '../../engine/session.js';
import { logicalLines } from '../../engine/shell/words.js';

export const WALKTHROUGH = 'test/fixtures/walkthroughs/rolling-update.sh';
export const REAL_CAPTURE = 'test/fixtures/real/rolling-update.json';

export interface RealEntry {
  command: string;
  exitCode: number;
  durationMs: number;
}

export interface CommandTiming {
  command: string;
  /** Wall time of the simulated command (ms). */
  wallMs: number;
  /** Virtual time the command advanced the swarm's clock by (ms). */
  virtualMs: number;
  exitCode: number;
}

/** The commands runScript would run: logical lines, without blanks and comments. */
export function commandsOf(script: string): string[] {
  return logicalLines(script)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

const sink = { write: (_s: string): void => undefined };

/** Runs the commands on a fresh instant session (as runScript does), timing each one. */
export async function timeEachCommand(commands: readonly string[], seed = 1): Promise<CommandTiming[]> {
  const session = new Session({ seed, mode: 'instant' });
  const signal = new AbortController().signal;
  const out: CommandTiming[] = [];
  for (const command of commands) {
    const v0 = session.sim.clock.now;
    const t0 = performance.now();
    const exitCode = await session.run(command, { stdout: sink, stderr: sink, tty: true, columns: 80, signal });
    out.push({ command, wallMs: performance.now() - t0, virtualMs: session.sim.clock.now - v0, exitCode });
  }
  return out;
}
