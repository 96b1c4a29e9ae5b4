// Builds the site (`astro build`, offline, shared with the e2e tests: test/e2e/site.ts) and reads the
// pages it wrote: every lesson in both languages with the right <html lang>, the sidebar
// listing the nine lessons in order, and prev/next links that walk the same order.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LESSON_IDS } from '../content/lessons/types.js';
import { BUILD_LOG, builtSite } from './e2e/site.js';

let outDir = '';

beforeAll(async () => {
  outDir = await builtSite();
}, 180_000);

const locales = [
  { prefix: '', lang: 'en', group: 'Lessons' },
  { prefix: '/zh-cn', lang: 'zh-CN', group: '课程' },
] as const;

const page = (path: string): string => readFileSync(join(outDir, path, 'index.html'), 'utf8');

/** The lesson ids the links in `html` point to, in document order. */
const lessonLinks = (html: string, prefix: string): string[] =>
  [...html.matchAll(new RegExp(`href="${prefix}/lessons/([a-z-]+)/"`, 'g'))].map((m) => m[1]!);

const between = (html: string, start: string, end: string): string => {
  const from = html.indexOf(start);
  expect(from, `${start} in page`).toBeGreaterThanOrEqual(0);
  return html.slice(from, html.indexOf(end, from));
};

describe.each(locales)('site in $lang', ({ prefix, lang, group }) => {
  it('has the home page', () => {
    expect(page(`${prefix}/`)).toContain(`<html lang="${lang}"`);
  });

  it.each(LESSON_IDS.map((id, i) => [id, i] as const))('lesson %s: lang, sidebar, prev/next', (id, i) => {
    const path = `${prefix}/lessons/${id}`;
    expect(existsSync(join(outDir, path, 'index.html')), path).toBe(true);
    const html = page(path);
    expect(html).toContain(`<html lang="${lang}"`);

    const sidebar = between(html, '<nav class="sidebar', '</nav>');
    expect(sidebar).toContain(`>${group}</span>`);
    expect(lessonLinks(sidebar, prefix)).toEqual([...LESSON_IDS]);
    expect(sidebar).toMatch(new RegExp(`href="${prefix}/lessons/${id}/" aria-current="page"`));

    const pagination = between(html, 'class="pagination-links', '</div>');
    const prev = /href="([^"]+)" rel="prev"/.exec(pagination)?.[1];
    const next = /href="([^"]+)" rel="next"/.exec(pagination)?.[1];
    expect(prev).toBe(i === 0 ? undefined : `${prefix}/lessons/${LESSON_IDS[i - 1]}/`);
    expect(next).toBe(i === LESSON_IDS.length - 1 ? undefined : `${prefix}/lessons/${LESSON_IDS[i + 1]}/`);
  });
});

it('serves the favicon every page links to', () => {
  expect(existsSync(join(outDir, 'favicon.svg'))).toBe(true);
  expect(page('/lessons/overview')).toContain('href="/favicon.svg"');
});

// Issue 14: `npm start` builds the site in front of a newcomer, so the build says nothing to
// wonder about (it used to print "Entry docs → 404 was not found." for Starlight's 404 page).
it('builds without a warning or an error in its output', () => {
  const log = readFileSync(join(outDir, BUILD_LOG), 'utf8');
  expect(log).toContain('Complete!');
  // Vite's list of the files it wrote names chunks, not problems.
  const lines = log.split('\n').filter((l) => !/\[vite\] dist\//.test(l));
  expect(lines.filter((l) => /warn|error|not found|deprecat/i.test(l))).toEqual([]);
});

it('has the 404 page, as Starlight words it, and no other page named 404', () => {
  const html = readFileSync(join(outDir, '404.html'), 'utf8');
  expect(html).toContain('<html lang="en"');
  expect(html).toContain('<title>404 | Swarm Lab</title>');
  expect(html).toContain('Page not found.');
  expect(html).not.toContain('data-pagefind-body');
  expect(existsSync(join(outDir, '404'))).toBe(false);
  expect(existsSync(join(outDir, 'zh-cn/404'))).toBe(false);
});
