// The course as a whole on the BUILT site in chromium: the home page's course map (each
// lesson's progress, "continue", export/import/reset of the progress) in both languages, and
// the sidebar's progress marks on lesson pages, live and across page swaps. Progress is set
// in localStorage by hand (src/client/progress-store.ts's keys), from the home page, where no
// lesson script writes any.
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SAVED_SWARM_KEY } from '../../engine/worker/saved-swarm.js';
import { chromiumAvailable } from './browser.js';
import { axeSerious, siteInChromium } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/course-map.test.ts');

const site = siteInChromium({ browser: run });

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'swarm-lab-course-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** A learner in the middle of the course: last on add-nodes, with one lesson after it started. */
const MIDWAY: Record<string, string> = {
  'swarm-lab:progress:create-swarm': '["init"]',
  'swarm-lab:progress:add-nodes': '["join-worker1"]',
  'swarm-lab:progress:rolling-update': '["create","update"]',
  'swarm-lab:helped:rolling-update': '["update"]',
  'swarm-lab:last-lesson': 'add-nodes',
};

/** Replaces everything the site keeps with `items`, then opens `path`. */
async function openWith(page: Page, items: Record<string, string>, path: string): Promise<void> {
  await page.goto(`${site.server.url}/`);
  await page.evaluate((items) => {
    localStorage.clear();
    sessionStorage.clear();
    for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v);
  }, items);
  await page.goto(`${site.server.url}${path}`);
  await page.waitForSelector('[data-course-map][data-ready]');
}

/** Every swarm-lab:* key in localStorage. */
const stored = (page: Page): Promise<Record<string, string>> =>
  page.evaluate(() => Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith('swarm-lab:')).map((k) => [k, localStorage.getItem(k)!])));

/** Each card's state and status text, by lesson id. */
const cards = (page: Page): Promise<Record<string, { state: string; status: string; last: boolean }>> =>
  page.evaluate(() =>
    Object.fromEntries(
      Array.from(document.querySelectorAll<HTMLElement>('.course-lesson'), (c) => [
        c.dataset.lesson!,
        {
          state: c.dataset.state!,
          status: c.querySelector('[data-course-status]')!.textContent!.trim(),
          last: !c.querySelector<HTMLElement>('[data-course-last]')!.hidden,
        },
      ]),
    ),
  );

const continueLink = async (page: Page): Promise<{ href: string | null; text: string }> => ({
  href: await page.locator('[data-course-continue]').getAttribute('href'),
  text: (await page.locator('[data-course-continue]').innerText()).trim(),
});

const locales = [
  {
    prefix: '',
    started: (d: number, t: number) => `${d} of ${t} steps done`,
    finished: 'Finished',
    read: 'Read',
    oneStep: '1 step to check',
    steps: (n: number) => `${n} steps to check`,
    start: 'Start the course',
    continueTo: 'Continue: Add worker nodes',
    summary: '3 of 10 lessons complete.',
    marks: { finished: 'finished', started: '1 of 2 steps done' },
    helped: ' · 1 with the solution shown',
  },
  {
    prefix: '/zh-cn',
    started: (d: number, t: number) => `已完成 ${d}/${t} 个步骤`,
    finished: '已完成',
    read: '已读',
    oneStep: '1 个待检查的步骤',
    steps: (n: number) => `${n} 个待检查的步骤`,
    start: '开始学习',
    continueTo: '继续学习：添加工作节点',
    summary: '已完成 3/10 节课。',
    marks: { finished: '已完成', started: '已完成 1/2 个步骤' },
    helped: ' · 其中 1 个看过答案',
  },
] as const;

describe.skipIf(!run)('the course map on the home page', () => {
  test.each(locales)('$prefix/: each lesson\'s progress, and continue goes to the last lesson opened', async (l) => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await openWith(page, MIDWAY, `${l.prefix}/`);
      const c = await cards(page);
      expect(Object.keys(c)).toHaveLength(10);
      // The overview has no steps: read, since the learner went past it.
      expect(c.overview).toEqual({ state: 'read', status: l.read, last: false });
      expect(c['create-swarm']).toEqual({ state: 'finished', status: l.finished, last: false });
      expect(c['add-nodes']).toEqual({ state: 'started', status: l.started(1, 2), last: true });
      expect(c['deploy-service']).toEqual({ state: 'new', status: l.oneStep, last: false });
      // inspect-service has no steps either: read, as rolling-update after it has steps done.
      expect(c['inspect-service']!.state).toBe('read');
      expect(c['scale-service']!.state).toBe('new');
      // One of its done steps was solved with the solution shown: the map says so and marks the card.
      expect(c['rolling-update']).toEqual({ state: 'started', status: `${l.started(2, 4)}${l.helped}`, last: false });
      expect(await page.getAttribute('.course-lesson[data-lesson="rolling-update"]', 'data-helped')).toBe('1');
      expect(await page.getAttribute('.course-lesson[data-lesson="create-swarm"]', 'data-helped')).toBe('0');
      expect(c['drain-node']!.state).toBe('new');
      expect(c['routing-mesh']).toEqual({ state: 'new', status: l.steps(6), last: false });
      expect(await continueLink(page)).toEqual({ href: `${l.prefix}/lessons/add-nodes/`, text: l.continueTo });
      expect((await page.locator('[data-course-summary]').innerText()).trim()).toBe(l.summary);
      // Every card links to its lesson in the page's language.
      expect(await page.locator('.course-lesson a.course-title').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(
        ['overview', 'create-swarm', 'add-nodes', 'deploy-service', 'inspect-service', 'scale-service', 'delete-service', 'rolling-update', 'drain-node', 'routing-mesh'].map(
          (id) => `${l.prefix}/lessons/${id}/`,
        ),
      );

      // Nothing stored: start at the first lesson.
      await openWith(page, {}, `${l.prefix}/`);
      expect(await continueLink(page)).toEqual({ href: `${l.prefix}/lessons/overview/`, text: l.start });
      expect(Object.values(await cards(page)).every((x) => x.state === 'new' && !x.last)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test.each(locales)('$prefix/: axe finds no serious or critical issue, in light and dark', async (l) => {
    const page = await site.browser.context.newPage();
    try {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await openWith(page, MIDWAY, `${l.prefix}/`);
        expect(await axeSerious(page), `${l.prefix}/ ${scheme}`).toEqual([]);
        // The picture has its text alternative in the page's language.
        const name = await page.locator('svg.swarm-picture-wide').evaluate((svg) => svg.getAttribute('aria-labelledby'));
        expect(name).toBe('swarm-picture-wide-title swarm-picture-wide-desc');
        expect(await page.locator('#swarm-picture-wide-desc').textContent()).toContain('redis:7.4.1');
      }
      // The reset question, open.
      await page.locator('[data-course-reset]').click();
      expect(await axeSerious(page), `${l.prefix}/ reset dialog`).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('Reset all progress asks first; confirming forgets all progress and leaves the terminal\'s swarm alone', async () => {
    const page = await site.browser.context.newPage();
    try {
      await openWith(page, MIDWAY, '/');
      // A swarm of the tab's terminal (what a lesson page keeps) and the speed setting.
      await page.evaluate((key) => {
        sessionStorage.setItem(key, '{"kept":"as it is"}');
        localStorage.setItem('swarm-lab:speed', '5');
      }, SAVED_SWARM_KEY);
      const dialog = page.locator('dialog[data-course-dialog]');
      expect(await dialog.isVisible()).toBe(false);

      // Cancel keeps everything.
      await page.locator('[data-course-reset]').click();
      expect(await dialog.isVisible()).toBe(true);
      expect(await dialog.innerText()).toContain('Reset all progress?');
      // Centred (Starlight's reset of every margin would pin it to the top left corner).
      const box = (await dialog.boundingBox())!;
      expect(Math.abs(box.x + box.width / 2 - 640)).toBeLessThan(2);
      expect(box.y).toBeGreaterThan(100);
      await dialog.locator('button[value="cancel"]').click();
      expect(await dialog.isVisible()).toBe(false);
      expect((await cards(page))['create-swarm']!.state).toBe('finished');
      // So does Escape.
      await page.locator('[data-course-reset]').click();
      await page.keyboard.press('Escape');
      expect(await dialog.isVisible()).toBe(false);
      expect(Object.keys(await stored(page))).toEqual(expect.arrayContaining(Object.keys(MIDWAY)));

      await page.locator('[data-course-reset]').click();
      await dialog.locator('button[value="reset"]').click();
      // The dialog's close event comes in a task of its own.
      await page.waitForSelector('[data-course-message][data-kind="ok"]');
      expect(await dialog.isVisible()).toBe(false);
      expect(Object.values(await cards(page)).every((x) => x.state === 'new')).toBe(true);
      expect(await continueLink(page)).toEqual({ href: '/lessons/overview/', text: 'Start the course' });
      expect((await page.locator('[data-course-message]').innerText()).trim()).toBe('All progress was reset.');
      expect(await stored(page)).toEqual({ 'swarm-lab:speed': '5' });
      expect(await page.evaluate((key) => sessionStorage.getItem(key), SAVED_SWARM_KEY)).toBe('{"kept":"as it is"}');
    } finally {
      await page.close();
    }
  });

  test('export downloads swarm-lab-progress.json; importing it brings the same progress back', async () => {
    const page = await site.browser.context.newPage();
    try {
      await openWith(page, MIDWAY, '/');
      const before = await cards(page);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-course-export]').click()]);
      expect(download.suggestedFilename()).toBe('swarm-lab-progress.json');
      const file = join(tmp, 'swarm-lab-progress.json');
      await download.saveAs(file);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
        app: 'swarm-lab',
        version: 1,
        lessons: {
          'create-swarm': { done: ['init'], helped: [] },
          'add-nodes': { done: ['join-worker1'], helped: [] },
          'rolling-update': { done: ['create', 'update'], helped: ['update'] },
        },
        last: 'add-nodes',
      });

      // Another browser's progress (here: a different one, set by hand) is replaced by the file's.
      await openWith(page, { 'swarm-lab:progress:drain-node': '["drain"]', 'swarm-lab:last-lesson': 'drain-node' }, '/');
      expect((await cards(page))['drain-node']!.state).toBe('started');
      await page.locator('[data-course-import]').click();
      await page.locator('[data-course-file]').setInputFiles(file);
      await page.waitForSelector('[data-course-message][data-kind="ok"]');
      expect((await page.locator('[data-course-message]').innerText()).trim()).toBe('Progress imported from swarm-lab-progress.json.');
      expect(await cards(page)).toEqual(before);
      expect(await stored(page)).toEqual(MIDWAY);
      expect((await continueLink(page)).href).toBe('/lessons/add-nodes/');
    } finally {
      await page.close();
    }
  });

  test('a file that is not a progress file says so and changes nothing', async () => {
    const page = await site.browser.context.newPage();
    try {
      await openWith(page, MIDWAY, '/zh-cn/');
      const before = await cards(page);
      const notes = join(tmp, 'notes.json');
      await writeFile(notes, JSON.stringify({ app: 'something-else', lessons: {} }));
      const text = join(tmp, 'todo.txt');
      await writeFile(text, 'docker swarm init\n');
      for (const [file, name] of [
        [notes, 'notes.json'],
        [text, 'todo.txt'],
      ] as const) {
        // Through the button, as the learner does: it opens the file chooser.
        const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('[data-course-import]').click()]);
        await chooser.setFiles(file);
        await page.waitForFunction((name) => document.querySelector('[data-course-message]')?.textContent?.includes(name), name);
        expect(await page.locator('[data-course-message]').getAttribute('data-kind')).toBe('error');
        expect((await page.locator('[data-course-message]').innerText()).trim()).toBe(`${name} 不是 Swarm 实验室的进度文件，没有做任何更改。`);
        expect(await cards(page)).toEqual(before);
        expect(await stored(page)).toEqual(MIDWAY);
      }
    } finally {
      await page.close();
    }
  });

  test('after a page swap from a lesson, the map shows the progress made there', async () => {
    const page = await site.browser.context.newPage();
    try {
      await openWith(page, MIDWAY, '/');
      await page.goto(`${site.server.url}/lessons/scale-service/`);
      await page.evaluate(() => ((window as unknown as { swapMarker: string }).swapMarker = 'same document'));
      await page.evaluate(() => localStorage.setItem('swarm-lab:progress:scale-service', '["scale"]'));
      await page.locator('a.site-title').click();
      await page.waitForSelector('[data-course-map][data-ready]');
      expect(await page.evaluate(() => (window as unknown as { swapMarker?: string }).swapMarker)).toBe('same document');
      expect((await cards(page))['scale-service']!.state).toBe('finished');
    } finally {
      await page.close();
    }
  });
});

/** The sidebar mark of a lesson: its state, what it shows and what a screen reader hears. */
const mark = (page: Page, href: string): Promise<{ state?: string; shown?: string; said?: string; name: string } | undefined> =>
  page.evaluate((href) => {
    const a = document.querySelector<HTMLElement>(`#starlight__sidebar a[href="${href}"]`);
    if (!a) return undefined;
    const m = a.querySelector<HTMLElement>('.course-mark');
    return {
      state: m?.dataset.state,
      shown: m?.querySelector('[aria-hidden="true"]')?.textContent ?? undefined,
      said: m?.querySelector('.sr-only')?.textContent ?? undefined,
      name: a.textContent ?? '',
    };
  }, href);

describe.skipIf(!run)('the sidebar\'s progress marks', () => {
  test.each(locales)('$prefix: ticks and counts on a lesson page, live, and after a page swap', async (l) => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await openWith(page, MIDWAY, `${l.prefix}/`);
      await page.goto(`${site.server.url}${l.prefix}/lessons/delete-service/`);
      const href = (id: string): string => `${l.prefix}/lessons/${id}/`;
      expect(await mark(page, href('create-swarm'))).toMatchObject({ state: 'finished', shown: '✓' });
      expect((await mark(page, href('create-swarm')))!.said).toContain(l.marks.finished);
      expect(await mark(page, href('add-nodes'))).toMatchObject({ state: 'started', shown: '1/2' });
      expect((await mark(page, href('add-nodes')))!.said).toContain(l.marks.started);
      expect(await mark(page, href('rolling-update'))).toMatchObject({ state: 'started', shown: '2/4' });
      expect(await mark(page, href('overview'))).toMatchObject({ state: 'read', shown: '✓' });
      expect(await mark(page, href('deploy-service'))).toMatchObject({ state: undefined });
      // The link's accessible name carries the words (the tick itself is hidden from it). On a
      // wide lesson page the sidebar opens over the page from the menu button (site.css).
      await page.locator('starlight-menu-button button').click();
      await page.locator('#starlight__sidebar').waitFor({ state: 'visible' });
      const name = await page.locator(`#starlight__sidebar a[href="${href('add-nodes')}"]`).evaluate((a) => a.textContent);
      expect(name).toContain(l.marks.started);
      if (l.prefix === '') {
        expect(await page.locator('#starlight__sidebar').getByRole('link', { name: 'Add worker nodes (1 of 2 steps done)' }).count()).toBe(1);
      }

      // Live: progress written on the page (as a lesson's step check does) shows at once.
      await page.evaluate(() => {
        localStorage.setItem('swarm-lab:progress:drain-node', '["drain","activate"]');
        document.dispatchEvent(new CustomEvent('swarm-lab:progress'));
      });
      expect(await mark(page, href('drain-node'))).toMatchObject({ state: 'finished', shown: '✓' });

      // A page swap through the sidebar: the new page's sidebar has the marks too.
      await page.evaluate(() => ((window as unknown as { swapMarker: string }).swapMarker = 'same document'));
      await page.locator(`#starlight__sidebar a[href="${href('scale-service')}"]`).click();
      await page.waitForURL(`**${href('scale-service')}`);
      // The new page's sidebar is closed again (attached, not shown).
      await page.waitForSelector(`#starlight__sidebar a[href="${href('scale-service')}"][aria-current="page"]`, { state: 'attached' });
      expect(await page.evaluate(() => (window as unknown as { swapMarker?: string }).swapMarker)).toBe('same document');
      expect(await mark(page, href('drain-node'))).toMatchObject({ state: 'finished' });
      expect(await mark(page, href('add-nodes'))).toMatchObject({ state: 'started', shown: '1/2' });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
