// Stands in for `@pagefind/default-ui` (astro.config.mjs aliases that import here). Starlight's
// search box imports the Pagefind UI and constructs it on requestIdleCallback after every page
// load: 27 KB gzip of script parsed while a lesson page is still bringing up its terminal, for
// a search most visits never open. This class only remembers what Starlight asked for; the
// real UI is loaded and built the first time the learner shows they are about to search
// (pointer over / focus on / click of the search button, Ctrl/Cmd-K, or the dialog opening),
// and the search field gets the focus Starlight gave it before the field existed.

type PagefindOptions = Record<string, unknown> & { element?: string };

/** The Pagefind UI module itself (a path the alias does not match). */
const loadRealUi = async (): Promise<new (options: PagefindOptions) => unknown> =>
  // @ts-expect-error -- @pagefind/default-ui ships no types
  ((await import('@pagefind/default-ui/npm_dist/mjs/ui-core.mjs')) as { PagefindUI: new (options: PagefindOptions) => unknown }).PagefindUI;

const SEARCH_BUTTON = 'site-search button[data-open-modal]';

let options: PagefindOptions | undefined;
let building: Promise<void> | undefined;
let armed = false;

/** Builds the real UI into the page's search box (once per page load; see arm()). */
function build(): Promise<void> {
  building ??= (async () => {
    const PagefindUI = await loadRealUi();
    if (!options) return;
    new PagefindUI(options);
    // Starlight focuses the field when the dialog opens; it did not exist yet then.
    document.querySelector<HTMLInputElement>('site-search dialog[open] input')?.focus();
  })().catch((e: unknown) => {
    building = undefined; // a failed download may succeed on the next attempt
    throw e;
  });
  return building;
}

const start = (): void => void build().catch((e: unknown) => console.error('search: the Pagefind UI did not load', e));

const onSearchButton = (e: Event): void => {
  if (e.target instanceof Element && e.target.closest(SEARCH_BUTTON)) start();
};

/**
 * Listens on the document, which outlives the router's page swaps, so the search box of
 * whichever page is shown when the learner reaches for it gets the UI. (Once built, the box
 * is carried from page to page by src/components/HeadWithRouter.astro.)
 */
function arm(): void {
  if (armed) return;
  armed = true;
  for (const type of ['pointerover', 'focusin', 'pointerdown', 'click']) document.addEventListener(type, onSearchButton, { capture: true });
  window.addEventListener('keydown', (e) => {
    if ((e.metaKey || e.ctrlKey) && e.key === 'k') start();
  }, { capture: true });
  // Any other way the dialog opens (a later Starlight version's shortcut, say).
  new MutationObserver(() => {
    if (document.querySelector('site-search dialog[open]')) start();
  }).observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['open'] });
}

/** What Starlight constructs: keeps the options, builds the real UI on first use. */
export class PagefindUI {
  constructor(opts: PagefindOptions) {
    options = opts;
    arm();
  }
}
