// The tutorial walkthroughs on the simulated swarm against captures of the real docker CLI
// on a real 3-node swarm (test/fixtures/real, made by scripts/capture-real.mjs). The
// simulation replays the capture's timeline — each command starts at the same offset as it
// did on the real swarm — so what the swarm has done by then is comparable.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { wideScreen } from './helpers/wide-screen.js';
import { Session } from '../engine/session.js';
import { logicalLines } from '../engine/shell/words.js';
import { normaliser } from './helpers/normalize.js';

interface Captured {
  engineVersion: string;
  entries: { command: string; output: string; exitCode: number; startedAtMs: number }[];
}

const load = (name: string): Captured => JSON.parse(readFileSync(new URL(`./fixtures/real/${name}.json`, import.meta.url), 'utf8')) as Captured;
const script = (name: string): string => readFileSync(new URL(`./fixtures/walkthroughs/${name}.sh`, import.meta.url), 'utf8');

const screen = wideScreen;

async function simulate(name: string, real: Captured, seed: number) {
  const session = new Session({ seed, mode: 'instant' });
  const t0 = session.sim.clock.now;
  const signal = new AbortController().signal;
  const lines = logicalLines(script(name)).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const out: { command: string; output: string; exitCode: number }[] = [];
  for (const [i, line] of lines.entries()) {
    const target = t0 + (real.entries[i]?.startedAtMs ?? 0);
    if (session.sim.clock.now < target) session.advance(target - session.sim.clock.now);
    let output = '';
    const sink = { write: (s: string) => void (output += s) };
    const exitCode = await session.run(line, { stdout: sink, stderr: sink, tty: true, columns: 80, signal });
    out.push({ command: line, output, exitCode });
  }
  return out;
}

describe.each(['rolling-update', 'drain-node'])('%s walkthrough: simulated vs real docker', (name) => {
  const real = load(name);

  test('runs the same commands as the capture', () => {
    const lines = logicalLines(script(name)).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    expect(lines).toEqual(real.entries.map((e) => e.command));
  });

  test.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('every command prints what real docker printed, seed %i', async (seed) => {
    const ours = await simulate(name, real, seed);
    const normReal = normaliser();
    const normOurs = normaliser();
    for (const [i, r] of real.entries.entries()) {
      const o = ours[i]!;
      const expected = normReal(r.command, await screen(r.output));
      const actual = normOurs(o.command, await screen(o.output));
      expect({ command: o.command, exitCode: o.exitCode, screen: actual }).toEqual({ command: r.command, exitCode: r.exitCode, screen: expected });
    }
  });
});

describe('differences the simulator keeps on purpose (Docker Hub reachable)', () => {
  test('catalog images are pinned to a digest without a registry warning; unknown tags warn', async () => {
    const ours = await simulate('rolling-update', load('rolling-update'), 1);
    const create = ours.find((e) => e.command.startsWith('docker service create'))!;
    expect(create.output).not.toContain('could not be accessed on a registry');
    const pretty = ours.find((e) => e.command === 'docker service inspect --pretty redis')!;
    expect(pretty.output).toMatch(/ Image:\t\tredis:7\.4\.0@sha256:[0-9a-f]{64}\n/);
    const bad = ours.find((e) => e.command.includes('redis:9.9.9'))!;
    expect(bad.output).toContain(
      'image redis:9.9.9 could not be accessed on a registry to record\nits digest. Each node will access redis:9.9.9 independently,\npossibly leading to different nodes running different\nversions of the image.\n\n',
    );
  });
});
