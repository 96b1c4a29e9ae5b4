// Optional lesson steps on the BUILT site in chromium (drain-node's "drain vs. a node that
// fails"): with the required steps done the lesson is complete and the progress line counts
// the optional ones apart; the optional section's Run buttons (Swarm Lab's `lab` builtin)
// then mark its steps done while the lesson stays complete.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './browser.js';
import { promptCount, runBlocks, setSpeed, siteInChromium, waitNextPrompt, waitSettled, waitStepDone } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/lesson-optional.test.ts');
const site = siteInChromium({ browser: run });

/** Presses the Run button of the block that types `command` and waits for the prompt after it. */
async function runCommand(page: Page, command: string): Promise<void> {
  const block = (await runBlocks(page)).find((b) => b.command === command);
  expect(block, command).toBeDefined();
  const before = await promptCount(page);
  await page.locator('.lesson-main .lesson-cmd-actions button[data-command="run"]').nth(block!.index).click();
  await waitNextPrompt(page, before);
}

const summary = (page: Page): Promise<string> => page.locator('.lesson-progress-summary').innerText();

describe.skipIf(!run)('optional steps', () => {
  test('drain-node: complete without the optional section; running it marks its steps done', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.addInitScript(() => localStorage.removeItem('swarm-lab:progress:drain-node'));
      await page.goto(`${site.server.url}/lessons/drain-node/`);
      await waitSettled(page);
      await setSpeed(page, 20);
      // The markers of the optional steps say so, from the lesson's metadata.
      expect(await page.locator('span.lesson-step[data-optional="true"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.step))).toEqual([
        'node-down',
        'node-back',
      ]);
      expect(await page.locator('span.lesson-step[data-step="node-down"] .lesson-step-optional').innerText()).toBe('Optional');
      expect(await summary(page)).toBe('0 of 2 steps done · optional: 0 of 2');

      await runCommand(page, 'docker node update --availability drain worker1');
      await waitStepDone(page, 'drain');
      await runCommand(page, 'docker node update --availability active worker1');
      await waitStepDone(page, 'activate');
      // Complete with the optional steps not done.
      await page.waitForSelector('.lesson-complete[data-shown="true"]', { timeout: 10_000 });
      expect(await summary(page)).toBe('2 of 2 steps done · optional: 0 of 2');
      expect(await page.locator('span.lesson-step[data-step="node-down"]').getAttribute('data-done')).toBe('false');

      await runCommand(page, 'lab node stop worker2');
      // Down after the heartbeat grace period (about 12 s of swarm time, under 1 s at 20x), then replaced.
      await waitStepDone(page, 'node-down');
      await runCommand(page, 'lab node start worker2');
      await waitStepDone(page, 'node-back');
      expect(await summary(page)).toBe('2 of 2 steps done · optional: 2 of 2');
      expect(await page.locator('.lesson-complete').getAttribute('data-shown')).toBe('true');
      // Kept per lesson id with the required steps.
      const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('swarm-lab:progress:drain-node') ?? '[]') as string[]);
      expect(stored.sort()).toEqual(['activate', 'drain', 'node-back', 'node-down']);
    } finally {
      await page.close();
    }
  }, 240_000);
});
