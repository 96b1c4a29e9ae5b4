// The same state as a table (the view's text alternative, and its detail for a big swarm):
// one row per task in `docker service ps` order, with node, task, image, desired and current
// state (with its age) and error. Rows are kept per task and updated in place; a very big
// swarm shows its first MAX_ROWS rows and says how many there are.
import type { SwarmViewModel, ViewTask } from '../../../engine/view/model.js';
import { nodeNames } from '../../../engine/view/names.js';
import { ago } from './ages.js';
import { placeInOrder } from './board.js';
import type { ViewStrings } from './strings.js';

export const MAX_ROWS = 300;

export class TaskTable {
  readonly el: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly note: HTMLParagraphElement;
  private readonly rows = new Map<string, { tr: HTMLTableRowElement; shown: string; age: HTMLTableCellElement; since: number }>();

  constructor(private readonly strings: ViewStrings) {
    const t = strings;
    this.el = document.createElement('div');
    this.el.className = 'sv-table-wrap';
    // It scrolls sideways when narrow: a keyboard must be able to reach it to scroll it.
    this.el.tabIndex = 0;
    this.el.setAttribute('role', 'region');
    this.el.setAttribute('aria-label', t.t('table.caption'));
    const table = document.createElement('table');
    table.className = 'sv-table';
    const caption = document.createElement('caption');
    caption.textContent = t.t('table.caption');
    const head = document.createElement('thead');
    const tr = document.createElement('tr');
    for (const key of ['node', 'task', 'image', 'desired', 'current', 'error']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = t.t(`table.${key}`);
      tr.append(th);
    }
    head.append(tr);
    this.body = document.createElement('tbody');
    table.append(caption, head, this.body);
    this.note = document.createElement('p');
    this.note.className = 'sv-table-note';
    this.el.append(table, this.note);
  }

  draw(model: SwarmViewModel, tasks: readonly ViewTask[], now: number): void {
    const node = nodeNames(model);
    const shownTasks = tasks.slice(0, MAX_ROWS);
    const order: HTMLTableRowElement[] = [];
    for (const task of shownTasks) {
      let row = this.rows.get(task.id);
      if (!row) {
        const tr = document.createElement('tr');
        const age = document.createElement('td');
        this.rows.set(task.id, (row = { tr, shown: '', age, since: 0 }));
      }
      const nodeName = node(task.node);
      const shown = `${nodeName}|${task.name}|${task.history}|${task.image}|${task.desired}|${task.state}|${task.since}|${task.error}`;
      if (shown !== row.shown) {
        row.shown = shown;
        row.since = task.since;
        this.fillRow(row.tr, row.age, task, nodeName);
      }
      row.age.dataset.since = String(task.since);
      order.push(row.tr);
    }
    const live = new Set(shownTasks.map((t) => t.id));
    for (const id of this.rows.keys()) if (!live.has(id)) this.rows.delete(id);
    placeInOrder(this.body, order);
    this.tick(now);
    this.note.textContent = tasks.length > MAX_ROWS ? this.strings.t('table.more', { shown: MAX_ROWS, total: tasks.length }) : '';
    this.note.hidden = tasks.length <= MAX_ROWS;
  }

  /** The row of a task, if the table shows it. */
  row(taskId: string): HTMLTableRowElement | undefined {
    return this.rows.get(taskId)?.tr;
  }

  /** Refreshes the ages. */
  tick(now: number): void {
    for (const row of this.rows.values()) {
      const state = capital(row.tr.dataset.state ?? '');
      const text = row.since > 0 ? `${state} ${ago(this.strings.lang, row.since, now)}` : state;
      if (row.age.textContent !== text) row.age.textContent = text;
    }
  }

  private fillRow(tr: HTMLTableRowElement, age: HTMLTableCellElement, t: ViewTask, node: string): void {
    tr.dataset.task = t.name;
    tr.dataset.state = t.state;
    tr.classList.toggle('sv-row--history', t.history);
    tr.classList.toggle('sv-row--foreign', !t.ours);
    const name = t.name === '' && !t.ours ? this.strings.t('chip.foreignName') : t.name;
    const cells = [node || this.strings.t('table.pending'), t.history ? `\\_ ${name}` : name, t.image, capital(t.desired)].map((text) => {
      const td = document.createElement('td');
      td.textContent = text;
      return td;
    });
    const err = document.createElement('td');
    err.textContent = t.error;
    if (t.err !== '') err.title = t.err;
    tr.replaceChildren(...cells, age, err);
  }
}

/** As `docker service ps` prints states: first letter upper case. */
const capital = (s: string): string => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1));
