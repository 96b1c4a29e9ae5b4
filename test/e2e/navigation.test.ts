// Client-side navigation between lessons on the BUILT site in chromium (Astro's <ClientRouter />
// in src/components/HeadWithRouter.astro): moving to the next lesson through the sidebar does
// not reload the page, the persisted terminal keeps its scrollback and the learner's swarm,
// the new lesson's Run buttons and step checks work, and site search still works afterwards.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './browser.js';
import { screen, siteInChromium, waitScreen } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/navigation.test.ts');

const site = siteInChromium({ browser: run });

const typeLine = (page: Page, line: string): Promise<void> =>
  page.evaluate((l) => (document.querySelector('lesson-terminal') as unknown as { typeText(t: string): void }).typeText(`${l}\n`), line);

/**
 * Follows the sidebar's link to a lesson and waits until the new lesson's page is in place.
 * On a wide lesson page the sidebar opens over the page from the menu button (site.css).
 */
async function sidebarTo(page: Page, lessonId: string): Promise<void> {
  const link = page.locator(`#starlight__sidebar a[href="/lessons/${lessonId}/"]`);
  if (!(await link.isVisible())) await page.locator('starlight-menu-button button').click();
  await link.click();
  await page.waitForSelector(`.lesson-columns[data-lesson="${lessonId}"]`, { timeout: 15_000 });
  await page.waitForURL(`**/lessons/${lessonId}/`);
}

/** A window property set before navigating survives only if the page was not reloaded. */
const marker = (page: Page): Promise<unknown> => page.evaluate(() => (window as unknown as { navMarker?: string }).navMarker);

describe.skipIf(!run)('navigation between lessons in chromium', () => {
  test('deploy-service -> inspect-service -> scale-service keeps the page, the scrollback and the swarm; checks and search work', async () => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    try {
      await page.goto(`${site.server.url}/lessons/deploy-service/`);
      await page.evaluate(() => {
        localStorage.removeItem('swarm-lab:progress:deploy-service');
        localStorage.removeItem('swarm-lab:progress:scale-service');
      });
      await page.reload();
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });
      await page.evaluate(() => {
        (window as unknown as { navMarker: string }).navMarker = 'same document';
        (document.querySelector('lesson-terminal') as unknown as { navMarker: string }).navMarker = 'same element';
      });
      const workersBefore = workers.length;

      // The learner's work: the lesson's Run, then a service of their own.
      await page.locator('.lesson-cmd-actions button[data-command="run"]').first().click();
      await page.waitForSelector('span.lesson-step[data-step="create"][data-done="true"]', { timeout: 45_000 });
      await waitScreen(page, /verify: Service \S+ converged/);
      await typeLine(page, 'docker service create --detach --name navcheck alpine sleep 1d');
      await waitScreen(page, /--name navcheck alpine sleep 1d[0-9a-z]{25}/);

      await sidebarTo(page, 'inspect-service');
      expect(await marker(page)).toBe('same document');
      expect(await page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { navMarker?: string }).navMarker)).toBe('same element');
      expect(await page.locator('lesson-terminal').count()).toBe(1);
      // The earlier output is still on the terminal.
      const carried = await screen(page);
      expect(carried).toContain('docker service create --replicas 1 --name helloworld redis:7.4.0');
      expect(carried).toMatch(/verify: Service \S+ converged/);
      // The same swarm: the service the learner made is there (inspect-service's own start
      // state has helloworld only, so a reset would have dropped it).
      await page.waitForSelector('lesson-terminal[data-state="ready"]');
      await typeLine(page, 'docker service ls');
      await waitScreen(page, /navcheck +replicated/);
      expect(await screen(page)).toMatch(/helloworld +replicated +1\/1 +redis:7\.4\.0/);
      // The new page's Run buttons are there and type into the carried terminal.
      expect(await page.locator('.lesson-cmd-actions button[data-command="run"]').count()).toBeGreaterThan(0);

      await sidebarTo(page, 'scale-service');
      expect(await marker(page)).toBe('same document');
      // The new lesson's steps are checked on the swarm brought along: helloworld has 1 task.
      const scale = page.locator('span.lesson-step[data-step="scale"]');
      await page.waitForSelector('span.lesson-step[data-step="scale"] .lesson-step-reason', { timeout: 15_000 });
      expect(await scale.getAttribute('data-done')).toBe('false');
      await page.locator('.lesson-cmd:has-text("helloworld=5") + .lesson-cmd-actions button[data-command="run"]').first().click();
      await page.waitForSelector('span.lesson-step[data-step="scale"][data-done="true"]', { timeout: 45_000 });
      expect(await page.locator('.lesson-progress-summary').textContent()).toBe('1 of 1 steps done');
      await typeLine(page, 'docker service ls');
      await waitScreen(page, /navcheck +replicated.*navcheck +replicated/);
      expect(await screen(page)).toMatch(/helloworld +replicated +5\/5/);
      expect(await marker(page)).toBe('same document');
      // One worker for the whole visit.
      expect(workers.length).toBe(workersBefore);

      // Search after client-side navigations.
      await page.waitForFunction(() => document.querySelector<HTMLButtonElement>('button[data-open-modal]')?.disabled === false);
      await page.locator('button[data-open-modal]').click();
      await page.locator('dialog[open] .pagefind-ui__search-input').fill('rolling update');
      await page.waitForSelector('.pagefind-ui__result-title .pagefind-ui__result-link[href="/lessons/rolling-update/"]', { timeout: 20_000 });
      expect(await marker(page)).toBe('same document');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);

  test('wide lesson pages: the sidebar opens over the page from the menu button, and closes by a click outside or a move', async () => {
    const page = await site.browser.context.newPage();
    const sidebar = page.locator('#starlight__sidebar');
    const menu = page.locator('starlight-menu-button button');
    try {
      expect(page.viewportSize()!.width).toBeGreaterThanOrEqual(72 * 16);
      await page.goto(`${site.server.url}/lessons/deploy-service/`);
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });
      // The lesson starts at the page's edge: the terminal has the room.
      expect(await sidebar.isVisible()).toBe(false);
      expect((await page.locator('.lesson-main').boundingBox())!.x).toBe(0);
      // The menu button, at the start of the header, opens it over the lesson.
      const button = (await menu.boundingBox())!;
      expect(button.x).toBeLessThan(100);
      await menu.click();
      await sidebar.waitFor({ state: 'visible' });
      expect(await page.locator('starlight-menu-button').getAttribute('aria-expanded')).toBe('true');
      expect((await page.locator('.lesson-main').boundingBox())!.x).toBe(0);
      // A click elsewhere closes it (once the dock's layout code is in: the split is focusable then).
      await page.waitForSelector('.lesson-split[tabindex="0"]', { state: 'attached', timeout: 15_000 });
      await page.locator('.lesson-dock-hint').click();
      await sidebar.waitFor({ state: 'hidden' });
      // Escape too (Starlight's own), and a move to another lesson leaves it closed.
      await menu.click();
      await sidebar.waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      await sidebar.waitFor({ state: 'hidden' });
      await sidebarTo(page, 'drain-node');
      expect(await sidebar.isVisible()).toBe(false);
    } finally {
      await page.close();
    }
  }, 90_000);

  test('an unused swarm takes the next lesson start state after a navigation', async () => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      // deploy-service starts from the default swarm, scale-service from its own (helloworld).
      await page.goto(`${site.server.url}/lessons/deploy-service/`);
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });
      await page.evaluate(() => ((window as unknown as { navMarker: string }).navMarker = 'same document'));
      await sidebarTo(page, 'scale-service');
      expect(await marker(page)).toBe('same document');
      // The start-state reset runs (loading, then ready again) and brings helloworld.
      await page.waitForFunction(() => document.querySelector('lesson-terminal')?.getAttribute('data-state') === 'ready');
      await page.waitForTimeout(500);
      await typeLine(page, 'docker service ls');
      await waitScreen(page, /helloworld +replicated/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);
});
