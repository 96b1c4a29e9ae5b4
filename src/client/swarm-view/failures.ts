// The view's failure menus: Stop node / Start node in a node column's head, Kill task in a
// task's details. Each runs the `lab` line it stands for through the terminal
// (TerminalSession.inject → TerminalEngine.inject), so the terminal shows the line and its
// answer as if typed, and `undo` takes it back. Only on the simulated swarm with the prompt
// ready: otherwise the buttons stay (aria-disabled, focusable) and their title says why.
import type { InjectionKind } from '../../../engine/sim/faults.js';
import { labLine } from '../../../engine/shell/lab-line.js';
import type { ViewNode, ViewTask } from '../../../engine/view/model.js';
import type { ViewStrings } from './strings.js';

/** Whether a failure can be injected now: yes, not while a command runs, never on a real swarm. */
export type InjectState = 'ok' | 'busy' | 'local';

export interface FailureActions {
  /** Runs the injection's `lab` line in the terminal; false if the terminal was not free. */
  inject(kind: InjectionKind, target: string, line: string): boolean;
}

/** What a node's button offers: start a node the managers see down, else stop it. */
export function nodeInjection(n: ViewNode): InjectionKind | undefined {
  if (n.gone) return undefined;
  return n.status === 'down' ? 'node-start' : 'node-stop';
}

/** A task whose container can be killed: a current task that has one running or starting. */
export function killable(t: ViewTask): boolean {
  return t.ours && !t.history && (t.state === 'running' || t.state === 'starting');
}

/**
 * The button's words for `kind` on `target` (a hostname, or a task ID: exact even while an
 * update keeps two tasks of one name), named `name` in its words, and its state.
 */
export function drawFailureButton(b: HTMLButtonElement, kind: InjectionKind, target: string, name: string, state: InjectState, t: ViewStrings): void {
  const key = kind === 'node-stop' ? 'stopNode' : kind === 'node-start' ? 'startNode' : 'killTask';
  const text = t.t(`action.${key}`);
  if (b.textContent !== text) b.textContent = text;
  b.dataset.inject = kind;
  b.dataset.target = target;
  const param: Record<string, string> = kind === 'task-kill' ? { task: name } : { node: name };
  const why = state === 'ok' ? t.t(`action.${key}Label`, param) : t.t(state === 'busy' ? 'action.busy' : 'action.local');
  b.setAttribute('aria-label', t.t(`action.${key}Label`, param));
  if (b.title !== why) b.title = why;
  b.setAttribute('aria-disabled', String(state !== 'ok'));
}

/** A failure button: on click, runs its injection if enabled. */
export function failureButton(actions: FailureActions): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'sv-inject';
  b.addEventListener('click', (e) => {
    // Inside a chip's column: the click is not the board's (it would select a chip).
    e.stopPropagation();
    const kind = b.dataset.inject as InjectionKind | undefined;
    const target = b.dataset.target;
    if (!kind || !target || b.getAttribute('aria-disabled') === 'true') return;
    actions.inject(kind, target, labLine(kind, target));
  });
  return b;
}
