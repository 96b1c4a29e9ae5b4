// Accessibility of every lesson page on the BUILT site: axe-core on the whole page (not just
// the terminal dock) finds no serious or critical violation, on all 10 lessons in both
// languages, in Starlight's dark theme and (contrast) its light one; nor once the page is in use: step markers
// with their reasons and done badges, the "lesson complete" note, the Reset question open;
// and on a narrow screen with the terminal drawer closed and open.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { LESSON_IDS } from '../../content/lessons/types.js';
import { chromiumAvailable } from './browser.js';
import { axePage, axeSerious, limiter, siteInChromium, waitSettled } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/a11y.test.ts');

const site = siteInChromium({ browser: run });

const slot = limiter(3);
const paths = (['', '/zh-cn'] as const).flatMap((prefix) => LESSON_IDS.map((id) => `${prefix}/lessons/${id}/`));

async function open(path: string, scheme: 'dark' | 'light'): Promise<Page> {
  const page = await site.browser.context.newPage();
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(`${site.server.url}${path}`);
  await waitSettled(page);
  return page;
}

describe.skipIf(!run)('axe-core on every lesson page', () => {
  test.concurrent.each(paths)('%s: no serious or critical violation, dark and light', (path) =>
    slot(async () => {
      const page = await open(path, 'dark');
      try {
        const backgrounds = new Set<string>();
        for (const scheme of ['dark', 'light'] as const) {
          // Starlight's styles follow <html data-theme>, which its own picker sets the same way.
          backgrounds.add(
            await page.evaluate(async (scheme) => {
              document.documentElement.dataset.theme = scheme;
              await new Promise(requestAnimationFrame);
              return getComputedStyle(document.body).backgroundColor;
            }, scheme),
          );
          // Every rule in the dark theme; in the light one, only what a theme changes: contrast.
          const found = await axePage(page, scheme === 'light' ? ['color-contrast', 'link-in-text-block'] : undefined);
          expect(found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.line), `${path} ${scheme}`).toEqual([]);
          // The two moderate ones fixed on lesson pages stay fixed: unnamed code-block regions
          // (expressive-code) and the progress bar outside any landmark.
          expect(found.map((v) => v.line).filter((l) => / (landmark-unique|region): /.test(l)), `${path} ${scheme}`).toEqual([]);
        }
        expect(backgrounds.size, 'the two themes really differ').toBe(2);
      } finally {
        await page.close();
      }
    }),
  // Includes the wait for a free slot (three pages at a time) on a busy machine.
  300_000);

  test.each([
    { path: '/lessons/rolling-update/', done: ['create'] },
    { path: '/zh-cn/lessons/drain-node/', done: [] },
  ])('$path in use: step reasons, done badges, the lesson-complete note, the Reset question', async ({ path, done }) => {
    const id = /lessons\/([^/]+)/.exec(path)![1]!;
    const key = `swarm-lab:progress:${id}`;
    // Stored progress is written from the home page, where no lesson script can overwrite it.
    const store = async (page: Page, steps: unknown[]): Promise<void> => {
      await page.goto(`${site.server.url}/`);
      await page.evaluate(({ key, steps }) => localStorage.setItem(key, JSON.stringify(steps)), { key, steps });
      await page.goto(`${site.server.url}${path}`);
    };
    for (const scheme of ['dark', 'light'] as const) {
      const page = await site.browser.context.newPage();
      try {
        await page.emulateMedia({ colorScheme: scheme });
        // Done badges for `done`, and the next step's reason once the swarm is checked.
        await store(page, done);
        await waitSettled(page);
        await page.locator('[data-progress="check"]').click();
        await page.waitForSelector('.lesson-step-reason', { timeout: 30_000 });
        for (const s of done) await page.waitForSelector(`span.lesson-step[data-step="${s}"][data-done="true"]`);
        expect(await axeSerious(page), `${path} ${scheme} in progress`).toEqual([]);

        // Every step done: the note with its link.
        const steps = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('span.lesson-step[data-step]'), (s) => s.dataset.step));
        await store(page, steps);
        await page.waitForSelector('.lesson-complete[data-shown="true"]');
        expect(await axeSerious(page), `${path} ${scheme} complete`).toEqual([]);

        // The Reset question, open.
        await page.locator('[data-progress="reset"]').click();
        await page.waitForSelector('dialog.lesson-reset-dialog[open]');
        expect(await axeSerious(page), `${path} ${scheme} reset dialog`).toEqual([]);
        await page.keyboard.press('Escape');
        await page.waitForSelector('dialog.lesson-reset-dialog:not([open])', { state: 'attached' });
        await store(page, []);
      } finally {
        await page.close();
      }
    }
  }, 180_000);

  test.each(['/lessons/rolling-update/', '/zh-cn/lessons/rolling-update/'])('%s on a narrow screen, drawer closed and open', async (path) => {
    const page = await site.browser.context.newPage();
    try {
      await page.setViewportSize({ width: 600, height: 800 });
      await page.goto(`${site.server.url}${path}`);
      await waitSettled(page);
      expect(await axeSerious(page), `${path} drawer closed`).toEqual([]);
      await page.locator('.lesson-dock-toggle').click();
      await page.locator('lesson-terminal').waitFor({ state: 'visible' });
      expect(await axeSerious(page), `${path} drawer open`).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
