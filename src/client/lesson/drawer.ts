// The terminal drawer of narrow screens: a toggle button (aria-expanded) opens and closes
// the panel. On wide screens the panel is a sticky column and the toggle is not shown; the
// open state is then ignored by the styles.

export interface Drawer {
  open(): void;
  close(): void;
  readonly isOpen: boolean;
}

export function setupDrawer(dock: HTMLElement): Drawer | undefined {
  const toggle = dock.querySelector<HTMLButtonElement>('.lesson-dock-toggle');
  if (!toggle) return undefined;
  const set = (open: boolean): void => {
    dock.dataset.open = String(open);
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = (open ? toggle.dataset.hideText : toggle.dataset.showText) ?? toggle.textContent;
  };
  toggle.addEventListener('click', () => set(dock.dataset.open !== 'true'));
  // Escape inside the open drawer closes it and gives focus back to the toggle: xterm keeps
  // Tab for completion, so this is the keyboard's way out. Capture phase, because xterm stops
  // the keydown events it handles from bubbling.
  dock.addEventListener(
    'keydown',
    (e) => {
      if (e.key !== 'Escape' || dock.dataset.open !== 'true' || getComputedStyle(toggle).display === 'none') return;
      set(false);
      toggle.focus();
    },
    { capture: true },
  );
  return {
    open: () => set(true),
    close: () => set(false),
    get isOpen() {
      return dock.dataset.open === 'true';
    },
  };
}
