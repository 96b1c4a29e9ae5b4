// Changes said in words through an aria-live region, at most one sentence every few seconds
// (a rolling update at 20x changes the swarm many times a second; a screen reader cannot keep
// up with that, nor would a learner want it to). What waits is merged: the most telling change
// is said, with how many others came with it.
import type { ViewChange } from '../../../engine/view/model.js';
import type { ViewStrings } from './strings.js';

/** Shortest time between two sentences, ms. */
export const ANNOUNCE_EVERY_MS = 3000;

/** Which change to say when several wait: lower first. */
function rank(key: string): number {
  const k = key.slice('view.change.'.length);
  if (k.startsWith('update.')) return 0;
  if (k.startsWith('availability.') || k.startsWith('status.') || k === 'leader' || k === 'nodeJoined' || k === 'nodeLeft') return 1;
  if (k.startsWith('task.')) return 2;
  if (k === 'serviceCreated' || k === 'serviceRemoved' || k === 'scaled') return 3;
  if (k === 'nowRuns') return 4;
  if (k === 'pending') return 5;
  if (k === 'running') return 6;
  return 7;
}

export class Announcer {
  readonly el: HTMLElement;
  private waiting: ViewChange[] = [];
  private last = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly strings: ViewStrings) {
    this.el = document.createElement('div');
    this.el.className = 'sv-sr';
    // A status region (a name is not allowed on a plain div): polite, one sentence at a time.
    this.el.setAttribute('role', 'status');
    this.el.setAttribute('aria-live', 'polite');
    this.el.setAttribute('aria-atomic', 'true');
    this.el.setAttribute('aria-label', strings.t('live.label'));
  }

  add(changes: readonly ViewChange[]): void {
    if (changes.length === 0) return;
    this.waiting.push(...changes);
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.last + ANNOUNCE_EVERY_MS - performance.now());
    this.timer = setTimeout(() => this.say(), wait);
  }

  /** No more sentences (the view collapsed): what waits is dropped. */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = [];
  }

  private say(): void {
    this.timer = undefined;
    const waiting = this.waiting;
    this.waiting = [];
    if (waiting.length === 0) return;
    // The most telling change; among equals, the latest.
    let best = waiting[0]!;
    for (const c of waiting) if (rank(c.key) <= rank(best.key)) best = c;
    const others = waiting.reduce((n, c) => n + (c === best ? 0 : c.key === 'view.change.more' ? Number(c.params['count']) || 1 : 1), 0);
    let sentence = best.key === 'view.change.more' ? this.strings.t('change.more', best.params) : this.strings.t(best.key.slice('view.'.length), best.params);
    if (others > 0 && best.key !== 'view.change.more') sentence += ` ${this.strings.t('change.more', { count: others })}`;
    this.el.textContent = sentence;
    this.last = performance.now();
  }
}
