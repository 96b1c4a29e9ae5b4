// GNU sleep's argument rules: one or more NUMBER[smhd] operands, summed.

const UNIT_MS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/**
 * Longest simulated wait one `sleep` makes (an hour). Beyond it a simulated swarm would only
 * replay restarts of failing tasks, which costs real time for nothing a lesson needs.
 */
export const MAX_SLEEP_MS = 3_600_000;

const TRY = "Try 'sleep --help' for more information.\n";

/** Milliseconds to sleep, or the error text GNU sleep prints. */
export function parseSleep(args: string[]): number | string {
  if (args.length === 0) return `sleep: missing operand\n${TRY}`;
  let total = 0;
  for (const arg of args) {
    const m = /^\+?((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|inf(?:inity)?)([smhd]?)$/i.exec(arg);
    if (!m) return `sleep: invalid time interval '${arg}'\n${TRY}`;
    const n = /^inf/i.test(m[1]!) ? Number.POSITIVE_INFINITY : Number(m[1]);
    total += n * UNIT_MS[m[2]!.toLowerCase()]!;
  }
  return Math.min(total, MAX_SLEEP_MS);
}
