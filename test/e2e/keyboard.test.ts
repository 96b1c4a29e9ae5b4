// A whole lesson with the keyboard alone, on the BUILT site in chromium: Tab to the
// terminal's 20x speed button and press it, Escape back to the lesson, Tab from Run button
// to Run button pressing Enter (or Space), type a command into the terminal with Tab
// completion, and every step of the lesson turns done. No mouse event is sent.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './browser.js';
import { outputOf, promptCount, runBlocks, siteInChromium, stepIds, waitNextPrompt, waitSettled, waitStepDone } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/keyboard.test.ts');

const site = siteInChromium({ browser: run });

/** Presses Tab (Shift+Tab when `back`) until `selector`'s `nth` match has the focus. */
async function tabTo(page: Page, selector: string, nth = 0, back = false, max = 400): Promise<void> {
  for (let i = 0; i < max; i++) {
    const there = await page.evaluate(({ selector, nth }) => document.activeElement === document.querySelectorAll(selector)[nth], { selector, nth });
    if (there) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${selector} #${nth}`);
}

const RUN = '.lesson-cmd-actions button[data-command="run"]';
const inTerminal = (page: Page): Promise<boolean> => page.evaluate(() => document.activeElement?.closest('lesson-terminal') != null);

/** Tab to the 20x button from wherever the focus is, press it, and Escape back to the lesson. */
async function speedUpByKeyboard(page: Page, key: 'Enter' | ' '): Promise<void> {
  await tabTo(page, 'lesson-terminal [data-speed="20"]');
  await page.keyboard.press(key === ' ' ? 'Space' : key);
  await page.waitForSelector('lesson-terminal [data-speed="20"][aria-pressed="true"]', { timeout: 10_000 });
  // Escape anywhere in the terminal goes back to the lesson (xterm keeps Tab for completion).
  await page.keyboard.press('Escape');
  expect(await page.evaluate((sel) => document.activeElement === document.querySelector(sel), RUN)).toBe(true);
}

/** Focus a Run button by Tab, press `key`, wait for the command to finish, Escape back to the button. */
async function runByKeyboard(page: Page, index: number, key: 'Enter' | ' '): Promise<void> {
  await tabTo(page, RUN, index);
  const before = await promptCount(page);
  await page.keyboard.press(key === ' ' ? 'Space' : key);
  await waitNextPrompt(page, before);
  // Run leaves the focus in the terminal, ready for the learner's own typing.
  expect(await inTerminal(page)).toBe(true);
  await page.keyboard.press('Escape');
  expect(await page.evaluate(({ sel, index }) => document.activeElement === document.querySelectorAll(sel)[index], { sel: RUN, index })).toBe(true);
}

describe.skipIf(!run)('a lesson with the keyboard only', () => {
  test('rolling-update: Run buttons by Tab + Enter, a command typed with Tab completion, every step done', async () => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.addInitScript(() => localStorage.removeItem('swarm-lab:progress:rolling-update'));
      await page.goto(`${site.server.url}/lessons/rolling-update/`);
      await waitSettled(page);
      await speedUpByKeyboard(page, 'Enter');

      const blocks = await runBlocks(page);
      const steps = await stepIds(page);
      expect(steps).toEqual(['create', 'update', 'break', 'rollback', 'node-down', 'node-back']);
      let current: string | undefined;
      for (const block of blocks) {
        if (block.step !== current && current !== undefined) await waitStepDone(page, current);
        current = block.step;
        if (block.step === 'break' && block.command === 'docker service ps redis') {
          // The learner's own typing: into the terminal by keyboard, the service name by Tab completion.
          await tabTo(page, 'lesson-terminal .xterm-helper-textarea');
          const before = await promptCount(page);
          await page.keyboard.type('docker service ps re');
          await page.keyboard.press('Tab');
          await page.waitForFunction(() => /docker service ps redis\s*$/.test((document.querySelector('lesson-terminal') as unknown as { screenText(): string }).screenText()));
          await page.keyboard.press('Enter');
          await waitNextPrompt(page, before);
          expect(await outputOf(page, 'docker service ps redis')).toMatch(/"No such image: redis:9\.9\.9"/);
          await page.keyboard.press('Escape');
          continue;
        }
        await runByKeyboard(page, block.index, 'Enter');
      }
      await waitStepDone(page, current!);
      for (const s of steps) expect(await page.getAttribute(`span.lesson-step[data-step="${s}"]`, 'data-done'), s).toBe('true');
      expect(await page.locator('.lesson-progress-summary').textContent()).toBe('4 of 4 steps done · optional: 2 of 2');
      expect(await outputOf(page, 'docker service rollback redis')).toMatch(/verify: Service redis converged/);

      // The "lesson complete" note's link to the next lesson is reachable by Tab too.
      await page.waitForSelector('.lesson-complete[data-shown="true"] a');
      await tabTo(page, '.lesson-complete a');
      expect(await page.evaluate(() => (document.activeElement as HTMLAnchorElement).getAttribute('href'))).toBe('/lessons/drain-node/');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 240_000);

  test('deploy-service in Chinese: Tab + Space on the Run buttons', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.addInitScript(() => localStorage.removeItem('swarm-lab:progress:deploy-service'));
      await page.goto(`${site.server.url}/zh-cn/lessons/deploy-service/`);
      await waitSettled(page);
      await speedUpByKeyboard(page, ' ');
      const blocks = await runBlocks(page);
      for (const block of blocks) await runByKeyboard(page, block.index, ' ');
      await waitStepDone(page, 'create');
      expect(await page.locator('.lesson-progress-summary').textContent()).toBe('已完成 1/1 个步骤');
      expect(await outputOf(page, 'docker service ls')).toMatch(/helloworld\s+replicated\s+1\/1\s+redis:7\.4\.0/);
    } finally {
      await page.close();
    }
  }, 180_000);

  // The last lesson: ssh to the workers and back, port updates that replace tasks, a second
  // service and the clean-up, all from the Run buttons by Tab + Enter; it ends on the note
  // that it was the last lesson.
  test('routing-mesh: Tab + Enter on every Run, every step done, the last lesson said so', async () => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.addInitScript(() => localStorage.removeItem('swarm-lab:progress:routing-mesh'));
      await page.goto(`${site.server.url}/lessons/routing-mesh/`);
      await waitSettled(page);
      await speedUpByKeyboard(page, 'Enter');
      const blocks = await runBlocks(page);
      for (const block of blocks) await runByKeyboard(page, block.index, 'Enter');
      const steps = await stepIds(page);
      expect(steps).toEqual(['create', 'publish-add', 'publish-udp', 'publish-rm', 'host-mode', 'clean-up']);
      for (const s of steps) await waitStepDone(page, s);
      expect(await page.locator('.lesson-progress-summary').textContent()).toBe('6 of 6 steps done');
      expect(await outputOf(page, 'docker service rm my-web my-web-host')).toBe('my-webmy-web-host'); // its two rows, joined
      await page.waitForSelector('.lesson-complete[data-shown="true"]', { state: 'attached' });
      expect(await page.locator('.lesson-complete').textContent()).toContain('That was the last lesson');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 300_000);
});
