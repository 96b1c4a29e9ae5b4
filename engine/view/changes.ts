// What changed between two models of the swarm view, as events the page can put into words
// (an i18n key under `view.change.` and its parameters): "redis.2 on worker1 now runs
// redis:7.4.1". Pure, so it runs wherever the models are (the page announces; tests read it).
// It reports what a learner watching the lesson cares about: tasks coming up (and on which
// image), failing or stuck pending, nodes changing availability or status, services created,
// removed, scaled, and each update's state. Shutdowns of old tasks are left out: a rolling
// update's "now runs" already says it, and each would double the chatter.
import { nodeNames } from './names.js';
import type { SwarmViewModel, ViewChange } from './model.js';

/** At most this many events per diff; the rest are counted in one `view.change.more`. */
export const MAX_CHANGES = 50;

const FAILED = new Set(['failed', 'rejected', 'orphaned']);

/** UpdateStatus states that have words of their own (`view.change.update.<state>`). */
export const UPDATE_STATES = ['updating', 'paused', 'completed', 'rollback_started', 'rollback_paused', 'rollback_completed'] as const;

/** Events from `prev` to `next`, oldest kind first (nodes, services, tasks); none without a `prev`. */
export function viewChanges(prev: SwarmViewModel | undefined, next: SwarmViewModel, limit = MAX_CHANGES): ViewChange[] {
  if (!prev) return [];
  const out: ViewChange[] = [];
  const add = (key: string, params: ViewChange['params']): void => void out.push({ key: `view.change.${key}`, params });

  const before = new Map(prev.nodes.map((n) => [n.id, n]));
  const after = new Set(next.nodes.map((n) => n.id));
  for (const n of next.nodes) {
    const p = before.get(n.id);
    if (!p) {
      if (!n.gone) add('nodeJoined', { node: n.hostname });
      continue;
    }
    if (p.availability !== n.availability) add(`availability.${known(n.availability, AVAILABILITIES)}`, { node: n.hostname });
    if (p.status !== n.status) add(`status.${known(n.status, NODE_STATES)}`, { node: n.hostname });
    if (p.managerStatus !== n.managerStatus && n.managerStatus === 'Leader') add('leader', { node: n.hostname });
  }
  for (const p of prev.nodes) if (!after.has(p.id) && !p.gone) add('nodeLeft', { node: p.hostname });

  const servicesBefore = new Map(prev.services.map((s) => [s.id, s]));
  const servicesAfter = new Set(next.services.map((s) => s.id));
  for (const s of next.services) {
    const p = servicesBefore.get(s.id);
    if (!p) {
      add('serviceCreated', { service: s.name, image: s.image, desired: s.desired });
      continue;
    }
    if (p.desired !== s.desired) add('scaled', { service: s.name, desired: s.desired });
    const state = s.update?.state;
    if (state && state !== p.update?.state && (UPDATE_STATES as readonly string[]).includes(state)) {
      add(`update.${state}`, { service: s.name, image: s.image, message: s.update?.message ?? '' });
    }
  }
  for (const p of prev.services) if (!servicesAfter.has(p.id)) add('serviceRemoved', { service: p.name });

  const tasksBefore = new Map(prev.tasks.map((t) => [t.id, t]));
  const nodeOf = nodeNames(next);
  for (const t of next.tasks) {
    const p = tasksBefore.get(t.id);
    if (p && p.state === t.state && p.err === t.err) continue;
    if (t.state === 'running') {
      // A task that replaced one of another image (an update, a rollback) "now runs" it.
      if (t.previousImage !== undefined && !t.history) add('nowRuns', { task: t.name, node: nodeOf(t.node), image: t.image });
      else add('running', { task: t.name, node: nodeOf(t.node), image: t.image });
    } else if (FAILED.has(t.state)) {
      add(`task.${t.state}`, { task: t.name, node: nodeOf(t.node), error: t.err });
    } else if (t.node === '' && t.err !== '' && t.desired === 'running') {
      add('pending', { task: t.name, reason: t.err });
    }
  }
  if (out.length <= limit) return out;
  const more = out.length - (limit - 1);
  return [...out.slice(0, limit - 1), { key: 'view.change.more', params: { count: more } }];
}

export const AVAILABILITIES = ['active', 'pause', 'drain'] as const;
export const NODE_STATES = ['ready', 'down', 'unknown', 'disconnected'] as const;

/** A word as the last part of an i18n key; one the keys do not have (a newer daemon's) is `other`. */
const known = (word: string, words: readonly string[]): string => (words.includes(word) ? word : 'other');
