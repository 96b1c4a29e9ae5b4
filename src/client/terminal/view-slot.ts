// The swarm view's box in the dock, as the page starts: folded away or not (the slot's
// `data-collapsed`, which the view's own code watches, and which it must find set before it
// loads), its share of the dock's height, and its strip and split shown only once the view
// has put something in the slot (an empty slot is no box at all). What the learner does
// with them (fold, drag, arrow keys) is view-split.ts, loaded with the dock's layout once
// the terminal is ready. Kept small: it is in the terminal's eager script.

/** 'open' or 'closed', the learner's last choice; none: open beside a wide lesson, folded on a phone. */
export const VIEW_OPEN_KEY = 'swarm-lab:swarm-view';
/** The view's share of the dock's height, in percent. */
export const VIEW_SIZE_KEY = 'swarm-lab:swarm-view-size';
/** Below this width the dock is a phone's: the view starts as a folded strip. */
export const PHONE_QUERY = '(max-width: 50rem)';

export function readPref(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled: defaults every time
  }
}

/** A stored view size, if it is one (10 to 90 percent). */
export function viewSize(stored: string | null): number | undefined {
  const n = Number(stored);
  return stored !== null && Number.isFinite(n) && n >= 10 && n <= 90 ? n : undefined;
}

/** Slots whose state was set: once per page load (a persisted terminal keeps what the learner did since). */
const initialized = new WeakSet<HTMLElement>();

/** Applies the stored (or default) state to the slot; returns what stops watching it. */
export function initViewSlot(root: HTMLElement): (() => void) | undefined {
  const slot = root.querySelector<HTMLElement>('[data-swarm-view-slot]');
  if (!slot) return undefined;
  const bar = root.querySelector<HTMLElement>('.lt-view-bar');
  const split = root.querySelector<HTMLElement>('.lt-view-split');
  const pref = readPref(VIEW_OPEN_KEY);
  const open = pref ? pref === 'open' : !matchMedia(PHONE_QUERY).matches;
  if (!initialized.has(slot)) {
    initialized.add(slot);
    slot.toggleAttribute('data-collapsed', !open);
    bar?.querySelector('button')?.setAttribute('aria-expanded', String(open));
    const size = viewSize(readPref(VIEW_SIZE_KEY));
    if (size !== undefined) root.style.setProperty('--lt-view-size', `${size}%`);
  }
  const show = (): void => {
    const empty = slot.childElementCount === 0;
    if (bar) bar.hidden = empty;
    if (split) split.hidden = empty;
  };
  show();
  const watch = new MutationObserver(show);
  watch.observe(slot, { childList: true });
  return () => watch.disconnect();
}
