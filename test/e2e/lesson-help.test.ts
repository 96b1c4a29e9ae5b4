// Help when stuck, on the BUILT site in chromium: each step's hint ladder (a hint in words,
// then the solution with Run buttons; a step done after showing it is marked so), the Check
// button that says it checked even when nothing changed, Copy on a command with a `$NAME`
// placeholder (the swarm's real value, or why not), and lessons without steps showing no
// Check or Reset. Both languages where the words matter.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './browser.js';
import { promptCount, setSpeed, siteInChromium, waitNextPrompt, waitSettled, waitStepDone } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/lesson-help.test.ts');
const site = siteInChromium({ browser: run });

async function typeLine(page: Page, line: string): Promise<void> {
  await page.locator('lesson-terminal .xterm-helper-textarea').focus();
  const before = await promptCount(page);
  await page.keyboard.type(`${line}\n`);
  await waitNextPrompt(page, before);
}

describe.skipIf(!run)('help when stuck', () => {
  test.each([
    { prefix: '', hint: 'docker service scale takes SERVICE=REPLICAS', helped: '✓ Done with the solution shown', checked: 'Checked again: nothing changed (0 of 1 steps done).' },
    { prefix: '/zh-cn', hint: 'docker service scale 的参数是', helped: '✓ 看过答案后完成', checked: '已再次检查：没有变化（已完成 0/1 个步骤）。' },
  ])('$prefix/lessons/scale-service/: Check says it checked; hint, then solution, whose Run completes the step, marked as helped', async ({ prefix, hint, helped, checked }) => {
    const page = await site.browser.context.newPage();
    try {
      await page.addInitScript(() => {
        localStorage.removeItem('swarm-lab:progress:scale-service');
        localStorage.removeItem('swarm-lab:helped:scale-service');
      });
      await page.goto(`${site.server.url}${prefix}/lessons/scale-service/`);
      await waitSettled(page);
      await setSpeed(page, 20);

      // Nothing done yet: Check still says that it looked.
      await page.click('[data-progress="check"]');
      await page.waitForFunction((t) => document.querySelector('[data-progress-checked]')?.textContent === t, checked, { timeout: 10_000 });

      // The ladder: only the hint at first; the solution is offered once the hint is open.
      const box = page.locator('.lesson-hint[data-hint-for="scale"]');
      expect(await box.locator('button[data-command="solution"]').isVisible()).toBe(false);
      await box.locator('button[data-command="hint"]').click();
      expect(await box.locator('.lesson-hint-text').textContent()).toContain(hint);
      expect(await box.locator('button[data-command="hint"]').getAttribute('aria-expanded')).toBe('true');
      await box.locator('button[data-command="solution"]').click();
      expect(await box.locator('.lesson-hint-solution pre').allTextContents()).toEqual(['docker service scale helloworld=5']);

      const before = await promptCount(page);
      await box.locator('.lesson-hint-solution button[data-command="run"]').click();
      await waitNextPrompt(page, before);
      await waitStepDone(page, 'scale');
      const marker = page.locator('span.lesson-step[data-step="scale"]');
      expect(await marker.getAttribute('data-helped')).toBe('true');
      expect(await marker.textContent()).toContain(helped);
      expect(await page.evaluate(() => localStorage.getItem('swarm-lab:helped:scale-service'))).toBe('["scale"]');
      // A done step needs no help: the ladder goes away.
      expect(await box.isVisible()).toBe(false);
    } finally {
      await page.close();
    }
  }, 120_000);

  test('Copy on a $WORKER_TOKEN command copies the real token; without a swarm it says why nothing was copied', async () => {
    const page = await site.browser.context.newPage();
    try {
      await site.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.server.url });
      await page.goto(`${site.server.url}/lessons/add-nodes/`);
      await waitSettled(page);
      const join = page.locator('.lesson-cmd-actions').filter({ has: page.locator('xpath=preceding-sibling::*[1][contains(., "$WORKER_TOKEN")]') }).first();
      await join.locator('button[data-command="copy"]').click();
      await page.waitForFunction(() => navigator.clipboard.readText().then((t) => t.startsWith('docker swarm join --token SWMTKN-1-')), undefined, { timeout: 10_000 });
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toMatch(/^docker swarm join --token SWMTKN-1-\w+-\w+ 192\.168\.99\.100:2377$/);

      // The swarm gone (the learner left it): nothing copied, and the reason next to the buttons.
      await typeLine(page, 'docker swarm leave --force');
      await page.evaluate(() => navigator.clipboard.writeText('before'));
      await join.locator('button[data-command="copy"]').click();
      await page.waitForFunction((el) => (el?.textContent ?? '').includes('$WORKER_TOKEN'), await join.locator('.lesson-cmd-status').elementHandle(), { timeout: 10_000 });
      expect(await join.locator('.lesson-cmd-status').textContent()).toMatch(/Nothing copied: \$WORKER_TOKEN exists only once the swarm does/);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('before');
    } finally {
      await page.close();
    }
  }, 120_000);

  test('a reload mid-lesson (a language switch does the same) keeps the swarm without asking, and the lesson goes on to its end', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.addInitScript(() => localStorage.removeItem('swarm-lab:progress:drain-node'));
      await page.goto(`${site.server.url}/lessons/drain-node/`);
      await waitSettled(page);
      await setSpeed(page, 20);
      await typeLine(page, 'docker node update --availability drain worker1');
      await waitStepDone(page, 'drain');
      // worker1 is drained now, which is not what drain-node starts from: still no question.
      await page.goto(`${site.server.url}/zh-cn/lessons/drain-node/`);
      await waitSettled(page);
      expect(await page.getAttribute('.lesson-columns', 'data-start-state')).toBe('kept');
      expect(await page.isVisible('[data-notice="lesson-start"]')).toBe(false);
      // The step done before the reload shows done again (its marks come with the progress
      // chunk, once the prompt is ready and the page idle: a loaded machine takes a moment).
      await waitStepDone(page, 'drain', 15_000);
      await typeLine(page, 'docker node update --availability active worker1');
      await waitStepDone(page, 'activate');
    } finally {
      await page.close();
    }
  }, 120_000);

  test('lessons without steps show no Check or Reset above the lesson; the dock keeps its Reset', async () => {
    const page = await site.browser.context.newPage();
    try {
      for (const path of ['/lessons/overview/', '/zh-cn/lessons/inspect-service/']) {
        await page.goto(`${site.server.url}${path}`);
        await waitSettled(page);
        expect(await page.locator('[data-progress="check"]').count(), path).toBe(0);
        expect(await page.locator('[data-progress="reset"]').count(), path).toBe(0);
        expect(await page.locator('[data-dock="reset"]').isVisible(), path).toBe(true);
      }
    } finally {
      await page.close();
    }
  }, 120_000);
});
