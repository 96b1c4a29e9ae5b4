// Lesson progress when the browser's storage lets it down, on the BUILT site in chromium:
// localStorage full (the terminal's history makes room; with nothing left to drop, the page
// says the progress could not be kept, and stops saying so once it could), and progress stored
// damaged (the page says it was reset, in the page's language, and stores it clean).
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './browser.js';
import { axeViolations, setSpeed, siteInChromium, waitSettled, waitStepDone } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/progress-storage.test.ts');
const site = siteInChromium({ browser: run });

const PROGRESS = 'swarm-lab:progress:rolling-update';
const HELPED = 'swarm-lab:helped:rolling-update';

/** Fills localStorage to the last few characters with keys of our own (`filler-*`). */
const fill = (page: Page): Promise<number> =>
  page.evaluate(() => {
    let n = 0;
    for (let size = 1 << 20; size >= 1; size = Math.floor(size / 4)) {
      const chunk = 'f'.repeat(size);
      for (;;) {
        try {
          localStorage.setItem(`filler-${n++}`, chunk);
        } catch {
          break;
        }
      }
    }
    return n;
  });

const unfill = (page: Page): Promise<void> =>
  page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('filler-')) localStorage.removeItem(k);
  });

const alertText = (page: Page): Promise<string> => page.locator('[data-progress-alert]').evaluate((e) => e.textContent ?? '');

describe.skipIf(!run)('lesson progress and a failing localStorage', () => {
  test('storage full: the terminal history is dropped to keep a step; nothing left to drop: the page says so, until a save works again', async () => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(`${site.server.url}/lessons/rolling-update/`);
      // A long terminal history, loaded by the terminal (so its own writes of it fail as well).
      await page.evaluate(
        ([p, h]) => {
          localStorage.removeItem(p!);
          localStorage.removeItem(h!);
          localStorage.setItem('swarm-lab:history', JSON.stringify([`echo ${'x'.repeat(100_000)}`]));
        },
        [PROGRESS, HELPED],
      );
      await page.reload();
      await waitSettled(page);
      await setSpeed(page, 20);
      await fill(page);

      // 1. The first step's Run: its save fails, the history goes, the save is tried again and kept.
      await page.locator('.lesson-cmd-actions button[data-command="run"]').first().click();
      await waitStepDone(page, 'create');
      await page.waitForFunction((k) => localStorage.getItem(k) === '["create"]', PROGRESS, { timeout: 10_000 });
      expect(await page.evaluate(() => localStorage.getItem('swarm-lab:history'))).toBeNull();
      expect(await alertText(page)).toBe('');

      // 2. Full again, with nothing of ours to drop: showing a solution (a "helped" step) cannot be kept.
      await fill(page);
      const box = page.locator('.lesson-hint[data-hint-for="update"]');
      await box.locator('button[data-command="hint"]').click();
      await box.locator('button[data-command="solution"]').click();
      await page.waitForFunction(() => document.querySelector('[data-progress-alert]')?.textContent !== '', undefined, { timeout: 10_000 });
      expect(await alertText(page)).toBe(
        "Your progress on this lesson could not be saved: this browser's storage for this site is full or turned off, so it will be lost when you leave the page. Free some site data in the browser's settings to keep it.",
      );
      expect(await page.locator('.lesson-progress [data-progress-alert]').isVisible()).toBe(true);
      expect(await page.evaluate((k) => localStorage.getItem(k), HELPED)).toBeNull();
      expect(await axeViolations(page, ['.lesson-progress'])).toEqual([]);

      // 3. Room again: the next save is kept, and the warning goes.
      await unfill(page);
      await box.locator('.lesson-hint-solution button[data-command="run"]').click();
      await waitStepDone(page, 'update');
      await page.waitForFunction(() => document.querySelector('[data-progress-alert]')?.textContent === '', undefined, { timeout: 10_000 });
      expect(await page.evaluate((k) => localStorage.getItem(k), PROGRESS)).toBe('["create","update"]');
      expect(errors).toEqual([]);
    } finally {
      await unfill(page).catch(() => undefined);
      await page.close();
    }
  }, 180_000);

  test('progress stored damaged (invalid JSON, the wrong type) is reset, and the page says so in its language, once', async () => {
    const page = await site.browser.context.newPage();
    try {
      for (const [prefix, damaged, said] of [
        ['/zh-cn', '{"create":true', '本课保存的进度无法读取（存储的副本已损坏），因此已被重置。'],
        ['', '{"create":true}', 'The saved progress of this lesson could not be read (the stored copy was damaged), so it was reset.'],
      ] as const) {
        await page.goto(`${site.server.url}${prefix}/lessons/rolling-update/`);
        // Independent of the test before (its fillers and long history share this context's storage).
        await page.evaluate(([k, v]) => {
          localStorage.clear();
          localStorage.setItem(k!, v!);
        }, [PROGRESS, damaged]);
        await page.reload();
        await page.waitForFunction((t) => document.querySelector('[data-progress-alert]')?.textContent === t, said, { timeout: 30_000 });
        expect(await page.evaluate((k) => localStorage.getItem(k), PROGRESS)).toBeNull();
        expect(await page.locator('span.lesson-step[data-step="create"]').getAttribute('data-done')).toBe('false');
        // Stored clean now: the next visit has nothing to say.
        await page.reload();
        await page.waitForFunction(() => document.querySelector('.lesson-progress-summary')?.textContent !== '', undefined, { timeout: 30_000 });
        expect(await alertText(page)).toBe('');
      }
    } finally {
      await page.close();
    }
  }, 120_000);
});
