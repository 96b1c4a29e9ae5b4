// The diagram: one column per node (hostname, role, availability, status; the shell's node
// marked; drained, paused and down nodes drawn differently), the node's tasks as chips in it,
// and a Pending lane (data-node="") for the tasks the scheduler has not placed, each with its
// reason. Elements are kept per node and per task and updated in place, so a model that
// changed one task costs one chip. A big swarm (many nodes or tasks) is drawn compact:
// per node, counts by image and state instead of a chip per task (the table lists each task).
import type { SwarmViewModel, ViewNode, ViewTask } from '../../../engine/view/model.js';
import { chipButton, createChip, stateGroup, updateChip } from './chips.js';
import { colorOf, tagOf } from './colors.js';
import type { ViewStrings } from './strings.js';
import type { FailureActions, InjectState } from './failures.js';
import { drawFailureButton, failureButton, nodeInjection } from './failures.js';

/** Above either, columns hold counts, not chips (100 nodes × 10 tasks draws in a few ms). */
export const COMPACT_NODES = 12;
export const COMPACT_TASKS = 150;

interface Column {
  el: HTMLElement;
  host: HTMLSpanElement;
  self: HTMLSpanElement;
  badges: HTMLElement;
  list: HTMLUListElement;
  shown: string;
  compact: boolean;
  /** Stop node / Start node (not in the Pending lane, nor without actions). */
  inject?: HTMLButtonElement;
  node?: ViewNode;
}

export class Board {
  readonly el: HTMLElement;
  private readonly columns = new Map<string, Column>();
  private readonly chips = new Map<string, HTMLLIElement>();
  private pending: Column | undefined;
  private compact = false;
  private injectState: InjectState = 'busy';

  constructor(
    private readonly strings: ViewStrings,
    describedBy: string,
    private readonly actions?: FailureActions,
  ) {
    this.el = document.createElement('div');
    this.el.className = 'sv-board';
    this.el.setAttribute('role', 'group');
    this.el.setAttribute('aria-label', strings.t('board.label'));
    this.el.setAttribute('aria-describedby', describedBy);
  }

  /** Whether failures can be injected now: the node buttons follow. */
  setInjectState(state: InjectState): void {
    if (state === this.injectState) return;
    this.injectState = state;
    for (const col of this.columns.values()) this.drawInject(col);
  }

  private drawInject(col: Column): void {
    const n = col.node;
    const kind = n && nodeInjection(n);
    if (!col.inject) return;
    col.inject.hidden = !kind;
    if (n && kind) drawFailureButton(col.inject, kind, n.hostname, n.hostname, this.injectState, this.strings);
  }

  /** Whether the last draw was compact (counts, no chips). */
  get isCompact(): boolean {
    return this.compact;
  }

  /** The chip of a task, if it is drawn. */
  chip(taskId: string): HTMLButtonElement | undefined {
    const li = this.chips.get(taskId);
    return li ? chipButton(li) : undefined;
  }

  /** The head of a node's column, by hostname, if the board draws it. */
  columnHead(hostname: string): HTMLElement | undefined {
    for (const col of this.columns.values()) if (col.node?.hostname === hostname) return col.el.querySelector<HTMLElement>('.sv-col-head') ?? undefined;
    return undefined;
  }

  draw(model: SwarmViewModel, tasks: readonly ViewTask[]): void {
    const compact = model.nodes.length > COMPACT_NODES || tasks.length > COMPACT_TASKS;
    if (compact !== this.compact) {
      // Switching modes: start the columns over.
      for (const c of this.columns.values()) c.el.remove();
      this.columns.clear();
      this.pending?.el.remove();
      this.pending = undefined;
      this.chips.clear();
      this.compact = compact;
      this.el.classList.toggle('sv-board--compact', compact);
    }
    const byNode = new Map<string, ViewTask[]>();
    for (const t of tasks) {
      let list = byNode.get(t.node);
      if (!list) byNode.set(t.node, (list = []));
      list.push(t);
    }

    const order: HTMLElement[] = [];
    const pendingTasks = byNode.get('') ?? [];
    if (pendingTasks.length > 0) {
      this.pending ??= this.newColumn('', compact);
      this.drawPendingHead(this.pending);
      this.fill(this.pending, pendingTasks, true);
      order.push(this.pending.el);
    } else if (this.pending) {
      this.pending.el.remove();
      this.pending = undefined;
    }
    const seen = new Set<string>();
    for (const node of model.nodes) {
      seen.add(node.id);
      let col = this.columns.get(node.id);
      if (!col) this.columns.set(node.id, (col = this.newColumn(node.hostname, compact)));
      this.drawHead(col, node);
      this.fill(col, byNode.get(node.id) ?? [], false);
      order.push(col.el);
    }
    for (const [id, col] of this.columns) {
      if (!seen.has(id)) {
        col.el.remove();
        this.columns.delete(id);
      }
    }
    placeInOrder(this.el, order);
    if (!compact) {
      const live = new Set(tasks.map((t) => t.id));
      for (const [id, li] of this.chips) {
        if (!live.has(id)) {
          li.remove();
          this.chips.delete(id);
        }
      }
    }
  }

  private newColumn(hostname: string, compact: boolean): Column {
    const el = document.createElement('section');
    el.className = hostname === '' ? 'sv-col sv-col--pending' : 'sv-col';
    el.dataset.node = hostname;
    const head = document.createElement('header');
    head.className = 'sv-col-head';
    const host = document.createElement('span');
    host.className = 'sv-host';
    const self = document.createElement('span');
    self.className = 'sv-self';
    self.textContent = this.strings.t('node.self');
    self.hidden = true;
    const badges = document.createElement('span');
    badges.className = 'sv-facts-line';
    head.append(host, self, badges);
    const inject = hostname !== '' && this.actions ? failureButton(this.actions) : undefined;
    if (inject) head.append(inject);
    const list = document.createElement('ul');
    list.className = compact ? 'sv-counts' : 'sv-chips';
    el.append(head, list);
    return { el, host, self, badges, list, shown: '', compact, ...(inject ? { inject } : {}) };
  }

  private drawPendingHead(col: Column): void {
    if (col.shown !== 'pending') {
      col.shown = 'pending';
      col.host.textContent = this.strings.t('pending.title');
      col.el.setAttribute('aria-label', this.strings.t('pending.label'));
    }
  }

  private drawHead(col: Column, n: ViewNode): void {
    const shown = `${n.hostname}|${n.role}|${n.managerStatus}|${n.availability}|${n.status}|${n.self}|${n.gone === true}`;
    if (shown === col.shown) return;
    col.shown = shown;
    col.node = n;
    this.drawInject(col);
    const el = col.el;
    el.dataset.node = n.hostname;
    el.dataset.availability = n.availability;
    el.dataset.status = n.status;
    el.dataset.role = n.role;
    el.toggleAttribute('data-self', n.self);
    col.host.textContent = n.hostname;
    const t = this.strings;
    const role = n.role === 'manager' ? (n.managerStatus === 'Leader' ? t.t('node.leader') : n.managerStatus === '' ? t.t('node.manager') : word(t, 'node.manager', n.managerStatus.toLowerCase())) : t.t('node.worker');
    // Facts as words; the ones that make a node unusual (drained, paused, down) stand out as badges.
    const facts: [string, string, boolean][] = [['role', role, false]];
    if (!n.gone) {
      facts.push(['availability', word(t, 'availability', n.availability), n.availability !== 'active']);
      facts.push(['status', word(t, 'status', n.status), n.status !== 'ready']);
    } else facts.push(['status', t.t('node.gone'), true]);
    const parts: (HTMLElement | string)[] = [];
    for (const [kind, text, odd] of facts) {
      if (parts.length > 0) parts.push(' · ');
      const b = document.createElement('span');
      b.className = odd ? `sv-fact sv-fact--${kind} sv-badge` : `sv-fact sv-fact--${kind}`;
      b.textContent = text;
      parts.push(b);
    }
    col.badges.replaceChildren(...parts);
    col.self.hidden = !n.self;
    const words = facts.map((f) => f[1]);
    if (n.self) words.push(t.t('node.selfLong'));
    el.setAttribute('aria-label', t.t('node.label', { node: n.hostname, facts: words.join(', ') }));
  }

  private fill(col: Column, tasks: readonly ViewTask[], pending: boolean): void {
    if (col.compact) return this.fillCounts(col, tasks, pending);
    const items: HTMLLIElement[] = [];
    for (const t of tasks) {
      let li = this.chips.get(t.id);
      if (!li) this.chips.set(t.id, (li = createChip(t.id)));
      updateChip(li, t, this.strings, pending);
      items.push(li);
    }
    placeInOrder(col.list, items);
    col.el.classList.toggle('sv-col--empty', tasks.length === 0);
  }

  /** Compact: one line per image and state group, with its count. */
  private fillCounts(col: Column, tasks: readonly ViewTask[], pending: boolean): void {
    const counts = new Map<string, { image: string; group: string; n: number }>();
    for (const t of tasks) {
      const group = stateGroup(t.state);
      const key = `${t.image}\u0000${group}`;
      const c = counts.get(key);
      if (c) c.n++;
      else counts.set(key, { image: t.image, group, n: 1 });
    }
    const rows = [...counts.values()];
    const shown = rows.map((r) => `${r.image}|${r.group}|${r.n}`).join(',') + (pending ? `|${tasks[0]?.err ?? ''}` : '');
    if (shown === col.list.dataset.shown) return;
    col.list.dataset.shown = shown;
    col.list.replaceChildren(
      ...rows.map((r) => {
        const li = document.createElement('li');
        li.className = 'sv-count';
        li.dataset.color = String(colorOf(r.image));
        li.dataset.group = r.group;
        li.dataset.image = r.image;
        li.textContent = this.strings.t('count', { count: r.n, tag: tagOf(r.image), state: this.strings.t(`group.${r.group}`) });
        return li;
      }),
    );
    if (pending && tasks[0]?.err) {
      const reason = document.createElement('li');
      reason.className = 'sv-count sv-count--reason';
      reason.textContent = tasks[0].err;
      col.list.append(reason);
    }
    col.el.classList.toggle('sv-col--empty', tasks.length === 0);
  }
}

/** A node's availability or status in words; a word the strings lack (a newer daemon's) as the API has it. */
function word(t: ViewStrings, kind: string, value: string): string {
  return t.has(`${kind}.${value}`) ? t.t(`${kind}.${value}`) : value;
}

/** Makes `parent`'s children exactly `items`, in order, moving as few as it can. */
export function placeInOrder(parent: Element, items: readonly Element[]): void {
  let ref = parent.firstElementChild;
  for (const item of items) {
    if (item === ref) {
      ref = ref.nextElementSibling;
      continue;
    }
    parent.insertBefore(item, ref);
  }
  while (ref) {
    const next = ref.nextElementSibling;
    ref.remove();
    ref = next;
  }
}
