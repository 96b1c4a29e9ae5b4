// The swarm view in local mode on the BUILT site: the page's panel takes its models from the
// local server (LocalViewSource over the terminal's socket) instead of the worker. The server
// (`swarm-lab local`, in-process) runs over a SIMULATOR standing for the real swarm, as in
// local-switch.test.ts, so no Docker is needed. Once the terminal is switched to Local, the
// view draws the server's swarm: the learner's own service (no Swarm Lab label) as grey chips
// without name or image, and the lesson's service as `docker service ps` lists it — compared
// with the server's clock stopped (its driver is this test's interval), so both read one
// instant. Back on the simulator, the view draws the page's own swarm again.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../../engine/node/server/server.js';
import { startLocalServer } from '../../engine/node/server/server.js';
import { Simulator } from '../../engine/sim/simulator.js';
import { parseServicePs } from '../helpers/cli-table.js';
import { simBackend } from '../helpers/sim-backend.js';
import type { Browser } from './browser.js';
import { chromiumAvailable, launchChromium } from './browser.js';
import { promptCount, waitNextPrompt, waitSettled } from './lesson-site.js';
import { builtSite } from './site.js';

const run = chromiumAvailable('test/e2e/swarm-view-local.test.ts');
const SPEED = 40;

async function typeLine(page: Page, line: string): Promise<string> {
  const before = await promptCount(page);
  await page.evaluate((text) => (document.querySelector('lesson-terminal') as unknown as { typeText(t: string): void }).typeText(text), `${line}\n`);
  await waitNextPrompt(page, before);
  const lines = await page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { screenLogicalLines(): string[] }).screenLogicalLines());
  const at = lines.map((l, i) => (l.endsWith(`$ ${line}`) ? i : -1)).filter((i) => i >= 0).at(-1)!;
  const out: string[] = [];
  for (let i = at + 1; i < lines.length && !/^docker@[\w-]+:~\$/.test(lines[i]!); i++) out.push(lines[i]!);
  return out.join('\n');
}

/** Waits until the view has drawn nothing new for `quietMs` (the server sends at most once a second). */
async function viewSettled(page: Page, quietMs: number): Promise<void> {
  let last = '';
  let since = Date.now();
  for (const end = Date.now() + 30_000; Date.now() < end; ) {
    const drawn = await page.evaluate(() => document.querySelector<HTMLElement>('[data-swarm-view]')?.dataset.drawn ?? '');
    if (drawn !== last) {
      last = drawn;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await page.waitForTimeout(100);
  }
  throw new Error('the view kept drawing');
}

describe.skipIf(!run)('the swarm view in local mode', () => {
  let sim: Simulator;
  let driver: ReturnType<typeof setInterval> | undefined;
  let local: LocalServer | undefined;
  let browser: Browser;
  const drive = (on: boolean): void => {
    if (driver !== undefined) clearInterval(driver);
    driver = on ? setInterval(() => sim.clock.advance(20 * SPEED), 20) : undefined;
  };

  beforeAll(async () => {
    const siteDir = await builtSite();
    sim = new Simulator({ seed: 21, startEpochMs: Date.now() });
    // The learner's own service on the same swarm: not Swarm Lab's (no label).
    await sim.api('manager1').serviceCreate({
      Name: 'theirs',
      Labels: {},
      TaskTemplate: { ContainerSpec: { Image: 'nginx:1.27' }, ForceUpdate: 0 },
      Mode: { Replicated: { Replicas: 2 } },
    });
    drive(true);
    local = await startLocalServer({ siteDir, backend: simBackend(sim), log: () => undefined });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    drive(false);
    await browser?.close();
    await local?.close();
  });

  test('the server\'s swarm: the learner\'s own tasks grey, the lesson\'s service as docker service ps lists it; the simulator\'s again after the switch back', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(local!.url);
      await page.waitForFunction(() => location.hash === '');
      await page.goto(`${new URL(local!.url).origin}/lessons/rolling-update/`);
      await waitSettled(page);
      await page.waitForSelector('[data-swarm-view] .sv-col[data-node="manager1"]', { timeout: 30_000 });
      // The page's simulated swarm has no service of the learner's.
      expect(await page.locator('[data-swarm-view] .sv-chip--foreign').count()).toBe(0);

      await page.locator('lesson-terminal [data-backend-switch]').click();
      await page.waitForSelector('lesson-terminal[data-backend="local"][data-state="ready"]', { timeout: 15_000 });
      // Two grey chips, where the server's swarm runs them; not named, not in the services strip.
      await page.waitForFunction(() => document.querySelectorAll('[data-swarm-view] .sv-chip--foreign[data-state="running"]').length === 2, undefined, { timeout: 15_000 });
      const grey = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('[data-swarm-view] .sv-chip--foreign'), (c) => ({
          node: c.closest<HTMLElement>('[data-node]')!.dataset.node,
          text: c.querySelector('.sv-chip-name')!.textContent,
        })),
      );
      const theirs = (await sim.api('manager1').taskList({ service: ['theirs'] })).filter((t) => t.Status.State === 'running');
      const hostOf = new Map((await sim.api('manager1').nodeList()).map((n) => [n.ID, n.Description.Hostname]));
      expect(grey.map((g) => g.node).sort()).toEqual(theirs.map((t) => hostOf.get(t.NodeID!)).sort());
      expect(grey.every((g) => g.text === "not Swarm Lab's")).toBe(true);
      expect(await page.locator('[data-swarm-view] .sv-service[data-service="theirs"]').count()).toBe(0);

      await typeLine(page, 'docker service create --replicas 3 --name redis redis:7.4.0');
      await page.waitForFunction(() => document.querySelectorAll('[data-swarm-view] [data-task^="redis."][data-state="running"]').length === 3, undefined, { timeout: 15_000 });
      // One instant: the server's swarm stops, the view settles on it, then service ps reads it.
      drive(false);
      try {
        await viewSettled(page, 2500);
        const view = await page.evaluate(() =>
          Array.from(document.querySelectorAll<HTMLElement>('[data-swarm-view] [data-task^="redis."]'), (c) => ({
            name: c.dataset.task,
            image: c.dataset.image,
            node: c.closest<HTMLElement>('[data-node]')!.dataset.node,
            desired: c.dataset.desired,
            state: c.dataset.state,
          })),
        );
        const ps = parseServicePs(await typeLine(page, 'docker service ps redis')).map((r) => ({ name: r.name, image: r.image, node: r.node, desired: r.desired, state: r.state }));
        const key = (r: object): string => JSON.stringify(r);
        expect(view.map(key).sort()).toEqual(ps.map(key).sort());
      } finally {
        drive(true);
      }
      await page.waitForSelector('[data-swarm-view] .sv-service[data-service="redis"]');

      // Back on the page's own simulated swarm: its view, without the server's services.
      await page.locator('lesson-terminal [data-backend-switch]').click();
      await page.waitForSelector('lesson-terminal[data-backend="simulated"][data-state="ready"]', { timeout: 15_000 });
      await page.waitForFunction(
        () => document.querySelectorAll('[data-swarm-view] .sv-chip--foreign, [data-swarm-view] [data-task^="redis."]').length === 0,
        undefined,
        { timeout: 15_000 },
      );
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);
});
