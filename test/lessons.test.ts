// Every lesson, through the engine in instant mode: from its start state each step's check
// fails before its solution and passes after it (steps in order); the MDX in both languages
// has the same steps, and every reason a check can give is localized in both languages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lessons } from '../content/lessons/index.js';
import { checkApi, expandVars, lessonVars, runSetup, settle } from '../content/lessons/run.js';
import { LESSON_IDS } from '../content/lessons/types.js';
import type { CheckResult, Lesson } from '../content/lessons/types.js';
import { Session } from '../engine/session.js';

const root = new URL('../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
const mdxPath = (locale: 'en' | 'zh-cn', id: string): string =>
  locale === 'en' ? `content/docs/lessons/${id}.mdx` : `content/docs/zh-cn/lessons/${id}.mdx`;

/** Step ids in the order the page marks them with <Step id="…" />. */
export const mdxStepIds = (mdx: string): string[] => [...mdx.matchAll(/<Step\s+id="([^"]+)"\s*\/>/g)].map((m) => m[1]!);
/** Commands the page gives the learner to type: the body of every ```sh block. */
export const mdxCommands = (mdx: string): string[] => [...mdx.matchAll(/^```sh[^\n]*\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);
/** The page cut at its step markers: the commands before the first step, then each step's. */
const mdxSections = (mdx: string): { step: string | undefined; commands: string[] }[] => {
  const parts = mdx.split(/(<Step\s+id="[^"]+"\s*\/>)/);
  const sections = [{ step: undefined as string | undefined, commands: mdxCommands(parts[0]!) }];
  for (let i = 1; i < parts.length; i += 2) sections.push({ step: /id="([^"]+)"/.exec(parts[i]!)![1], commands: mdxCommands(parts[i + 1] ?? '') });
  return sections;
};

const i18n = { en: JSON.parse(read('content/i18n/en.json')) as Record<string, string>, 'zh-CN': JSON.parse(read('content/i18n/zh-CN.json')) as Record<string, string> };

function newSession(lesson: Lesson, seed = 7): Session {
  return new Session({ seed, mode: 'instant', ...(lesson.topology ? { topology: lesson.topology } : {}), ...(lesson.swarm === false ? { swarm: false } : {}) });
}

async function start(lesson: Lesson, seed?: number): Promise<Session> {
  const session = newSession(lesson, seed);
  expect(await runSetup(session, lesson), `setup of ${lesson.id}`).toEqual([]);
  settle(session);
  return session;
}

async function run(session: Session, line: string): Promise<{ code: number; output: string }> {
  let output = '';
  const sink = { write: (s: string) => void (output += s) };
  const code = await session.run(line, { stdout: sink, stderr: sink, tty: true, columns: 80, signal: new AbortController().signal });
  return { code, output };
}

/** Checks run after every command and on the Check button; a learner who waits sees the swarm converge. */
async function checkAfterWaiting(session: Session, check: () => Promise<CheckResult>, maxMs = 180_000): Promise<CheckResult> {
  let result = await check();
  for (let t = 0; !result.ok && t < maxMs; t += 1_000) {
    session.advance(1_000);
    result = await check();
  }
  return result;
}

const seenReasons = new Set<string>();

describe.each(lessons.map((l) => [l.id, l] as const))('lesson %s', (_id, lesson) => {
  it('passes each check only after its solution, in order', async () => {
    const session = await start(lesson);
    const api = checkApi(session);
    const vars = await lessonVars(lesson, api);
    for (const step of lesson.steps) {
      const before = await step.check(api);
      expect(before.ok, `${lesson.id}/${step.id} passes before its solution`).toBe(false);
      if (!before.ok) seenReasons.add(before.reason.key);
      for (const line of step.solution) {
        const { code, output } = await run(session, expandVars(line, vars));
        expect(output, `${lesson.id}/${step.id}: ${line}`).not.toContain('internal error');
        // A broken update on purpose exits 1 ("service update paused"); anything else must succeed.
        if (!(lesson.id === 'rolling-update' && step.id === 'break')) expect(code, `${lesson.id}/${step.id}: ${line}\n${output}`).toBe(0);
      }
      const after = await checkAfterWaiting(session, () => step.check(api));
      expect(after, `${lesson.id}/${step.id} after its solution`).toEqual({ ok: true });
    }
  });

  it('is done by typing the commands of its English page in order', async () => {
    const session = await start(lesson, 11);
    const api = checkApi(session);
    const vars = await lessonVars(lesson, api);
    for (const { step: stepId, commands } of mdxSections(read(mdxPath('en', lesson.id)))) {
      for (const command of commands) {
        const { output } = await run(session, expandVars(command, vars));
        expect(output, command).not.toContain('internal error');
        expect(output, command).not.toContain('command not found');
        expect(output, command).not.toMatch(/\$[A-Z_]/);
      }
      // Each step's check passes once its section of the page has been typed.
      const step = lesson.steps.find((s) => s.id === stepId);
      if (step) expect(await checkAfterWaiting(session, () => step.check(api)), step.id).toEqual({ ok: true });
    }
  });

  it('exists in both languages with the same steps and commands', () => {
    const en = read(mdxPath('en', lesson.id));
    const zh = read(mdxPath('zh-cn', lesson.id));
    const ids = lesson.steps.map((s) => s.id);
    expect(mdxStepIds(en)).toEqual(ids);
    expect(mdxStepIds(zh)).toEqual(ids);
    expect(mdxCommands(zh)).toEqual(mdxCommands(en));
    // Docker's output stays English: the Chinese page shows the same output blocks.
    const outputs = (mdx: string): string[] => [...mdx.matchAll(/^```text\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);
    expect(outputs(zh)).toEqual(outputs(en));
    expect(outputs(en).some((o) => o.trim() === '...'), 'outputs filled by scripts/lesson-outputs.mjs').toBe(false);
    for (const commands of mdxCommands(en)) expect(commands.split('\n'), 'one command per ```sh block').toHaveLength(1);
  });
});

describe('check reasons', () => {
  it('a helloworld with a command of its own is told the step wants the image\'s own command', async () => {
    const lesson = lessons.find((l) => l.id === 'deploy-service')!;
    const session = await start(lesson);
    const api = checkApi(session);
    expect((await run(session, 'docker service create --replicas 1 --name helloworld redis:7.4.0 redis-server --port 7000')).code).toBe(0);
    const result = await checkAfterWaiting(session, () => lesson.steps[0]!.check(api));
    expect(result).toEqual({ ok: false, reason: { key: 'lesson.reason.ownCommand', params: { service: 'helloworld', got: 'redis-server --port 7000' } } });
    seenReasons.add('lesson.reason.ownCommand');
  });
});

describe('lesson list', () => {
  it('has the nine lessons in order', () => {
    expect(lessons.map((l) => l.id)).toEqual([...LESSON_IDS]);
  });

  it('localizes every reason key a check gave, in both languages, with the same placeholders', () => {
    expect(seenReasons.size).toBeGreaterThan(3);
    const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
    for (const key of seenReasons) {
      expect(i18n.en[key], `en ${key}`).toBeTypeOf('string');
      expect(i18n['zh-CN'][key], `zh-CN ${key}`).toBeTypeOf('string');
    }
    for (const key of Object.keys(i18n.en).filter((k) => k.startsWith('lesson.'))) {
      expect(i18n['zh-CN'][key], `zh-CN ${key}`).toBeTypeOf('string');
      expect(placeholders(i18n['zh-CN'][key]!), key).toEqual(placeholders(i18n.en[key]!));
    }
  });
});
