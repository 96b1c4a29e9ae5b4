// Property tests: random command sequences on random topologies must keep the swarm's
// invariants, never let a rolling update replace more slots at once than its
// parallelism, and always converge once nodes allow it.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isApiError } from '../engine/api/swarm-api.js';
import type { SwarmApi } from '../engine/api/swarm-api.js';
import { Simulator } from '../engine/sim/simulator.js';
import { InvariantWatcher } from './helpers/invariants.js';
import { running, S, serviceSpec, setAvailability, setImage, tasksOf, updateService } from './helpers/sim.js';

const NAMES = ['alpha', 'beta', 'gamma'] as const;
const GOOD = ['redis:7.4.0', 'redis:7.4.1', 'redis:7.4.2', 'nginx:1.27'];
const IMAGES = [...GOOD, 'redis:9.9.9'];

type Op =
  | { kind: 'create'; name: string; replicas: number; global: boolean; parallelism: number; delay: number; order: 'stop-first' | 'start-first'; action: 'pause' | 'continue' | 'rollback'; image: string }
  | { kind: 'image'; name: string; image: string }
  | { kind: 'scale'; name: string; replicas: number }
  | { kind: 'rollback'; name: string }
  | { kind: 'rm'; name: string }
  | { kind: 'availability'; node: number; availability: 'active' | 'pause' | 'drain' }
  | { kind: 'nodeState'; node: number; state: 'ready' | 'down' }
  | { kind: 'advance'; ms: number };

const name = fc.constantFrom(...NAMES);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    name,
    replicas: fc.integer({ min: 0, max: 8 }),
    global: fc.boolean(),
    parallelism: fc.integer({ min: 0, max: 3 }),
    delay: fc.integer({ min: 0, max: 12 }),
    order: fc.constantFrom('stop-first' as const, 'start-first' as const),
    action: fc.constantFrom('pause' as const, 'continue' as const, 'rollback' as const),
    image: fc.constantFrom(...IMAGES),
  }),
  fc.record({ kind: fc.constant('image' as const), name, image: fc.constantFrom(...IMAGES) }),
  fc.record({ kind: fc.constant('scale' as const), name, replicas: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ kind: fc.constant('rollback' as const), name }),
  fc.record({ kind: fc.constant('rm' as const), name }),
  fc.record({ kind: fc.constant('availability' as const), node: fc.nat(9), availability: fc.constantFrom('active' as const, 'pause' as const, 'drain' as const) }),
  fc.record({ kind: fc.constant('nodeState' as const), node: fc.nat(9), state: fc.constantFrom('ready' as const, 'down' as const) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 30_000 }) }),
);
const topology = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 5 })).map(([m, w]) => `${m}m${w}w`);

async function apply(sim: Simulator, api: SwarmApi, o: Op, watch: () => void): Promise<void> {
  const hosts = sim.hostnames();
  try {
    switch (o.kind) {
      case 'create':
        await api.serviceCreate(
          serviceSpec(o.name, { image: o.image, replicas: o.replicas, global: o.global, update: { Parallelism: o.parallelism, Delay: o.delay * S, Order: o.order, FailureAction: o.action } }),
        );
        return;
      case 'image':
        await setImage(api, o.name, o.image);
        return;
      case 'scale':
        await updateService(api, o.name, (spec) => {
          if (spec.Mode.Replicated) spec.Mode.Replicated.Replicas = o.replicas;
        });
        return;
      case 'rollback': {
        const s = await api.serviceInspect(o.name);
        await api.serviceUpdate(s.ID, s.Version.Index, s.Spec, { rollback: 'previous' });
        return;
      }
      case 'rm':
        await api.serviceDelete(o.name);
        return;
      case 'availability':
        await setAvailability(api, hosts[o.node % hosts.length]!, o.availability);
        return;
      case 'nodeState': {
        const host = hosts[o.node % hosts.length]!;
        // The leader's daemon serves the API in these tests, so it stays up.
        if (host !== hosts[0]) sim.setNodeState(host, o.state);
        return;
      }
      case 'advance':
        for (let t = 0; t < o.ms; t += 250) {
          sim.clock.advance(Math.min(250, o.ms - t));
          watch();
        }
        return;
    }
  } catch (e) {
    // Refusals (no such service, name conflict, no previous spec...) are part of the game.
    if (!isApiError(e)) throw e;
  }
}

describe('simulated swarm properties', () => {
  test('invariants hold over random command sequences and topologies, and replicas converge when nodes allow', async () => {
    await fc.assert(
      fc.asyncProperty(topology, fc.array(op, { minLength: 1, maxLength: 25 }), fc.nat(1000), async (topo, ops, seed) => {
        const sim = new Simulator({ seed, topology: topo });
        const api = sim.api(sim.hostnames()[0]!);
        const watcher = new InvariantWatcher(sim);
        const problems: string[] = [];
        const watch = (): void => void problems.push(...watcher.check());
        for (const o of ops) {
          await apply(sim, api, o, watch);
          watch();
          expect(problems).toEqual([]);
        }
        // Let every node take work again, move every service to a good image, and wait.
        for (const h of sim.hostnames()) {
          sim.setNodeState(h, 'ready');
          await setAvailability(api, h, 'active');
        }
        const services = await api.serviceList();
        for (const s of services) await setImage(api, s.Spec.Name, 'redis:7.4.1');
        for (let t = 0; t < 600_000; t += 1000) {
          sim.clock.advance(1000);
          watch();
        }
        expect(problems).toEqual([]);
        const nodes = (await api.nodeList()).length;
        for (const s of services) {
          const tasks = running(await tasksOf(api, s.Spec.Name));
          const want = s.Spec.Mode.Global ? nodes : s.Spec.Mode.Replicated!.Replicas!;
          expect({ service: s.Spec.Name, running: tasks.length }).toEqual({ service: s.Spec.Name, running: want });
          expect(new Set(tasks.map((t) => t.Spec.ContainerSpec.Image.split('@')[0]))).toEqual(new Set(want > 0 ? ['redis:7.4.1'] : []));
          const status = (await api.serviceInspect(s.ID)).UpdateStatus?.State;
          expect(status === undefined || status === 'completed').toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  test('a rolling update never has more than `parallelism` slots in flight', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          replicas: fc.integer({ min: 1, max: 12 }),
          parallelism: fc.integer({ min: 1, max: 4 }),
          delay: fc.integer({ min: 0, max: 5 }),
          order: fc.constantFrom('stop-first' as const, 'start-first' as const),
          images: fc.array(fc.constantFrom(...GOOD), { minLength: 1, maxLength: 3 }),
          gapMs: fc.integer({ min: 0, max: 20_000 }),
          seed: fc.nat(1000),
        }),
        async ({ replicas, parallelism, delay, order, images, gapMs, seed }) => {
          const sim = new Simulator({ seed, topology: '1m3w' });
          const api = sim.api('manager1');
          await api.serviceCreate(serviceSpec('svc', { replicas, update: { Parallelism: parallelism, Delay: delay * S, Order: order } }));
          sim.clock.advance(5000);
          let maxInFlight = 0;
          for (const image of images) {
            await setImage(api, 'svc', image);
            for (let t = 0; t < gapMs + 1; t += 100) {
              sim.clock.advance(100);
              const spec = (await api.serviceInspect('svc')).Spec.TaskTemplate.ContainerSpec.Image;
              const tasks = await tasksOf(api, 'svc');
              // A slot is in flight while its up-to-date task is created but not running yet.
              const inFlight = new Set(
                tasks
                  .filter((x) => x.Spec.ContainerSpec.Image === spec && x.DesiredState !== 'shutdown' && x.DesiredState !== 'remove')
                  .filter((x) => x.Status.State !== 'running')
                  .map((x) => x.Slot),
              );
              maxInFlight = Math.max(maxInFlight, inFlight.size);
            }
          }
          expect(maxInFlight).toBeLessThanOrEqual(parallelism);
        },
      ),
      { numRuns: 40 },
    );
  });
});
