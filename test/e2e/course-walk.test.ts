// The whole course, in order, as a learner follows it on the BUILT site: start at the
// overview, press every Run button of the page as soon as the terminal is ready again (at
// 20x, with detached commands still converging), then follow the pagination's Next link to
// the next lesson, to the last one. Every lesson must end with every required step done.
//
// The swarm is carried from lesson to lesson. Where the swarm the learner brings does not
// meet what the next lesson starts from (the overview's formed swarm before "Create a
// swarm"), the dock's notice must ask, and nowhere else:
//  - walk 1 answers "Start from the lesson's state" (the default);
//  - walk 2 keeps the swarm wherever it can: it answers "Keep my swarm", sees that the
//    lesson's command fails on it as on a real swarm, and gets back to the lesson's start
//    with the dock's Reset.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { LESSON_IDS } from '../../content/lessons/types.js';
import { afterAll, beforeAll } from 'vitest';
import type { Browser, StaticServer } from './browser.js';
import { chromiumAvailable, launchChromium, serveStatic } from './browser.js';
import { axeSerious, limiter, promptCount, setSpeed, stepIds, waitNextPrompt, waitSettled, waitStepDone } from './lesson-site.js';
import { builtSite } from './site.js';

const run = chromiumAvailable('test/e2e/course-walk.test.ts');
// One served build; each walk gets a chromium of its own (progress lives in localStorage).
const site = {} as { server: StaticServer };
beforeAll(async () => {
  if (run) site.server = await serveStatic(await builtSite());
}, 240_000);
afterAll(async () => site.server?.close());
const slot = limiter(2);

type Walk = 'start' | 'keep';

/** The lessons whose page must ask (its swarm differs from what the lesson starts from). */
const NOTICE_AT = ['create-swarm'];

const lessonOf = (page: Page): Promise<string> => page.evaluate(() => document.querySelector<HTMLElement>('.lesson-columns')?.dataset.lesson ?? '');

/** Waits until the page has either settled its start state or is asking with the notice. */
async function arrival(page: Page): Promise<'notice' | 'settled'> {
  const handle = await page.waitForFunction(
    () => {
      const notice = document.querySelector<HTMLElement>('[data-notice="lesson-start"]');
      if (notice && !notice.hidden) return 'notice';
      const s = document.querySelector<HTMLElement>('.lesson-columns')?.dataset.startState;
      const ready = document.querySelector('lesson-terminal')?.getAttribute('data-state') === 'ready';
      return (s === 'applied' || s === 'kept') && ready ? 'settled' : false;
    },
    undefined,
    { timeout: 60_000, polling: 100 },
  );
  return (await handle.jsonValue()) as 'notice' | 'settled';
}

/** Presses every Run button of the page in order, each as soon as the terminal is ready again. */
async function pressEveryRun(page: Page, where: string): Promise<void> {
  const runs = page.locator('.lesson-cmd-actions button[data-command="run"]');
  const n = await runs.count();
  for (let i = 0; i < n; i++) {
    await page.waitForSelector('lesson-terminal[data-state="ready"]', { state: 'attached', timeout: 60_000 });
    const before = await promptCount(page);
    await runs.nth(i).click();
    // A Run whose step builds on one still converging waits first (visibly): up to its limit.
    await waitNextPrompt(page, before, 150_000).catch((e: unknown) => {
      throw new Error(`${where}: Run ${i + 1} of ${n}: ${String(e)}`);
    });
  }
}

async function walkCourse(prefix: '' | '/zh-cn', walk: Walk): Promise<void> {
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${site.server.url}${prefix}/lessons/overview/`);
    await waitSettled(page);
    await setSpeed(page, 20);
    const visited: string[] = [];
    const asked: string[] = [];
    for (;;) {
      const id = await lessonOf(page);
      const where = `${prefix} walk ${walk}: ${id}`;
      visited.push(id);
      if ((await arrival(page)) === 'notice') {
        asked.push(id);
        // The notice names what the lesson starts from and what differs, in the page's language.
        const text = (await page.locator('[data-notice="lesson-start"]').textContent()) ?? '';
        expect(text, where).toMatch(prefix ? /manager1 已经属于一个 swarm/ : /manager1 is already part of a swarm/);
        if (walk === 'start') {
          // The notice passes axe like the rest of the page.
          expect(await axeSerious(page), `${where}: axe with the notice open`).toEqual([]);
          await page.click('[data-notice="lesson-start"] [data-action="start"]');
          await page.waitForSelector('.lesson-columns[data-start-state="applied"]', { state: 'attached', timeout: 60_000 });
        } else {
          await page.click('[data-notice="lesson-start"] [data-action="keep"]');
          await page.waitForSelector('.lesson-columns[data-start-state="kept"]', { state: 'attached', timeout: 60_000 });
          expect(await page.isVisible('[data-notice="lesson-kept"]'), where).toBe(true);
          // Kept: the lesson's command fails on the formed swarm, as on a real one...
          const before = await promptCount(page);
          await page.locator('.lesson-cmd-actions button[data-command="run"]').first().click();
          await waitNextPrompt(page, before);
          const screen = await page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { screenText(): string }).screenText());
          expect(screen, where).toContain('This node is already part of a swarm');
          // ...and the dock's Reset (always in view beside the terminal) brings back the lesson's start.
          await page.click('[data-dock="reset"]');
          await page.click('dialog.lesson-reset-dialog [data-reset-confirm]');
          await page.waitForSelector('.lesson-columns[data-start-state="applied"]', { state: 'attached', timeout: 60_000 });
          await page.waitForFunction(() => !/This node is already part of a swarm/.test((document.querySelector('lesson-terminal') as unknown as { screenText(): string }).screenText()), undefined, { timeout: 30_000 });
        }
        await page.waitForSelector('lesson-terminal[data-state="ready"]', { state: 'attached', timeout: 60_000 });
      }
      // The terminal marks where this lesson begins with its title.
      const title = ((await page.locator('h1').first().textContent()) ?? '').trim();
      await page.waitForFunction((t) => (document.querySelector('lesson-terminal') as unknown as { screenText(): string }).screenText().includes(t), title, { timeout: 10_000 });

      const steps = await stepIds(page);
      for (const s of steps) expect(await page.getAttribute(`span.lesson-step[data-step="${s}"]`, 'data-done'), `${where}: ${s} done on arrival`).toBe('false');
      await pressEveryRun(page, where);
      // Optional steps (a failure section) read a moment the walk's back-to-back Runs skip past
      // (a node Down before the next Run starts it again): the lesson is complete without them,
      // and test/e2e/lesson-optional.test.ts walks them as a reader does.
      const optional = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.lesson-main span.lesson-step[data-optional="true"]'), (x) => x.dataset.step ?? ''));
      for (const s of steps.filter((x) => !optional.includes(x))) {
        await waitStepDone(page, s, 120_000).catch(async (e: unknown) => {
          const why = await page.locator(`span.lesson-step[data-step="${s}"]`).textContent();
          throw new Error(`${where}: step ${s} not done (${why}): ${String(e)}`);
        });
      }
      if (steps.length > 0) await page.waitForSelector('.lesson-complete[data-shown="true"]', { state: 'attached', timeout: 10_000 });
      const next = page.locator('a[rel="next"]');
      if ((await next.count()) === 0) break;
      await next.first().click();
      await page.waitForFunction((prev) => document.querySelector<HTMLElement>('.lesson-columns')?.dataset.lesson !== prev, id, { timeout: 30_000 });
    }
    expect(visited).toEqual([...LESSON_IDS]);
    expect(asked, 'the lessons whose page asked').toEqual(NOTICE_AT);
    expect(errors).toEqual([]);
  } finally {
    await browser?.close();
  }
}

describe.skipIf(!run)('the whole course in order, through the Next links, pressing every Run', () => {
  test.concurrent.each([
    { prefix: '' as const, walk: 'start' as const },
    { prefix: '/zh-cn' as const, walk: 'start' as const },
    { prefix: '' as const, walk: 'keep' as const },
    { prefix: '/zh-cn' as const, walk: 'keep' as const },
  ])('$prefix/ walk "$walk": every lesson finished', ({ prefix, walk }) => slot(() => walkCourse(prefix, walk)), 900_000);
});
