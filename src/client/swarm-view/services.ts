// The strip of services: name, mode, running/desired replicas and image as `docker service ls`
// prints them, and the update status `docker service inspect --pretty` shows (updating n/N,
// paused with its message, completed, rollback_*). A service Swarm Lab did not create (local
// mode, the learner's own) is greyed and says so.
import type { SwarmViewModel, ViewService, ViewTask } from '../../../engine/view/model.js';
import { placeInOrder } from './board.js';
import { colorOf } from './colors.js';
import type { ViewStrings } from './strings.js';

interface Item {
  li: HTMLLIElement;
  name: HTMLSpanElement;
  facts: HTMLSpanElement;
  image: HTMLSpanElement;
  update: HTMLSpanElement;
  foreign: HTMLSpanElement;
  shown: string;
}

function newItem(): Item {
  const li = document.createElement('li');
  li.className = 'sv-service';
  const span = (cls: string): HTMLSpanElement => {
    const el = document.createElement('span');
    el.className = cls;
    return el;
  };
  const item = { li, name: span('sv-service-name'), facts: span('sv-service-facts'), image: span('sv-service-image'), update: span('sv-service-update'), foreign: span('sv-service-foreign'), shown: '' };
  li.append(item.name, item.facts, item.image, item.update, item.foreign);
  return item;
}

export class ServicesStrip {
  readonly el: HTMLUListElement;
  private readonly items = new Map<string, Item>();

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
      if (!item) this.items.set(s.id, (item = newItem()));
      const update = this.updateText(s, current.get(s.id) ?? []);
      // Only what changed is written: during an update its count changes with every model.
      const facts = `${s.name}|${s.mode}|${s.replicas}|${s.image}|${s.ours}|${s.update?.state ?? ''}`;
      if (facts !== item.shown) {
        item.shown = facts;
        this.fillItem(item, s);
      }
      if (item.update.textContent !== update) item.update.textContent = update;
      item.update.hidden = update === '';
      order.push(item.li);
    }
    for (const id of this.items.keys()) if (!model.services.some((s) => s.id === id)) this.items.delete(id);
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

  private fillItem(item: Item, s: ViewService): void {
    const t = this.strings;
    item.li.dataset.service = s.name;
    item.li.classList.toggle('sv-service--foreign', !s.ours);
    item.name.textContent = s.name;
    item.facts.textContent = t.t('services.facts', { mode: s.mode, replicas: s.replicas });
    item.image.dataset.color = String(colorOf(s.image));
    item.image.textContent = s.image;
    item.update.dataset.update = s.update?.state ?? '';
    item.foreign.textContent = s.ours ? '' : t.t('services.foreign');
    item.foreign.hidden = s.ours;
  }
}
