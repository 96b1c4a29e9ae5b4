// The terminal's backend switch on the BUILT site in chromium. The local server
// (`swarm-lab local`) is started in-process over the built site with the SIMULATOR as its
// "real" swarm (a second one, apart from the page's own simulated swarm in its worker), so
// the whole path runs without Docker: the printed URL hands the page its token, the switch
// connects over the WebSocket, a lesson's Run button and its step check work against the
// server's swarm, the page's simulated swarm is still there on the way back, and a stopped
// server is reported with the simulated swarm on offer. Opened from a plain static server
// (no token) the switch explains how to start local mode instead.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../../engine/node/server/server.js';
import { startLocalServer } from '../../engine/node/server/server.js';
import { Simulator } from '../../engine/sim/simulator.js';
import type { Browser, StaticServer } from './browser.js';
import { chromiumAvailable, launchChromium, serveStatic } from './browser.js';
import { axeSerious, promptCount, screen, waitNextPrompt, waitScreen, waitSettled, waitStepDone } from './lesson-site.js';
import { builtSite } from './site.js';
import { simBackend } from '../helpers/sim-backend.js';

const run = chromiumAvailable('test/e2e/local-switch.test.ts');

/** Simulated seconds per real second on the server's swarm: redis converges in well under a second. */
const SPEED = 40;

const badge = (page: Page): Promise<string | null> => page.textContent('lesson-terminal .lt-badge');
const backend = (page: Page): Promise<string | null> => page.getAttribute('lesson-terminal', 'data-backend');
const switchButton = (page: Page) => page.locator('lesson-terminal [data-backend-switch]');

/** Types a line into the terminal as the learner would and waits for the next prompt. */
async function typeLine(page: Page, line: string): Promise<void> {
  const before = await promptCount(page);
  await page.evaluate((text) => (document.querySelector('lesson-terminal') as unknown as { typeText(t: string): void }).typeText(text), `${line}\n`);
  await waitNextPrompt(page, before);
}

describe.skipIf(!run)('backend switch', () => {
  let sim: Simulator;
  let driver: ReturnType<typeof setInterval>;
  let local: LocalServer | undefined;
  let statics: StaticServer;
  let browser: Browser;
  const logs: string[] = [];

  beforeAll(async () => {
    const siteDir = await builtSite();
    sim = new Simulator({ seed: 11, startEpochMs: Date.now() });
    driver = setInterval(() => sim.clock.advance(20 * SPEED), 20);
    local = await startLocalServer({ siteDir, backend: simBackend(sim), log: (l) => logs.push(l) });
    statics = await serveStatic(siteDir);
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    clearInterval(driver);
    await browser?.close();
    await local?.close();
    await statics?.close();
  });

  test('from the printed URL: Local runs the lesson on the server swarm, Simulated comes back intact, a stopped server is reported', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      // The printed address: the token moves from the fragment into the tab's storage.
      await page.goto(local!.url);
      await page.waitForFunction(() => location.hash === '');
      const token = /#t=(.+)$/.exec(local!.url)![1];
      expect(await page.evaluate(() => sessionStorage.getItem('swarm-lab:local-token'))).toBe(token);
      expect(page.url()).not.toContain('#t=');

      await page.goto(`${new URL(local!.url).origin}/lessons/rolling-update/`);
      await waitSettled(page);
      expect(await badge(page)).toBe('Simulated');
      expect(await backend(page)).toBe('simulated');
      expect(await switchButton(page).textContent()).toBe('Use local Docker');
      // Something only the page's simulated swarm has.
      await typeLine(page, 'docker service create --detach --name simonly alpine ping docker.com');

      // Switch to the server's swarm.
      await switchButton(page).click();
      await page.waitForSelector('lesson-terminal[data-backend="local"][data-state="ready"]', { timeout: 15_000 });
      expect(await badge(page)).toBe('Local Docker: manager1');
      expect(await switchButton(page).textContent()).toBe('Use the simulator');
      expect(await page.isVisible('lesson-terminal .lt-speed')).toBe(false);
      await waitScreen(page, /Local Docker swarm \(manager1, worker1, worker2\) through swarm-lab local/);
      expect(await screen(page)).not.toContain('simonly');
      expect(await axeSerious(page), 'local mode header').toEqual([]);

      // The lesson's first Run button, on the server's swarm: it converges and the step is done.
      const before = await promptCount(page);
      await page.locator('.lesson-cmd-actions button[data-command="run"]').first().click();
      await waitNextPrompt(page, before);
      const text = await screen(page);
      expect(text).toContain('docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0');
      expect(text).toMatch(/verify: Service \w+ converged/);
      await waitStepDone(page, 'create', 30_000);
      const services = await sim.api('manager1').serviceList();
      expect(services.map((s) => s.Spec.Name)).toEqual(['redis']);
      expect(services[0]!.Spec.TaskTemplate.ContainerSpec?.Image).toBe('redis:7.4.0');
      await typeLine(page, 'docker service ls');
      expect(await screen(page)).toMatch(/redis\s+replicated\s+3\/3\s+redis:7\.4\.0/);

      // A full page load (reload, language switch) comes back to the real swarm.
      await page.reload();
      await page.waitForSelector('lesson-terminal[data-backend="local"][data-state="ready"]', { timeout: 30_000 });
      expect(await badge(page)).toBe('Local Docker: manager1');
      await typeLine(page, 'docker service ls');
      expect(await screen(page)).toMatch(/redis\s+replicated\s+3\/3\s+redis:7\.4\.0/);

      // Back to the simulated swarm: its screen and its service are as they were.
      await switchButton(page).click();
      await page.waitForSelector('lesson-terminal[data-backend="simulated"][data-state="ready"]', { timeout: 15_000 });
      expect(await badge(page)).toBe('Simulated');
      expect(await page.isVisible('lesson-terminal .lt-speed')).toBe(true);
      expect(await screen(page)).toContain('docker service create --detach --name simonly alpine ping docker.com');
      expect(await screen(page)).not.toContain('Local Docker swarm');
      await typeLine(page, 'docker service ls');
      const rows = (await screen(page)).split('docker service ls').pop()!;
      expect(rows).toMatch(/simonly\s+replicated/);
      expect(rows).not.toMatch(/\bredis\s+replicated/);

      // Local again, then the server stops: the page says so, stays usable, Enter returns to the simulator.
      await switchButton(page).click();
      await page.waitForSelector('lesson-terminal[data-backend="local"][data-state="ready"]', { timeout: 15_000 });
      // Ctrl-C stops a command running on the server (`sleep` waits on the server's clock: 1.5 min here).
      await page.locator('lesson-terminal .xterm').click();
      const beforeSleep = await promptCount(page);
      await page.keyboard.type('sleep 3600\n');
      await page.waitForSelector('lesson-terminal[data-state="busy"]', { timeout: 10_000 });
      await page.keyboard.press('Control+C');
      await waitNextPrompt(page, beforeSleep, 15_000);
      // The server stops while a command runs: the terminal does not stay busy.
      await page.keyboard.type('sleep 3600\n');
      await page.waitForSelector('lesson-terminal[data-state="busy"]', { timeout: 10_000 });
      await local!.close();
      local = undefined;
      await page.waitForSelector('lesson-terminal[data-backend="lost"]', { timeout: 15_000 });
      await waitScreen(page, /The local server stopped \(the connection closed\)\. Press Enter to go back to the simulated swarm\./);
      expect(await badge(page)).toBe('Local Docker: disconnected');
      expect(await axeSerious(page), 'server stopped').toEqual([]);
      expect(await page.getAttribute('lesson-terminal', 'data-state')).toBe('ready');
      await page.locator('lesson-terminal .xterm').click();
      await page.keyboard.press('Enter');
      await page.waitForSelector('lesson-terminal[data-backend="simulated"][data-state="ready"]', { timeout: 15_000 });
      expect(await badge(page)).toBe('Simulated');
      await typeLine(page, 'docker service ls');
      expect((await screen(page)).split('docker service ls').pop()).toMatch(/simonly\s+replicated/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);

  test('a lesson start state on the real swarm: the services to remove are listed first, Keep keeps them, confirming applies the start state', async () => {
    // A server of its own (the first test stops its server at the end).
    const real = new Simulator({ seed: 12, startEpochMs: Date.now() });
    const realDriver = setInterval(() => real.clock.advance(20 * SPEED), 20);
    const server = await startLocalServer({ siteDir: await builtSite(), backend: simBackend(real) });
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const api = real.api('manager1');
    const spec = (name: string, labels: Record<string, string>) => ({
      Name: name,
      Labels: labels,
      TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0' }, ForceUpdate: 0 },
      Mode: { Replicated: { Replicas: 1 } },
    });
    const names = async (): Promise<string[]> => (await api.serviceList()).map((s) => s.Spec.Name).sort();
    const dialog = page.locator('dialog.lesson-local-reset-dialog');
    const startStatus = (): Promise<string | null> => page.getAttribute('.lesson-columns', 'data-start-state');
    try {
      // One service Swarm Lab made earlier (its label), one of the learner's own.
      await api.serviceCreate(spec('web', { 'io.swarm-lab.managed': 'true' }));
      await api.serviceCreate(spec('mine', {}));
      await page.goto(server.url);
      await page.waitForFunction(() => location.hash === '');
      const origin = new URL(server.url).origin;
      await page.goto(`${origin}/lessons/drain-node/`);
      await waitSettled(page);
      await switchButton(page).click();
      await page.waitForSelector('lesson-terminal[data-backend="local"][data-state="ready"]', { timeout: 15_000 });
      // Switching does not touch the real swarm; showing a lesson page does, after asking.
      expect(await names()).toEqual(['mine', 'web']);

      await page.reload();
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      expect(await dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
      expect(await dialog.locator('li').allTextContents()).toEqual(['web']);
      expect(await dialog.textContent()).toContain("Put your real swarm in this lesson's start state?");
      expect(await startStatus()).toBe('pending');
      // Keyboard: focus starts on "Keep my swarm"; labelled and described; no serious axe issue.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep my swarm');
      expect(await dialog.getAttribute('aria-labelledby')).toBe('lesson-local-reset-title');
      expect(await axeSerious(page), 'local reset dialog').toEqual([]);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden', timeout: 5000 });
      await page.waitForSelector('.lesson-columns[data-start-state="kept"]', { timeout: 10_000 });
      expect(await names()).toEqual(['mine', 'web']);
      expect(await backend(page)).toBe('local');

      // Asked again on the next page load; confirmed this time.
      await page.reload();
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      await dialog.locator('button[value="reset"]').click();
      await page.waitForSelector('.lesson-columns[data-start-state="applied"]', { timeout: 30_000 });
      await page.waitForSelector('lesson-terminal[data-backend="local"][data-state="ready"]', { timeout: 15_000 });
      expect(await names()).toEqual(['mine', 'redis']);
      const redis = await api.serviceInspect('redis');
      expect(redis.Spec.Labels['io.swarm-lab.managed']).toBe('true');
      expect(redis.Spec.Mode.Replicated?.Replicas).toBe(3);
      await waitScreen(page, /Local Docker swarm \(manager1, worker1, worker2\)/);
      // The lesson's checks run on the real swarm: its service is there, converging.
      await typeLine(page, 'docker service ls');
      expect(await screen(page)).toMatch(/redis\s+replicated\s+\d\/3\s+redis:7\.4\.0/);

      // Still in that start state: the next load asks nothing.
      await page.reload();
      await page.waitForSelector('lesson-terminal[data-backend="local"][data-state="ready"]', { timeout: 30_000 });
      await page.waitForSelector('.lesson-columns[data-start-state="applied"]', { timeout: 30_000 });
      expect(await dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
      expect(await names()).toEqual(['mine', 'redis']);

      // The Chinese page asks in Chinese.
      await api.serviceCreate(spec('web2', { 'io.swarm-lab.managed': 'true' }));
      await page.goto(`${origin}/zh-cn/lessons/drain-node/`);
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      expect(await dialog.locator('h2').textContent()).toBe('要把你的真实 swarm 恢复到本课的起始状态吗？');
      expect((await dialog.locator('li').allTextContents()).sort()).toEqual(['redis', 'web2']);
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('保留我的 swarm');
      await page.keyboard.press('Escape');
      await page.waitForSelector('.lesson-columns[data-start-state="kept"]', { timeout: 10_000 });
      expect(await names()).toEqual(['mine', 'redis', 'web2']);
      // Back on the English page (nothing was used yet): asked again, confirmed.
      await page.goto(`${origin}/lessons/drain-node/`);
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      expect((await dialog.locator('li').allTextContents()).sort()).toEqual(['redis', 'web2']);
      await dialog.locator('button[value="reset"]').click();
      await page.waitForSelector('.lesson-columns[data-start-state="applied"]', { timeout: 30_000 });
      expect(await names()).toEqual(['mine', 'redis']);

      // Reset always resets the real swarm: after Reset's own question, the services to remove are listed.
      const before = (await api.serviceInspect('redis')).ID;
      await page.click('[data-progress="reset"]');
      expect(await page.textContent('#lesson-reset-text')).toMatch(/^Your real swarm goes back to the lesson's start/);
      await page.locator('dialog.lesson-reset-dialog button[value="reset"]').click();
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      expect(await dialog.locator('li').allTextContents()).toEqual(['redis']);
      await dialog.locator('button[value="reset"]').click();
      await dialog.waitFor({ state: 'hidden', timeout: 5000 });
      for (let i = 0; i < 100 && (await api.serviceList()).find((s) => s.Spec.Name === 'redis')?.ID === before; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await names()).toEqual(['mine', 'redis']);
      expect((await api.serviceInspect('redis')).ID).not.toBe(before);

      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await server.close();
      clearInterval(realDriver);
    }
  }, 180_000);

  test('a second tab gets a clear message: another tab holds the local terminal', async () => {
    const real = new Simulator({ seed: 13, startEpochMs: Date.now() });
    const realDriver = setInterval(() => real.clock.advance(20 * SPEED), 20);
    const server = await startLocalServer({ siteDir: await builtSite(), backend: simBackend(real) });
    const first = await browser.context.newPage();
    const second = await browser.context.newPage();
    try {
      const origin = new URL(server.url).origin;
      for (const page of [first, second]) {
        await page.goto(server.url);
        await page.waitForFunction(() => location.hash === '');
        await page.goto(`${origin}/lessons/rolling-update/`);
        await waitSettled(page);
      }
      await switchButton(first).click();
      await first.waitForSelector('lesson-terminal[data-backend="local"][data-state="ready"]', { timeout: 15_000 });
      await switchButton(second).click();
      await waitScreen(second, /Could not connect to the local server \(another tab holds the local terminal: close that tab or switch it to the simulator, then try again\)\./, 30_000);
      expect(await backend(second)).toBe('simulated');
      expect(await backend(first)).toBe('local');
    } finally {
      await first.close();
      await second.close();
      await server.close();
      clearInterval(realDriver);
    }
  }, 120_000);

  test.each([
    { path: '/lessons/rolling-update/', title: 'Run the lessons on a real Docker swarm', button: 'Use local Docker', close: 'Close' },
    { path: '/zh-cn/lessons/rolling-update/', title: '在真实的 Docker swarm 上学习课程', button: '使用本地 Docker', close: '关闭' },
  ])('$path without a token: the switch explains how to start local mode', async ({ path, title, button, close }) => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${statics.url}${path}`);
      await waitSettled(page);
      expect(await switchButton(page).textContent()).toBe(button);
      expect(await switchButton(page).getAttribute('aria-haspopup')).toBe('dialog');
      await switchButton(page).click();
      const dialog = page.locator('lesson-terminal dialog.lt-local-help');
      await dialog.waitFor({ state: 'visible', timeout: 5000 });
      expect(await dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
      const text = (await dialog.textContent()) ?? '';
      expect(text).toContain(title);
      expect(text).toContain('npm run sandbox:up');
      expect(text).toContain('npx swarm-lab local');
      expect(await axeSerious(page), 'explanation open').toEqual([]);
      // Labelled by its heading; focus inside; Escape closes it and gives focus back to the switch.
      expect(await dialog.getAttribute('aria-labelledby')).toBe('lt-local-help-title');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(close);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden', timeout: 5000 });
      expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-backend-switch'))).toBe(true);
      // Nothing changed: still the simulated swarm.
      expect(await badge(page)).toBe(path.startsWith('/zh-cn/') ? '模拟' : 'Simulated');
      expect(await backend(page)).toBe('simulated');
    } finally {
      await page.close();
    }
  }, 120_000);
});
