// Test helpers: drive a simulated swarm through its Engine-API-shaped interface.
import type { SwarmApi } from '../../engine/api/swarm-api.js';
import type { ServiceSpec, Task, UpdateConfig } from '../../engine/api/types.js';
import { NS_PER_SECOND } from '../../engine/api/types.js';
import type { SimulatorOptions } from '../../engine/sim/simulator.js';
import { Simulator } from '../../engine/sim/simulator.js';

export const S = NS_PER_SECOND;

export function newSwarm(opts: SimulatorOptions = {}): { sim: Simulator; api: SwarmApi } {
  const sim = new Simulator({ seed: 42, ...opts });
  return { sim, api: sim.api(sim.hostnames()[0]!) };
}

export function serviceSpec(
  name: string,
  opts: { image?: string; replicas?: number; global?: boolean; update?: Partial<UpdateConfig>; rollback?: Partial<UpdateConfig>; command?: string[] } = {},
): ServiceSpec {
  const base: UpdateConfig = { Parallelism: 1, FailureAction: 'pause', Monitor: 5 * S, MaxFailureRatio: 0, Order: 'stop-first' };
  return {
    Name: name,
    Labels: {},
    TaskTemplate: {
      ContainerSpec: { Image: opts.image ?? 'redis:7.4.0', ...(opts.command ? { Command: opts.command } : {}) },
      ForceUpdate: 0,
    },
    Mode: opts.global ? { Global: {} } : { Replicated: { Replicas: opts.replicas ?? 3 } },
    UpdateConfig: { ...base, ...opts.update },
    RollbackConfig: { ...base, ...opts.rollback },
  };
}

/** Updates a service through the API the way the CLI does: inspect, change, send with the version. */
export async function updateService(api: SwarmApi, name: string, change: (spec: ServiceSpec) => void): Promise<void> {
  const s = await api.serviceInspect(name);
  const spec = structuredClone(s.Spec);
  change(spec);
  await api.serviceUpdate(s.ID, s.Version.Index, spec);
}

export async function setImage(api: SwarmApi, name: string, image: string): Promise<void> {
  await updateService(api, name, (spec) => {
    spec.TaskTemplate.ContainerSpec.Image = image;
  });
}

export async function rollback(api: SwarmApi, name: string): Promise<void> {
  const s = await api.serviceInspect(name);
  await api.serviceUpdate(s.ID, s.Version.Index, s.Spec, { rollback: 'previous' });
}

export async function tasksOf(api: SwarmApi, name: string): Promise<Task[]> {
  return api.taskList({ service: [name] });
}

export async function hostOf(api: SwarmApi): Promise<(t: Task) => string> {
  const nodes = new Map((await api.nodeList()).map((n) => [n.ID, n.Description.Hostname]));
  return (t) => nodes.get(t.NodeID ?? '') ?? '';
}

export const running = (tasks: Task[]): Task[] => tasks.filter((t) => t.DesiredState === 'running' && t.Status.State === 'running');

/** Advances simulated time in small steps, calling `check` after each. */
export function step(sim: Simulator, totalMs: number, everyMs: number, check: () => void): void {
  for (let t = 0; t < totalMs; t += everyMs) {
    sim.clock.advance(everyMs);
    check();
  }
}

export async function setAvailability(api: SwarmApi, hostname: string, availability: 'active' | 'pause' | 'drain'): Promise<void> {
  const n = await api.nodeInspect(hostname);
  await api.nodeUpdate(n.ID, n.Version.Index, { ...n.Spec, Availability: availability });
}
