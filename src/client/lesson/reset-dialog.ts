// Reset asks first: it throws the learner's swarm and the lesson's progress away. A modal
// <dialog> (LessonColumns.astro) holds the question; it keeps focus inside while open,
// Escape or "Keep my swarm" cancel, and focus goes back to the Reset button either way.
// (window.confirm is avoided: it blocks the page, and its wording is the browser's, not ours.)

/**
 * Calls `onConfirm` when the learner confirms; returns false if the page has no dialog.
 * `isLocal`: the real swarm is live, and the question says what happens to it instead
 * (the text's data-local-text; the removals themselves are asked about next).
 */
export function confirmBeforeReset(
  button: HTMLElement,
  dialog: HTMLDialogElement | null,
  onConfirm: () => void,
  signal: AbortSignal,
  isLocal: () => boolean = () => false,
): boolean {
  if (!dialog) return false;
  button.setAttribute('aria-haspopup', 'dialog');
  const text = dialog.querySelector<HTMLElement>('[data-local-text]');
  const simulatedText = text?.textContent ?? '';
  // Two buttons share the dialog (the progress bar's and the dock's): only the one that
  // opened it gets the focus back and acts.
  let opened = false;
  button.addEventListener('click', () => {
    if (dialog.open) return;
    opened = true;
    if (text) text.textContent = isLocal() ? (text.dataset.localText ?? simulatedText) : simulatedText;
    dialog.returnValue = '';
    dialog.showModal();
  }, { signal });
  dialog.addEventListener('close', () => {
    if (!opened) return;
    opened = false;
    button.focus();
    if (dialog.returnValue === 'reset') onConfirm();
  }, { signal });
  // A click on the backdrop (outside the form) cancels, as Escape does.
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close('cancel');
  }, { signal });
  return true;
}
