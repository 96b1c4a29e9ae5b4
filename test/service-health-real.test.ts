// Health checks on the simulated swarm against the real docker CLI on a real 3-node swarm
// (test/fixtures/real/service-health.json, walkthrough test/fixtures/walkthroughs/service-health.sh,
// made by scripts/capture-real.mjs): the simulation replays the capture's timeline, as
// walkthrough-real.test.ts does, and every command's screen is compared after the usual
// normalisation (IDs, ages, digests; task tables in canonical order).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Session } from '../engine/session.js';
import { logicalLines } from '../engine/shell/words.js';
import { normaliser } from './helpers/normalize.js';
import { wideScreen } from './helpers/wide-screen.js';

interface Captured {
  entries: { command: string; output: string; exitCode: number; startedAtMs: number }[];
}

const real = JSON.parse(readFileSync(new URL('./fixtures/real/service-health.json', import.meta.url), 'utf8')) as Captured;
const script = logicalLines(readFileSync(new URL('./fixtures/walkthroughs/service-health.sh', import.meta.url), 'utf8')).filter(
  (l) => l.trim() !== '' && !l.trim().startsWith('#'),
);

async function simulate(seed: number) {
  const session = new Session({ seed, mode: 'instant' });
  const t0 = session.sim.clock.now;
  const signal = new AbortController().signal;
  const out: { command: string; output: string; exitCode: number }[] = [];
  for (const [i, line] of script.entries()) {
    const target = t0 + (real.entries[i]?.startedAtMs ?? 0);
    if (session.sim.clock.now < target) session.advance(target - session.sim.clock.now);
    let output = '';
    const sink = { write: (s: string) => void (output += s) };
    const exitCode = await session.run(line, { stdout: sink, stderr: sink, tty: true, columns: 80, signal });
    out.push({ command: line, output, exitCode });
  }
  return out;
}

/** docker ps rows: the container's ID and name (with its task ID), and the command as the stand-in image has it. */
const containers = (command: string, screen: string): string =>
  command === 'docker ps'
    ? screen
        .replace(/^[0-9a-f]{12}(?=\s)/gm, '<cid>')
        .replace(/"[^"]*"/g, '<cmd>')
        .replace(/\b(\w+)\.1\.<ID\d+>/g, '$1.1.<task>')
        .replace(/\b(\w+)\.1\.[0-9a-z]{25}\b/g, '$1.1.<task>')
    : screen;

test('the walkthrough is the capture\'s', () => {
  expect(script).toEqual(real.entries.map((e) => e.command));
});

describe.each([1, 2, 3, 4, 5, 6])('seed %i', (seed) => {
  test('every command prints what real docker printed', async () => {
    const ours = await simulate(seed);
    const normReal = normaliser();
    const normOurs = normaliser();
    for (const [i, r] of real.entries.entries()) {
      if (/^(sleep|ssh|exit)\b/.test(r.command)) continue;
      const o = ours[i]!;
      const expected = containers(r.command, normReal(r.command, await wideScreen(r.output)));
      const actual = containers(o.command, normOurs(o.command, await wideScreen(o.output)));
      expect({ command: o.command, exitCode: o.exitCode, screen: actual }).toEqual({ command: r.command, exitCode: r.exitCode, screen: expected });
    }
  });
});
