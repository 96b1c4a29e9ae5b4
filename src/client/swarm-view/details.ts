// The selected task's details: ID, slot, image, node, desired and current state with its age,
// error and exit code, and the commands that show more in the terminal (each with a Run
// button that types it there, as the lesson's Run buttons do): the task's own row of
// `docker service ps` untruncated, and `docker service inspect --pretty` of its service.
import type { SwarmViewModel, ViewTask } from '../../../engine/view/model.js';
import { nodeNames } from '../../../engine/view/names.js';
import { ago } from './ages.js';
import type { ViewStrings } from './strings.js';
import type { FailureActions, InjectState } from './failures.js';
import { drawFailureButton, failureButton, killable } from './failures.js';

export interface DetailsActions extends Partial<FailureActions> {
  /** Types a command into the terminal and runs it. */
  run(command: string): void;
  /** The details were closed (Escape or the close button). */
  close(): void;
}

export class Details {
  readonly el: HTMLElement;
  private readonly title: HTMLHeadingElement;
  private readonly facts: HTMLDListElement;
  private readonly commands: HTMLUListElement;
  private readonly more: HTMLParagraphElement;
  private age: HTMLElement | undefined;
  private shown = '';
  private task: ViewTask | undefined;
  /** Kill task: its container killed, as `docker kill` (lab task kill). */
  private readonly kill: HTMLButtonElement | undefined;
  private injectState: InjectState = 'busy';

  constructor(
    private readonly strings: ViewStrings,
    private readonly actions: DetailsActions,
    id: string,
  ) {
    const t = strings;
    this.el = document.createElement('section');
    this.el.className = 'sv-details';
    this.el.id = id;
    this.el.hidden = true;
    this.el.setAttribute('aria-labelledby', `${id}-title`);
    const head = document.createElement('div');
    head.className = 'sv-details-head';
    this.title = document.createElement('h3');
    this.title.id = `${id}-title`;
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'sv-details-close';
    close.textContent = t.t('details.close');
    close.addEventListener('click', () => actions.close());
    head.append(this.title, close);
    this.facts = document.createElement('dl');
    this.facts.className = 'sv-facts';
    const more = document.createElement('p');
    more.className = 'sv-details-more';
    more.textContent = t.t('details.more');
    this.more = more;
    this.commands = document.createElement('ul');
    this.commands.className = 'sv-commands';
    const inject = actions.inject;
    if (inject) {
      this.kill = failureButton({ inject: (kind, target, line) => inject(kind, target, line) });
      this.kill.hidden = true;
    }
    this.el.append(head, this.facts, ...(this.kill ? [this.kill] : []), more, this.commands);
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        actions.close();
      }
    });
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  /** Shows `task` (or hides the details without one); `now` is the swarm's time for its age. */
  show(task: ViewTask | undefined, model: SwarmViewModel, now: number): void {
    this.task = task;
    this.el.hidden = !task;
    if (!task) {
      this.shown = '';
      return;
    }
    const service = model.services.find((s) => s.id === task.service)?.name ?? task.service;
    const node = nodeNames(model)(task.node);
    const shown = JSON.stringify([task, service, node]);
    if (shown !== this.shown) {
      this.shown = shown;
      this.fill(task, service, node);
      this.drawKill();
    }
    this.tick(now);
  }

  /** Whether failures can be injected now: the Kill button follows. */
  setInjectState(state: InjectState): void {
    this.injectState = state;
    this.drawKill();
  }

  private drawKill(): void {
    const task = this.task;
    if (!this.kill) return;
    this.kill.hidden = !task || !killable(task);
    if (task && !this.kill.hidden) drawFailureButton(this.kill, 'task-kill', task.id, task.name, this.injectState, this.strings);
  }

  /** Refreshes the age (the panel calls it every second while the details are open). */
  tick(now: number): void {
    if (this.age && this.task) this.age.textContent = ago(this.strings.lang, this.task.since, now);
  }

  /** Facts as a definition list. */
  private setFacts(rows: [string, string | HTMLElement][]): void {
    this.facts.replaceChildren(
      ...rows.flatMap(([label, value]) => {
        const dt = document.createElement('dt');
        dt.textContent = label;
        const dd = document.createElement('dd');
        dd.append(value);
        return [dt, dd];
      }),
    );
  }

  /**
   * A task of a service not Swarm Lab's (local mode): the server sends only where it runs and
   * its states, and the terminal cannot show more of it; no command is offered.
   */
  private fillForeign(task: ViewTask, node: string): void {
    const t = this.strings;
    this.age = undefined;
    this.title.textContent = t.t('chip.foreignName');
    this.setFacts([
      [t.t('details.node'), node === '' ? t.t('details.noNode') : node],
      [t.t('details.desired'), task.desired],
      [t.t('details.current'), task.state],
      [t.t('details.foreign'), t.t('details.foreignText')],
    ]);
    this.commands.replaceChildren();
    this.commands.hidden = true;
    this.more.hidden = true;
  }

  private fill(task: ViewTask, service: string, node: string): void {
    const t = this.strings;
    if (!task.ours) return this.fillForeign(task, node);
    this.title.textContent = t.t('details.title', { task: task.name });
    const rows: [string, string | HTMLElement][] = [
      [t.t('details.id'), task.id],
      [t.t('details.slot'), task.slot > 0 ? String(task.slot) : t.t('details.noSlot')],
      [t.t('details.image'), task.image],
      [t.t('details.node'), node === '' ? t.t('details.noNode') : node],
      [t.t('details.desired'), task.desired],
    ];
    const current = document.createElement('span');
    const age = document.createElement('span');
    age.className = 'sv-age';
    // A task of a service not Swarm Lab's (local mode) comes without its timestamp.
    this.age = task.since > 0 ? age : undefined;
    current.append(task.since > 0 ? `${task.state} · ` : task.state, ...(task.since > 0 ? [age] : []));
    rows.push([t.t('details.current'), current]);
    if (task.err !== '') rows.push([t.t('details.error'), task.err]);
    if (task.exitCode !== undefined) rows.push([t.t('details.exit'), String(task.exitCode)]);
    if (task.history) rows.push([t.t('details.history'), t.t('details.historyText')]);
    this.setFacts(rows);
    this.commands.hidden = false;
    this.more.hidden = false;
    // This task's own row in full (ID, image digest, error), then its service's update status.
    // (`docker inspect <task ID>` would show more, but the simulator's CLI has no generic inspect.)
    const commands = [`docker service ps ${service} --filter id=${task.id} --no-trunc`, `docker service inspect --pretty ${service}`];
    this.commands.replaceChildren(
      ...commands.map((command) => {
        const li = document.createElement('li');
        const code = document.createElement('code');
        code.textContent = command;
        const run = document.createElement('button');
        run.type = 'button';
        run.className = 'sv-run';
        run.textContent = t.t('details.run');
        run.setAttribute('aria-label', t.t('details.runLabel', { command }));
        run.addEventListener('click', () => this.actions.run(command));
        li.append(code, run);
        return li;
      }),
    );
  }
}
