// The lesson dock's layout on the BUILT site in chromium (issue 16): how many columns the
// docked terminal has at the screen sizes learners use, against the widest table the
// lessons print; the lesson|dock split moved by keyboard and pointer and kept across a page
// change and a reload; the whole-width switch; the swarm view's box (empty: nothing shown;
// with a view: a strip that folds it away, remembered, and a split); and on a 390x844 phone,
// every control of the dock inside the screen and reachable by a finger.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { runScript } from '../../engine/node/main.js';
import { displayWidth } from '../../engine/text-width.js';
import { chromiumAvailable } from './browser.js';
import { screenRows, siteInChromium, waitSettled } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/dock-layout.test.ts');
const site = siteInChromium({ browser: run });
const root = fileURLToPath(new URL('../../', import.meta.url));

type Dock = HTMLElement & { columns: number; typeText(t: string): void; screenText(): string };

/**
 * The widest line docker prints in the lessons: every ```text output block of the lesson
 * pages (test/lesson-outputs.test.ts holds them to what the engine prints), and
 * `docker service ps redis` at the rolling-update lesson's broken update, run through the
 * engine on a few seeds (its CURRENT STATE and ERROR columns vary with time).
 */
async function widestTable(): Promise<{ width: number; line: string }> {
  let best = { width: 0, line: '' };
  const consider = (line: string): void => {
    // A JSON read (`inspect --format '{{json ...}}'`) is one long line that wraps on any
    // terminal, as docker prints it: a table is what must not wrap.
    if (/^[[{]/.test(line)) return;
    const w = displayWidth(line.replace(/ +$/, ''));
    if (w > best.width) best = { width: w, line };
  };
  const dir = join(root, 'content/docs/lessons');
  for (const file of readdirSync(dir)) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/^```text[^\n]*\n([\s\S]*?)\n?```$/gm)) m[1]!.split('\n').forEach(consider);
  }
  const script = [
    'docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0',
    'docker service update --detach --image redis:7.4.1 redis',
    'sleep 50',
    'docker service update --image redis:9.9.9 redis',
    'docker service ps redis',
    'sleep 50',
    'docker service ps redis',
  ].join('\n');
  for (const seed of [1, 2, 3]) {
    const entries = await runScript(script, { seed, cols: 1000 });
    for (const e of entries.filter((x) => x.command === 'docker service ps redis')) e.output.split('\n').forEach(consider);
  }
  return best;
}

/** The terminal's columns as the learner sees them: the widest row of a line longer than any screen. */
async function columnsShown(page: Page): Promise<number> {
  await page.evaluate(() => (document.querySelector('lesson-terminal') as Dock).typeText('x'.repeat(600)));
  await page.waitForFunction(() => (document.querySelector('lesson-terminal') as Dock).screenText().replace(/\n/g, '').includes('x'.repeat(600)));
  const rows = (await screenRows(page)).filter((r) => /^x+$/.test(r));
  await page.evaluate(() => (document.querySelector('lesson-terminal') as Dock).typeText('\x03'));
  const cols = Math.max(...rows.map((r) => r.length));
  // The terminal's own figure agrees (the split's value text reads it).
  expect(await page.evaluate(() => (document.querySelector('lesson-terminal') as Dock).columns)).toBe(cols);
  return cols;
}

const lessonWidth = (page: Page): Promise<number> => page.evaluate(() => document.querySelector('.lesson-main')!.getBoundingClientRect().width);

/** Waits for the dock's layout module (loaded once the terminal is ready): the split takes the focus then. */
const splitReady = (page: Page): Promise<unknown> => page.waitForSelector('.lesson-split[tabindex="0"][aria-valuenow]', { state: 'attached', timeout: 15_000 });

describe.skipIf(!run)('the lesson dock\'s layout in chromium', () => {
  test('columns of the docked terminal: >= 100 from 1280x800 up, the widest table of the lessons at 1440x900; a phone\'s drawer', async () => {
    const widest = await widestTable();
    // What the lessons print today: docker ps after a minute (144), service ps with errors (140).
    expect(widest.width).toBeGreaterThanOrEqual(140);
    const page = await site.browser.context.newPage();
    try {
      const seen: Record<string, number> = {};
      for (const path of ['/lessons/rolling-update/', '/zh-cn/lessons/rolling-update/']) {
        for (const [w, h] of [
          [1280, 800],
          [1366, 768],
          [1440, 900],
          [390, 844],
        ] as const) {
          await page.setViewportSize({ width: w, height: h });
          await page.goto(`${site.server.url}${path}`);
          await waitSettled(page);
          if (w < 1152) {
            await page.locator('.lesson-dock-toggle').click();
            await page.locator('lesson-terminal .xterm').waitFor({ state: 'visible' });
          }
          const cols = await columnsShown(page);
          seen[`${path} ${w}x${h}`] = cols;
          if (w >= 1280) expect(cols, `${path} ${w}x${h}`).toBeGreaterThanOrEqual(100);
          if (w >= 1440) expect(cols, `${path} ${w}x${h}: ${widest.line}`).toBeGreaterThanOrEqual(widest.width);
          // A phone: more than the 44 columns it had (the drawer is as wide as the screen).
          if (w === 390) expect(cols, `${path} ${w}x${h}`).toBeGreaterThan(44);
          // Beside the terminal the lesson keeps a readable column (>= 21.5rem).
          if (w >= 1152) expect(await lessonWidth(page), `${path} ${w}x${h}`).toBeGreaterThanOrEqual(21.5 * 16 - 1);
          // Its command blocks and output tables wrap instead of scrolling sideways.
          const overflowing = await page.evaluate(() =>
            Array.from(document.querySelectorAll<HTMLElement>('.lesson-main .expressive-code pre'))
              .filter((p) => p.scrollWidth > p.clientWidth + 1)
              .map((p) => p.textContent?.slice(0, 40)),
          );
          expect(overflowing, `${path} ${w}x${h}`).toEqual([]);
        }
      }
      console.log(`dock-layout: terminal columns ${JSON.stringify(seen)}; widest table ${widest.width}`);
    } finally {
      await page.close();
    }
  }, 180_000);

  test('a command wrapped in its block copies and runs as the one line it is', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      // What Copy hands the clipboard, recorded (headless chromium has no clipboard to read).
      await page.addInitScript(() => {
        const w = window as unknown as { copied: string[] };
        w.copied = [];
        Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t: string) => void w.copied.push(t) }, configurable: true });
      });
      await page.goto(`${site.server.url}/lessons/rolling-update/`);
      await waitSettled(page);
      const command = 'docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0';
      const block = page.locator('.lesson-main figure:has(pre[data-language="sh"])').first();
      // Wrapped: the one line of code takes several rows of its block (against a short one's line).
      const tall = (await block.locator('.ec-line').first().boundingBox())!.height;
      const short = (await page.locator('.lesson-main figure:has(pre[data-language="sh"]) .ec-line').filter({ hasText: /^docker service ps redis$/ }).first().boundingBox())!.height;
      expect(Math.round(tall / short)).toBeGreaterThan(1);
      await page.locator('.lesson-cmd-actions button[data-command="copy"]').first().click();
      await page.waitForFunction(() => (window as unknown as { copied: string[] }).copied.length > 0);
      expect(await page.evaluate(() => (window as unknown as { copied: string[] }).copied)).toEqual([command]);
      await page.locator('.lesson-cmd-actions button[data-command="run"]').first().click();
      await page.waitForFunction((c) => (document.querySelector('lesson-terminal') as Dock).screenText().split('\n').some((r) => r.endsWith(`$ ${c}`)), command, { timeout: 30_000 });
    } finally {
      await page.close();
    }
  }, 60_000);

  test.each([
    [1440, 900],
    [390, 844],
  ])('at %ix%i no flag of a command is split at a hyphen, in a block or in the prose', async (w, h) => {
    const page = await site.browser.context.newPage();
    try {
      await page.setViewportSize({ width: w, height: h });
      await page.goto(`${site.server.url}/lessons/rolling-update/`);
      await waitSettled(page);
      // Each word starting with a hyphen, in the shell blocks' lines and in inline code, drawn on
      // one row (chromium breaks after any hyphen: `-` then `-update-delay`). Found in the text,
      // whatever the markup around it.
      const words = await page.evaluate(() => {
        const found: { word: string; rows: number }[] = [];
        for (const el of document.querySelectorAll<HTMLElement>('.lesson-main pre[data-language="sh"] .code, .lesson-main :not(pre) > code')) {
          const texts: { node: Text; start: number }[] = [];
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          let all = '';
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            texts.push({ node: n as Text, start: all.length });
            all += n.textContent;
          }
          const at = (i: number): [Text, number] => {
            const t = texts.filter((x) => x.start <= i).pop()!;
            return [t.node, i - t.start];
          };
          for (const m of all.matchAll(/(?<=^|\s)--?[a-z][\w-]*/g)) {
            const r = document.createRange();
            r.setStart(...at(m.index));
            r.setEnd(...at(m.index + m[0].length - 1));
            r.setEnd(r.endContainer, r.endOffset + 1);
            found.push({ word: m[0], rows: new Set(Array.from(r.getClientRects(), (x) => Math.round(x.top))).size });
          }
        }
        return found;
      });
      expect(words.map((x) => x.word)).toContain('--update-delay');
      expect(words.filter((x) => x.rows > 1)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  test('the split: arrow keys and a drag move it, it holds across a page change and a reload; double click puts it back', async () => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      // The view's own chunk (src/client/swarm-view/mount.ts) is kept out, so the slot stays
      // empty as it is until that chunk has loaded; the panel's stand-in is appended below.
      await page.route(/\/_astro\/mount\.[\w-]+\.js$/, (route) => route.abort());
      await page.goto(`${site.server.url}/lessons/deploy-service/`);
      await page.evaluate(() => localStorage.removeItem('swarm-lab:lesson-width'));
      await page.reload();
      await waitSettled(page);
      await splitReady(page);
      const split = page.locator('.lesson-split');
      expect(await split.getAttribute('role')).toBe('separator');
      expect(await split.getAttribute('aria-orientation')).toBe('vertical');
      const start = await lessonWidth(page);
      const cols0 = await page.evaluate(() => (document.querySelector('lesson-terminal') as Dock).columns);
      const now0 = Number(await split.getAttribute('aria-valuenow'));

      // Keyboard: three steps right widen the lesson by 3 rem; the terminal loses columns.
      await split.focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      await page.waitForFunction((w) => document.querySelector('.lesson-main')!.getBoundingClientRect().width > w + 40, start);
      expect(Math.round(await lessonWidth(page))).toBe(Math.round(start + 48));
      await page.waitForFunction((c) => (document.querySelector('lesson-terminal') as Dock).columns < c, cols0);
      expect(Number(await split.getAttribute('aria-valuenow'))).toBeGreaterThan(now0);
      await page.waitForFunction(() => /\d+/.test(document.querySelector('.lesson-split')!.getAttribute('aria-valuetext') ?? ''));
      const cols1 = await page.evaluate(() => (document.querySelector('lesson-terminal') as Dock).columns);
      expect(await split.getAttribute('aria-valuetext')).toBe(`Terminal ${cols1} columns wide`);
      // Home: the lesson's least width (21.5 rem).
      await page.keyboard.press('Home');
      expect(Math.round(await lessonWidth(page))).toBe(344);

      // A drag: the split follows the pointer.
      const box = (await split.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + 200);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 150, box.y + 220, { steps: 5 });
      await page.mouse.up();
      const dragged = await lessonWidth(page);
      expect(Math.abs(dragged - (344 + 150))).toBeLessThanOrEqual(2);
      expect(Number(await page.evaluate(() => localStorage.getItem('swarm-lab:lesson-width')))).toBe(Math.round(dragged));

      // A page change (client-side: the same document) keeps it.
      await page.evaluate(() => ((window as unknown as { navMarker: string }).navMarker = 'same document'));
      await page.locator('a[rel="next"]').first().click();
      await page.waitForSelector('.lesson-columns[data-lesson="inspect-service"]', { timeout: 15_000 });
      expect(await page.evaluate(() => (window as unknown as { navMarker?: string }).navMarker)).toBe('same document');
      expect(Math.abs((await lessonWidth(page)) - dragged)).toBeLessThanOrEqual(1);
      await splitReady(page);
      // So does a reload, from its first paint (the head script applies it).
      await page.reload();
      expect(Math.abs((await lessonWidth(page)) - dragged)).toBeLessThanOrEqual(1);

      // Double click: back to the layout's own split, and nothing stored.
      await splitReady(page);
      await split.dblclick();
      expect(Math.abs((await lessonWidth(page)) - start)).toBeLessThanOrEqual(1);
      expect(await page.evaluate(() => localStorage.getItem('swarm-lab:lesson-width'))).toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await page.evaluate(() => localStorage.removeItem('swarm-lab:lesson-width')).catch(() => undefined);
      await page.close();
    }
  }, 120_000);

  test('whole width: the terminal takes the page and gives it back; a new page shows its lesson', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${site.server.url}/zh-cn/lessons/deploy-service/`);
      await waitSettled(page);
      await splitReady(page);
      const wide = page.locator('lesson-terminal [data-dock-wide]');
      expect(await wide.getAttribute('aria-pressed')).toBe('false');
      expect(await wide.getAttribute('aria-label')).toBe('让终端占满整个宽度');
      const cols = await page.evaluate(() => (document.querySelector('lesson-terminal') as Dock).columns);
      await wide.click();
      expect(await wide.getAttribute('aria-pressed')).toBe('true');
      await page.locator('.lesson-main').waitFor({ state: 'hidden' });
      expect(await page.locator('.lesson-split').isVisible()).toBe(false);
      const dock = (await page.locator('.lesson-dock').boundingBox())!;
      expect(dock.width).toBeGreaterThanOrEqual(1280 - 1);
      await page.waitForFunction((c) => (document.querySelector('lesson-terminal') as Dock).columns > c + 30, cols);
      // The dock's Reset still asks (its dialog is not part of the hidden lesson).
      await page.locator('[data-dock="reset"]').click();
      await page.waitForSelector('dialog.lesson-reset-dialog[open]');
      expect(await page.locator('dialog.lesson-reset-dialog').isVisible()).toBe(true);
      await page.keyboard.press('Escape');
      await page.waitForSelector('dialog.lesson-reset-dialog:not([open])', { state: 'attached' });
      // And back.
      await wide.click();
      expect(await wide.getAttribute('aria-pressed')).toBe('false');
      await page.locator('.lesson-main').waitFor({ state: 'visible' });
      await page.waitForFunction((c) => (document.querySelector('lesson-terminal') as Dock).columns === c, cols);
      // Whole width again, then to the next lesson: it opens with its text.
      await wide.click();
      await page.locator('a[rel="next"]').first().evaluate((a: HTMLElement) => a.click());
      await page.waitForSelector('.lesson-columns[data-lesson="inspect-service"]', { timeout: 15_000 });
      await page.locator('.lesson-main').waitFor({ state: 'visible' });
      await splitReady(page);
      expect(await wide.getAttribute('aria-pressed')).toBe('false');
    } finally {
      await page.close();
    }
  }, 90_000);

  test('the swarm view\'s box: nothing while empty; with a view, a strip that folds it (remembered) and a split (kept across pages)', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      // The view's own chunk (src/client/swarm-view/mount.ts) is kept out, so the slot stays
      // empty as it is until that chunk has loaded; the panel's stand-in is appended below.
      await page.route(/\/_astro\/mount\.[\w-]+\.js$/, (route) => route.abort());
      await page.goto(`${site.server.url}/lessons/deploy-service/`);
      await page.evaluate(() => {
        localStorage.removeItem('swarm-lab:swarm-view');
        localStorage.removeItem('swarm-lab:swarm-view-size');
      });
      await page.reload();
      await waitSettled(page);
      const slot = page.locator('[data-swarm-view-slot]');
      const bar = page.locator('lesson-terminal .lt-view-bar');
      const split = page.locator('lesson-terminal .lt-view-split');
      // Empty: no strip, no box, no split; a wide screen starts with the view open.
      expect(await bar.isVisible()).toBe(false);
      expect(await split.isVisible()).toBe(false);
      expect((await slot.boundingBox()) ?? { height: 0 }).toMatchObject({ height: 0 });
      expect(await slot.getAttribute('data-collapsed')).toBeNull();

      // The view's code puts its root in the slot (the view engineer's panel does this).
      await page.evaluate(() => {
        const root = document.createElement('div');
        root.setAttribute('data-swarm-view', '');
        root.style.height = '100%';
        root.textContent = 'view';
        document.querySelector('[data-swarm-view-slot]')!.append(root);
      });
      await bar.waitFor({ state: 'visible' });
      await split.waitFor({ state: 'visible' });
      const frame = (await page.locator('lesson-terminal .lt').boundingBox())!;
      const view = (await slot.boundingBox())!;
      // 40% of the dock by default.
      expect(Math.abs(view.height / frame.height - 0.4)).toBeLessThan(0.02);

      // The split by keyboard (once its module is in): down gives the view more room.
      await page.waitForSelector('lesson-terminal .lt-view-split[tabindex="0"][aria-valuenow]', { state: 'attached', timeout: 15_000 });
      const rows = await page.evaluate(() => (document.querySelector('lesson-terminal') as Dock & { screenText(): string }).screenText());
      expect(rows).toContain('docker@manager1');
      const before = Number(await split.getAttribute('aria-valuenow'));
      await split.focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction((b) => Number(document.querySelector('.lt-view-split')!.getAttribute('aria-valuenow')) >= b + 9, before);
      expect(await split.getAttribute('aria-valuetext')).toMatch(/^Swarm view \d+% of the dock$/);
      const size = Number(await page.evaluate(() => localStorage.getItem('swarm-lab:swarm-view-size')));
      expect(size).toBeGreaterThanOrEqual(before + 9);
      const grown = (await slot.boundingBox())!.height;
      /** The view's share of the terminal's frame. */
      const share = async (): Promise<number> => (await slot.boundingBox())!.height / (await page.locator('lesson-terminal .lt').boundingBox())!.height;
      const grownShare = await share();

      // Fold it away: the slot says so (the view then does no work), the terminal gets the room.
      const toggle = page.locator('lesson-terminal .lt-view-toggle');
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await slot.getAttribute('data-collapsed')).toBe('');
      expect(await split.isVisible()).toBe(false);
      expect(await page.evaluate(() => localStorage.getItem('swarm-lab:swarm-view'))).toBe('closed');
      await toggle.click();
      expect(await slot.getAttribute('data-collapsed')).toBeNull();
      expect(Math.abs((await slot.boundingBox())!.height - grown)).toBeLessThanOrEqual(1);

      // A page change keeps the box as it is (the terminal is the same element): open, and the
      // same share of the frame (the frame itself may be shorter: the next lesson's start
      // notice can take the top of the dock).
      await page.locator('a[rel="next"]').first().click();
      await page.waitForSelector('.lesson-columns[data-lesson="inspect-service"]', { timeout: 15_000 });
      expect(await slot.getAttribute('data-collapsed')).toBeNull();
      expect(Math.abs((await share()) - grownShare)).toBeLessThan(0.02);
      // Folded, then a reload: the new page starts folded (remembered), its size kept.
      await toggle.click();
      await page.reload();
      await page.waitForSelector('lesson-terminal[data-state="ready"]', { state: 'attached', timeout: 30_000 });
      expect(await slot.getAttribute('data-collapsed')).toBe('');
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('lesson-terminal')!).getPropertyValue('--lt-view-size'))).toBe(`${size}%`);
    } finally {
      await page.evaluate(() => {
        localStorage.removeItem('swarm-lab:swarm-view');
        localStorage.removeItem('swarm-lab:swarm-view-size');
      }).catch(() => undefined);
      await page.close();
    }
  }, 90_000);

  test.each(['/lessons/rolling-update/', '/zh-cn/lessons/rolling-update/'])('%s on a 390x844 phone: every control of the dock on screen and tappable, the view a folded strip', async (path) => {
    const page = await site.browser.context.newPage();
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${site.server.url}${path}`);
      await page.evaluate(() => localStorage.removeItem('swarm-lab:swarm-view'));
      await page.reload();
      await waitSettled(page);
      await page.locator('.lesson-dock-toggle').click();
      await page.locator('lesson-terminal .xterm').waitFor({ state: 'visible' });
      // A view in the slot, so its strip is among the controls.
      await page.evaluate(() => {
        const root = document.createElement('div');
        root.setAttribute('data-swarm-view', '');
        document.querySelector('[data-swarm-view-slot]')!.append(root);
      });
      await page.locator('lesson-terminal .lt-view-bar').waitFor({ state: 'visible' });
      // A phone starts with the view folded: a strip above the terminal.
      expect(await page.locator('[data-swarm-view-slot]').getAttribute('data-collapsed')).toBe('');
      const problems = await page.evaluate(() => {
        const out: string[] = [];
        const controls = Array.from(document.querySelectorAll<HTMLElement>('.lesson-dock button, .lesson-dock [role="separator"][tabindex], .lesson-dock a[href]'));
        const visible = controls.filter((c) => c.getClientRects().length > 0 && getComputedStyle(c).visibility !== 'hidden');
        if (visible.length < 8) out.push(`only ${visible.length} controls`);
        for (const c of visible) {
          const r = c.getBoundingClientRect();
          const name = `${c.className || c.tagName} "${(c.getAttribute('aria-label') ?? c.textContent ?? '').trim().slice(0, 30)}"`;
          if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) out.push(`${name} outside the screen: ${JSON.stringify(r)}`);
          if (r.width < 24 || r.height < 24) out.push(`${name} smaller than 24x24: ${r.width}x${r.height}`);
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          if (!hit || !(c === hit || c.contains(hit))) out.push(`${name} covered by ${hit?.outerHTML.slice(0, 60)}`);
        }
        return out;
      });
      expect(problems).toEqual([]);
      // The ones the English header used to push off the screen.
      for (const sel of ['[data-speed="20"]', '[data-screen-reader]', '.lt-view-toggle']) {
        const b = page.locator(`lesson-terminal ${sel}`);
        await b.click();
        if (sel === '.lt-view-toggle') {
          // Unfolded: the view's box and, under it, the split, a finger's height, on screen.
          expect(await page.locator('[data-swarm-view-slot]').getAttribute('data-collapsed')).toBeNull();
          const split = (await page.locator('lesson-terminal .lt-view-split').boundingBox())!;
          expect(split.height).toBeGreaterThanOrEqual(24);
          expect(split.y + split.height).toBeLessThanOrEqual(844);
        }
        else expect(await b.getAttribute('aria-pressed')).toBe('true');
      }
      // Put the screen reader mode back for the other tests.
      await page.locator('lesson-terminal [data-screen-reader]').click();
      // The terminal is usable: typed into, it answers.
      await page.locator('lesson-terminal .xterm-helper-textarea').focus();
      await page.keyboard.type('docker node ls\n');
      await page.waitForFunction(() => /worker2\s+Ready\s+Active/.test((document.querySelector('lesson-terminal') as Dock).screenText().replace(/\n/g, '')), undefined, { timeout: 30_000 });
    } finally {
      await page.evaluate(() => localStorage.removeItem('swarm-lab:swarm-view')).catch(() => undefined);
      await page.close();
    }
  }, 90_000);
});
