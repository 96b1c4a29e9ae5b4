// Scheduling, availability and restart behaviour of the simulated swarm (swarmkit §4.5-4.6).
import { describe, expect, test } from 'vitest';
import { hostOf, newSwarm, running, serviceSpec, setAvailability, tasksOf } from './helpers/sim.js';

const countBy = <T>(xs: T[], key: (x: T) => string): Record<string, number> =>
  xs.reduce<Record<string, number>>((m, x) => ((m[key(x)] = (m[key(x)] ?? 0) + 1), m), {});

describe('scheduler', () => {
  test('spreads 3 replicas one per node and 5 replicas 2/2/1', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('three', { replicas: 3 }));
    await api.serviceCreate(serviceSpec('five', { replicas: 5 }));
    sim.clock.advance(5000);
    const host = await hostOf(api);
    const three = running(await tasksOf(api, 'three'));
    expect(three).toHaveLength(3);
    expect(Object.values(countBy(three, host)).sort()).toEqual([1, 1, 1]);
    const five = running(await tasksOf(api, 'five'));
    expect(Object.values(countBy(five, host)).sort()).toEqual([1, 2, 2]);
  });

  test('a new task walks the states in order and is running within ~2 s', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('web', { replicas: 1 }));
    const states: string[] = [];
    for (let t = 0; t < 3000; t += 1) {
      sim.clock.advance(1);
      const [task] = await tasksOf(api, 'web');
      if (task && states[states.length - 1] !== task.Status.State) states.push(task.Status.State);
    }
    expect(states).toEqual(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);
    const [task] = await tasksOf(api, 'web');
    expect(Date.parse(task!.Status.Timestamp) - Date.parse(task!.CreatedAt)).toBeLessThan(2000);
  });

  test('drain moves tasks off the node with no restart delay; active does not move them back', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('redis', { replicas: 3 }));
    sim.clock.advance(5000);
    const host = await hostOf(api);
    await setAvailability(api, 'worker1', 'drain');
    sim.clock.advance(3500);
    const tasks = await tasksOf(api, 'redis');
    const live = running(tasks);
    expect(live).toHaveLength(3);
    expect(live.map(host)).not.toContain('worker1');
    const old = tasks.find((t) => host(t) === 'worker1')!;
    expect(old.DesiredState).toBe('shutdown');
    expect(old.Status.State).toBe('shutdown');
    // The replacement took its slot.
    expect(live.some((t) => t.Slot === old.Slot)).toBe(true);
    await setAvailability(api, 'worker1', 'active');
    sim.clock.advance(60_000);
    expect(running(await tasksOf(api, 'redis')).map(host)).not.toContain('worker1');
    const node = await api.nodeInspect('worker1');
    expect(node.Spec.Availability).toBe('active');
  });

  test('with every node drained, tasks wait in Pending with swarmkit\'s reason, and start when a node comes back', async () => {
    const { sim, api } = newSwarm({ topology: 'manager1' });
    await api.serviceCreate(serviceSpec('redis', { replicas: 3 }));
    sim.clock.advance(5000);
    await setAvailability(api, 'manager1', 'drain');
    sim.clock.advance(5000);
    const pending = (await tasksOf(api, 'redis')).filter((t) => t.DesiredState !== 'shutdown');
    expect(pending).toHaveLength(3);
    for (const t of pending) {
      expect(t.Status.State).toBe('pending');
      expect(t.Status.Err).toBe('no suitable node (1 node not available for new tasks)');
    }
    const [svc] = await api.serviceList({ status: true });
    expect(svc!.ServiceStatus).toMatchObject({ RunningTasks: 0, DesiredTasks: 3 });
    await setAvailability(api, 'manager1', 'active');
    sim.clock.advance(3000);
    expect(running(await tasksOf(api, 'redis'))).toHaveLength(3);
  });

  test('pause keeps running tasks but takes no new ones', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('a', { replicas: 3 }));
    sim.clock.advance(5000);
    await setAvailability(api, 'worker2', 'pause');
    await api.serviceCreate(serviceSpec('b', { replicas: 4 }));
    sim.clock.advance(5000);
    const host = await hostOf(api);
    expect(running(await tasksOf(api, 'a')).map(host)).toContain('worker2');
    expect(running(await tasksOf(api, 'b')).map(host)).not.toContain('worker2');
  });

  test('constraints filter nodes and explain themselves when nothing fits', async () => {
    const { sim, api } = newSwarm();
    const spec = serviceSpec('m', { replicas: 2 });
    spec.TaskTemplate.Placement = { Constraints: ['node.role==manager'] };
    await api.serviceCreate(spec);
    const none = serviceSpec('none', { replicas: 1 });
    none.TaskTemplate.Placement = { Constraints: ['node.labels.zone==mars'] };
    await api.serviceCreate(none);
    sim.clock.advance(5000);
    const host = await hostOf(api);
    expect(running(await tasksOf(api, 'm')).map(host)).toEqual(['manager1', 'manager1']);
    const [t] = await tasksOf(api, 'none');
    expect(t!.Status.Err).toBe('no suitable node (scheduling constraints not satisfied on 3 nodes)');
  });

  test('global services run one task per eligible node and follow drain', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('g', { global: true }));
    sim.clock.advance(5000);
    const host = await hostOf(api);
    expect(running(await tasksOf(api, 'g')).map(host).sort()).toEqual(['manager1', 'worker1', 'worker2']);
    await setAvailability(api, 'worker1', 'drain');
    sim.clock.advance(5000);
    expect(running(await tasksOf(api, 'g')).map(host).sort()).toEqual(['manager1', 'worker2']);
    await setAvailability(api, 'worker1', 'active');
    sim.clock.advance(5000);
    expect(running(await tasksOf(api, 'g')).map(host).sort()).toEqual(['manager1', 'worker1', 'worker2']);
  });

  test('a node that goes down has its tasks rescheduled elsewhere', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('redis', { replicas: 3 }));
    sim.clock.advance(5000);
    sim.setNodeState('worker2', 'down');
    sim.clock.advance(10_000);
    const host = await hostOf(api);
    expect(running(await tasksOf(api, 'redis')).map(host)).not.toContain('worker2');
    expect(running(await tasksOf(api, 'redis'))).toHaveLength(3);
    expect((await api.nodeInspect('worker2')).Status.State).toBe('down');
  });
});

describe('restart supervisor', () => {
  test('a container that keeps exiting is restarted in its slot every ~5 s, keeping 5 tasks of history', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('crash', { replicas: 1, image: 'alpine:3.21', command: ['sh', '-c', 'exit 1'] }));
    sim.clock.advance(3000);
    const first = await tasksOf(api, 'crash');
    expect(first.some((t) => t.Status.State === 'failed' && t.Status.Err === 'task: non-zero exit (1)')).toBe(true);
    sim.clock.advance(60_000);
    const tasks = await tasksOf(api, 'crash');
    expect(tasks.length).toBe(5);
    expect(new Set(tasks.map((t) => t.Slot))).toEqual(new Set([1]));
    const created = tasks.map((t) => Date.parse(t.CreatedAt)).sort((a, b) => a - b);
    for (let i = 1; i < created.length; i++) {
      const gap = created[i]! - created[i - 1]!;
      expect(gap).toBeGreaterThanOrEqual(5000);
      expect(gap).toBeLessThan(7500);
    }
  });

  test('restart condition none leaves a finished task alone', async () => {
    const { sim, api } = newSwarm();
    const spec = serviceSpec('once', { replicas: 1, image: 'alpine:3.21', command: ['true'] });
    spec.TaskTemplate.RestartPolicy = { Condition: 'none' };
    await api.serviceCreate(spec);
    sim.clock.advance(30_000);
    const tasks = await tasksOf(api, 'once');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.Status.State).toBe('complete');
  });
});
