// What the browser tests of the built lesson site share: one served build and one chromium per
// test file, the terminal's screen as text, and axe-core scoped to a part of the page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Browser, StaticServer } from './browser.js';
import { launchChromium, serveStatic } from './browser.js';
import { builtSite } from './site.js';

export interface SiteInChromium {
  /** The built site's folder (set once the build is done). */
  outDir: string;
  server: StaticServer;
  browser: Browser;
}

/**
 * Registers the hooks that build the site (once per run, shared), serve it and start chromium
 * for this file's tests. Call at module level; read the fields inside tests.
 */
export function siteInChromium(opts: { browser: boolean }): SiteInChromium {
  const site = {} as SiteInChromium;
  beforeAll(async () => {
    site.outDir = await builtSite();
    if (!opts.browser) return;
    site.server = await serveStatic(site.outDir);
    site.browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}

/** The terminal's screen and scrollback, wrapped rows joined. */
export const screen = (page: Page): Promise<string> =>
  page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { screenText(): string }).screenText().replace(/\n/g, ''));

/**
 * Types a line on the keyboard as a learner would, waits for `until` after it and for the
 * terminal to be ready again; returns what the screen gained (rows kept apart).
 */
export async function typeCommand(page: Page, line: string, until: RegExp, timeout = 45_000): Promise<string> {
  const rowsNow = (): Promise<string> => page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { screenText(): string }).screenText());
  const before = (await rowsNow()).length;
  await page.locator('lesson-terminal .xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await waitScreen(page, new RegExp(`${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s\\S]*${until.source}`), timeout);
  await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });
  return (await rowsNow()).slice(before);
}

/** Waits until the terminal's screen (wrapped rows joined) matches `pattern`. */
export const waitScreen = (page: Page, pattern: RegExp, timeout = 45_000): Promise<unknown> =>
  page.waitForFunction(
    (source) => new RegExp(source).test((document.querySelector('lesson-terminal') as unknown as { screenText(): string }).screenText().replace(/\n/g, '')),
    pattern.source,
    { timeout },
  );

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations inside the elements matching `selectors`. */
export async function axeViolations(page: Page, selectors: string[]): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async (include) => {
    type Result = { violations: { id: string; nodes: { target: string[] }[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: unknown): Promise<Result> } }).axe;
    const r = await axe.run({ include: include.map((s) => [s]) });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, selectors);
}

// ---------------------------------------------------------------- running lessons as a learner

/** The terminal's rows (wrapped rows stay separate; trailing blanks trimmed). */
export const screenRows = (page: Page): Promise<string[]> =>
  page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { screenText(): string }).screenText().split('\n'));

const PROMPT = /^docker@[\w-]+:~\$( |$)/;

/**
 * Waits until the lesson can begin: the page says its swarm is in the lesson's start state
 * (`data-start-state` applied, or kept when the learner's own swarm stays) and the terminal
 * is ready for typing.
 */
export async function waitSettled(page: Page, timeout = 60_000): Promise<void> {
  try {
    await page.waitForSelector('.lesson-columns:is([data-start-state="applied"], [data-start-state="kept"])', { state: 'attached', timeout });
    await page.waitForSelector('lesson-terminal[data-state="ready"]', { state: 'attached', timeout });
  } catch (e) {
    // Say where the page was stuck: a bare selector timeout gives nothing to go on.
    const where = await page
      .evaluate(() => ({
        url: location.pathname,
        startState: document.querySelector<HTMLElement>('.lesson-columns')?.dataset.startState,
        terminal: document.querySelector<HTMLElement>('lesson-terminal')?.dataset.state,
        hidden: document.hidden,
        screen: (document.querySelector('lesson-terminal') as unknown as { screenText(): string } | null)?.screenText().split('\n').slice(-8),
      }))
      .catch((err: unknown) => String(err));
    throw new Error(`waitSettled: ${String(e)}\npage: ${JSON.stringify(where, null, 1)}`);
  }
}

/** Clicks the terminal's speed button (1, 5 or 20) and waits until it shows pressed. */
export async function setSpeed(page: Page, speed: 1 | 5 | 20): Promise<void> {
  const button = page.locator(`lesson-terminal [data-speed="${speed}"]`);
  await button.click();
  await page.waitForSelector(`lesson-terminal [data-speed="${speed}"][aria-pressed="true"]`, { timeout: 10_000 });
}

/** How many prompt rows the screen has: one more once a command has finished. */
export const promptCount = async (page: Page): Promise<number> => (await screenRows(page)).filter((r) => PROMPT.test(r)).length;

/** Waits until the screen has more than `before` prompt rows and the terminal is ready again. */
export async function waitNextPrompt(page: Page, before: number, timeout = 90_000): Promise<void> {
  await page.waitForFunction(
    ({ before, source }) => {
      const t = document.querySelector('lesson-terminal') as unknown as (HTMLElement & { screenText(): string }) | null;
      if (!t || t.getAttribute('data-state') !== 'ready') return false;
      const re = new RegExp(source);
      return t.screenText().split('\n').filter((r) => re.test(r)).length > before;
    },
    { before, source: PROMPT.source },
    { timeout, polling: 100 },
  );
}

/**
 * What the last run of `command` printed: the rows after the last prompt row that shows it,
 * up to the next prompt, wrapped rows joined. `command` is matched by its start, before any
 * `$NAME` placeholder (Run types the value).
 */
export async function outputOf(page: Page, command: string): Promise<string> {
  const rows = await screenRows(page);
  const head = command.split('$')[0]!.slice(0, 40);
  let at = -1;
  for (let i = rows.length - 1; i >= 0; i--) {
    if (PROMPT.test(rows[i]!) && rows[i]!.includes(head)) {
      at = i;
      break;
    }
  }
  if (at < 0) return '';
  const out: string[] = [];
  for (let i = at + 1; i < rows.length && !PROMPT.test(rows[i]!); i++) out.push(rows[i]!);
  return out.join('');
}

/** A lesson page's Run buttons in page order, each with the command it types and the step it is under. */
export interface RunBlock {
  index: number;
  command: string;
  /** The step marker above it; undefined before the first marker. */
  step: string | undefined;
}

export const runBlocks = (page: Page): Promise<RunBlock[]> =>
  page.evaluate(() => {
    const main = document.querySelector('.lesson-main')!;
    const items = Array.from(main.querySelectorAll<HTMLElement>('span.lesson-step[data-step], .lesson-cmd-actions button[data-command="run"]'));
    let step: string | undefined;
    const blocks: { index: number; command: string; step: string | undefined }[] = [];
    for (const el of items) {
      if (el.matches('span.lesson-step')) step = el.dataset.step;
      else {
        const figure = el.parentElement?.previousElementSibling;
        const code = figure?.querySelector<HTMLElement>('[data-code]')?.dataset.code ?? figure?.querySelector('pre')?.textContent ?? '';
        blocks.push({ index: blocks.length, command: code.replace(/\u007f/g, '\n').trim(), step });
      }
    }
    return blocks;
  });

/** The step ids of the page, in order. */
export const stepIds = (page: Page): Promise<string[]> =>
  page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.lesson-main span.lesson-step[data-step]'), (s) => s.dataset.step ?? ''));

/** Waits for a step's marker to show it done (checks run after each command and every 4 s). */
export const waitStepDone = (page: Page, step: string, timeout = 90_000): Promise<unknown> =>
  page.waitForSelector(`span.lesson-step[data-step="${step}"][data-done="true"]`, { timeout });

/** Runs `fn` on at most `n` tasks at a time (pages of one chromium on a small machine). */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (fn) => {
    // A finishing task hands its slot straight to the next in line.
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    else active++;
    try {
      return await fn();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}

/** axe-core's violations on the whole page, as "impact rule: targets"; all rules, or only `rules`. */
export async function axePage(page: Page, rules?: string[]): Promise<{ impact: string; line: string }[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async (rules) => {
    type Result = { violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<Result> } }).axe;
    // Details of violations only: passes and incomplete results cost time on a long page.
    const r = await axe.run(document, { resultTypes: ['violations'], ...(rules ? { runOnly: { type: 'rule', values: rules } } : {}) });
    return r.violations.map((v) => ({ impact: v.impact ?? 'unknown', line: `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}` }));
  }, rules);
}

/** axe-core's serious and critical violations on the whole page. */
export async function axeSerious(page: Page): Promise<string[]> {
  return (await axePage(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.line);
}
