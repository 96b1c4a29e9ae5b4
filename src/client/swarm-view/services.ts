// The strip of services: name, mode, running/desired replicas and image as `docker service ls`
// prints them, and the update status `docker service inspect --pretty` shows (updating n/N,
// paused with its message, completed, rollback_*). A service Swarm Lab did not create (local
// mode, the learner's own) is greyed and says so.
import type { SwarmViewModel, ViewService, ViewTask } from '../../../engine/view/model.js';
import { placeInOrder } from './board.js';
import { colorOf } from './colors.js';
import type { ViewStrings } from './strings.js';

export class ServicesStrip {
  readonly el: HTMLUListElement;
  private readonly items = new Map<string, { li: HTMLLIElement; shown: string }>();

  constructor(private readonly strings: ViewStrings) {
    this.el = document.createElement('ul');
    this.el.className = 'sv-services';
    this.el.setAttribute('aria-label', strings.t('services.label'));
  }

  draw(model: SwarmViewModel): void {
    const current = new Map<string, ViewTask[]>();
    for (const t of model.tasks) {
      if (t.history) continue;
      let list = current.get(t.service);
      if (!list) current.set(t.service, (list = []));
      list.push(t);
    }
    // Swarm Lab's services first (the learner's own come after, greyed).
    const services = [...model.services].sort((a, b) => Number(b.ours) - Number(a.ours));
    const order: HTMLLIElement[] = [];
    for (const s of services) {
      let item = this.items.get(s.id);
      if (!item) {
        const li = document.createElement('li');
        li.className = 'sv-service';
        this.items.set(s.id, (item = { li, shown: '' }));
      }
      const update = this.updateText(s, current.get(s.id) ?? []);
      const shown = `${s.name}|${s.mode}|${s.replicas}|${s.image}|${s.ours}|${update}`;
      if (shown !== item.shown) {
        item.shown = shown;
        this.fillItem(item.li, s, update);
      }
      order.push(item.li);
    }
    for (const [id, item] of this.items) if (!model.services.some((s) => s.id === id)) this.items.delete(id);
    placeInOrder(this.el, order);
    this.el.hidden = services.length === 0;
  }

  /** The update status in words: updating n/N (tasks running the service's image / desired), paused with Docker's message, ... */
  private updateText(s: ViewService, tasks: readonly ViewTask[]): string {
    const u = s.update;
    if (!u) return '';
    const t = this.strings;
    const done = tasks.filter((x) => x.image === s.image && x.state === 'running' && x.desired === 'running').length;
    const params = { done, total: s.desired, message: u.message };
    return t.has(`update.${u.state}`) ? t.t(`update.${u.state}`, params) : `${u.state}: ${u.message}`;
  }

  private fillItem(li: HTMLLIElement, s: ViewService, update: string): void {
    const t = this.strings;
    li.dataset.service = s.name;
    li.classList.toggle('sv-service--foreign', !s.ours);
    const name = document.createElement('span');
    name.className = 'sv-service-name';
    name.textContent = s.name;
    const facts = document.createElement('span');
    facts.className = 'sv-service-facts';
    facts.textContent = t.t('services.facts', { mode: s.mode, replicas: s.replicas });
    const image = document.createElement('span');
    image.className = 'sv-service-image';
    image.dataset.color = String(colorOf(s.image));
    image.textContent = s.image;
    const parts: HTMLElement[] = [name, facts, image];
    if (update !== '') {
      const u = document.createElement('span');
      u.className = 'sv-service-update';
      u.dataset.update = s.update?.state ?? '';
      u.textContent = update;
      parts.push(u);
    }
    if (!s.ours) {
      const f = document.createElement('span');
      f.className = 'sv-service-foreign';
      f.textContent = t.t('services.foreign');
      parts.push(f);
    }
    li.replaceChildren(...parts);
  }
}
