// The dock's time controls and the swarm view's failure menus on the BUILT site (issue 17).
// In the rolling-update lesson: redis created as the lesson does, its update started; paused
// from the dock mid-update, the terminal says the command waits for the paused swarm and the
// swarm's clock stands still; stepped until the next task starts (the live region names it;
// the view's chips are what `docker service ps` prints); undone from the dock (the terminal
// shows `undo`, the live region what was undone); Alt+S and Alt+P step and play; worker1
// stopped from its column in the view: the terminal shows the `lab` line, and its tasks move
// to the other nodes (view and `docker service ps` agree). In Chinese: the same controls speak
// Chinese. Comparisons are made with the swarm paused from the dock, so nothing moves between
// reading the view and the command.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import en from '../../content/i18n/en.json';
import zh from '../../content/i18n/zh-CN.json';
import { parseServicePs } from '../helpers/cli-table.js';
import { chromiumAvailable } from './browser.js';
import { setSpeed, siteInChromium, typeCommand, waitScreen, waitSettled } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/time-controls.test.ts');
const site = siteInChromium({ browser: run });

const CREATE = 'docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0';
const UPDATE = 'docker service update --image redis:7.4.1 redis';

async function open(path: string): Promise<Page> {
  const page = await site.browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${site.server.url}${path}`);
  await waitSettled(page);
  // The controls' chunk has loaded and the worker has reported its time.
  await page.waitForSelector('lesson-terminal [data-time="pause"][aria-disabled="false"]', { timeout: 30_000 });
  await page.waitForSelector('[data-swarm-view] [data-node]', { timeout: 30_000 });
  return page;
}

const clock = (page: Page): Promise<string> => page.locator('lesson-terminal [data-swarm-clock]').innerText();
const live = (page: Page): Promise<string> => page.locator('lesson-terminal [data-time-live]').innerText();
const attr = (page: Page, sel: string, name: string): Promise<string | null> => page.locator(`lesson-terminal ${sel}`).getAttribute(name);

/** Waits for the live region to say something matching `re`; returns it. */
async function said(page: Page, re: RegExp): Promise<string> {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('lesson-terminal [data-time-live]')?.textContent ?? ''), re.source, { timeout: 15_000 });
  return live(page);
}

/** Waits until the view has drawn nothing new for a while (the swarm is paused: it has nothing new to draw). */
async function viewSettled(page: Page): Promise<string> {
  let last = '';
  let since = Date.now();
  for (const end = Date.now() + 20_000; Date.now() < end; ) {
    const drawn = await page.evaluate(() => document.querySelector<HTMLElement>('[data-swarm-view]')?.dataset.drawn ?? '');
    if (drawn !== last) [last, since] = [drawn, Date.now()];
    else if (Date.now() - since >= 500) return drawn;
    await page.waitForTimeout(50);
  }
  throw new Error('the view kept drawing');
}

interface Row {
  name: string;
  image: string;
  node: string;
  desired: string;
  state: string;
}

/** The view's current chips of redis (no history), as `docker service ps` rows. */
const viewRows = (page: Page): Promise<Row[]> =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('[data-swarm-view] [data-task]'))
      .filter((c) => c.dataset.task!.startsWith('redis.') && !c.classList.contains('sv-chip--history'))
      .map((c) => ({ name: c.dataset.task!, image: c.dataset.image!, node: c.closest<HTMLElement>('[data-node]')!.dataset.node!, desired: c.dataset.desired!, state: c.dataset.state! })),
  );

/** What `command` printed last (logical lines after its prompt row). */
async function typed(page: Page, command: string, until: RegExp): Promise<string> {
  await typeCommand(page, command, until);
  const lines = await page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { screenLogicalLines(): string[] }).screenLogicalLines());
  const at = lines.map((l, i) => (l.endsWith(`$ ${command}`) ? i : -1)).filter((i) => i >= 0).at(-1)!;
  const out: string[] = [];
  for (let i = at + 1; i < lines.length && !/^docker@[\w-]+:~\$/.test(lines[i]!); i++) out.push(lines[i]!);
  return out.join('\n');
}

const sortRows = (rows: Row[]): Row[] => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** With the swarm paused: the view's current redis tasks are `docker service ps redis`'s rows outside `\_`. */
async function viewIsServicePs(page: Page): Promise<Row[]> {
  expect(await attr(page, '[data-time="pause"]', 'aria-pressed')).toBe('true');
  const drawn = await viewSettled(page);
  const view = await viewRows(page);
  const ps = parseServicePs(await typed(page, 'docker service ps redis', /ID +NAME/))
    .filter((r) => !r.history)
    .map(({ name, image, node, desired, state }) => ({ name, image, node, desired, state }));
  expect(sortRows(view)).toEqual(sortRows(ps));
  // Nothing moved meanwhile.
  expect(await page.evaluate(() => document.querySelector<HTMLElement>('[data-swarm-view]')?.dataset.drawn)).toBe(drawn);
  return view;
}

describe.skipIf(!run)('time controls and failure menus', () => {
  test('rolling update: pause mid-update, step to the next task, undo, keyboard, stop worker1 from the view', async () => {
    const page = await open('/lessons/rolling-update/');
    try {
      await setSpeed(page, 5);
      await typeCommand(page, CREATE, /verify: Service \w+ converged/, 90_000);
      await page.locator('lesson-terminal .xterm-helper-textarea').focus();
      await page.keyboard.type(`${UPDATE}\n`);
      // The update is under way: the first new task has started.
      await waitScreen(page, /overall progress: 1 out of 3 tasks/, 60_000);
      // Undo and Redo wait for the command, and say so.
      await page.waitForSelector('lesson-terminal[data-state="busy"]');
      expect(await attr(page, '[data-time="undo"]', 'aria-disabled')).toBe('true');
      expect(await attr(page, '[data-time="undo"]', 'title')).toBe(en['time.busyUndo']);

      await page.locator('lesson-terminal [data-time="pause"]').click();
      await page.waitForSelector('lesson-terminal [data-time="pause"][aria-pressed="true"]');
      expect(await said(page, /^Swarm paused at \+\d+m\d+\.\ds$/)).toMatch(/^Swarm paused at/);
      expect(await attr(page, '[data-time="pause"]', 'title')).toBe(en['time.play']);
      await waitScreen(page, /swarm-lab: the swarm is paused: this command waits for it \(play, or Ctrl-C to stop waiting\)/, 10_000);
      // The swarm's clock stands still (the dock's and the command's: the terminal stays busy).
      const frozen = await clock(page);
      expect(frozen).toMatch(/^\+\d+m\d\ds$/);
      await page.waitForTimeout(2_500);
      expect(await clock(page)).toBe(frozen);
      expect(await page.getAttribute('lesson-terminal', 'data-state')).toBe('busy');

      // Step until the next task starts.
      let started = '';
      for (let i = 0; i < 200 && !started; i++) {
        const before = await live(page);
        await page.locator('lesson-terminal [data-time="step"]').click();
        await page.waitForFunction((b) => (document.querySelector('lesson-terminal [data-time-live]')?.textContent ?? '') !== b || b === '', before);
        const text = await said(page, /^(Stepped to|Nothing is scheduled)/);
        started = /\b(redis\.\d) running\b/.exec(text)?.[1] ?? '';
      }
      expect(started).toMatch(/^redis\.[123]$/);
      expect(await attr(page, '[data-time="pause"]', 'aria-pressed')).toBe('true');
      // Ctrl-C ends the command's wait (the swarm stays paused), and the view is docker service ps.
      await page.locator('lesson-terminal .xterm-helper-textarea').focus();
      await page.keyboard.press('Control+c');
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 15_000 });
      const stepped = await viewIsServicePs(page);
      expect(stepped.find((r) => r.name === started && r.image === 'redis:7.4.1')?.state).toBe('running');
      expect(stepped.filter((r) => r.image === 'redis:7.4.1' && r.state === 'running').length).toBeGreaterThanOrEqual(2);

      // Undo from the dock: the update is taken back, and the lesson's steps are checked again.
      expect(await attr(page, '[data-time="undo"]', 'title')).toBe(`Undo: take the swarm back to just before ${UPDATE}`);
      await page.locator('lesson-terminal [data-time="undo"]').click();
      expect(await said(page, /^Undid /)).toBe(`Undid ${UPDATE}`);
      await waitScreen(page, new RegExp(`\\$ undo.*${UPDATE.replace(/[.]/g, '\\.')}`));
      const undone = await viewIsServicePs(page);
      expect(undone.map((r) => r.image)).toEqual(['redis:7.4.0', 'redis:7.4.0', 'redis:7.4.0']);
      expect(await attr(page, '[data-time="redo"]', 'title')).toBe(`Redo ${UPDATE}`);

      // The keyboard: Alt+S steps (still paused), Alt+P plays, from the terminal itself.
      await page.locator('lesson-terminal .xterm-helper-textarea').focus();
      await page.keyboard.press('Alt+s');
      await said(page, /^(Stepped to \+|Nothing is scheduled)/);
      await page.keyboard.press('Alt+p');
      await page.waitForSelector('lesson-terminal [data-time="pause"][aria-pressed="false"]');
      await said(page, /^Swarm playing from \+/);
      // Neither key reached the shell's line.
      expect((await page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { screenLogicalLines(): string[] }).screenLogicalLines())).at(-1)).toMatch(/\$ $/);
      const moving = await clock(page);
      await page.waitForFunction((c) => document.querySelector('lesson-terminal [data-swarm-clock]')?.textContent !== c, moving, { timeout: 10_000 });

      // Stop worker1 from its column: the terminal shows the lab line and its answer.
      const stop = page.locator('[data-swarm-view] .sv-col[data-node="worker1"] .sv-inject');
      expect(await stop.innerText()).toBe(en['view.action.stopNode']);
      expect(await stop.getAttribute('aria-disabled')).toBe('false');
      const onWorker1 = (await viewRows(page)).filter((r) => r.node === 'worker1' && r.state === 'running').map((r) => r.name);
      expect(onWorker1.length).toBeGreaterThan(0);
      await stop.click();
      await waitScreen(page, /\$ lab node stop worker1/);
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });
      await setSpeed(page, 20);
      // Marked down, then its tasks rescheduled elsewhere: wait in the view, then check at one instant.
      await page.waitForSelector('[data-swarm-view] .sv-col[data-node="worker1"][data-status="down"]', { timeout: 60_000 });
      await page.waitForFunction(
        (names) =>
          names.every((n) =>
            Array.from(document.querySelectorAll<HTMLElement>(`[data-swarm-view] [data-task="${n}"]`)).some(
              (c) => !c.classList.contains('sv-chip--history') && c.dataset.state === 'running' && c.closest<HTMLElement>('[data-node]')!.dataset.node !== 'worker1',
            ),
          ),
        onWorker1,
        { timeout: 90_000 },
      );
      await page.locator('lesson-terminal [data-time="pause"]').click();
      await page.waitForSelector('lesson-terminal [data-time="pause"][aria-pressed="true"]');
      const healed = await viewIsServicePs(page);
      for (const name of onWorker1) expect(healed.some((r) => r.name === name && r.state === 'running' && r.node !== 'worker1')).toBe(true);
      // A down node offers to start it.
      expect(await stop.innerText()).toBe(en['view.action.startNode']);

      // A task's details offer to kill its container; the terminal runs lab task kill on its ID.
      const victim = healed.find((r) => r.node === 'worker2' && r.state === 'running')!;
      await page.locator(`[data-swarm-view] .sv-col[data-node="worker2"] button.sv-chip[data-task="${victim.name}"]:not(.sv-chip--history)`).click();
      const kill = page.locator('[data-swarm-view] .sv-details .sv-inject');
      await kill.waitFor({ state: 'visible' });
      expect(await kill.innerText()).toBe(en['view.action.killTask']);
      expect(await kill.getAttribute('aria-label')).toContain(`Kill the container of ${victim.name}`);
      await kill.click();
      await waitScreen(page, new RegExp(`\\$ lab task kill [a-z0-9]{25}.*Killed ${victim.name.replace('.', '\\.')}'s container on worker2 \\(task [a-z0-9]{12}\\): SIGKILL, exit 137\\.`));
      await page.waitForSelector('lesson-terminal[data-state="ready"]');
    } finally {
      await page.close();
    }
  }, 300_000);

  test("in Chinese: titles, the live region and the view's menus speak Chinese; the paused state survives a reload", async () => {
    const page = await open('/zh-cn/lessons/rolling-update/');
    try {
      expect(await attr(page, '[data-time="pause"]', 'title')).toBe(zh['time.pause']);
      expect(await attr(page, '[data-time="step"]', 'title')).toBe(zh['time.step']);
      expect(await attr(page, '[data-time="undo"]', 'title')).toBe(zh['time.nothingToUndo']);
      expect(await page.locator('[data-swarm-view] .sv-col[data-node="worker1"] .sv-inject').innerText()).toBe(zh['view.action.stopNode']);
      await page.locator('body').press('Alt+p');
      await page.waitForSelector('lesson-terminal [data-time="pause"][aria-pressed="true"]');
      expect(await said(page, /^swarm 已暂停于 \+/)).toMatch(/^swarm 已暂停于 \+\d/);
      await page.locator('body').press('Alt+s');
      await said(page, /^(单步到|没有待发生的事件)/);
      const frozen = await clock(page);
      expect(await page.locator('lesson-terminal [data-swarm-clock]').getAttribute('aria-label')).toBe(zh['time.clockPaused'].replace('{time}', frozen));
      await page.reload();
      await waitSettled(page);
      await page.waitForSelector('lesson-terminal [data-time="pause"][aria-disabled="false"]', { timeout: 30_000 });
      await page.waitForSelector('lesson-terminal [data-time="pause"][aria-pressed="true"]', { timeout: 10_000 });
      await page.waitForTimeout(1_500);
      expect(await clock(page)).toBe(frozen);
      // Put it back for whoever opens this tab's storage next.
      await page.locator('lesson-terminal [data-time="pause"]').click();
      await page.waitForSelector('lesson-terminal [data-time="pause"][aria-pressed="false"]');
    } finally {
      await page.close();
    }
  }, 120_000);
});
