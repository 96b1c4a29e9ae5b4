// The swarm view's reads on a real swarm: the one place local mode reads anything of services
// Swarm Lab did not create, and what it keeps of them. Everything else on the server (the
// terminal's GuardedApi) reads Swarm Lab's labelled services only; the view must also draw the
// learner's own tasks (issue 16: "they show, greyed, as not Swarm Lab's"), so it reads them here
// and projects each to the few fields a greyed chip needs the moment the daemon answers.
//
// The Engine calls, all GETs through the first manager's connection, nothing else ever:
//   GET /nodes                                      every node (what `docker node ls` shows in local mode too)
//   GET /services?filters={label:[managed]}&status  Swarm Lab's services only, as the guard lists them
//   GET /tasks?filters={service:[their IDs]}        Swarm Lab's tasks with their history (skipped without services)
//   GET /tasks?filters={desired-state:[running]}    the live tasks, for the other services' chips
// The last one is the only read of the learner's own objects. It asks for live tasks only, so
// their history (most of a big swarm's task list: swarm keeps 5 per slot) is never even read.
//
// What a task of a service that is not Swarm Lab's keeps (ForeignTask): the node it is on, its
// desired and current state, and an ID that is a keyed hash of the real one (stable, so the
// page can animate it; useless outside this server). Never its env, labels, mounts, secrets,
// configs, command, spec, error text, exit code, timestamps, and not its service's name, image
// or ID either. Why not even the name and image, which the view shows for Swarm Lab's tasks:
//  - the terminal does not show them: in local mode `docker service ls/ps/inspect` see only
//    Swarm Lab's services, so a view that named the learner's services would say more than the
//    terminal beside it, and widen what local mode reveals by the back door;
//  - the page is the weakest place the data goes (local-mode-security.md, A4: script injected
//    into the tutorial's origin reads every frame); names and image references of the learner's
//    own workloads (`registry.corp.example:5000/payments/api:2024-06`) tell such a script about
//    private registries, projects and versions;
//  - the lesson does not need them: a grey chip says "this node also runs a task of yours",
//    which is all that explains where the scheduler put the lesson's tasks.
// So the model carries, for such a task: node, desired, state, ours:false, and an opaque id;
// name, image, service and error are empty, slot and since 0. The services strip lists Swarm
// Lab's services only. The errors of a task are left out too: the scheduler's and the
// daemon's messages quote constraints, images, mounts and paths.
//
// Bounded: at most MAX_FOREIGN_TASKS of those chips and MAX_VIEW_NODES nodes go into a model
// (the rest are counted in `omitted`), Swarm Lab's own are capped by the guard (5 services,
// 20 replicas, 5 tasks of history per slot). The reads themselves cannot be capped (the
// Engine API has no limit parameter), so view-feed.ts reads a big swarm less often.
import { createHmac, randomBytes } from 'node:crypto';
import type { SwarmApi } from '../../api/swarm-api.js';
import { isApiError } from '../../api/swarm-api.js';
import type { Node, Service, Task } from '../../api/types.js';
import { naturalCompare } from '../../cli/format/natural-sort.js';
import { deriveSwarmView } from '../../view/derive.js';
import type { SwarmViewModel } from '../../view/model.js';
import { isManaged, MANAGED_LABEL } from './guard.js';

/** Chips of tasks not Swarm Lab's in one model, at most; the rest are counted. */
export const MAX_FOREIGN_TASKS = 300;
/** Nodes in one model, at most (those running Swarm Lab's tasks and the shell's are always in). */
export const MAX_VIEW_NODES = 200;

/** The SwarmApi methods the view may call: the security tests hold the view to these. */
export const VIEW_READ_METHODS = ['nodeList', 'serviceList', 'taskList'] as const;

/** What the caps left out of a model. */
export interface ViewOmitted {
  nodes: number;
  /** Live tasks of services not Swarm Lab's. */
  tasks: number;
}

export interface ViewRead {
  model: SwarmViewModel;
  omitted: ViewOmitted;
  /** Objects the daemon sent (nodes, services, tasks): what the read cost it (view-feed.ts paces on it). */
  read: number;
}

/** Replaces an ID of the learner's by a keyed hash: stable for this server's life, not reversible. */
export type Pseudonym = (id: string) => string;

/** A new pseudonym function with a random key (one per local server). */
export function newPseudonym(): Pseudonym {
  const key = randomBytes(32);
  return (id) => createHmac('sha256', key).update(id).digest('hex').slice(0, 25);
}

/**
 * All that is kept of a task whose service is not Swarm Lab's (the daemon's answer is dropped
 * right after this). The service ID and slot are kept as pseudonyms only long enough for the
 * derivation to tell a slot's tasks apart; the model never carries them (scrub()).
 */
function foreignTask(t: Task, pseudonym: Pseudonym): Task {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return {
    ID: pseudonym(text(t.ID)),
    ServiceID: pseudonym(`service:${text(t.ServiceID)}`),
    Slot: typeof t.Slot === 'number' && Number.isFinite(t.Slot) ? t.Slot : 0,
    NodeID: text(t.NodeID),
    DesiredState: text(t.DesiredState),
    // Only orders two tasks of one slot (the newer is the chip); not in the model.
    CreatedAt: text(t.CreatedAt),
    Status: { State: text(t.Status?.State) },
  } as unknown as Task;
}

/** A stand-in for a service that is not Swarm Lab's: no label, so the model marks its tasks ours:false. */
const standIn = (id: string): Service => ({ ID: id, Spec: { Name: id, Labels: {} } }) as unknown as Service;

export interface ReadViewListsOptions {
  pseudonym: Pseudonym;
  /** Hostname of the machine the terminal's shell is on. */
  self?: string;
  now: number;
  /** Include the tasks `docker service ps` prints under ` \_ ` (Swarm Lab's only: the others' are never read). */
  history: boolean;
}

/**
 * Reads the swarm through `api` (the first manager's own connection: the guard's view of the
 * swarm hides the other services' tasks, which the view must draw) with the calls listed above
 * and nothing else, and derives the model (engine/view/derive.ts).
 */
export async function readViewLists(api: SwarmApi, opts: ReadViewListsOptions): Promise<ViewRead> {
  const nodes = await api.nodeList();
  let services: Service[] = [];
  let ourTasks: Task[] = [];
  for (let attempt = 1; ; attempt++) {
    services = (await api.serviceList({ filters: { label: [MANAGED_LABEL] }, status: true })).filter(isManaged);
    const ids = new Set(services.map((s) => s.ID));
    try {
      ourTasks = ids.size > 0 ? (await api.taskList({ service: [...ids] })).filter((t) => ids.has(t.ServiceID)) : [];
      break;
    } catch (e) {
      // A service removed between the two lists (`docker service rm` while the view reads):
      // the daemon answers 404 for the filter; the lists are read again, once.
      if (attempt > 1 || !isApiError(e) || e.statusCode !== 404) throw e;
    }
  }
  const ours = new Set(services.map((s) => s.ID));
  const live = await api.taskList({ 'desired-state': ['running'] });

  // Project before anything else looks at them.
  let theirs: Task[] = [];
  for (const t of live) if (!ours.has(t.ServiceID)) theirs.push(foreignTask(t, opts.pseudonym));
  const omitted: ViewOmitted = { nodes: 0, tasks: 0 };

  // Nodes: those running Swarm Lab's tasks and the shell's first, then the rest by name.
  let kept = nodes.filter((n) => typeof n === 'object' && n !== null);
  if (kept.length > MAX_VIEW_NODES) {
    const needed = new Set(ourTasks.map((t) => t.NodeID ?? ''));
    const first = (n: Node): number => (needed.has(n.ID) || n.Description?.Hostname === opts.self ? 0 : 1);
    kept = [...kept].sort((a, b) => first(a) - first(b) || naturalCompare(a.Description?.Hostname ?? '', b.Description?.Hostname ?? '')).slice(0, MAX_VIEW_NODES);
    omitted.nodes = nodes.length - kept.length;
    const ids = new Set(kept.map((n) => n.ID));
    const before = theirs.length;
    theirs = theirs.filter((t) => t.NodeID === '' || ids.has(t.NodeID ?? ''));
    omitted.tasks += before - theirs.length;
  }
  if (theirs.length > MAX_FOREIGN_TASKS) {
    omitted.tasks += theirs.length - MAX_FOREIGN_TASKS;
    theirs = theirs.slice(0, MAX_FOREIGN_TASKS);
  }

  const model = deriveSwarmView({
    nodes: kept,
    services: [...services, ...[...new Set(theirs.map((t) => t.ServiceID))].map(standIn)],
    tasks: [...ourTasks, ...theirs],
    ...(opts.self !== undefined ? { self: opts.self } : {}),
    now: opts.now,
    ours: isManaged,
    history: opts.history,
  });
  return { model: scrub(model), omitted, read: nodes.length + services.length + ourTasks.length + live.length };
}

/**
 * The model as it may leave the server: the stand-in services out of the strip, the tasks of
 * services not Swarm Lab's reduced to node, states and their opaque id, and put after Swarm
 * Lab's (which keep `docker service ps`'s order).
 */
function scrub(model: SwarmViewModel): SwarmViewModel {
  const ours = model.tasks.filter((t) => t.ours);
  const theirs = model.tasks
    .filter((t) => !t.ours)
    .map((t) => ({ id: t.id, name: '', service: '', slot: 0, node: t.node, image: '', desired: t.desired, state: t.state, since: 0, err: '', error: '', history: t.history, ours: false as const }));
  return { ...model, services: model.services.filter((s) => s.ours), tasks: [...ours, ...theirs] };
}
