// One task as a chip: its name as `docker service ps` prints it, the image's tag (and the
// image's colour), and its current state as a word and a shape (swarm-view.css draws one
// shape per group of states, so nothing depends on colour alone). The data-* attributes are
// the ones tests and tools read (issue 16, "For tests and tools"). A chip is updated in
// place: only what changed is written, and a change of state restarts a short pulse.
import type { ViewTask } from '../../../engine/view/model.js';
import { colorOf, tagOf } from './colors.js';
import type { ViewStrings } from './strings.js';

/** Groups of states that share a shape. */
export function stateGroup(state: string): 'starting' | 'running' | 'stopped' | 'failed' {
  switch (state) {
    case 'running':
      return 'running';
    case 'complete':
    case 'shutdown':
    case 'remove':
      return 'stopped';
    case 'failed':
    case 'rejected':
    case 'orphaned':
      return 'failed';
    default:
      return 'starting'; // new, pending, assigned, accepted, preparing, ready, starting
  }
}

interface ChipParts {
  li: HTMLLIElement;
  button: HTMLButtonElement;
  name: HTMLSpanElement;
  tag: HTMLSpanElement;
  state: HTMLSpanElement;
  extra: HTMLSpanElement;
  reason: HTMLSpanElement | undefined;
  /** What the chip shows now, to write only changes. */
  shown: string;
  pulse: boolean;
}

const parts = new WeakMap<HTMLLIElement, ChipParts>();

export function createChip(taskId: string): HTMLLIElement {
  const li = document.createElement('li');
  li.className = 'sv-chip-item';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'sv-chip';
  button.tabIndex = -1;
  button.dataset.taskId = taskId;
  button.setAttribute('aria-pressed', 'false');
  // Two lines: the name; then the image's tag, and the state at the end of the line (cut
  // before the tag is, in a narrow column: the border and the mark still show the state).
  const name = span('sv-chip-name');
  const line = span('sv-chip-line');
  const tag = span('sv-chip-tag');
  const state = span('sv-chip-state');
  line.append(tag, state);
  const extra = span('sv-sr');
  button.append(name, line, extra);
  li.append(button);
  parts.set(li, { li, button, name, tag, state, extra, reason: undefined, shown: '', pulse: false });
  return li;
}

const set = (el: HTMLElement, key: string, value: string): void => {
  if (el.dataset[key] !== value) el.dataset[key] = value;
};

const text = (el: HTMLElement, value: string): void => {
  if (el.textContent !== value) el.textContent = value;
};

const span = (cls: string): HTMLSpanElement => {
  const s = document.createElement('span');
  s.className = cls;
  return s;
};

export function chipButton(li: HTMLLIElement): HTMLButtonElement | undefined {
  return parts.get(li)?.button;
}

/** Writes the task into its chip; `withReason`: the Pending lane shows the scheduler's reason under it. */
export function updateChip(li: HTMLLIElement, t: ViewTask, strings: ViewStrings, withReason: boolean): void {
  const p = parts.get(li);
  if (!p) return;
  const shown = `${t.name}\u0000${t.image}\u0000${t.state}\u0000${t.desired}\u0000${t.history}\u0000${t.ours}\u0000${withReason ? t.err : ''}`;
  if (shown === p.shown) return;
  // Pulse when the state changes its kind (comes up, stops, fails), not at each of the seven
  // steps a task takes to start: fewer animations to run, and each one says something.
  const stateChanged = p.shown !== '' && p.button.dataset.group !== stateGroup(t.state);
  p.shown = shown;
  const b = p.button;
  // Each write invalidates the chip's style: only what changed is written.
  set(b, 'task', t.name);
  set(b, 'state', t.state);
  set(b, 'desired', t.desired);
  set(b, 'image', t.image);
  set(b, 'color', String(colorOf(t.image)));
  set(b, 'group', stateGroup(t.state));
  if (b.classList.contains('sv-chip--history') !== t.history) b.classList.toggle('sv-chip--history', t.history);
  if (b.classList.contains('sv-chip--foreign') === t.ours) b.classList.toggle('sv-chip--foreign', !t.ours);
  // A task of a service not Swarm Lab's (local mode) comes without name or image: it says whose it is not.
  const name = t.name === '' && !t.ours ? strings.t('chip.foreignName') : t.name;
  text(p.name, t.history ? `\\_ ${name}` : name);
  text(p.tag, tagOf(t.image));
  text(p.state, t.state);
  // The words a screen reader needs beyond what is written: the whole image, and why it fades.
  const notes = [strings.t('chip.image', { image: t.image })];
  if (t.desired !== 'running' && t.desired !== t.state) notes.push(strings.t('chip.desired', { desired: t.desired }));
  if (t.history) notes.push(strings.t('chip.history'));
  if (!t.ours) notes.push(strings.t('chip.foreign'));
  text(p.extra, `, ${notes.join(', ')}`);
  if (withReason && t.err !== '') {
    if (!p.reason) {
      p.reason = span('sv-chip-reason');
      b.append(p.reason);
    }
    p.reason.textContent = t.err;
  } else if (p.reason) {
    p.reason.remove();
    p.reason = undefined;
  }
  if (stateChanged) {
    // Two names for the same keyframes: switching restarts the pulse without a reflow.
    p.pulse = !p.pulse;
    b.dataset.pulse = p.pulse ? 'a' : 'b';
  }
}
