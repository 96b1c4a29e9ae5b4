// The real captures stay in step with what made them: a walkthrough edited without being
// captured again, or a capture script whose case list changed since its fixture was written,
// would have the simulator compared against commands it never ran. Also checks the sandbox
// scripts parse (they run only as root, so no other test would notice a syntax slip).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { logicalLines } from '../engine/shell/words.js';
import { curlCases } from '../scripts/capture/curl-errors.mjs';

const dir = (p: string) => new URL(`./${p}`, import.meta.url);
const walkthroughs = readdirSync(dir('fixtures/walkthroughs'))
  .filter((f) => f.endsWith('.sh'))
  .map((f) => f.replace(/\.sh$/, ''))
  .filter((name) => existsSync(dir(`fixtures/real/${name}.json`)));

interface Captured {
  dockerVersion: string;
  engineVersion: string;
  curlVersion?: string;
  entries: { command: string; output: string; exitCode: number; startedAtMs: number; durationMs: number }[];
}
const load = <T>(p: string): T => JSON.parse(readFileSync(dir(p), 'utf8')) as T;

describe.each(walkthroughs)('capture %s', (name) => {
  const real = load<Captured>(`fixtures/real/${name}.json`);
  const lines = logicalLines(readFileSync(dir(`fixtures/walkthroughs/${name}.sh`), 'utf8'))
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

  test('holds exactly the walkthrough’s commands, in order', () => {
    expect(real.entries.map((e) => e.command)).toEqual(lines);
  });

  test('every entry has an exit code and a place on the timeline', () => {
    let last = -1;
    for (const e of real.entries) {
      expect(Number.isInteger(e.exitCode), e.command).toBe(true);
      expect(e.startedAtMs, e.command).toBeGreaterThanOrEqual(last);
      last = e.startedAtMs;
    }
  });

  test.runIf(lines.some((l) => l.startsWith('curl ')))('says which curl ran its curl lines', () => {
    expect(real.curlVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('curl-errors.json', () => {
  const real = load<{ curlVersion: string; cases: { command: string; exitCode: number; stderr: string; tty: { output: string; exitCode: number } }[] }>(
    'fixtures/real/curl-errors.json',
  );

  test('holds the cases of scripts/capture/curl-errors.mjs, in order', () => {
    expect(real.cases.map((c) => c.command)).toEqual(curlCases.map((c) => c.command));
  });

  test('every error a terminal shows starts with curl: and ends the line', () => {
    for (const c of real.cases) {
      if (c.tty.output === '') continue; // -s
      expect(c.tty.output, c.command).toMatch(/^curl: /);
      expect(c.tty.output.endsWith('\n'), c.command).toBe(true);
    }
  });
});

describe('sandbox scripts', () => {
  const scripts = readdirSync(new URL('../scripts/sandbox/', import.meta.url)).filter((f) => f.endsWith('.sh'));
  test.each(scripts)('%s parses (bash -n)', (f) => {
    const r = spawnSync('bash', ['-n', new URL(`../scripts/sandbox/${f}`, import.meta.url).pathname], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
