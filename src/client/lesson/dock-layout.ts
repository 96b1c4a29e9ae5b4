// The lesson page's dock layout on wide screens, loaded once the terminal is ready (the
// layout itself is CSS, LessonColumns.astro; this is what the learner changes in it):
// - the split between the lesson and the dock: dragged, or moved with the arrow keys (a
//   focusable separator with its value). The lesson's width is kept in localStorage and
//   applied before the first paint of every lesson page by HeadWithRouter.astro's head
//   script (`--lesson-width` on <html>), so it holds across pages and reloads;
// - the whole-width switch in the terminal's header: this page only (a new lesson opens
//   with its text: the learner came to read it), so it lives on the page's columns;
// - Starlight's sidebar, which opens over the page there: a click outside closes it;
// - the swarm view's box inside the terminal (src/client/terminal/view-split.ts).
import { setupViewSplit } from '../terminal/view-split.js';
import type { LessonTerminalElement } from './lesson-terminal-api.js';

/** The lesson column's width in CSS pixels, as the learner left it. */
export const LESSON_WIDTH_KEY = 'swarm-lab:lesson-width';
const WIDE_QUERY = '(min-width: 72rem)';
/** The lesson's and the dock's least widths (LessonColumns.astro: --lesson-min, --lesson-dock-min), in rem. */
const LESSON_MIN_REM = 21.5;
const DOCK_MIN_REM = 26;

export interface SplitBounds {
  min: number;
  max: number;
}

/** Where the lesson's width may go in a row `total` px wide (the CSS clamps it the same way). */
export function splitBounds(total: number, rem: number): SplitBounds {
  const min = LESSON_MIN_REM * rem;
  return { min, max: Math.max(min, total - DOCK_MIN_REM * rem) };
}

/** The lesson's width a key asks for (undefined: not a key of the split). Left narrows the lesson. */
export function splitKey(key: string, shift: boolean, now: number, bounds: SplitBounds, rem: number): number | undefined {
  const step = (shift ? 4 : 1) * rem;
  const clamp = (v: number): number => Math.min(bounds.max, Math.max(bounds.min, v));
  switch (key) {
    case 'ArrowLeft':
      return clamp(now - step);
    case 'ArrowRight':
      return clamp(now + step);
    case 'PageUp':
      return clamp(now - 4 * rem);
    case 'PageDown':
      return clamp(now + 4 * rem);
    case 'Home':
      return bounds.min;
    case 'End':
      return bounds.max;
    default:
      return undefined;
  }
}

function store(width: number | undefined): void {
  try {
    if (width === undefined) localStorage.removeItem(LESSON_WIDTH_KEY);
    else localStorage.setItem(LESSON_WIDTH_KEY, String(Math.round(width)));
  } catch {
    /* storage disabled: the split holds for this page */
  }
}

export function setupDockLayout(columns: HTMLElement, terminal: LessonTerminalElement, signal: AbortSignal): void {
  setupViewSplit(terminal);
  closeSidebarOutside(signal);
  const main = columns.querySelector<HTMLElement>('.lesson-main');
  const split = columns.querySelector<HTMLElement>('.lesson-split');
  const wide = terminal.querySelector<HTMLButtonElement>('[data-dock-wide]');
  if (!main || !split) return;
  const root = document.documentElement;
  const rem = (): number => parseFloat(getComputedStyle(root).fontSize) || 16;
  const rtl = (): boolean => getComputedStyle(columns).direction === 'rtl';
  const bounds = (): SplitBounds => splitBounds(columns.clientWidth, rem());

  /** The split's value: the lesson's share of the row, and the terminal's columns in words. */
  const sync = (): void => {
    const total = columns.clientWidth;
    if (total === 0 || split.offsetParent === null) return;
    const b = bounds();
    const pct = (px: number): string => String(Math.round((px / total) * 100));
    split.setAttribute('aria-valuemin', pct(b.min));
    split.setAttribute('aria-valuemax', pct(b.max));
    split.setAttribute('aria-valuenow', pct(main.getBoundingClientRect().width));
    // The terminal refits a frame after the dock's size changes.
    requestAnimationFrame(() =>
      split.setAttribute('aria-valuetext', (split.dataset.valueText ?? '{cols}').replace('{cols}', String(terminal.columns))),
    );
  };
  const apply = (width: number | undefined, save: boolean): void => {
    if (width === undefined) root.style.removeProperty('--lesson-width');
    else root.style.setProperty('--lesson-width', `${Math.round(width)}px`);
    if (save) store(width);
    sync();
  };

  split.tabIndex = 0;
  split.setAttribute('aria-controls', main.id);
  sync();
  const watch = new ResizeObserver(sync);
  watch.observe(main);
  watch.observe(columns);
  signal.addEventListener('abort', () => watch.disconnect(), { once: true });

  split.addEventListener(
    'keydown',
    (e) => {
      const next = splitKey(rtl() ? ({ ArrowLeft: 'ArrowRight', ArrowRight: 'ArrowLeft' }[e.key] ?? e.key) : e.key, e.shiftKey, main.getBoundingClientRect().width, bounds(), rem());
      if (next === undefined) return;
      e.preventDefault();
      apply(next, true);
    },
    { signal },
  );
  // A double click puts the split back where the layout would put it.
  split.addEventListener('dblclick', () => apply(undefined, true), { signal });

  let dragging = false;
  split.addEventListener(
    'pointerdown',
    (e) => {
      if (e.button !== 0) return;
      dragging = true;
      split.setPointerCapture(e.pointerId);
      split.setAttribute('data-dragging', '');
      e.preventDefault();
    },
    { signal },
  );
  split.addEventListener(
    'pointermove',
    (e) => {
      if (!dragging) return;
      const box = columns.getBoundingClientRect();
      const half = split.getBoundingClientRect().width / 2;
      const b = bounds();
      const x = rtl() ? box.right - e.clientX : e.clientX - box.left;
      apply(Math.min(b.max, Math.max(b.min, x - half)), false);
    },
    { signal },
  );
  const end = (): void => {
    if (!dragging) return;
    dragging = false;
    split.removeAttribute('data-dragging');
    store(main.getBoundingClientRect().width);
  };
  split.addEventListener('pointerup', end, { signal });
  split.addEventListener('pointercancel', end, { signal });

  if (wide) {
    // A new page starts with its lesson shown, whatever the last one did.
    wide.setAttribute('aria-pressed', 'false');
    wide.addEventListener(
      'click',
      () => {
        const on = !columns.hasAttribute('data-dock-wide');
        columns.toggleAttribute('data-dock-wide', on);
        wide.setAttribute('aria-pressed', String(on));
        if (!on) sync();
      },
      { signal },
    );
  }
}

/** Starlight's sidebar over a wide lesson page (site.css) closes when the learner clicks elsewhere. */
function closeSidebarOutside(signal: AbortSignal): void {
  const wideScreen = matchMedia(WIDE_QUERY);
  document.addEventListener(
    'click',
    (e) => {
      const menu = document.querySelector('starlight-menu-button');
      if (!wideScreen.matches || menu?.getAttribute('aria-expanded') !== 'true') return;
      if (e.target instanceof Element && e.target.closest('nav.sidebar')) return;
      menu.querySelector('button')?.click();
    },
    { signal },
  );
}
