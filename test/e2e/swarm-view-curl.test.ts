// The swarm view shows which task served a request (issue 18): on the built site, in both
// languages, `curl` typed in the lesson terminal to a node that runs no task of the service marks
// the serving chip (data-served), tags the column of the node the request entered, and says the
// route under the services strip; the marked chip is one of the service's running tasks on
// another node. Under prefers-reduced-motion the mark is there and nothing moves; axe finds
// nothing in the view while it is marked; in the table the serving task's row is marked.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './browser.js';
import { axeViolations, setSpeed, siteInChromium, typeCommand, waitSettled } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/swarm-view-curl.test.ts');
const site = siteInChromium({ browser: run });

async function open(path: string, reducedMotion: 'reduce' | 'no-preference'): Promise<Page> {
  const page = await site.browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion });
  await page.goto(`${site.server.url}${path}`);
  await waitSettled(page);
  await page.waitForSelector('[data-swarm-view] [data-node]', { timeout: 30_000 });
  // The table toggle is remembered across pages: the diagram is what is checked here.
  const table = page.locator('[data-swarm-view] .sv-toggle:last-of-type');
  if ((await table.getAttribute('aria-pressed')) === 'true') await table.click();
  return page;
}

/** The hostnames of the columns holding a running chip of `service`. */
const nodesRunning = (page: Page, service: string): Promise<string[]> =>
  page.evaluate(
    (service) =>
      Array.from(document.querySelectorAll<HTMLElement>('[data-swarm-view] .sv-chip[data-state="running"]'))
        .filter((c) => c.dataset.task!.startsWith(`${service}.`))
        .map((c) => c.closest<HTMLElement>('.sv-col')!.dataset.node!),
    service,
  );

describe.skipIf(!run)('the swarm view marks the task that served a curl', () => {
  test.each([
    ['', 'no-preference', /^curl → (worker\d|manager1) → web\.\d on (worker\d|manager1)$/],
    ['/zh-cn', 'reduce', /^curl → (worker\d|manager1) → (worker\d|manager1) 上的 web\.\d$/],
  ] as const)('%s (motion: %s)', async (prefix, motion, route) => {
    const page = await open(`${prefix}/lessons/drain-node/`, motion);
    try {
      await setSpeed(page, 20);
      await typeCommand(page, 'docker service create --name web --replicas 2 --publish published=8080,target=80 nginx:1.27.3', /converged/, 90_000);
      await page.waitForFunction(() => document.querySelectorAll('[data-swarm-view] .sv-chip[data-state="running"][data-task^="web."]').length === 2, undefined, { timeout: 30_000 });
      const running = await nodesRunning(page, 'web');
      const all = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('[data-swarm-view] .sv-col[data-node]:not([data-node=""])'), (c) => c.dataset.node!));
      const entry = all.find((h) => !running.includes(h))!;
      expect(entry, JSON.stringify({ running, all })).toBeDefined();

      await typeCommand(page, `curl -s http://${entry}:8080/`, /Thank you for using nginx\./);
      const chip = page.locator('[data-swarm-view] .sv-chip[data-served]');
      await chip.waitFor({ timeout: 10_000 });
      const served = await chip.evaluate((c) => ({
        task: c.dataset.task!,
        state: c.dataset.state!,
        node: c.closest<HTMLElement>('.sv-col')!.dataset.node!,
        animation: getComputedStyle(c, '::after').animationName,
      }));
      // A running task of web, on a node other than the one the request entered.
      expect(served.task).toMatch(/^web\.[12]$/);
      expect(served.state).toBe('running');
      expect(running).toContain(served.node);
      expect(served.node).not.toBe(entry);
      // The entry node's column carries the tag; the line says the route in the page's language.
      expect(await page.locator(`[data-swarm-view] .sv-col[data-node="${entry}"] .sv-entry`).count()).toBe(1);
      expect(await page.locator('[data-swarm-view] .sv-entry').count()).toBe(1);
      const line = (await page.locator('[data-swarm-view] .sv-served').textContent()) ?? '';
      expect(line).toMatch(route);
      expect(line).toContain(entry);
      expect(line).toContain(served.task);
      expect(line).toContain(served.node);
      // Motion only where it is welcome.
      if (motion === 'reduce') expect(served.animation).toBe('none');
      else expect(served.animation).toMatch(/^sv-served/);
      // The marks (route line, entry tag, marked chip) break none of axe's rules in the view.
      expect(await axeViolations(page, ['[data-swarm-view]'])).toEqual([]);

      // The next request goes round-robin to the other task: its chip is marked instead.
      await typeCommand(page, `curl -s http://${entry}:8080/`, /Thank you for using nginx\.[\s\S]*Thank you for using nginx\./);
      await page.waitForFunction((before) => document.querySelector<HTMLElement>('[data-swarm-view] .sv-chip[data-served]')?.dataset.task !== before, served.task, { timeout: 10_000 });
      expect(await page.locator('[data-swarm-view] .sv-chip[data-served]').count()).toBe(1);
      // The marks go after a few seconds; the route line stays until the next request.
      await page.waitForSelector('[data-swarm-view] .sv-chip[data-served]', { state: 'detached', timeout: 10_000 });
      expect(await page.locator('[data-swarm-view] .sv-entry').count()).toBe(0);
      expect(await page.locator('[data-swarm-view] .sv-served').isVisible()).toBe(true);

      // In the table, the serving task's row is marked instead.
      await page.locator('[data-swarm-view] .sv-toggle:last-of-type').click();
      await page.waitForSelector('[data-swarm-view] .sv-table tr[data-task^="web."]');
      await typeCommand(page, `curl -s http://${entry}:8080/`, /Thank you for using nginx\.[\s\S]*Thank you for using nginx\.[\s\S]*Thank you for using nginx\./);
      const row = page.locator('[data-swarm-view] .sv-table tr[data-served]');
      await row.waitFor({ timeout: 10_000 });
      expect(await row.getAttribute('data-task')).toMatch(/^web\.[12]$/);
      await page.locator('[data-swarm-view] .sv-toggle:last-of-type').click();
    } finally {
      await page.close();
    }
  }, 240_000);
});
