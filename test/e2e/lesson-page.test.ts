// A lesson page of the BUILT site in chromium: the terminal docked beside the lesson comes
// up, the first Run button types its command into it, and the simulated swarm answers as
// the docker CLI does; in both languages, with no page errors. Pages without a lesson load
// no terminal code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './browser.js';
import { axeViolations, screen, siteInChromium, waitScreen } from './lesson-site.js';
import { LESSON_IDS } from '../../content/lessons/types.js';

const run = chromiumAvailable('test/e2e/lesson-page.test.ts');

const site = siteInChromium({ browser: run });

const html = (path: string): string => readFileSync(join(site.outDir, path, 'index.html'), 'utf8');

describe('built pages', () => {
  test('the home pages carry no terminal and load no terminal script', () => {
    for (const path of ['/', '/zh-cn/']) {
      const page = html(path);
      expect(page, path).not.toContain('<lesson-terminal');
      expect(page, path).not.toMatch(/Terminal\.astro_astro_type_script|lesson-columns/);
    }
  });

  test("a lesson page's worker starts without the docker CLI, which comes in a chunk of its own", () => {
    const worker = /\/_astro\/(worker-[^"/]+\.js)/.exec(html('/lessons/rolling-update'))?.[1];
    expect(worker).toBeDefined();
    const code = readFileSync(join(site.outDir, '_astro', worker!), 'utf8');
    const chunk = /import\("\.\/(cli-[^"]+\.js)"\)/.exec(code)?.[1];
    expect(chunk, 'the worker imports the CLI chunk dynamically').toBeDefined();
    // Text only the CLI prints: its usage lines and the progress display.
    for (const cliText of ['Usage:  docker', 'overall progress']) {
      expect(code).not.toContain(cliText);
      expect(readFileSync(join(site.outDir, '_astro', chunk!), 'utf8')).toContain(cliText);
    }
  });

  test('every lesson page in both languages docks a terminal with localized labels', () => {
    for (const [prefix, title, run] of [['', 'Terminal', 'Run this command in the terminal'], ['/zh-cn', '终端', '在终端中运行这条命令']] as const) {
      const lessons = readdirSync(join(site.outDir, prefix, 'lessons'));
      // One page per lesson, every lesson (ten, the routing mesh last).
      expect([...lessons].sort()).toEqual([...LESSON_IDS].sort());
      for (const id of lessons) {
        const page = html(`${prefix}/lessons/${id}`);
        expect(page.match(/<lesson-terminal/g), `${prefix}/${id}`).toHaveLength(1);
        expect(page).toContain(`data-lesson="${id}"`);
        expect(page).toContain(`aria-label="${title}"`);
        expect(page).toContain(`data-run-label="${run}"`);
      }
    }
  });
});

describe.skipIf(!run)('lesson page in chromium', () => {
  test.each([
    { path: '/lessons/rolling-update/', run: 'Run', copy: 'Copy' },
    { path: '/zh-cn/lessons/rolling-update/', run: '运行', copy: '复制' },
  ])('$path: Run types the first command and the swarm answers', async ({ path, run, copy }) => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(`${site.server.url}${path}`);
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });

      // Buttons on the command blocks only: one pair per ```sh block, none on ```text output.
      const shBlocks = await page.locator('.lesson-main pre[data-language="sh"]').count();
      expect(shBlocks).toBeGreaterThan(0);
      expect(await page.locator('.lesson-cmd-actions').count()).toBe(shBlocks);
      expect(await page.locator('pre[data-language="text"] ~ .lesson-cmd-actions, figure:has(pre[data-language="text"]) + .lesson-cmd-actions').count()).toBe(0);
      const runButton = page.locator('.lesson-cmd-actions button[data-command="run"]').first();
      expect(await runButton.textContent()).toBe(run);
      expect(await page.locator('.lesson-cmd-actions button[data-command="copy"]').first().textContent()).toBe(copy);

      // Wide screen: the terminal column is beside the lesson, in view, not a drawer.
      const dock = await page.locator('.lesson-dock').boundingBox();
      const main = await page.locator('.lesson-main').boundingBox();
      expect(dock && main && dock.x >= main.x + main.width - 1).toBe(true);
      expect(await page.locator('.lesson-dock-toggle').isVisible()).toBe(false);

      await runButton.click();
      // Rows are read as the screen shows them: a long line may wrap (joined by waitScreen/screen).
      await waitScreen(page, /verify: Service \S+ converged/);
      const text = await screen(page);
      expect(text).toContain('docker@manager1:~$ docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0');
      expect(text).toMatch(/overall progress: 3 out of 3 tasks/);

      // Scrolled to the end of the lesson, the terminal is still on screen (sticky).
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      const after = await page.locator('lesson-terminal').boundingBox();
      expect(after && after.y >= 0 && after.y < 800).toBe(true);
      expect(await axeViolations(page, ['.lesson-dock', '.lesson-cmd-actions'])).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  // A stand-in resetSwarm() added before the element is defined records what the
  // start-state code asks of it (test/e2e/lesson-progress.test.ts checks the real one).
  const recordResets = (page: Page): Promise<unknown> =>
    page.addInitScript(() => {
      const w = window as unknown as { resets: unknown[] };
      w.resets = [];
      const define = customElements.define.bind(customElements);
      customElements.define = (name, ctor, options) => {
        if (name === 'lesson-terminal') {
          (ctor.prototype as { resetSwarm(s: unknown): Promise<void> }).resetSwarm = (s) => {
            w.resets.push(s);
            return Promise.resolve();
          };
        }
        define(name, ctor, options);
      };
    });
  const resets = (page: Page): Promise<unknown[]> => page.evaluate(() => (window as unknown as { resets: unknown[] }).resets);

  test('a lesson with its own start state resets the swarm to it once the terminal is ready', async () => {
    const page = await site.browser.context.newPage();
    try {
      await recordResets(page);
      await page.goto(`${site.server.url}/lessons/scale-service/`);
      await page.waitForSelector('lesson-terminal[data-state="ready"]');
      await page.waitForFunction(() => (window as unknown as { resets: unknown[] }).resets.length > 0);
      expect(await resets(page)).toEqual([{ setup: ['docker service create --detach --replicas 1 --name helloworld redis:7.4.0'] }]);

      // The tab keeps its swarm across page loads, noted as being in scale-service's start
      // state: the default start of rolling-update then needs a reset back to it.
      await page.goto(`${site.server.url}/lessons/rolling-update/`);
      await page.waitForSelector('lesson-terminal[data-state="ready"]');
      await page.waitForFunction(() => (window as unknown as { resets: unknown[] }).resets.length > 0);
      expect(await resets(page)).toEqual([{ setup: [] }]);
    } finally {
      await page.close();
    }
    // A fresh tab's swarm is the default one: no reset for rolling-update.
    const fresh = await site.browser.context.newPage();
    try {
      await recordResets(fresh);
      await fresh.goto(`${site.server.url}/lessons/rolling-update/`);
      await fresh.waitForSelector('lesson-terminal[data-state="ready"]');
      await new Promise((r) => setTimeout(r, 300));
      expect(await resets(fresh)).toEqual([]);
    } finally {
      await fresh.close();
    }
  }, 60_000);

  test('a Run pressed before the terminal is ready runs once the lesson\'s start state is there', async () => {
    const page = await site.browser.context.newPage();
    try {
      await recordResets(page);
      // Hold the worker's script back so that the click surely comes before "ready".
      let release = (): void => undefined;
      const held = new Promise<void>((r) => (release = r));
      await page.route(/\/_astro\/worker-[^/]*\.js$/, async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`${site.server.url}/zh-cn/lessons/scale-service/`, { waitUntil: 'domcontentloaded' });
      await page.locator('.lesson-cmd-actions button[data-command="run"]').first().click();
      expect(await page.getAttribute('lesson-terminal', 'data-state')).toBe('loading');
      release();
      // The start state first (scale-service's helloworld; resetSwarm is a stand-in here), then
      // the command the Run typed, on it.
      await waitScreen(page, /\$ docker service scale helloworld=5/);
      expect(await resets(page)).toEqual([{ setup: ['docker service create --detach --replicas 1 --name helloworld redis:7.4.0'] }]);
    } finally {
      await page.close();
    }
  }, 60_000);

  test('the prompt is ready before the docker CLI has loaded; a command typed meanwhile runs when it arrives', async () => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      let release = (): void => undefined;
      const held = new Promise<void>((r) => (release = r));
      let asked = false;
      await page.route(/\/_astro\/cli-[^/]*\.js$/, async (route) => {
        asked = true;
        await held;
        await route.continue();
      });
      // A lesson whose start state is the plain swarm: no setup commands before the prompt.
      await page.goto(`${site.server.url}/lessons/rolling-update/`);
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });
      await page.locator('lesson-terminal .xterm-helper-textarea').focus();
      await page.keyboard.type('docker node ls');
      await page.keyboard.press('Enter');
      await new Promise((r) => setTimeout(r, 500));
      expect(asked, 'the worker asked for the CLI once the prompt was up').toBe(true);
      expect(await page.getAttribute('lesson-terminal', 'data-state')).toBe('busy');
      expect(await screen(page)).not.toContain('MANAGER STATUS');
      release();
      await waitScreen(page, /HOSTNAME\s+STATUS\s+AVAILABILITY\s+MANAGER STATUS/);
      await page.waitForSelector('lesson-terminal[data-state="ready"]');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  test('a docker command whose code cannot be fetched says so, and the next one fetches it again', async () => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      let failing = true;
      await page.route(/\/_astro\/cli-[^/]*\.js$/, (route) => (failing ? route.abort('internetdisconnected') : route.continue()));
      await page.goto(`${site.server.url}/lessons/rolling-update/`);
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });
      await page.locator('lesson-terminal .xterm-helper-textarea').focus();
      await page.keyboard.type('docker node ls');
      await page.keyboard.press('Enter');
      await waitScreen(page, /the docker command could not be loaded/);
      await page.waitForSelector('lesson-terminal[data-state="ready"]');
      failing = false;
      await page.keyboard.type('docker node ls');
      await page.keyboard.press('Enter');
      await waitScreen(page, /HOSTNAME\s+STATUS\s+AVAILABILITY\s+MANAGER STATUS/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  test('narrow screen: the terminal is a drawer the keyboard opens and closes; Run opens it', async () => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.setViewportSize({ width: 600, height: 800 });
      await page.goto(`${site.server.url}/lessons/rolling-update/`);
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { state: 'attached', timeout: 30_000 });
      const toggle = page.locator('.lesson-dock-toggle');
      const terminal = page.locator('lesson-terminal');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await terminal.isVisible()).toBe(false);

      await toggle.focus();
      await page.keyboard.press('Enter');
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      expect(await toggle.textContent()).toBe('Hide terminal');
      await terminal.waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await terminal.waitFor({ state: 'hidden' });

      await page.locator('.lesson-cmd-actions button[data-command="run"]').nth(1).click();
      await terminal.waitFor({ state: 'visible' });
      await waitScreen(page, /docker service inspect --pretty redis/, 30_000);
      expect(await axeViolations(page, ['.lesson-dock', '.lesson-cmd-actions'])).toEqual([]);

      // Run left the focus in the terminal; Escape closes the drawer and returns to the toggle.
      expect(await page.evaluate(() => document.activeElement?.closest('lesson-terminal') !== null)).toBe(true);
      await page.keyboard.press('Escape');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await page.evaluate(() => document.activeElement?.classList.contains('lesson-dock-toggle'))).toBe(true);
      await terminal.waitFor({ state: 'hidden' });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);
});
