// A large rolling update driven through the daemon API only (no CLI): create a replicated
// service, let it converge, change its image, and advance the virtual clock until the
// service's UpdateStatus says completed.
import type { SwarmApi } from '../../engine/api/swarm-api.js';
import type { ServiceSpec } from '../../engine/api/types.js';
import { NS_PER_MS } from '../../engine/api/types.js';
import { Simulator } from '../../engine/sim/simulator.js';

export interface RollingCase {
  replicas: number;
  /** Topology spec, e.g. "10m90w". */
  topology: string;
  parallelism: number;
  delayMs: number;
}

export const IMAGES = ['redis:7.4.0', 'redis:7.4.1', 'redis:7.4.2'] as const;

/**
 * How far the clock moves between two looks at UpdateStatus (virtual ms). A look is a full
 * service inspect (a deep copy of the spec), so looking every simulated second would bill
 * the harness ~1,200 inspects per update; the delay between batches is a natural grain.
 */
const POLL_MS = 10_000;
/** Virtual-time safety net: no update in these cases should take a simulated day. */
const GIVE_UP_MS = 24 * 3600 * 1000;

export interface Swarm {
  sim: Simulator;
  api: SwarmApi;
  serviceId: string;
}

export function newSwarm(c: RollingCase, seed = 1): Simulator {
  return new Simulator({ seed, topology: c.topology });
}

function serviceSpec(c: RollingCase, image: string): ServiceSpec {
  return {
    Name: 'web',
    Labels: {},
    TaskTemplate: { ContainerSpec: { Image: image }, ForceUpdate: 0 },
    Mode: { Replicated: { Replicas: c.replicas } },
    UpdateConfig: {
      Parallelism: c.parallelism,
      Delay: c.delayMs * NS_PER_MS,
      FailureAction: 'pause',
      Monitor: 5000 * NS_PER_MS,
      MaxFailureRatio: 0,
      Order: 'stop-first',
    },
  };
}

/** Creates the service and runs the clock until every task is running and nothing is due. */
export async function createAndConverge(sim: Simulator, c: RollingCase): Promise<Swarm> {
  const api = sim.api(sim.hostnames()[0]!);
  const { ID } = await api.serviceCreate(serviceSpec(c, IMAGES[0]));
  if (!sim.clock.runToIdle(GIVE_UP_MS)) throw new Error('service did not converge');
  // `docker service ls`'s REPLICAS column: one call, no per-task views.
  const [listed] = await api.serviceList({ filters: { id: [ID] }, status: true });
  const running = listed?.ServiceStatus?.RunningTasks ?? 0;
  if (running !== c.replicas) throw new Error(`converged with ${running} of ${c.replicas} tasks running`);
  return { sim, api, serviceId: ID };
}

/**
 * Updates the image and advances the clock until UpdateStatus.State is completed. Returns
 * the update's virtual duration, from UpdateStatus (CompletedAt - StartedAt) in ms.
 */
export async function updateToCompletion(s: Swarm, image: string): Promise<number> {
  const before = await s.api.serviceInspect(s.serviceId);
  const spec: ServiceSpec = { ...before.Spec, TaskTemplate: { ...before.Spec.TaskTemplate, ContainerSpec: { ...before.Spec.TaskTemplate.ContainerSpec, Image: image } } };
  await s.api.serviceUpdate(s.serviceId, before.Version.Index, spec);
  const start = s.sim.clock.now;
  for (;;) {
    s.sim.clock.advance(POLL_MS);
    const status = (await s.api.serviceInspect(s.serviceId)).UpdateStatus;
    const state = status?.State;
    if (state === 'completed') return Date.parse(status!.CompletedAt!) - Date.parse(status!.StartedAt);
    if (state !== undefined && state !== 'updating') throw new Error(`update ended in state ${state}`);
    if (s.sim.clock.now - start > GIVE_UP_MS) throw new Error('update did not complete in a simulated day');
  }
}
