// The lesson-boundary notice in the dock (LessonColumns.astro, `data-notice="lesson-start"`):
// the learner arrives with a swarm of their own that does not meet what this lesson starts
// from. It says what the lesson starts from and what differs, and asks: start from the
// lesson's state (the default) or keep the swarm. It is a region in the dock, not a modal:
// the page stays readable, and a Run pressed meanwhile takes the default (lesson-page.ts).

export type NoticeChoice = 'start' | 'keep';

export interface StartNotice {
  /** Shows the notice with what differs; resolves with the learner's choice. */
  ask(differs: string): Promise<NoticeChoice>;
  /** Answers a notice still open (a Run button takes the default), as if clicked. */
  answer(choice: NoticeChoice): void;
  readonly open: boolean;
  /** After "keep": a short note that stays until the next start state or the page goes. */
  showKept(): void;
  hide(): void;
}

/** `onShow`: the notice became visible (on a phone the drawer opens to show it). */
export function startNotice(root: HTMLElement, signal: AbortSignal, onShow: () => void = () => undefined): StartNotice | undefined {
  const box = root.querySelector<HTMLElement>('[data-notice="lesson-start"]');
  const differs = box?.querySelector<HTMLElement>('[data-notice-differs]');
  const kept = root.querySelector<HTMLElement>('[data-notice="lesson-kept"]');
  if (!box || !differs) return undefined;
  let pending: ((c: NoticeChoice) => void) | undefined;
  // The dock knows while the notice asks (on a phone the terminal then gives it room).
  const dock = box.closest<HTMLElement>('.lesson-dock');
  const close = (choice: NoticeChoice): void => {
    box.hidden = true;
    if (dock) delete dock.dataset.noticeOpen;
    const p = pending;
    pending = undefined;
    p?.(choice);
  };
  for (const button of Array.from(box.querySelectorAll<HTMLButtonElement>('button[data-action]'))) {
    button.addEventListener('click', () => close(button.dataset.action === 'keep' ? 'keep' : 'start'), { signal });
  }
  signal.addEventListener('abort', () => {
    box.hidden = true;
    if (dock) delete dock.dataset.noticeOpen;
    pending = undefined;
  });
  return {
    ask(text) {
      differs.textContent = (differs.dataset.template ?? '{reason}').replace('{reason}', text);
      if (kept) kept.hidden = true;
      box.hidden = false;
      if (dock) dock.dataset.noticeOpen = '';
      onShow();
      return new Promise<NoticeChoice>((resolve) => (pending = resolve));
    },
    answer: (choice) => pending && close(choice),
    get open() {
      return pending !== undefined;
    },
    showKept: () => kept && (kept.hidden = false),
    hide: () => {
      if (kept) kept.hidden = true;
    },
  };
}
