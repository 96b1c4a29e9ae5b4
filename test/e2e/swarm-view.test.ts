// The swarm view on the BUILT site, in both languages: during the rolling-update lesson, at
// several moments, the view's tasks (node, name, image, desired and current state, history)
// are what `docker service ps redis` prints at the same instant; after a drain, worker1's
// column has no running task and the columns agree with `docker node ls`; a chip selected by
// keyboard shows its details; nothing moves under prefers-reduced-motion; a collapsed view
// draws nothing; axe finds nothing serious with the view open.
//
// "The same instant": the test stops the swarm's clock the way a hidden tab does (the page
// pauses the worker on visibilitychange), waits until the view has drawn the paused swarm,
// reads it, then types `docker service ps` (a read that does not need the clock), and checks
// the view has not changed meanwhile. Nothing is compared across a moving clock.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { parseCliTable, parseServicePs } from '../helpers/cli-table.js';
import { chromiumAvailable } from './browser.js';
import { axePage, setSpeed, siteInChromium, typeCommand, waitSettled } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/swarm-view.test.ts');
const site = siteInChromium({ browser: run });

async function open(path: string, opts: { reducedMotion?: 'reduce' | 'no-preference'; width?: number; height?: number } = {}): Promise<Page> {
  const page = await site.browser.context.newPage();
  await page.setViewportSize({ width: opts.width ?? 1280, height: opts.height ?? 800 });
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: opts.reducedMotion ?? 'no-preference' });
  await page.goto(`${site.server.url}${path}`);
  await waitSettled(page);
  await page.waitForSelector('[data-swarm-view] .sv-toggle', { timeout: 30_000 });
  // The toggles are remembered (localStorage, shared by this file's pages): start from off.
  await toggle(page, 'history', false);
  await toggle(page, 'table', false);
  await page.waitForSelector('[data-swarm-view] [data-node]', { timeout: 30_000 });
  return page;
}

/** Sets the view's History (first) or Table (last) toggle. */
async function toggle(page: Page, which: 'history' | 'table', on: boolean): Promise<void> {
  const button = page.locator(`[data-swarm-view] .sv-toggle:${which === 'history' ? 'first' : 'last'}-of-type`);
  if ((await button.getAttribute('aria-pressed')) !== String(on)) await button.click();
  await page.waitForSelector(`[data-swarm-view] .sv-toggle:${which === 'history' ? 'first' : 'last'}-of-type[aria-pressed="${on}"]`);
}

/** Stops (or restarts) the swarm's clock as a hidden (shown) tab does. */
async function freeze(page: Page, on: boolean): Promise<void> {
  await page.evaluate((on) => {
    if (on) Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    else delete (document as { hidden?: boolean }).hidden;
    document.dispatchEvent(new Event('visibilitychange'));
  }, on);
}

/** Waits until the view has drawn nothing new for `quietMs`; returns its draw count. */
async function viewSettled(page: Page, quietMs = 500): Promise<string> {
  let last = '';
  let since = Date.now();
  for (const end = Date.now() + 20_000; Date.now() < end; ) {
    const drawn = await page.evaluate(() => document.querySelector<HTMLElement>('[data-swarm-view]')?.dataset.drawn ?? '');
    if (drawn !== last) {
      last = drawn;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return drawn;
    await page.waitForTimeout(50);
  }
  throw new Error('the view kept drawing');
}

interface ViewRow {
  name: string;
  history: boolean;
  image: string;
  node: string;
  desired: string;
  state: string;
}

/** Every chip of the view, as a `docker service ps` row: its column's node, its data-* attributes. */
const viewRows = (page: Page, service: string): Promise<ViewRow[]> =>
  page.evaluate((service) => {
    const chips = Array.from(document.querySelectorAll<HTMLElement>('[data-swarm-view] [data-task]'));
    return chips
      .filter((c) => c.dataset.task!.startsWith(`${service}.`))
      .map((c) => ({
        name: c.dataset.task!,
        history: c.classList.contains('sv-chip--history'),
        image: c.dataset.image!,
        node: c.closest<HTMLElement>('[data-node]')!.dataset.node!,
        desired: c.dataset.desired!,
        state: c.dataset.state!,
      }));
  }, service);

const sortRows = <T extends object>(rows: T[]): T[] => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** What `command` printed last, as logical lines (wrapped rows joined). */
async function typed(page: Page, command: string, until: RegExp): Promise<string> {
  await typeCommand(page, command, until);
  const lines = await page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { screenLogicalLines(): string[] }).screenLogicalLines());
  const at = lines.map((l, i) => (l.endsWith(`$ ${command}`) ? i : -1)).filter((i) => i >= 0).at(-1)!;
  const out: string[] = [];
  for (let i = at + 1; i < lines.length && !/^docker@[\w-]+:~\$/.test(lines[i]!); i++) out.push(lines[i]!);
  return out.join('\n');
}

/** At one instant of the swarm: the view's rows of `service` and `docker service ps`'s, and the view unchanged after. */
async function compareAtOneInstant(page: Page, service: string): Promise<ViewRow[]> {
  await freeze(page, true);
  try {
    const drawn = await viewSettled(page);
    const view = await viewRows(page, service);
    // Without its History toggle the view shows the rows service ps prints outside ` \_ `, and
    // those under it whose container is still stopping.
    const history = (await page.getAttribute('[data-swarm-view] .sv-toggle:first-of-type', 'aria-pressed')) === 'true';
    const stopped = ['complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned'];
    const ps = parseServicePs(await typed(page, `docker service ps ${service}`, /ID +NAME/))
      .filter((r) => history || !r.history || !stopped.includes(r.state))
      .map(({ error: _, ...r }) => r);
    expect(sortRows(view)).toEqual(sortRows(ps));
    // Nothing moved while the command ran: the view drew nothing new.
    expect(await page.evaluate(() => document.querySelector<HTMLElement>('[data-swarm-view]')?.dataset.drawn)).toBe(drawn);
    return view;
  } finally {
    await freeze(page, false);
  }
}

describe.skipIf(!run)('the swarm view', () => {
  test.each(['', '/zh-cn'])('%s rolling-update: at several moments the view is docker service ps redis', async (prefix) => {
    const page = await open(`${prefix}/lessons/rolling-update/`);
    try {
      // The rows under \_ are compared too.
      await toggle(page, 'history', true);
      await setSpeed(page, 5);
      await typeCommand(page, 'docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0', /converged/);
      const first = await compareAtOneInstant(page, 'redis');
      expect(first.filter((r) => r.state === 'running').map((r) => r.image)).toEqual(['redis:7.4.0', 'redis:7.4.0', 'redis:7.4.0']);
      // What the live region says, and when (it speaks at most once every few seconds).
      await page.evaluate(() => {
        const live = document.querySelector('[data-swarm-view] [aria-live="polite"]')!;
        const said: [number, string][] = ((window as unknown as { __said: [number, string][] }).__said = []);
        new MutationObserver(() => said.push([performance.now(), live.textContent ?? ''])).observe(live, { childList: true, characterData: true, subtree: true });
      });
      await typeCommand(page, 'docker service update --detach --image redis:7.4.1 redis', /redis/);
      const mixes = new Set<string>();
      for (let i = 0; i < 40; i++) {
        const rows = await compareAtOneInstant(page, 'redis');
        const current = rows.filter((r) => !r.history);
        mixes.add(current.map((r) => r.image).sort().join(','));
        if (current.every((r) => r.image === 'redis:7.4.1' && r.state === 'running')) break;
        await page.waitForTimeout(700);
      }
      // The moments caught the update part-way (some slots already on 7.4.1, some not) and done.
      expect([...mixes].some((m) => m.includes('redis:7.4.0') && m.includes('redis:7.4.1'))).toBe(true);
      expect(mixes).toContain('redis:7.4.1,redis:7.4.1,redis:7.4.1');
      // The services strip says the update completed, in the page's language.
      await page.waitForSelector('[data-swarm-view] .sv-service[data-service="redis"] [data-update="completed"]', { timeout: 30_000 });
      await page.waitForTimeout(3500);
      const said = await page.evaluate(() => (window as unknown as { __said: [number, string][] }).__said);
      const nowRuns = prefix === '' ? /redis\.\d on (manager1|worker1|worker2) now runs redis:7\.4\.1\./ : /(manager1|worker1|worker2) 上的 redis\.\d 现在运行 redis:7\.4\.1。/;
      const completed = prefix === '' ? /The update of redis completed\./ : /redis 的更新已完成。/;
      expect(said.some(([, text]) => nowRuns.test(text)), JSON.stringify(said)).toBe(true);
      expect(said.some(([, text]) => completed.test(text)), JSON.stringify(said)).toBe(true);
      // A sentence every few seconds at most, however fast the swarm changed.
      for (let i = 1; i < said.length; i++) expect(said[i]![0] - said[i - 1]![0]).toBeGreaterThan(2900);
    } finally {
      await page.close();
    }
  }, 240_000);

  test.each(['', '/zh-cn'])('%s drain-node: worker1 empties, and the columns are docker node ls', async (prefix) => {
    const page = await open(`${prefix}/lessons/drain-node/`);
    try {
      await setSpeed(page, 5);
      await page.waitForSelector('[data-swarm-view] [data-node="worker1"] [data-task][data-state="running"]', { timeout: 30_000 });
      await typeCommand(page, 'docker node update --availability drain worker1', /worker1/);
      await page.waitForSelector('[data-swarm-view] [data-node="worker1"][data-availability="drain"]', { timeout: 10_000 });
      await page.waitForFunction(
        () =>
          document.querySelectorAll('[data-swarm-view] [data-node="worker1"] [data-task][data-state="running"]').length === 0 &&
          document.querySelectorAll('[data-swarm-view] [data-task][data-state="running"]').length === 3,
        undefined,
        { timeout: 30_000 },
      );
      await freeze(page, true);
      try {
        await viewSettled(page);
        const columns = await page.evaluate(() =>
          Array.from(document.querySelectorAll<HTMLElement>('[data-swarm-view] .sv-col[data-node]:not([data-node=""])'), (c) => ({
            hostname: c.dataset.node,
            status: c.dataset.status,
            availability: c.dataset.availability,
            self: c.hasAttribute('data-self'),
          })),
        );
        const ls = parseCliTable(await typed(page, 'docker node ls', /HOSTNAME/), ['ID', 'HOSTNAME', 'STATUS', 'AVAILABILITY', 'MANAGER STATUS', 'ENGINE VERSION']);
        expect(columns).toEqual(
          ls.map((r) => ({ hostname: r['HOSTNAME'], status: r['STATUS']!.toLowerCase(), availability: r['AVAILABILITY']!.toLowerCase(), self: r['ID']!.endsWith('*') })),
        );
        expect(columns.find((c) => c.hostname === 'worker1')?.availability).toBe('drain');
      } finally {
        await freeze(page, false);
      }
      await compareAtOneInstant(page, 'redis');
    } finally {
      await page.close();
    }
  }, 180_000);

  test('a chip selected by keyboard shows its details; Run types the command; Escape goes back to the chip', async () => {
    const page = await open('/lessons/drain-node/');
    try {
      await page.waitForSelector('[data-swarm-view] [data-task][data-state="running"]', { timeout: 30_000 });
      // One Tab stop for the chips: after the view's last toggle come the chip in the Tab order
      // and the nodes' failure buttons (Stop node, in the column heads before the chips), nothing else.
      await page.focus('[data-swarm-view] .sv-toggle:last-of-type');
      const passed: string[] = [];
      let first: string | undefined;
      for (let i = 0; i < 8 && first === undefined; i++) {
        await page.keyboard.press('Tab');
        const at = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          return { task: el.dataset.task, inject: el.matches('.sv-col-head > button.sv-inject') ? el.closest<HTMLElement>('[data-node]')!.dataset.node : undefined };
        });
        first = at.task;
        if (first === undefined) passed.push(at.inject ?? 'something else');
      }
      expect(first).toMatch(/^redis\.\d$/);
      expect(passed.every((p) => /^(manager|worker)\d$/.test(p))).toBe(true);
      expect(new Set(passed).size).toBe(passed.length);
      await page.keyboard.press('ArrowRight');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        return { task: el.dataset.task, id: el.dataset.taskId, node: el.closest<HTMLElement>('[data-node]')?.dataset.node };
      });
      expect(focused.task).toMatch(/^redis\.\d$/);
      expect(focused.task).not.toBe(first);
      await page.keyboard.press('Enter');
      const details = page.locator('[data-swarm-view] .sv-details');
      await details.waitFor({ state: 'visible' });
      const text = await details.innerText();
      expect(text).toContain(focused.task!);
      expect(text).toContain(focused.id!);
      expect(text).toContain(focused.node!);
      expect(text).toContain('redis:7.4.0');
      expect(text).toContain(`docker service ps redis --filter id=${focused.id} --no-trunc`);
      expect(text).toContain('docker service inspect --pretty redis');
      expect(await page.locator('[data-swarm-view] .sv-chip[aria-pressed="true"]').getAttribute('data-task')).toBe(focused.task);
      // Run types the task's own row, untruncated: its full ID starts the row.
      await details.locator('.sv-run').first().click();
      await page.waitForFunction(
        (id) => (document.querySelector('lesson-terminal') as unknown as { screenLogicalLines(): string[] }).screenLogicalLines().some((l) => l.startsWith(`${id}   redis.`)),
        focused.id,
        { timeout: 20_000 },
      );
      await details.locator('.sv-run').last().focus();
      await page.keyboard.press('Escape');
      await details.waitFor({ state: 'hidden' });
      expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.task)).toBe(focused.task);
    } finally {
      await page.close();
    }
  }, 120_000);

  test('the table view lists what docker service ps lists, and replaces the diagram', async () => {
    const page = await open('/zh-cn/lessons/drain-node/');
    try {
      await page.waitForSelector('[data-swarm-view] [data-task][data-state="running"]', { timeout: 30_000 });
      await toggle(page, 'table', true);
      expect(await page.locator('[data-swarm-view] .sv-board').isVisible()).toBe(false);
      await freeze(page, true);
      try {
        await viewSettled(page);
        const rows = await page.evaluate(() =>
          Array.from(document.querySelectorAll<HTMLTableRowElement>('[data-swarm-view] .sv-table tbody tr'), (tr) => ({
            node: tr.cells[0]!.textContent,
            name: tr.dataset.task,
            image: tr.cells[2]!.textContent,
            desired: tr.cells[3]!.textContent!.toLowerCase(),
            state: tr.dataset.state,
          })),
        );
        const ps = parseServicePs(await typed(page, 'docker service ps redis', /ID +NAME/)).map((r) => ({ node: r.node, name: r.name, image: r.image, desired: r.desired, state: r.state }));
        expect(rows).toEqual(ps);
        expect(rows).toHaveLength(3);
      } finally {
        await freeze(page, false);
      }
    } finally {
      await page.close();
    }
  }, 120_000);

  test.each(['/lessons/rolling-update/', '/zh-cn/lessons/rolling-update/'])('%s on a 390x844 phone: unfolded, the view fills its box and every chip reads whole, nothing sideways', async (path) => {
    const page = await site.browser.context.newPage();
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
      await page.goto(`${site.server.url}${path}`);
      await waitSettled(page);
      await page.locator('.lesson-dock-toggle').click();
      await page.locator('lesson-terminal').waitFor({ state: 'visible' });
      // A service of its own: the tab's swarm carries what this file's earlier tests left.
      const name = `phone${path.length}`;
      await typeCommand(page, `docker service create --detach --replicas 3 --name ${name} redis:7.4.0`, /\w{25}/);
      // Unfold (a phone starts folded; the choice is remembered across this file's pages).
      const fold = page.locator('lesson-terminal .lt-view-toggle');
      if ((await fold.getAttribute('aria-expanded')) !== 'true') await fold.click();
      await page.waitForFunction((n) => document.querySelectorAll(`[data-swarm-view] [data-task^="${n}."][data-state="running"]`).length === 3, name, { timeout: 30_000 });
      const seen = await page.evaluate(() => {
        const slot = document.querySelector<HTMLElement>('[data-swarm-view-slot]')!.getBoundingClientRect();
        const view = document.querySelector<HTMLElement>('[data-swarm-view]')!;
        const board = view.querySelector<HTMLElement>('.sv-board')!;
        const cut = Array.from(view.querySelectorAll<HTMLElement>('[data-task] .sv-chip-name, [data-task] .sv-chip-line'))
          .filter((l) => l.scrollWidth > l.clientWidth + 1)
          .map((l) => l.textContent);
        return { slot: slot.height, view: view.getBoundingClientRect().height, sideways: board.scrollWidth - board.clientWidth, cut };
      });
      expect(Math.abs(seen.view - seen.slot)).toBeLessThan(2);
      expect(seen.sideways).toBeLessThanOrEqual(1);
      expect(seen.cut).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  test('prefers-reduced-motion: nothing animates; otherwise chips do', async () => {
    const motion = async (reducedMotion: 'reduce' | 'no-preference') => {
      const page = await open('/lessons/drain-node/', { reducedMotion });
      try {
        // A service of its own (the tab's swarm carries what this file's earlier tests left),
        // three tasks running first: a task scaled away before its container starts is removed
        // at once, and never fades.
        const name = `motion${reducedMotion.length}`;
        await typeCommand(page, `docker service create --detach --replicas 3 --name ${name} redis:7.4.0`, /\w{25}/);
        await page.waitForFunction((n) => document.querySelectorAll(`[data-swarm-view] [data-task^="${n}."][data-state="running"]`).length === 3, name, { timeout: 30_000 });
        // A chip told to shut down fades out (a transition), a new one grows in (an animation).
        // With History on the stopped chip stays: without it, it is shown only while its container
        // stops, which a busy machine's poll can miss.
        await toggle(page, 'history', true);
        await typeCommand(page, `docker service scale --detach ${name}=2`, new RegExp(`${name} scaled to 2`));
        await page.waitForSelector(`[data-swarm-view] [data-task^="${name}."]:is([data-desired="shutdown"], [data-desired="remove"])`, { timeout: 10_000 });
        return await page.evaluate((n) => {
          const chip = document.querySelector<HTMLElement>(`[data-swarm-view] [data-task^="${n}."]:is([data-desired="shutdown"], [data-desired="remove"])`)!;
          const s = getComputedStyle(chip);
          return { animation: s.animationName, transition: s.transitionDuration };
        }, name);
      } finally {
        await page.close();
      }
    };
    const still = await motion('reduce');
    expect(still.animation).toBe('none');
    expect(still.transition.split(', ').every((d) => d === '0s')).toBe(true);
    const moving = await motion('no-preference');
    expect(moving.animation).not.toBe('none');
    expect(moving.transition).toBe('0.6s');
  }, 120_000);

  test('collapsed, the view draws nothing however the swarm changes; expanded again, it shows the swarm as it is', async () => {
    const page = await open('/lessons/drain-node/');
    try {
      await setSpeed(page, 20);
      await viewSettled(page);
      await page.evaluate(() => document.querySelector('[data-swarm-view-slot]')!.setAttribute('data-collapsed', ''));
      const drawn = await page.evaluate(() => document.querySelector<HTMLElement>('[data-swarm-view]')!.dataset.drawn);
      await typeCommand(page, 'docker service scale redis=5', /converged/);
      await page.waitForTimeout(500);
      expect(await page.evaluate(() => document.querySelector<HTMLElement>('[data-swarm-view]')!.dataset.drawn)).toBe(drawn);
      await page.evaluate(() => document.querySelector('[data-swarm-view-slot]')!.removeAttribute('data-collapsed'));
      await page.waitForFunction(() => document.querySelectorAll('[data-swarm-view] [data-task][data-state="running"]').length === 5, undefined, { timeout: 10_000 });
    } finally {
      await page.close();
    }
  }, 120_000);

  test.each(['', '/zh-cn'])('%s axe: no serious or critical issue with the view open and busy (dark and light)', async (prefix) => {
    const page = await open(`${prefix}/lessons/drain-node/`);
    try {
      await setSpeed(page, 20);
      // A pending task with its reason, a drained node, history shown, a chip selected.
      await typeCommand(page, 'docker service create --detach --name web --constraint node.labels.zone==nowhere nginx:1.27', /\w{25}/);
      await typeCommand(page, 'docker node update --availability drain worker1', /worker1/);
      await page.waitForSelector('[data-swarm-view] [data-node=""] [data-task="web.1"]', { timeout: 20_000 });
      await toggle(page, 'history', true);
      await page.click('[data-swarm-view] [data-task^="redis."]');
      for (const table of [false, true]) {
        if (table) await toggle(page, 'table', true);
        for (const scheme of ['dark', 'light'] as const) {
          await page.evaluate(async (scheme) => {
            document.documentElement.dataset.theme = scheme;
            await new Promise(requestAnimationFrame);
          }, scheme);
          // Let the appearing chips finish their animation: axe reads colours as they are.
          await page.waitForTimeout(700);
          const found = await axePage(page);
          expect(found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.line), `${scheme} table=${table}`).toEqual([]);
        }
      }
    } finally {
      await page.close();
    }
  }, 180_000);
});
