// Moving between chips with the keyboard: the board is one Tab stop (the chip last focused or
// selected, else the first), arrow keys move within a column (Up/Down) and across columns
// (Left/Right, to the nearest row), Home/End to the first and last chip; Enter or Space
// selects, as on any button.

const CHIP = 'button.sv-chip';

export interface Roving {
  /** After a draw: exactly one chip in the Tab order; `hadFocus`: a chip had focus before the draw. */
  refresh(hadFocus: boolean): void;
}

export function roving(board: HTMLElement): Roving {
  let current: HTMLButtonElement | undefined;

  const columns = (): HTMLButtonElement[][] =>
    Array.from(board.querySelectorAll<HTMLElement>('.sv-col'))
      .map((c) => Array.from(c.querySelectorAll<HTMLButtonElement>(CHIP)))
      .filter((c) => c.length > 0);

  const focus = (chip: HTMLButtonElement | undefined): void => {
    if (!chip) return;
    setCurrent(chip);
    chip.focus();
  };
  const setCurrent = (chip: HTMLButtonElement): void => {
    if (current && current !== chip) current.tabIndex = -1;
    current = chip;
    chip.tabIndex = 0;
  };

  board.addEventListener('focusin', (e) => {
    if (e.target instanceof HTMLButtonElement && e.target.matches(CHIP)) setCurrent(e.target);
  });
  board.addEventListener('keydown', (e) => {
    if (!(e.target instanceof HTMLButtonElement) || !e.target.matches(CHIP) || e.altKey || e.ctrlKey || e.metaKey) return;
    const chip = e.target;
    const cols = columns();
    const c = cols.findIndex((col) => col.includes(chip));
    if (c < 0) return;
    const r = cols[c]!.indexOf(chip);
    let next: HTMLButtonElement | undefined;
    switch (e.key) {
      case 'ArrowDown':
        next = cols[c]![r + 1];
        break;
      case 'ArrowUp':
        next = cols[c]![r - 1];
        break;
      case 'ArrowRight':
        next = cols[c + 1]?.[Math.min(r, cols[c + 1]!.length - 1)];
        break;
      case 'ArrowLeft':
        next = cols[c - 1]?.[Math.min(r, cols[c - 1]!.length - 1)];
        break;
      case 'Home':
        next = cols[0]?.[0];
        break;
      case 'End':
        next = cols.at(-1)?.at(-1);
        break;
      default:
        return;
    }
    e.preventDefault();
    focus(next);
  });

  return {
    refresh(hadFocus: boolean): void {
      if (current && current.isConnected) {
        if (current.tabIndex !== 0) current.tabIndex = 0;
        return;
      }
      // The current chip went (its task was removed): the first one takes its place, and the
      // focus too if it had it, so the keyboard is not thrown back to the top of the page.
      const first = board.querySelector<HTMLButtonElement>(CHIP);
      current = undefined;
      if (!first) return;
      setCurrent(first);
      if (hadFocus && (document.activeElement === document.body || document.activeElement === null)) first.focus();
    },
  };
}
