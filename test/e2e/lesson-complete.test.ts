// The end of a lesson and its Reset, on the BUILT site in chromium. When every step is done a
// "lesson complete" note appears in a polite status region (there, empty, from the start, so
// screen readers announce it) with a link to the next lesson, in the page's language; the
// last lesson says it was the last. Reset asks first in a modal dialog: Escape or "Keep my
// swarm" keep the swarm and the progress (focus back on Reset), confirming starts over.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './browser.js';
import { promptCount, screen, setSpeed, siteInChromium, waitNextPrompt, waitSettled, waitStepDone } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/lesson-complete.test.ts');

const site = siteInChromium({ browser: run });

async function runFirst(page: Page): Promise<void> {
  const before = await promptCount(page);
  await page.locator('.lesson-cmd-actions button[data-command="run"]').first().click();
  await waitNextPrompt(page, before);
}

const focused = (page: Page, selector: string): Promise<boolean> => page.evaluate((s) => document.activeElement === document.querySelector(s), selector);

describe.skipIf(!run)('lesson complete', () => {
  test.each([
    { path: '/lessons/deploy-service/', title: 'Lesson complete', text: 'Every step of this lesson is done.', next: 'Next lesson: Inspect a service', href: '/lessons/inspect-service/' },
    { path: '/zh-cn/lessons/deploy-service/', title: '本课完成', text: '本课的每个步骤都已完成。', next: '下一课：', href: '/zh-cn/lessons/inspect-service/' },
  ])('$path: the last step done shows the note, announced politely, linking to the next lesson', async ({ path, title, text, next, href }) => {
    const page = await site.browser.context.newPage();
    try {
      await page.addInitScript(() => localStorage.removeItem('swarm-lab:progress:deploy-service'));
      await page.goto(`${site.server.url}${path}`);
      await waitSettled(page);
      const note = page.locator('.lesson-complete');
      // The live region is there before the lesson is done, empty and out of sight.
      expect(await note.getAttribute('role')).toBe('status');
      expect(await note.textContent()).toBe('');
      expect(await note.isVisible()).toBe(false);

      await setSpeed(page, 20);
      await runFirst(page);
      await waitStepDone(page, 'create');
      await page.waitForSelector('.lesson-complete[data-shown="true"]', { timeout: 10_000 });
      const shown = await note.textContent();
      expect(shown).toContain(title);
      expect(shown).toContain(text);
      expect(shown).toContain(next);
      expect(await note.locator('a').getAttribute('href')).toBe(href);

      // The link goes on to the next lesson, the swarm coming along.
      await note.locator('a').click();
      await page.waitForURL(`**${href}`);
      await waitSettled(page);
      expect(await screen(page)).toMatch(/verify: Service \w+ converged/);
    } finally {
      await page.close();
    }
  }, 120_000);

  test('the last lesson says it was the last, with no link', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.goto(`${site.server.url}/`);
      // drain-node, the last lesson before the routing mesh, now leads on to it...
      await page.evaluate(() => localStorage.setItem('swarm-lab:progress:drain-node', JSON.stringify(['drain', 'activate'])));
      await page.goto(`${site.server.url}/lessons/drain-node/`);
      await page.waitForSelector('.lesson-complete[data-shown="true"] a');
      expect(await page.locator('.lesson-complete a').getAttribute('href')).toBe('/lessons/routing-mesh/');
      await page.evaluate(() => localStorage.removeItem('swarm-lab:progress:drain-node'));
      // ...which is the last.
      await page.evaluate(() =>
        localStorage.setItem('swarm-lab:progress:routing-mesh', JSON.stringify(['create', 'publish-add', 'publish-udp', 'publish-rm', 'host-mode', 'clean-up'])),
      );
      await page.goto(`${site.server.url}/lessons/routing-mesh/`);
      await page.waitForSelector('.lesson-complete[data-shown="true"]');
      expect(await page.locator('.lesson-complete').textContent()).toContain('That was the last lesson');
      expect(await page.locator('.lesson-complete a').count()).toBe(0);
      await page.evaluate(() => localStorage.removeItem('swarm-lab:progress:routing-mesh'));
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe.skipIf(!run)('Reset asks first', () => {
  test('Escape and "Keep my swarm" keep everything; confirming starts the lesson over', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.addInitScript(() => localStorage.removeItem('swarm-lab:progress:rolling-update'));
      await page.goto(`${site.server.url}/lessons/rolling-update/`);
      await waitSettled(page);
      await setSpeed(page, 20);
      await runFirst(page);
      await waitStepDone(page, 'create');
      const dialog = page.locator('dialog.lesson-reset-dialog');
      const reset = page.locator('[data-progress="reset"]');
      expect(await reset.getAttribute('aria-haspopup')).toBe('dialog');

      // Escape: nothing thrown away, focus back on Reset.
      await reset.click();
      await page.waitForSelector('dialog.lesson-reset-dialog[open]');
      expect(await dialog.getAttribute('aria-labelledby')).toBe('lesson-reset-title');
      expect(await page.locator('#lesson-reset-title').textContent()).toBe('Reset this lesson?');
      // The safe answer has the focus.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep my swarm');
      await page.keyboard.press('Escape');
      await page.waitForSelector('dialog.lesson-reset-dialog:not([open])', { state: 'attached' });
      expect(await focused(page, '[data-progress="reset"]')).toBe(true);
      expect(await page.getAttribute('span.lesson-step[data-step="create"]', 'data-done')).toBe('true');
      expect(await screen(page)).toMatch(/verify: Service \w+ converged/);

      // Keyboard: Enter on Reset opens it, Enter on "Keep my swarm" keeps everything.
      await page.keyboard.press('Enter');
      await page.waitForSelector('dialog.lesson-reset-dialog[open]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('dialog.lesson-reset-dialog:not([open])', { state: 'attached' });
      expect(await focused(page, '[data-progress="reset"]')).toBe(true);
      expect(await page.evaluate(() => localStorage.getItem('swarm-lab:progress:rolling-update'))).toBe('["create"]');
      expect(await screen(page)).toMatch(/verify: Service \w+ converged/);

      // Keyboard: Enter, Tab to "Reset the lesson", Enter: progress and swarm start over.
      await page.keyboard.press('Enter');
      await page.waitForSelector('dialog.lesson-reset-dialog[open]');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Reset the lesson');
      await page.keyboard.press('Enter');
      await page.waitForSelector('span.lesson-step[data-step="create"][data-done="false"]');
      expect(await page.evaluate(() => localStorage.getItem('swarm-lab:progress:rolling-update'))).toBeNull();
      await waitSettled(page);
      expect(await screen(page)).not.toMatch(/verify: Service/);
      await page.waitForFunction(() => document.querySelector('span.lesson-step[data-step="create"]')?.textContent?.includes('There is no service named redis.'), undefined, { timeout: 30_000 });
    } finally {
      await page.close();
    }
  }, 120_000);

  test('the question is in Chinese on the Chinese page', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.goto(`${site.server.url}/zh-cn/lessons/scale-service/`);
      await waitSettled(page);
      await page.locator('[data-progress="reset"]').click();
      await page.waitForSelector('dialog.lesson-reset-dialog[open]');
      expect(await page.locator('#lesson-reset-title').textContent()).toBe('要重置本课吗？');
      expect(await page.locator('dialog.lesson-reset-dialog button').allTextContents()).toEqual(['保留我的 swarm', '重置本课']);
      await page.keyboard.press('Escape');
    } finally {
      await page.close();
    }
  }, 60_000);
});
