// The lesson terminal in a real browser: Debian's chromium drives the <lesson-terminal>
// element (built with Vite from test/e2e/fixture-page, the same client code the site
// uses) and reads xterm's buffer back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, StaticServer } from './browser.js';
import { chromiumAvailable, launchChromium, serveStatic } from './browser.js';

const run = chromiumAvailable('test/e2e/terminal.test.ts');
const PROMPT = 'docker@manager1:~$ ';

describe.skipIf(!run)('lesson terminal in chromium', () => {
  let outDir: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'swarm-lab-fixture-'));
    await build({
      configFile: false,
      root: fileURLToPath(new URL('./fixture-page/', import.meta.url)),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
      worker: { format: 'es' },
    });
    server = await serveStatic(outDir);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  const screen = (): Promise<string> => page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { screenText(): string }).screenText());
  const lastLine = async (): Promise<string> => ((await screen()).split('\n').pop() ?? '').trimEnd();
  const state = (): Promise<string | null> => page.getAttribute('lesson-terminal', 'data-state');
  const waitReady = (): Promise<unknown> => page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });
  const type = async (text: string): Promise<void> => {
    await page.locator('lesson-terminal .xterm').click();
    await page.keyboard.type(text);
  };

  test('starts loading, becomes ready with the banner and a prompt', async () => {
    await waitReady();
    const text = await screen();
    expect(text).toContain('Simulated Docker swarm (manager1, worker1, worker2).');
    expect(await lastLine()).toBe(PROMPT.trimEnd());
    expect(await page.textContent('lesson-terminal .lt-badge')).toBe('Simulated');
  });

  test('service create: busy while the progress display runs, then converged', async () => {
    await page.click('lesson-terminal [data-speed="20"]');
    expect(await page.getAttribute('lesson-terminal [data-speed="20"]', 'aria-pressed')).toBe('true');
    await type('docker service create --replicas 3 --name redis redis:7.4.0');
    await page.keyboard.press('Enter');
    await page.waitForSelector('lesson-terminal[data-state="busy"]', { timeout: 5000 });
    await waitReady();
    const text = await screen();
    const out = text.slice(text.lastIndexOf(`${PROMPT}docker service create`));
    expect(out).toMatch(/\n[a-z0-9]{25}\n/);
    expect(out).toContain('overall progress: 3 out of 3 tasks');
    for (const n of [1, 2, 3]) expect(out).toMatch(new RegExp(`\\n${n}/3: running\\b`));
    expect(out).toMatch(/verify: Service [a-z0-9]{25} converged/);
    expect(await lastLine()).toBe(PROMPT.trimEnd());
    // The aria-live transcript holds the command and its final output.
    const live = await page.textContent('lesson-terminal .lt-live');
    expect(live).toContain('$ docker service create --replicas 3 --name redis redis:7.4.0');
    expect(live).toContain('overall progress: 3 out of 3 tasks');
  });

  test('Up arrow recalls the command; Ctrl-U clears the line', async () => {
    await page.keyboard.press('ArrowUp');
    await expect.poll(lastLine).toBe(`${PROMPT}docker service create --replicas 3 --name redis redis:7.4.0`);
    await page.keyboard.press('Control+U');
    await expect.poll(lastLine).toBe(PROMPT.trimEnd());
  });

  test('Tab completes "docker serv" to "docker service "', async () => {
    await type('docker serv');
    await page.keyboard.press('Tab');
    await expect.poll(lastLine).toBe(`${PROMPT}docker service`);
    // The completion added the space: typing "ls" makes a valid command.
    await page.keyboard.type('ls');
    await page.keyboard.press('Enter');
    await waitReady();
    expect(await screen()).toMatch(/\nID +NAME +MODE +REPLICAS +IMAGE +PORTS\n[a-z0-9]{12} +redis +replicated +3\/3 +redis:7\.4\.0 *\n/);
  });

  test('Ctrl-C during an update prints "Operation continuing in background."', async () => {
    await page.click('lesson-terminal [data-speed="1"]');
    await type('docker service update --image redis:7.4.1 redis');
    await page.keyboard.press('Enter');
    await page.waitForSelector('lesson-terminal[data-state="busy"]');
    await expect.poll(async () => (await screen()).split('docker service update --image').pop() ?? '', { timeout: 10_000 }).toContain('overall progress');
    expect(await state()).toBe('busy');
    await page.keyboard.press('Control+C');
    await waitReady();
    const out = (await screen()).split('docker service update --image').pop() ?? '';
    expect(out).toContain('^COperation continuing in background.');
    expect(await lastLine()).toBe(PROMPT.trimEnd());
  });

  test('a crashed worker is reported and restarted from the last saved state of the swarm', async () => {
    await page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { simulateCrash(): void }).simulateCrash());
    await expect.poll(screen).toContain('The simulator stopped unexpectedly and was restarted from the last saved state of your swarm.');
    await waitReady();
    await type('docker service ls');
    await page.keyboard.press('Enter');
    await waitReady();
    const out = (await screen()).split('The simulator stopped unexpectedly').pop() ?? '';
    // The redis service the earlier tests created (and were updating) is still there.
    expect(out).toMatch(/docker service ls\nID +NAME +MODE +REPLICAS +IMAGE +PORTS\n[0-9a-z]{12} +redis +replicated +\d\/3 +redis:7\.4\.1 *\n/);
  });

  test('no page errors', () => {
    expect(errors).toEqual([]);
  });
});
