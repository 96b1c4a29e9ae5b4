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
