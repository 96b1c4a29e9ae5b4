// The learner's swarm outlives what would otherwise end it, on the BUILT site in chromium:
// a worker crash (the terminal says so and restarts from the last saved state), a language
// switch through Starlight's picker and a reload (full page loads: the tab's saved swarm,
// scrollback and lesson start state come back). "The same swarm" is checked by IDs: the
// service's ID and its tasks' IDs and nodes, which a fresh swarm would draw anew.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './browser.js';
import { screen, siteInChromium, waitScreen, typeCommand } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/swarm-restore.test.ts');
const site = siteInChromium({ browser: run });

const ready = (page: Page) => page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });

const command = typeCommand;

/** What identifies this very swarm: its service's ID, its tasks' IDs and nodes. */
async function identity(page: Page): Promise<string> {
  const ls = await command(page, 'docker service ls --format "{{.ID}}={{.Name}}"', /=web/);
  const ps = await command(page, 'docker service ps web --format "{{.ID}}@{{.Node}}"', /@/);
  const ids = (text: string, re: RegExp) => (text.match(re) ?? []).join(' ');
  return `${ids(ls, /^[0-9a-z]{12}=web$/gm)} / ${ids(ps, /^[0-9a-z]{12}@\S+$/gm)}`;
}

describe.skipIf(!run)('the swarm survives crashes and page loads', () => {
  test('worker crash, language switch and reload all come back to the same swarm and scrollback', async () => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(`${site.server.url}/lessons/deploy-service/`);
      await ready(page);
      await command(page, 'docker service create --name web --replicas 2 redis:7.4.0', /verify: Service \w+ converged/);
      await command(page, 'ssh worker1', /worker1:~\$/);
      await command(page, 'exit', /Connection to worker1 closed\./);
      const before = await identity(page);
      expect(before).toMatch(/^[0-9a-z]{12}=web \/ [0-9a-z]{12}@\S+ [0-9a-z]{12}@\S+$/);

      // 1. The worker dies: the terminal says so, and the swarm is the one the learner had.
      await page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { simulateCrash(): void }).simulateCrash());
      await waitScreen(page, /The simulator stopped unexpectedly and was restarted from the last saved state of your swarm\./);
      await ready(page);
      expect(await identity(page)).toBe(before);

      // 2. The language picker: a full page load of the Chinese page, the same swarm.
      await page.selectOption('starlight-lang-select select', { label: '简体中文' });
      await page.waitForURL(/\/zh-cn\/lessons\/deploy-service\/$/);
      await ready(page);
      const text = await screen(page);
      // The scrollback came along (the create's progress display, the ssh round trip) ...
      expect(text).toContain('docker service create --name web --replicas 2 redis:7.4.0');
      expect(text).toContain('Connection to worker1 closed.');
      // ... without a fresh swarm's banner, and the start-state logic left the swarm alone.
      expect(text).not.toContain('模拟的 Docker swarm');
      expect(await identity(page)).toBe(before);
      // A crash on the Chinese page is reported in Chinese, and again keeps the swarm.
      await page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { simulateCrash(): void }).simulateCrash());
      await waitScreen(page, /模拟器意外停止，已从你的 swarm 最近保存的状态重新启动。/);
      await ready(page);
      expect(await identity(page)).toBe(before);
      // The shell's own history came along too.
      expect(await command(page, 'history', /history/)).toMatch(/ssh worker1\n +\d+ +exit\n/);

      // 3. A reload of a lesson with its own start state: the learner's swarm is kept (it was used).
      await page.goto(`${site.server.url}/lessons/scale-service/`);
      await ready(page);
      await page.reload();
      await ready(page);
      expect(await identity(page)).toBe(before);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);

  test('an unused swarm still takes the next lesson start state after a page load; junk in storage gives a fresh swarm, and the terminal says so', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.goto(`${site.server.url}/lessons/scale-service/`);
      await ready(page);
      await waitScreen(page, /Simulated Docker swarm/);
      // The start-state reset of scale-service (helloworld) happens once the page is ready.
      await page.waitForFunction(() => sessionStorage.getItem('swarm-lab:swarm')?.includes('helloworld') === true, undefined, { timeout: 30_000 });
      await page.goto(`${site.server.url}/zh-cn/lessons/scale-service/`);
      await ready(page);
      expect(await command(page, 'docker service ls', /helloworld/)).toMatch(/helloworld +replicated/);

      // Set before the next page's scripts run (the leaving page saves its swarm on pagehide).
      await page.addInitScript(() =>
        sessionStorage.setItem('swarm-lab:swarm', '{"format":1,"ranOnMs":0,"savedAt":0,"engine":{"format":1,"nope":true},"screen":["stale line"],"meta":{}}'),
      );
      await page.goto(`${site.server.url}/lessons/deploy-service/`);
      await ready(page);
      await waitScreen(page, /Simulated Docker swarm/);
      expect(await screen(page)).not.toContain('stale line');
      // The learner is told why their swarm is not there, above the fresh swarm's banner.
      const lost = 'Your swarm from before could not be restored (its saved copy is damaged or from another version of Swarm Lab). A fresh simulated swarm has been started.';
      expect(await screen(page)).toMatch(new RegExp(`${lost.replace(/[.()]/g, '\\$&')}Simulated Docker swarm`));
      expect(await command(page, 'docker service ls', /NAME/)).not.toMatch(/helloworld/);

      // Stored text that is not even JSON: the same notice, in the page's language.
      await page.addInitScript(() => sessionStorage.setItem('swarm-lab:swarm', '{"format":1,"ranOnMs":0,"sav'));
      await page.goto(`${site.server.url}/zh-cn/lessons/deploy-service/`);
      await ready(page);
      await waitScreen(page, /无法恢复你之前的 swarm（保存的副本已损坏，或来自另一个版本的 Swarm Lab），已启动一个新的模拟 swarm。模拟的 Docker swarm/);
    } finally {
      await page.close();
    }
  }, 120_000);
});
