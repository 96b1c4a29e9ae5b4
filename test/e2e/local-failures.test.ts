// Local-mode failures as the learner reads them on the BUILT site, in chromium, in English and
// Chinese: the switch to local Docker when the server's Docker cannot run the lessons (the
// `ready` frame's failure: the page says why, around Docker's own text, and stays simulated),
// and a failure found after a command (an image missing on a node: told before the prompt).
// The failures themselves are produced for real in test/local-failures.test.ts; here the
// server's backend is the simulator with a probe that reports what the test sets.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalFailure } from '../../engine/node/docker/failures.js';
import type { LocalBackend } from '../../engine/node/server/backend.js';
import type { LocalServer } from '../../engine/node/server/server.js';
import { startLocalServer } from '../../engine/node/server/server.js';
import { Simulator } from '../../engine/sim/simulator.js';
import type { Browser } from './browser.js';
import { chromiumAvailable, launchChromium } from './browser.js';
import { promptCount, screen, waitNextPrompt, waitScreen, waitSettled } from './lesson-site.js';
import { builtSite } from './site.js';
import { simBackend } from '../helpers/sim-backend.js';

const run = chromiumAvailable('test/e2e/local-failures.test.ts');
const SPEED = 40;
const WORKER =
  "Error response from daemon: This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";

describe.skipIf(!run)('local-mode failures in the page', () => {
  let sim: Simulator;
  let driver: ReturnType<typeof setInterval>;
  let local: LocalServer | undefined;
  let browser: Browser;
  /** What the server's probe reports now. */
  let failure: LocalFailure | undefined;

  beforeAll(async () => {
    const siteDir = await builtSite();
    sim = new Simulator({ seed: 5, startEpochMs: Date.now() });
    driver = setInterval(() => sim.clock.advance(20 * SPEED), 20);
    const backend: LocalBackend = {
      ...simBackend(sim),
      probe: () => Promise.resolve(failure),
      // As if worker2 had not got the image (the simulator has every image everywhere).
      missingImages: (service) =>
        Promise.resolve(service === 'web' ? [{ kind: 'image-missing', docker: 'No such image: redis:7.4.0', node: 'worker2', image: 'redis:7.4.0' }] : []),
    };
    local = await startLocalServer({ siteDir, backend });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    clearInterval(driver);
    await browser?.close();
    await local?.close();
  });

  async function lessonPage(path: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(local!.url);
    await page.waitForFunction(() => location.hash === '');
    await page.goto(`${new URL(local!.url).origin}${path}`);
    await waitSettled(page);
    return page;
  }

  test.each([
    {
      path: '/lessons/rolling-update/',
      said: `This Docker is a swarm worker, not a manager. Docker says: ${WORKER} Point DOCKER_HOST at a manager node, or run npm run sandbox:up as root. The simulated swarm stays.`,
    },
    {
      path: '/zh-cn/lessons/rolling-update/',
      said: `这个 Docker 是 swarm 的工作节点（worker），不是管理节点（manager）。Docker 的提示：${WORKER} 请把 DOCKER_HOST 指向一个管理节点，或以 root 身份运行 npm run sandbox:up。继续使用模拟的 swarm。`,
    },
  ])('$path: switching to a Docker that is not a manager says so and stays simulated', async ({ path, said }) => {
    failure = { kind: 'not-manager', docker: WORKER };
    const page = await lessonPage(path);
    try {
      await page.locator('lesson-terminal [data-backend-switch]').click();
      await waitScreen(page, /DOCKER_HOST/, 15_000);
      expect(await screen(page)).toContain(said);
      expect(await page.getAttribute('lesson-terminal', 'data-backend')).toBe('simulated');
      // The server is still there: once Docker is fixed the same switch connects.
      failure = undefined;
      await page.locator('lesson-terminal [data-backend-switch]').click();
      await page.waitForSelector('lesson-terminal[data-backend="local"][data-state="ready"]', { timeout: 15_000 });
    } finally {
      await page.close();
    }
  }, 120_000);

  test('an image missing on a node is told after the command, before the prompt', async () => {
    failure = undefined;
    const page = await lessonPage('/lessons/rolling-update/');
    try {
      await page.locator('lesson-terminal [data-backend-switch]').click();
      await page.waitForSelector('lesson-terminal[data-backend="local"][data-state="ready"]', { timeout: 15_000 });
      const before = await promptCount(page);
      await page.evaluate((text) => (document.querySelector('lesson-terminal') as unknown as { typeText(t: string): void }).typeText(text), 'docker service create --detach --name web redis:7.4.0\n');
      await waitNextPrompt(page, before);
      const notice =
        'Node worker2 does not have the image redis:7.4.0, and local mode never pulls images. Docker says: No such image: redis:7.4.0 ' +
        'Load the image on that node (docker save redis:7.4.0 | docker -H <node> load), or run npm run sandbox:up as root: it builds redis:7.4.0 and redis:7.4.1 on every node.';
      // After the service's ID and right before the prompt that came back (rows joined).
      const text = (await screen(page)).trimEnd();
      expect(text.endsWith(`${notice}docker@manager1:~$`), text.slice(-600)).toBe(true);
      expect(text).toMatch(/[a-z0-9]{25}Node worker2/);
    } finally {
      await page.close();
    }
  }, 120_000);
});
