// What one step of the paused swarm changed, in words: the tasks whose state, desired state or
// node moved, and the nodes whose status or availability did, named as `docker service ps`
// and `docker node ls` name them. Taken from the store before and after the step.
import type { Simulator } from './sim/simulator.js';
import { taskName } from './sim/names.js';

export interface StepChange {
  /** `redis.2`, or a node's hostname. */
  name: string;
  /** The node a task is on (empty while pending, and for a node). */
  node: string;
  /** The state before ('' for a task the step created) and after. */
  from: string;
  to: string;
  /** A task's desired state, when the step changed it. */
  desired?: string;
}

interface Fact {
  state: string;
  desired: string;
  node: string;
}

export type Observed = Map<string, Fact>;

/** The facts a step may change, per task and node. */
export function observe(sim: Simulator): Observed {
  const seen: Observed = new Map();
  for (const t of sim.cluster.tasks.values()) seen.set(t.id, { state: t.state, desired: t.desired, node: t.nodeId });
  for (const n of sim.cluster.nodes.values()) seen.set(n.id, { state: `${n.state}, ${n.availability}`, desired: '', node: '' });
  return seen;
}

/** What differs between `before` (from observe) and the store now: nodes first, then tasks. */
export function changesSince(sim: Simulator, before: Observed): StepChange[] {
  const out: StepChange[] = [];
  for (const n of sim.cluster.nodes.values()) {
    const now = `${n.state}, ${n.availability}`;
    const was = before.get(n.id);
    if (was && was.state !== now) out.push({ name: n.hostname, node: '', from: was.state, to: now });
  }
  for (const t of sim.cluster.tasks.values()) {
    const was = before.get(t.id);
    if (was && was.state === t.state && was.desired === t.desired && was.node === t.nodeId) continue;
    out.push({
      name: taskName(t, sim.cluster),
      node: sim.cluster.nodes.get(t.nodeId)?.hostname ?? '',
      from: was?.state ?? '',
      to: t.state,
      ...(was?.desired !== t.desired ? { desired: t.desired } : {}),
    });
  }
  return out;
}
