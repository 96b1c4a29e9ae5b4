// Every lesson, through the engine in instant mode: from its start state each step's check
// fails before its solution and passes after it (steps in order); the MDX in both languages
// has the same steps, and every reason a check can give is localized in both languages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lessons } from '../content/lessons/index.js';
import { checkApi, checkLesson, checkPrecondition, expandVars, lessonVars, runSetup, settle } from '../content/lessons/run.js';
import { StepTracker } from '../src/client/lesson/step-tracker.js';
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
    // Docker's output stays English: the Chinese page shows the same output blocks, except
    // the answers of Swarm Lab's own `lab` builtin, which speak the page's language
    // (engine/shell/text-zh.ts; each is checked against the engine by test/lesson-outputs).
    const answers = (mdx: string): { command: string; text: string }[] =>
      [...mdx.matchAll(/^```sh\n([^\n]*)\n```\n\n```text\n([\s\S]*?)\n```$/gm)].map((m) => ({ command: m[1]!, text: m[2]! }));
    const outputs = (mdx: string): string[] => [...mdx.matchAll(/^```text\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);
    const own = (mdx: string): Set<string> => new Set(answers(mdx).filter((a) => a.command.startsWith('lab ')).map((a) => a.text));
    expect(outputs(zh).filter((o) => !own(zh).has(o))).toEqual(outputs(en).filter((o) => !own(en).has(o)));
    expect(outputs(zh).length).toBe(outputs(en).length);
    for (const a of answers(zh).filter((x) => x.command.startsWith('lab '))) expect(a.text, `${lesson.id}: ${a.command}`).toMatch(/[\u4e00-\u9fff]/);
    expect(outputs(en).some((o) => o.trim() === '...'), 'outputs filled by scripts/lesson-outputs.mjs').toBe(false);
    for (const commands of mdxCommands(en)) expect(commands.split('\n'), 'one command per ```sh block').toHaveLength(1);
  });
});

/** Runs every step's solution in order, checking after each line and waiting as a learner does; returns the steps done the way the page counts them. */
async function doLessonSteps(session: Session, lesson: Lesson): Promise<string[]> {
  const api = checkApi(session);
  const vars = await lessonVars(lesson, api);
  const ids = lesson.steps.map((s) => s.id);
  const tracker = new StepTracker(ids, []);
  const observe = async (): Promise<void> => void tracker.observe(await checkLesson(lesson.id, api));
  await observe();
  for (const step of lesson.steps) {
    for (const line of step.solution) {
      await run(session, expandVars(line, vars));
      if (line.startsWith('docker ')) tracker.ranCommandOf(step.id);
      await observe();
    }
    for (let t = 0; !tracker.done.has(step.id) && t < 180_000; t += 1_000) {
      session.advance(1_000);
      await observe();
    }
  }
  return [...tracker.done];
}

describe('lesson boundaries', () => {
  it("every lesson's own start state meets its precondition", async () => {
    for (const lesson of lessons) {
      const session = await start(lesson);
      expect(await checkPrecondition(lesson.id, checkApi(session)), lesson.id).toEqual({ ok: true });
    }
  });

  // For every pair of consecutive lessons: the swarm the first leaves either meets the next
  // one's precondition (kept, nothing asked, and the next lesson can be finished from it) or
  // it does not (the page shows the notice), and which one is deliberate.
  const NOTICE = new Set(['overview>create-swarm']);
  const pairs = lessons.slice(1).map((next, i) => [lessons[i]!, next] as const);
  it.each(pairs.map(([a, b]) => [`${a.id} > ${b.id}`, a, b] as const))('%s', async (_name, from, next) => {
    const session = await start(from, 5);
    const done = await doLessonSteps(session, from);
    expect(done, `${from.id} finished`).toEqual(from.steps.map((s) => s.id));
    settle(session);
    const pre = await checkPrecondition(next.id, checkApi(session));
    const key = `${from.id}>${next.id}`;
    if (NOTICE.has(key)) {
      // The notice: it says what differs in a localized reason.
      expect(pre.ok, key).toBe(false);
      if (!pre.ok) {
        expect(i18n.en[pre.reason.key], pre.reason.key).toBeTruthy();
        expect(i18n['zh-CN'][pre.reason.key], pre.reason.key).toBeTruthy();
      }
      return;
    }
    expect(pre, key).toEqual({ ok: true });
    // Kept: the next lesson is finished on the swarm as the learner left it.
    expect(await doLessonSteps(session, next), `${next.id} on the swarm kept from ${from.id}`).toEqual(next.steps.map((s) => s.id));
  });

  it('the whole course in order, keeping the swarm wherever the next lesson allows, finishes every lesson', async () => {
    let session = await start(lessons[0]!, 9);
    for (const lesson of lessons) {
      if (!(await checkPrecondition(lesson.id, checkApi(session))).ok) session = await start(lesson, 9);
      expect(await doLessonSteps(session, lesson), lesson.id).toEqual(lesson.steps.map((s) => s.id));
      settle(session);
    }
  });

  it('the lesson-start texts exist in both languages for every lesson', () => {
    for (const id of LESSON_IDS) for (const lang of ['en', 'zh-CN'] as const) expect(i18n[lang][`lesson.start.from.${id}`], `${lang} ${id}`).toBeTruthy();
    for (const lesson of lessons)
      for (const step of lesson.steps) for (const lang of ['en', 'zh-CN'] as const) expect(i18n[lang][`lesson.hint.${lesson.id}.${step.id}`], `${lang} hint ${lesson.id}/${step.id}`).toBeTruthy();
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

  // --publish-rm matches the target port and protocol (docker/cli updatePorts), not the
  // published port: the reasons must say which port is still there or gone, in the form
  // `8082:80/udp (ingress)`, whichever way the learner went wrong.
  it('routing-mesh: a --publish-rm that takes the TCP ports too is told 8080 is gone; one that takes nothing, that 8082/udp is still there', async () => {
    const lesson = lessons.find((l) => l.id === 'routing-mesh')!;
    const session = await start(lesson);
    const api = checkApi(session);
    const step = (id: string) => lesson.steps.find((s) => s.id === id)!;
    for (const s of lesson.steps.slice(0, 3)) for (const line of s.solution) expect((await run(session, line)).code, line).toBe(0);
    // A published port is not what --publish-rm matches: nothing is removed.
    expect((await run(session, 'docker service update --publish-rm 8082 my-web')).code).toBe(0);
    expect(await checkAfterWaiting(session, () => step('publish-rm').check(api))).toEqual({
      ok: false,
      reason: { key: 'lesson.reason.portPublished', params: { service: 'my-web', port: '8082:80/udp (ingress)' } },
    });
    // Target 80 with no protocol is TCP: both TCP ports go, the UDP one stays.
    expect((await run(session, 'docker service update --publish-rm 80 my-web')).code).toBe(0);
    expect((await run(session, 'docker service update --publish-rm 80/udp my-web')).code).toBe(0);
    expect(await checkAfterWaiting(session, () => step('publish-rm').check(api))).toEqual({
      ok: false,
      reason: { key: 'lesson.reason.portMissing', params: { service: 'my-web', port: '8080:80/tcp (ingress)', got: '-' } },
    });
    seenReasons.add('lesson.reason.portPublished').add('lesson.reason.portMissing');
  });

  it('routing-mesh: a swarm where another service publishes 8080 is not kept, and the notice names that service', async () => {
    const session = await start(lessons.find((l) => l.id === 'routing-mesh')!);
    expect((await run(session, 'docker service create --detach --name site --publish 8080:80 nginx:1.27')).code).toBe(0);
    expect(await checkPrecondition('routing-mesh', checkApi(session))).toEqual({ ok: false, reason: { key: 'lesson.reason.portInUse', params: { service: 'site', port: 8080 } } });
    seenReasons.add('lesson.reason.portInUse');
  });
});

describe('lesson list', () => {
  it('has the ten lessons in order, the routing mesh last', () => {
    expect(lessons.map((l) => l.id)).toEqual([...LESSON_IDS]);
    expect(LESSON_IDS.at(-1)).toBe('routing-mesh');
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
