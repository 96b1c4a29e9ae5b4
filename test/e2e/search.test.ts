// Site search on the BUILT site in chromium: Starlight's Pagefind UI finds the rolling-update
// lesson in each language, ranked first, and a search on a page of one language lists only
// pages of that language (Pagefind keeps one index per `lang`; Chinese has no word breaks,
// so this also checks that the index segments Chinese text the way the query is segmented).
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './browser.js';
import { siteInChromium } from './lesson-site.js';

const run = chromiumAvailable('test/e2e/search.test.ts');

/** Hrefs of the top-level results (one per page, best first), not the heading sub-results. */
const pageResults = (page: Page): Promise<string[]> =>
  page.$$eval('.pagefind-ui__result-title .pagefind-ui__result-link', (links) => links.map((a) => a.getAttribute('href') ?? ''));

const site = siteInChromium({ browser: run });

describe.skipIf(!run)('site search in chromium', () => {
  test.each([
    { path: '/zh-cn/', query: '滚动更新', expected: '/zh-cn/lessons/rolling-update/', title: '滚动更新', other: (href: string) => !href.startsWith('/zh-cn/') },
    { path: '/', query: 'rolling update', expected: '/lessons/rolling-update/', title: 'Rolling updates', other: (href: string) => href.startsWith('/zh-cn/') },
  ])('$path: searching "$query" finds the rolling-update lesson first', async ({ path, query, expected, title, other }) => {
    const page = await site.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(`${site.server.url}${path}`);
      // Starlight enables the search button once its script has loaded.
      const open = page.locator('button[data-open-modal]');
      await page.waitForFunction(() => document.querySelector<HTMLButtonElement>('button[data-open-modal]')?.disabled === false);
      await open.click();
      await page.locator('dialog[open] .pagefind-ui__search-input').fill(query);
      // Results are rendered after a debounce and the index chunks arrive; wait for some.
      await page.waitForSelector('.pagefind-ui__result-title .pagefind-ui__result-link', { timeout: 20_000 });
      let results = await pageResults(page);
      // A stale render for a partly typed query could come first; give the final one a moment.
      for (let i = 0; i < 20 && results[0] !== expected; i++) {
        await new Promise((r) => setTimeout(r, 100));
        results = await pageResults(page);
      }
      expect(results[0], `results for "${query}": ${results.join(', ')}`).toBe(expected);
      expect(await page.locator('.pagefind-ui__result-title .pagefind-ui__result-link').first().textContent()).toBe(title);
      expect(results.filter(other), 'results from the other language').toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
