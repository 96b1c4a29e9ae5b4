// What the learner does with the swarm view's box in the dock: fold it away and back (the
// strip's button; the view watches `data-collapsed` and does no work while folded), and move
// the split between it and the terminal's screen, with a pointer or the arrow keys. Both are
// remembered (localStorage), and the persisted terminal keeps them across pages. The state
// the page starts with is set by view-slot.ts (in the terminal's eager script); this part
// loads with the dock's layout once the terminal is ready (src/client/lesson/dock-layout.ts),
// so it imports nothing from the terminal's script: it would be bundled a second time, or
// split into a chunk of its own that the page's first load would have to fetch. Hence the
// keys again here (test/dock-layout.test.ts holds them equal to view-slot.ts's).

/** 'open' or 'closed' (view-slot.ts VIEW_OPEN_KEY). */
export const VIEW_OPEN_KEY = 'swarm-lab:swarm-view';
/** The view's share of the dock's height in percent (view-slot.ts VIEW_SIZE_KEY). */
export const VIEW_SIZE_KEY = 'swarm-lab:swarm-view-size';

/** The view's share of the dock's height (percent): what the split may be moved to, and by how much a key moves it. */
export const VIEW_MIN = 10;
export const VIEW_MAX = 90;
const STEP = 5;

const done = new WeakSet<HTMLElement>();

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* storage disabled: it lasts for this page */
  }
}

/** The share a key gives the view, from `now`; undefined for keys the split does not take. */
export function viewKey(key: string, now: number): number | undefined {
  switch (key) {
    case 'ArrowUp':
      return Math.max(VIEW_MIN, now - STEP);
    case 'ArrowDown':
      return Math.min(VIEW_MAX, now + STEP);
    case 'PageUp':
      return Math.max(VIEW_MIN, now - 4 * STEP);
    case 'PageDown':
      return Math.min(VIEW_MAX, now + 4 * STEP);
    case 'Home':
      return VIEW_MIN;
    case 'End':
      return VIEW_MAX;
    default:
      return undefined;
  }
}

/** Sets the view's box up in `root` (the <lesson-terminal>); once per element (it persists across pages). */
export function setupViewSplit(root: HTMLElement): void {
  const frame = root.querySelector<HTMLElement>('.lt');
  const slot = root.querySelector<HTMLElement>('[data-swarm-view-slot]');
  const toggle = root.querySelector<HTMLButtonElement>('.lt-view-toggle');
  const split = root.querySelector<HTMLElement>('.lt-view-split');
  if (!frame || !slot || !toggle || !split || done.has(root)) return;
  done.add(root);

  toggle.addEventListener('click', () => {
    const open = slot.hasAttribute('data-collapsed');
    slot.toggleAttribute('data-collapsed', !open);
    toggle.setAttribute('aria-expanded', String(open));
    store(VIEW_OPEN_KEY, open ? 'open' : 'closed');
    if (open) sync();
  });

  /** The view's share now: the box as drawn (the CSS bounds what the learner asked for). */
  const share = (): number => {
    const h = frame.clientHeight;
    return h > 0 ? Math.round((slot.getBoundingClientRect().height / h) * 100) : 40;
  };
  const sync = (): void => {
    const now = share();
    split.setAttribute('aria-valuenow', String(now));
    split.setAttribute('aria-valuetext', (split.dataset.valueText ?? '{percent}%').replace('{percent}', String(now)));
  };
  const apply = (percent: number, save: boolean): void => {
    const p = Math.min(VIEW_MAX, Math.max(VIEW_MIN, Math.round(percent * 10) / 10));
    root.style.setProperty('--lt-view-size', `${p}%`);
    if (save) store(VIEW_SIZE_KEY, String(p));
    sync();
  };

  split.tabIndex = 0;
  split.setAttribute('aria-valuemin', String(VIEW_MIN));
  split.setAttribute('aria-valuemax', String(VIEW_MAX));
  sync();
  new ResizeObserver(sync).observe(slot);

  split.addEventListener('keydown', (e) => {
    const next = viewKey(e.key, share());
    if (next === undefined) return;
    e.preventDefault();
    apply(next, true);
  });

  // Dragging: the box follows the pointer; stored when it is let go.
  let start: { y: number; height: number } | undefined;
  split.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    start = { y: e.clientY, height: slot.getBoundingClientRect().height };
    split.setPointerCapture(e.pointerId);
    split.setAttribute('data-dragging', '');
    e.preventDefault();
  });
  split.addEventListener('pointermove', (e) => {
    if (!start || frame.clientHeight === 0) return;
    apply(((start.height + e.clientY - start.y) / frame.clientHeight) * 100, false);
  });
  const end = (): void => {
    if (!start) return;
    start = undefined;
    split.removeAttribute('data-dragging');
    store(VIEW_SIZE_KEY, String(share()));
  };
  split.addEventListener('pointerup', end);
  split.addEventListener('pointercancel', end);
}
