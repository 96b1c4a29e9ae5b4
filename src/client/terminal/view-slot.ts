// The swarm view's box in the dock, as the page starts: folded away or not (the slot's
// `data-collapsed`, which the view's own code watches and must find set before it loads),
// and its share of the dock's height. What the learner does with it (fold, drag, arrow
// keys) is view-split.ts, loaded with the dock's layout once the terminal is ready; an empty
// slot is hidden by the CSS alone. Kept small: this is in the terminal's eager script.

/** 'open' or 'closed', the learner's last choice (view-split.ts writes it; same key there). */
export const VIEW_OPEN_KEY = 'swarm-lab:swarm-view';
/** The view's share of the dock's height, in percent (10 to 90; same key in view-split.ts). */
export const VIEW_SIZE_KEY = 'swarm-lab:swarm-view-size';

/** Slots already set: once per page load (a persisted terminal keeps what the learner did since). */
const initialized = new WeakSet<Element>();

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled: the defaults
  }
}

/** Applies the learner's last choice, or the default: open beside a wide lesson, a folded strip on a phone. */
export function initViewSlot(root: HTMLElement): void {
  const slot = root.querySelector('[data-swarm-view-slot]');
  if (!slot || initialized.has(slot)) return;
  initialized.add(slot);
  const pref = stored(VIEW_OPEN_KEY);
  const open = pref ? pref === 'open' : !matchMedia('(max-width: 50rem)').matches;
  slot.toggleAttribute('data-collapsed', !open);
  root.querySelector('.lt-view-toggle')?.setAttribute('aria-expanded', String(open));
  const size = Number(stored(VIEW_SIZE_KEY));
  if (size >= 10 && size <= 90) root.style.setProperty('--lt-view-size', `${size}%`);
}
