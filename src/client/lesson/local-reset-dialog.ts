// Before a lesson's start state is applied to the REAL swarm (local mode), the learner is
// asked, with the Swarm Lab services that would be removed listed by name. A modal <dialog>
// (LessonColumns.astro, styled like Reset's): focus stays inside while open and starts on
// "Keep my swarm", Escape or a click on the backdrop keeps the swarm, and focus goes back
// to where it was either way.

/** Shows the question; resolves true only when the learner confirms. A swapped-out page answers no. */
export function confirmLocalRemoval(dialog: HTMLDialogElement, names: string[], signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted || dialog.open) return resolve(false);
    const list = dialog.querySelector('[data-local-reset-list]');
    list?.replaceChildren(
      ...names.map((name) => {
        const li = document.createElement('li');
        li.textContent = name;
        return li;
      }),
    );
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const done = new AbortController();
    const finish = (ok: boolean): void => {
      done.abort();
      if (dialog.open) dialog.close();
      if (before?.isConnected) before.focus();
      resolve(ok);
    };
    dialog.addEventListener('close', () => finish(dialog.returnValue === 'reset'), { signal: done.signal });
    dialog.addEventListener('click', (e) => e.target === dialog && dialog.close('cancel'), { signal: done.signal });
    signal.addEventListener('abort', () => finish(false), { signal: done.signal });
    dialog.returnValue = '';
    dialog.showModal();
  });
}
