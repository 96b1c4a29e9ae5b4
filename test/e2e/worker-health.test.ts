// The engine worker dies without a word or hangs, on the BUILT site in chromium: the worker is
// terminated from the page (no error event reaches it, as when the browser reclaims a worker),
// or its event loop is put in an endless loop (through the devtools protocol, as a stuck engine
// would be). Either way the terminal must notice within its heartbeat's deadline, say so in the
// learner's language, come back from the last saved swarm within 3 s, and run commands again.
// A command that legitimately runs for seconds (the worker awaits timers) is not mistaken for a hang.
import type { Page, Worker } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './browser.js';
import { promptCount, screen, siteInChromium, waitNextPrompt, waitScreen, typeCommand } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/worker-health.test.ts');
const site = siteInChromium({ browser: run });

const ready = (page: Page) => page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });

const command = typeCommand;

/**
 * Breaks the worker with `how` (which returns when it is broken), then measures, in the page,
 * the time until the terminal shows `notice` and is ready for typing again.
 */
async function recovery(page: Page, how: () => Promise<void>, notice: RegExp): Promise<number> {
  await page.evaluate(() => ((window as unknown as { brokeAt: number }).brokeAt = performance.now()));
  await how();
  const elapsed = await page.waitForFunction(
    (source) => {
      const t = document.querySelector('lesson-terminal') as unknown as (HTMLElement & { screenText(): string }) | null;
      if (!t || t.dataset.state !== 'ready' || !new RegExp(source).test(t.screenText().replace(/\n/g, ''))) return false;
      return performance.now() - (window as unknown as { brokeAt: number }).brokeAt;
    },
    notice.source,
    { timeout: 30_000, polling: 20 },
  );
  return (await elapsed.jsonValue()) as number;
}

/** The engine worker of the page (the newest: a restart replaces it). */
async function engineWorker(page: Page): Promise<Worker> {
  const workers = page.workers();
  expect(workers.length).toBeGreaterThan(0);
  return workers[workers.length - 1]!;
}

const KILL = () => (document.querySelector('lesson-terminal') as unknown as { simulateKill(): void }).simulateKill();

describe.skipIf(!run)('a killed or hung engine worker', () => {
  test('killed (terminated, no event) and hung (an endless loop): each noticed, said, restored within 3 s; commands work after', async () => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(`${site.server.url}/lessons/deploy-service/`);
      await ready(page);
      await command(page, 'docker service create --name web --replicas 2 redis:7.4.0', /verify: Service \w+ converged/);

      // 1. Terminated from the page: no error event, the comlink calls would never settle.
      const killed = await recovery(page, () => page.evaluate(KILL), /The simulator stopped responding and was restarted from the last saved state of your swarm\./);
      console.log(`recovery of a killed worker: ${Math.round(killed)} ms`);
      expect(killed).toBeLessThan(3_000);
      // The same swarm (restored from the snapshot after the create), and it runs commands.
      await command(page, 'docker service ls', /web +replicated +2\/2/);

      // 2. Hung: the worker's event loop never turns again (a stuck engine).
      const worker = await engineWorker(page);
      const hung = await recovery(
        page,
        async () => {
          void worker.evaluate(() => {
            for (;;) {
              /* the worker never answers again */
            }
          }).catch(() => undefined); // settles only when the terminal terminates it
          // evaluate() has reached the worker once a ping goes unanswered for a while: give it a moment.
          await new Promise((r) => setTimeout(r, 50));
        },
        /The simulator stopped responding and was restarted from the last saved state of your swarm\.[\s\S]*The simulator stopped responding and was restarted/,
      );
      console.log(`recovery of a hung worker: ${Math.round(hung)} ms`);
      expect(hung).toBeLessThan(3_000);
      await command(page, 'docker service ps web --format "{{.Name}} {{.CurrentState}}"', /web\.2 Running/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  test('killed in the middle of a command, on the Chinese page: said in Chinese, the terminal is not left busy', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.goto(`${site.server.url}/zh-cn/lessons/deploy-service/`);
      await ready(page);
      await page.locator('lesson-terminal .xterm-helper-textarea').focus();
      await page.keyboard.type('sleep 600');
      await page.keyboard.press('Enter');
      await page.waitForSelector('lesson-terminal[data-state="busy"]', { timeout: 10_000 });
      const killed = await recovery(page, () => page.evaluate(KILL), /模拟器停止响应，已从你的 swarm 最近保存的状态重新启动。/);
      expect(killed).toBeLessThan(3_000);
      await command(page, 'echo still here', /still here/);
    } finally {
      await page.close();
    }
  }, 120_000);

  test('a command that runs for seconds (the worker awaits its clock) is not taken for a hang', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.goto(`${site.server.url}/lessons/deploy-service/`);
      await ready(page);
      const before = await promptCount(page);
      const start = Date.now();
      await page.locator('lesson-terminal .xterm-helper-textarea').focus();
      await page.keyboard.type('sleep 5');
      await page.keyboard.press('Enter');
      await waitNextPrompt(page, before, 30_000);
      expect(Date.now() - start).toBeGreaterThan(4_500);
      expect(await screen(page)).not.toContain('stopped responding');
    } finally {
      await page.close();
    }
  }, 60_000);
});
