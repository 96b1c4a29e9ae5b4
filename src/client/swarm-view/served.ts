// Which task served the request `curl` just sent (issue 18, the routing mesh): the model names it
// (SwarmViewModel.served, added by the worker); this part flashes that task's chip, tags the
// column of the node the request entered ("curl →"), and says the route in a line under the
// services strip: "curl → worker2 → web.1 on worker1" (entered worker2, served on worker1).
// A request the panel did not see happen (one older than the panel's first model) is not news
// and marks nothing. The flash is an animation only where motion is welcome; with
// prefers-reduced-motion the chip and the column are outlined, still, for the same time.
import type { SwarmViewModel } from '../../../engine/view/model.js';
import type { ViewStrings } from './strings.js';

/** How long the chip and the entry column stay marked, ms. */
export const SERVED_MARK_MS = 4000;

export interface ServedTargets {
  /** The chip of a task (its row in the table), if drawn (not in the compact mode). */
  chip(taskId: string): HTMLElement | undefined;
  /** The head of a node's column, by hostname. */
  columnHead(hostname: string): HTMLElement | undefined;
}

/** The route in words, or undefined when the model's task is gone from it. */
export function servedRoute(m: SwarmViewModel, strings: ViewStrings): string | undefined {
  const s = m.served;
  if (!s) return undefined;
  const task = m.tasks.find((t) => t.id === s.task);
  if (!task) return undefined;
  const node = m.nodes.find((n) => n.id === task.node)?.hostname ?? task.node;
  return node === s.entry ? strings.t('served.here', { task: task.name, node }) : strings.t('served.route', { entry: s.entry, task: task.name, node });
}

export class ServedMark {
  /** The route line (hidden until a request is served while the panel watches). */
  readonly el: HTMLParagraphElement;
  private seen: number | undefined;
  private marked: { chip?: HTMLElement; tag?: HTMLElement } = {};
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly strings: ViewStrings) {
    this.el = document.createElement('p');
    this.el.className = 'sv-served';
    this.el.hidden = true;
  }

  /** After each draw: marks a request the panel has not marked yet. */
  show(m: SwarmViewModel, targets: ServedTargets): void {
    const seq = m.served?.seq ?? 0;
    if (this.seen === undefined || seq === this.seen || !m.served) {
      this.seen ??= seq;
      return;
    }
    this.seen = seq;
    this.clear();
    const route = servedRoute(m, this.strings);
    if (route === undefined) return;
    this.el.textContent = route;
    this.el.hidden = false;
    this.el.dataset.seq = String(seq);
    const chip = targets.chip(m.served.task);
    if (chip) {
      // Alternating values restart the flash when the same task serves twice in a row.
      chip.dataset.served = seq % 2 === 0 ? 'a' : 'b';
      this.marked.chip = chip;
    }
    const head = targets.columnHead(m.served.entry);
    if (head) {
      const tag = document.createElement('span');
      tag.className = 'sv-entry';
      tag.textContent = this.strings.t('served.entry');
      head.querySelector('.sv-host')?.after(tag);
      this.marked.tag = tag;
    }
    this.timer = setTimeout(() => this.clear(), SERVED_MARK_MS);
  }

  /** Takes the chip's and the column's marks off (the route line stays until the next request). */
  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.marked.chip) delete this.marked.chip.dataset.served;
    this.marked.tag?.remove();
    this.marked = {};
  }

  /** The panel stopped watching: what it sees next is not news. */
  reset(): void {
    this.clear();
    this.seen = undefined;
  }
}
