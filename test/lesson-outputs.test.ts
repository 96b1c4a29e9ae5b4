// The ```text output blocks of every lesson page (both languages) are what the engine prints
// for the ```sh command before them: scripts/lesson-outputs.mjs --check replays each lesson
// through the engine and fails on any block that differs. A spoiled copy of the pages proves
// the check can fail (and names the file), so a green run means the blocks really match.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

function check(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/lesson-outputs.mjs', '--check', ...args], { cwd: root, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, out: stdout + stderr });
    });
  });
}

describe('lesson output blocks', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'swarm-lab-outputs-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('every output block in both languages matches what the engine prints', async () => {
    const r = await check();
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);

  test('a block that no longer matches the engine fails the check, naming its page', async () => {
    const docs = join(tmp, 'docs');
    cpSync(join(root, 'content/docs'), docs, { recursive: true });
    const page = join(docs, 'zh-cn/lessons/rolling-update.mdx');
    const before = readFileSync(page, 'utf8');
    // An output as older docs showed it: a service ps row on a node that does not exist here.
    const spoiled = before.replace(/(```text\nID +NAME[^\n]*\n\S+ +redis\.1 +redis:7\.4\.1 +)manager1/, '$1node-1  ');
    expect(spoiled).not.toBe(before);
    writeFileSync(page, spoiled);
    const r = await check('--docs', docs, 'rolling-update');
    expect(r.code).toBe(1);
    expect(r.out).toContain('zh-cn/lessons/rolling-update.mdx: outputs differ');
    expect(r.out).not.toContain(`${docs}/lessons/rolling-update.mdx`);
    // Only the check: the spoiled page is left as it was.
    expect(readFileSync(page, 'utf8')).toBe(spoiled);
  }, 120_000);
});
