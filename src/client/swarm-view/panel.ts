// The Swarm panel: a bar (title, counts, the history and table toggles), the services strip,
// the diagram or the table, the selected task's details, and the live region. It draws what
// its source pushes, on the next animation frame, and answers the source once drawn (so the
// source sends at most one model per frame). Closed (collapsed, or not on the page) it
// unsubscribes: no models, no drawing, no announcements.
import { viewChanges } from '../../../engine/view/changes.js';
import { STOPPED } from '../../../engine/view/states.js';
import type { SwarmViewModel, ViewTask } from '../../../engine/view/model.js';
import { swarmClock } from './ages.js';
import { Announcer } from './announcer.js';
import { Board } from './board.js';
import { Details } from './details.js';
import type { Roving } from './keyboard.js';
import { roving } from './keyboard.js';
import { ServedMark } from './served.js';
import { ServicesStrip } from './services.js';
import type { SwarmViewSource, ViewOptions } from './source.js';
import type { ViewStrings } from './strings.js';
import { TaskTable } from './table.js';
import type { FailureActions, InjectState } from './failures.js';

const HISTORY_KEY = 'swarm-lab:view-history';
const TABLE_KEY = 'swarm-lab:view-table';

const stored = (key: string): boolean => {
  try {
    return localStorage.getItem(key) === 'on';
  } catch {
    return false;
  }
};
const store = (key: string, on: boolean): void => {
  try {
    localStorage.setItem(key, on ? 'on' : 'off');
  } catch {
    /* storage disabled: the choice lasts for this page */
  }
};

export interface PanelActions extends Partial<FailureActions> {
  /** Types a command into the terminal and runs it (the details' Run buttons). */
  run(command: string): void;
}

export class SwarmViewPanel {
  readonly root: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly note: HTMLElement;
  private readonly historyButton: HTMLButtonElement;
  private readonly tableButton: HTMLButtonElement;
  private readonly services: ServicesStrip;
  private readonly board: Board;
  private readonly keys: Roving;
  private readonly table: TaskTable;
  private readonly details: Details;
  private readonly announcer: Announcer;
  private readonly served: ServedMark;
  private readonly clock = swarmClock(
    () => this.model?.now ?? 0,
    () => this.receivedAt,
    () => this.source?.rate() ?? 1,
  );

  private source: SwarmViewSource | undefined;
  private unsubscribe: (() => void) | undefined;
  private open = false;
  private model: SwarmViewModel | undefined;
  private receivedAt = 0;
  /** The model the next one is compared with for announcements (none right after a (re)start or an option change). */
  private diffBase: SwarmViewModel | undefined;
  private frame: number | undefined;
  private drawn: (() => void)[] = [];
  private history = stored(HISTORY_KEY);
  private tableMode = stored(TABLE_KEY);
  private selected: string | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private draws = 0;

  constructor(
    private readonly strings: ViewStrings,
    private readonly actions: PanelActions,
  ) {
    const t = strings;
    const root = document.createElement('section');
    root.className = 'sv';
    root.dataset.swarmView = '';
    root.setAttribute('aria-labelledby', 'sv-title');
    this.root = root;

    const bar = document.createElement('div');
    bar.className = 'sv-bar';
    const title = document.createElement('h2');
    title.className = 'sv-title';
    title.id = 'sv-title';
    title.textContent = t.t('title');
    this.summary = document.createElement('span');
    this.summary.className = 'sv-summary';
    const tools = document.createElement('span');
    tools.className = 'sv-tools';
    this.historyButton = this.toggle(t.t('history.button'), t.t('history.title'), this.history, () => this.setHistory(!this.history));
    this.tableButton = this.toggle(t.t('table.button'), t.t('table.title'), this.tableMode, () => this.setTable(!this.tableMode));
    tools.append(this.historyButton, this.tableButton);
    bar.append(title, this.summary, tools);

    this.note = document.createElement('p');
    this.note.className = 'sv-note';
    this.note.textContent = t.t('loading');

    this.services = new ServicesStrip(t);
    const keysHint = document.createElement('p');
    keysHint.className = 'sv-sr';
    keysHint.id = 'sv-keys';
    keysHint.textContent = t.t('keys');
    const inject = actions.inject?.bind(actions);
    const failures = inject ? { inject } : undefined;
    this.board = new Board(t, 'sv-keys', failures);
    this.keys = roving(this.board.el);
    this.table = new TaskTable(t);
    this.details = new Details(t, { run: (c) => this.actions.run(c), close: () => this.select(undefined, true), ...(failures ?? {}) }, 'sv-details');
    this.announcer = new Announcer(t);
    this.served = new ServedMark(t);

    this.board.el.addEventListener('click', (e) => {
      const chip = e.target instanceof Element ? e.target.closest<HTMLButtonElement>('button.sv-chip') : null;
      const id = chip?.dataset.taskId;
      if (id) this.select(this.selected === id ? undefined : id, false);
    });

    root.append(bar, this.note, this.services.el, this.served.el, this.board.el, this.table.el, this.details.el, keysHint, this.announcer.el);
    this.showMode();
  }

  private toggle(label: string, title: string, on: boolean, onClick: () => void): HTMLButtonElement {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'sv-toggle';
    b.textContent = label;
    b.title = title;
    b.setAttribute('aria-pressed', String(on));
    b.addEventListener('click', onClick);
    return b;
  }

  /** Whether the failure menus can act now (the terminal's prompt is ready on the simulated swarm). */
  setInjectState(state: InjectState): void {
    this.board.setInjectState(state);
    this.details.setInjectState(state);
  }

  /** The source to draw from (none: the note says the view is not available for this swarm). */
  setSource(source: SwarmViewSource | undefined): void {
    if (source === this.source) return;
    this.stopWatching();
    this.source = source;
    this.model = undefined;
    if (!source) this.showNote(this.strings.t('unavailable'));
    else this.showNote(this.strings.t('loading'));
    this.startWatching();
  }

  /** Open: the view is expanded and on the page. Closed: it does no work at all. */
  setOpen(open: boolean): void {
    if (open === this.open) return;
    this.open = open;
    if (open) this.startWatching();
    else this.stopWatching();
  }

  private startWatching(): void {
    if (!this.open || !this.source || this.unsubscribe) return;
    this.diffBase = undefined;
    this.unsubscribe = this.source.subscribe((m) => this.accept(m), this.options());
    this.ticker = setInterval(() => this.tick(), 1000);
  }

  private stopWatching(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.announcer.stop();
    this.served.reset();
    // A source waiting for an answer gets it: it sends nothing more once unsubscribed.
    for (const done of this.drawn.splice(0)) done();
  }

  private options(): ViewOptions {
    return { history: this.history };
  }

  /** A model from the source: drawn on the next frame; the promise resolves once it is. */
  private accept(model: SwarmViewModel): Promise<void> {
    const started = performance.now();
    if (this.diffBase && this.matchesOptions(model)) this.announcer.add(viewChanges(this.diffBase, model));
    if (this.matchesOptions(model)) this.diffBase = model;
    this.model = model;
    this.receivedAt = performance.now();
    performance.measure?.('swarm-view:accept', { start: started, end: this.receivedAt });
    return new Promise<void>((resolve) => {
      this.drawn.push(resolve);
      this.frame ??= requestAnimationFrame(() => {
        this.frame = undefined;
        this.draw();
        for (const done of this.drawn.splice(0)) done();
      });
    });
  }

  /** Whether a model was built with the history option the panel has now (one sent before a toggle may not be). */
  private matchesOptions(m: SwarmViewModel): boolean {
    return this.history ? m.historyOmitted === 0 : !m.tasks.some((t) => t.history && STOPPED.has(t.state));
  }

  /** Without History: the current tasks, and older ones whose container is still stopping (they fade out). */
  private visibleTasks(m: SwarmViewModel): readonly ViewTask[] {
    return this.history ? m.tasks : m.tasks.filter((t) => !t.history || !STOPPED.has(t.state));
  }

  private draw(): void {
    const m = this.model;
    if (!m || !this.open) return;
    // npm run bench:site counts the style and layout the draw causes (data-measure-layout):
    // what the rest of the page left to lay out is done first, outside the measure.
    const measuring = this.root.hasAttribute('data-measure-layout');
    if (measuring) void document.body.offsetHeight;
    const start = performance.now();
    const t = this.strings;
    const tasks = this.visibleTasks(m);
    const current = m.tasks.filter((x) => !x.history).length;
    const summary = t.t('summary', { nodes: m.nodes.length, services: m.services.length, tasks: current });
    if (this.summary.textContent !== summary) this.summary.textContent = summary;
    if (m.nodes.length === 0) this.showNote(t.t('noSwarm'));
    else if (m.services.length === 0) this.showNote(t.t('noServices'));
    else if (this.board.isCompact && !this.tableMode) this.showNote(t.t('compact', { tasks: tasks.length, nodes: m.nodes.length }));
    else this.showNote(this.omittedNote());
    this.services.draw(m);
    const now = this.clock.now();
    if (this.tableMode) this.table.draw(m, tasks, now);
    else {
      const hadFocus = this.board.el.contains(document.activeElement);
      this.board.draw(m, tasks);
      this.keys.refresh(hadFocus);
      // The note above reads the mode of the draw before; a switch shows at once.
      if (this.board.isCompact && m.services.length > 0) this.showNote(t.t('compact', { tasks: tasks.length, nodes: m.nodes.length }));
    }
    this.drawSelection(m, now);
    // In the table the serving task's row is marked; the entry node has no column there.
    this.served.show(m, { chip: (id) => (this.tableMode ? this.table.row(id) : this.board.chip(id)), columnHead: (h) => (this.tableMode ? undefined : this.board.columnHead(h)) });
    this.draws++;
    this.root.dataset.drawn = String(this.draws);
    this.root.dataset.now = String(m.now);
    if (measuring) void this.root.offsetHeight;
    performance.measure?.('swarm-view:draw', { start, end: performance.now() });
  }

  private drawSelection(m: SwarmViewModel, now: number): void {
    const task = this.selected === undefined ? undefined : m.tasks.find((x) => x.id === this.selected);
    if (this.selected !== undefined && (!task || (!this.history && task.history && STOPPED.has(task.state)))) {
      // The task is gone from the view (reaped, or history hidden): its details go with it.
      this.select(undefined, false);
      return;
    }
    if (task) this.board.chip(task.id)?.setAttribute('aria-pressed', 'true');
    this.details.show(task, m, now);
  }

  /** Selects a task (its chip pressed, its details shown); `refocus`: the focus goes back to its chip. */
  private select(id: string | undefined, refocus: boolean): void {
    const before = this.selected;
    if (before !== undefined) this.board.chip(before)?.setAttribute('aria-pressed', 'false');
    this.selected = id;
    const chip = id === undefined ? undefined : this.board.chip(id);
    chip?.setAttribute('aria-pressed', 'true');
    chip?.setAttribute('aria-controls', 'sv-details');
    if (this.model) this.details.show(id === undefined ? undefined : this.model.tasks.find((x) => x.id === id), this.model, this.clock.now());
    if (id !== undefined) this.details.el.scrollIntoView?.({ block: 'nearest' });
    if (refocus && before !== undefined) this.board.chip(before)?.focus();
  }

  private tick(): void {
    if (!this.open || !this.model) return;
    const now = this.clock.now();
    if (this.details.open) this.details.tick(now);
    if (this.tableMode) this.table.tick(now);
  }

  private setHistory(on: boolean): void {
    this.history = on;
    store(HISTORY_KEY, on);
    this.historyButton.setAttribute('aria-pressed', String(on));
    this.diffBase = undefined;
    this.source?.setOptions(this.options());
    // What is here already is drawn at once (shown or hidden); the source's next model follows.
    if (this.model) this.draw();
  }

  private setTable(on: boolean): void {
    this.tableMode = on;
    store(TABLE_KEY, on);
    this.tableButton.setAttribute('aria-pressed', String(on));
    this.showMode();
    if (this.model) this.draw();
  }

  private showMode(): void {
    this.board.el.hidden = this.tableMode;
    this.table.el.hidden = !this.tableMode;
  }

  /** What the source left out of the model (local mode caps the learner's own tasks and the nodes), in words. */
  private omittedNote(): string {
    const o = (this.source as { omitted?: { nodes: number; tasks: number } } | undefined)?.omitted;
    return o && o.nodes + o.tasks > 0 ? this.strings.t('omitted', { nodes: o.nodes, tasks: o.tasks }) : '';
  }

  private showNote(text: string): void {
    if (this.note.textContent !== text) this.note.textContent = text;
    this.note.hidden = text === '';
  }
}
