// Lesson progress on the BUILT site in chromium: a Run that completes a step marks it done
// (checked by the worker after the command), the progress survives a reload and is shared by
// both languages, Reset forgets it and starts the swarm over; a lesson with its own start
// state really starts from it, and Run fills in `$NAME` placeholders from the running swarm.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './browser.js';
import { axeViolations, screen, siteInChromium, waitScreen } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/lesson-progress.test.ts');

const site = siteInChromium({ browser: run });

const step = (page: Page, id: string) => page.locator(`span.lesson-step[data-step="${id}"]`);

describe.skipIf(!run)('lesson progress in chromium', () => {
  test('Run completes the first step of rolling-update; the progress survives a reload, in both languages, until Reset', async () => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(`${site.server.url}/lessons/rolling-update/`);
      await page.evaluate(() => localStorage.removeItem('swarm-lab:progress:rolling-update'));
      await page.reload();
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });
      expect(await step(page, 'create').getAttribute('data-done')).toBe('false');
      expect(await step(page, 'create').textContent()).toContain('Not done yet');

      await page.locator('.lesson-cmd-actions button[data-command="run"]').first().click();
      await page.waitForSelector('span.lesson-step[data-step="create"][data-done="true"]', { timeout: 45_000 });
      expect(await step(page, 'create').textContent()).toBe('✓ Done');
      // The next step says why it is not done, in words, with the swarm's values.
      expect(await step(page, 'update').textContent()).toContain('Service redis asks for the image redis:7.4.0; this step wants redis:7.4.1.');
      expect(await step(page, 'break').getAttribute('data-done')).toBe('false');
      expect(await page.locator('.lesson-progress-summary').textContent()).toBe('1 of 4 steps done · optional: 0 of 2');

      expect(await axeViolations(page, ['.lesson-progress', '.lesson-step'])).toEqual([]);

      await page.reload();
      await page.waitForSelector('span.lesson-step[data-step="create"][data-done="true"]');
      expect(await step(page, 'update').getAttribute('data-done')).toBe('false');

      // Same lesson id in Chinese: the same progress, in Chinese words.
      await page.goto(`${site.server.url}/zh-cn/lessons/rolling-update/`);
      await page.waitForSelector('span.lesson-step[data-step="create"][data-done="true"]');
      expect(await step(page, 'create').textContent()).toBe('✓ 已完成');
      expect(await page.locator('[data-progress="reset"]').textContent()).toContain('重置');
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });

      // Reset: progress forgotten (stored too), a fresh swarm with no redis service.
      await page.locator('[data-progress="reset"]').click();
      // Reset asks first (test/e2e/lesson-complete.test.ts tests the question itself).
      await page.locator('dialog.lesson-reset-dialog [data-reset-confirm]').click();
      expect(await step(page, 'create').getAttribute('data-done')).toBe('false');
      await page.waitForSelector('lesson-terminal[data-state="ready"]');
      expect(await page.evaluate(() => localStorage.getItem('swarm-lab:progress:rolling-update'))).toBeNull();
      await page.locator('[data-progress="check"]').click();
      await page.waitForFunction(() => document.querySelector('span.lesson-step[data-step="create"]')?.textContent?.includes('找不到名为 redis 的服务'));
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  test('a lesson with its own start state starts from it (scale-service has helloworld)', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.goto(`${site.server.url}/lessons/scale-service/`);
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });
      // The start-state reset goes loading -> ready again; wait for its banner-led screen to settle.
      await page.waitForFunction(() => document.querySelector('lesson-terminal')?.getAttribute('data-state') === 'ready');
      await page.waitForTimeout(500);
      await page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { typeText(t: string): void }).typeText('docker service ls\n'));
      await waitScreen(page, /helloworld +replicated/);
      expect(await screen(page)).toMatch(/helloworld +replicated +\d\/1 +redis:7\.4\.0/);
    } finally {
      await page.close();
    }
  }, 60_000);

  test('Run types the join token of the running swarm for $WORKER_TOKEN', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.goto(`${site.server.url}/lessons/add-nodes/`);
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });
      const joinRun = page.locator('.lesson-cmd:has-text("$WORKER_TOKEN") + .lesson-cmd-actions button[data-command="run"]').first();
      await joinRun.click();
      await waitScreen(page, /docker swarm join --token SWMTKN-1-[0-9a-z]+-[0-9a-z]+ /);
      expect(await screen(page)).not.toContain('$WORKER_TOKEN');
    } finally {
      await page.close();
    }
  }, 60_000);
});
