// Failures a learner injects into the simulated swarm (the shell's `lab` builtin): a node's
// dockerd stopped or started again, a task's container killed. These act on the machines,
// as `systemctl stop docker` or `docker kill` would; what the swarm then does is up to its
// controllers (dispatcher, raft, orchestrator, agent). An injection is planned first — its
// target resolved to a hostname or a task ID, refused when it would change nothing — then
// applied; the session records the applied one in the swarm's recipe (engine/journal.ts),
// so a replay applies the very same one at the same virtual time.
import type { TaskRecord } from './model.js';
import { isTerminal } from './model.js';
import { taskName } from './names.js';
import type { Simulator } from './simulator.js';

export const INJECTION_KINDS = ['node-stop', 'node-start', 'task-kill'] as const;
export type InjectionKind = (typeof INJECTION_KINDS)[number];

/** A resolved injection: a hostname (node-stop, node-start) or a task ID (task-kill). */
export interface Injection {
  kind: InjectionKind;
  target: string;
}

/** Why an injection was not made (the shell words it, engine/shell/text.ts). */
export type InjectionRefusal =
  | { reason: 'no-such-node'; ref: string }
  | { reason: 'ambiguous-node'; ref: string; count: number }
  | { reason: 'already-stopped'; host: string }
  | { reason: 'already-running'; host: string }
  | { reason: 'no-such-task'; ref: string }
  | { reason: 'ambiguous-task'; ref: string; count: number }
  | { reason: 'not-running'; task: string; state: string }
  | { reason: 'daemon-stopped'; task: string; host: string };

/** What an applied injection was, for the shell to say. */
export interface InjectionDone {
  kind: InjectionKind;
  /** The machine it acted on. */
  host: string;
  /** task-kill: the task as `docker service ps` names it, and its ID. */
  task?: { name: string; id: string };
  /** node-start: how long (ms of swarm time) until the daemon answers, which the builtin waits for. */
  answersIn?: number;
}

export type InjectionPlan = { injection: Injection; done: InjectionDone } | { refused: InjectionRefusal };

/** Resolves what the learner typed (`worker1`, a node ID or prefix; `redis.2`, a task ID or prefix). */
export function planInjection(sim: Simulator, kind: InjectionKind, ref: string): InjectionPlan {
  if (kind === 'task-kill') {
    const found = findTask(sim, ref);
    if ('refused' in found) return found;
    const t = found.task;
    const name = taskName(t, sim.cluster);
    const node = sim.cluster.nodes.get(t.nodeId);
    if (node && node.machine.daemon !== 'running') return { refused: { reason: 'daemon-stopped', task: name, host: node.hostname } };
    if (!node || t.state !== 'running') return { refused: { reason: 'not-running', task: name, state: t.state } };
    return { injection: { kind, target: t.id }, done: { kind, host: node.hostname, task: { name, id: t.id } } };
  }
  const host = findHost(sim, ref);
  if (typeof host !== 'string') return host;
  // A daemon still starting counts as running: it can be stopped, not started again.
  const stopped = sim.cluster.machines.get(host)!.daemon === 'stopped';
  if (kind === 'node-stop' && stopped) return { refused: { reason: 'already-stopped', host } };
  if (kind === 'node-start' && !stopped) return { refused: { reason: 'already-running', host } };
  return { injection: { kind, target: host }, done: { kind, host } };
}

/**
 * Makes an injection. False when it cannot be made (a replayed recipe that does not fit this
 * swarm, or one read back from tampered storage): nothing is changed then.
 */
export function applyInjection(sim: Simulator, inj: Injection): boolean {
  switch (inj.kind) {
    case 'node-stop':
      return sim.stopDaemon(inj.target);
    case 'node-start':
      return sim.startDaemon(inj.target) !== undefined;
    case 'task-kill': {
      const t = sim.cluster.tasks.get(inj.target);
      const machine = t && sim.cluster.nodes.get(t.nodeId)?.machine;
      if (!t || !machine || machine.daemon !== 'running' || t.state !== 'running') return false;
      sim.killTask(t);
      return true;
    }
    default:
      return false;
  }
}

/** A machine by hostname, or a swarm node by ID or unique ID prefix (as `docker node` takes them). */
function findHost(sim: Simulator, ref: string): string | { refused: InjectionRefusal } {
  if (sim.cluster.machines.has(ref)) return ref;
  const nodes = ref ? [...sim.cluster.nodes.values()].filter((n) => n.id.startsWith(ref)) : [];
  const exact = nodes.find((n) => n.id === ref);
  if (exact) return exact.hostname;
  if (nodes.length === 1) return nodes[0]!.hostname;
  if (nodes.length > 1) return { refused: { reason: 'ambiguous-node', ref, count: nodes.length } };
  return { refused: { reason: 'no-such-node', ref } };
}

/**
 * A task by ID, unique ID prefix, or by its name in `docker service ps` (`redis.2`,
 * `web.<node ID>`): of the tasks so named, the one whose container runs, else the newest.
 */
function findTask(sim: Simulator, ref: string): { task: TaskRecord } | { refused: InjectionRefusal } {
  const tasks = sim.cluster.tasks;
  const exact = tasks.get(ref);
  if (exact) return { task: exact };
  const named: TaskRecord[] = [];
  const dot = ref.lastIndexOf('.');
  if (dot > 0) {
    const service = [...sim.cluster.services.values()].find((s) => s.spec.Name === ref.slice(0, dot));
    if (service) for (const t of sim.cluster.tasksOf(service.id)) if (taskName(t, sim.cluster) === ref) named.push(t);
  }
  if (named.length > 0) {
    const live = named.filter((t) => !isTerminal(t) && t.state === 'running');
    const pick = (live.length > 0 ? live : named).reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
    return { task: pick };
  }
  const prefixed = ref ? [...tasks.values()].filter((t) => t.id.startsWith(ref)) : [];
  if (prefixed.length === 1) return { task: prefixed[0]! };
  if (prefixed.length > 1) return { refused: { reason: 'ambiguous-task', ref, count: prefixed.length } };
  return { refused: { reason: 'no-such-task', ref } };
}
