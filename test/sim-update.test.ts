// Rolling updates and rollbacks of the simulated swarm (swarmkit semantics, docker-cli-facts §4.3-4.4).
import { describe, expect, test } from 'vitest';
import type { Task } from '../engine/api/types.js';
import { ApiError } from '../engine/api/swarm-api.js';
import { newSwarm, rollback, running, S, serviceSpec, setImage, tasksOf, updateService } from './helpers/sim.js';

const image = (t: Task): string => t.Spec.ContainerSpec.Image.split('@')[0]!;

describe('rolling update', () => {
  test('replaces one slot at a time, waits the delay after each, then watches Delay+1s before completing', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('redis', { update: { Delay: 10 * S } }));
    sim.clock.advance(5000);
    await setImage(api, 'redis', 'redis:7.4.1');
    const startedAt = sim.clock.now;
    const firstRunning = new Map<number, number>(); // slot -> when its 7.4.1 task ran
    let maxInFlight = 0;
    let completedAt: number | undefined;
    for (let t = 0; t < 70_000; t += 50) {
      sim.clock.advance(50);
      const tasks = await tasksOf(api, 'redis');
      // A slot is being replaced while it holds a 7.4.1 task that is not running yet.
      const inFlight = new Set(tasks.filter((x) => image(x) === 'redis:7.4.1' && x.DesiredState !== 'shutdown' && x.Status.State !== 'running').map((x) => x.Slot));
      maxInFlight = Math.max(maxInFlight, inFlight.size);
      for (const x of tasks) if (image(x) === 'redis:7.4.1' && x.Status.State === 'running' && !firstRunning.has(x.Slot!)) firstRunning.set(x.Slot!, sim.clock.now);
      const s = await api.serviceInspect('redis');
      if (s.UpdateStatus?.State === 'completed' && completedAt === undefined) completedAt = sim.clock.now;
    }
    expect(maxInFlight).toBe(1);
    const runs = [...firstRunning.values()].sort((a, b) => a - b);
    expect(runs).toHaveLength(3);
    expect(runs[0]! - startedAt).toBeLessThan(3000);
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(10_000);
    expect(runs[2]! - runs[1]!).toBeGreaterThanOrEqual(10_000);
    expect(completedAt! - runs[2]!).toBeGreaterThanOrEqual(21_000);
    expect(completedAt! - runs[2]!).toBeLessThan(22_000);
    const s = await api.serviceInspect('redis');
    expect(s.UpdateStatus).toMatchObject({ State: 'completed', Message: 'update completed' });
    expect(s.UpdateStatus!.CompletedAt).toBeDefined();
    expect(s.PreviousSpec!.TaskTemplate.ContainerSpec.Image).toBe('redis:7.4.0');
    const tasks = await tasksOf(api, 'redis');
    expect(running(tasks).map(image)).toEqual(['redis:7.4.1', 'redis:7.4.1', 'redis:7.4.1']);
    expect(tasks.filter((t) => t.DesiredState === 'shutdown').map(image)).toEqual(['redis:7.4.0', 'redis:7.4.0', 'redis:7.4.0']);
  });

  test('stop-first: the new task waits in desired Ready until the old one has stopped', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('redis'));
    sim.clock.advance(5000);
    await setImage(api, 'redis', 'redis:7.4.1');
    sim.clock.advance(1);
    let sawWaiting = false;
    for (let t = 0; t < 4000; t += 20) {
      sim.clock.advance(20);
      const tasks = await tasksOf(api, 'redis');
      const fresh = tasks.find((x) => image(x) === 'redis:7.4.1');
      const old = tasks.find((x) => x.Slot === fresh?.Slot && image(x) === 'redis:7.4.0');
      if (!fresh || !old) continue;
      if (old.Status.State === 'running') {
        expect(old.DesiredState).toBe('shutdown');
        expect(fresh.DesiredState).toBe('ready');
        expect(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready']).toContain(fresh.Status.State);
        sawWaiting = true;
      }
    }
    expect(sawWaiting).toBe(true);
    sim.clock.advance(10_000);
    const [svc] = await api.serviceList({ status: true });
    expect(svc!.ServiceStatus!.RunningTasks).toBe(3);
  });

  test('start-first runs old and new side by side for a moment', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('web', { replicas: 1, update: { Order: 'start-first' } }));
    sim.clock.advance(5000);
    await setImage(api, 'web', 'redis:7.4.1');
    let both = false;
    for (let t = 0; t < 5000; t += 10) {
      sim.clock.advance(10);
      if ((await tasksOf(api, 'web')).filter((x) => x.Status.State === 'running').length === 2) both = true;
    }
    expect(both).toBe(true);
    expect(running(await tasksOf(api, 'web')).map(image)).toEqual(['redis:7.4.1']);
  });

  test('parallelism 0 replaces every slot at once', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('redis', { replicas: 6, update: { Parallelism: 0, Delay: 10 * S } }));
    sim.clock.advance(5000);
    await setImage(api, 'redis', 'redis:7.4.1');
    sim.clock.advance(4000);
    expect(running(await tasksOf(api, 'redis')).map(image)).toEqual(Array(6).fill('redis:7.4.1'));
  });

  test('an update that changes nothing in the task spec replaces nothing and records no UpdateStatus', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('redis'));
    sim.clock.advance(5000);
    await updateService(api, 'redis', (spec) => void (spec.UpdateConfig!.Parallelism = 2));
    sim.clock.advance(30_000);
    expect(await tasksOf(api, 'redis')).toHaveLength(3);
    const s = await api.serviceInspect('redis');
    expect(s.UpdateStatus).toBeUndefined();
    expect(s.PreviousSpec!.UpdateConfig!.Parallelism).toBe(1);
  });

  test('--force (ForceUpdate+1) replaces every task with the same image', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('redis'));
    sim.clock.advance(5000);
    await updateService(api, 'redis', (spec) => void (spec.TaskTemplate.ForceUpdate += 1));
    sim.clock.advance(30_000);
    const tasks = await tasksOf(api, 'redis');
    expect(tasks).toHaveLength(6);
    expect(running(tasks).every((t) => t.Spec.ForceUpdate === 1)).toBe(true);
  });

  test('several writes before the orchestrator wakes start one update: one new task per slot', async () => {
    // A property run found this: five writes in one reconcile tick each restarted the
    // update, and with parallelism 0 each restart put another new task on the same slot.
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('redis', { update: { Parallelism: 0, Order: 'start-first' } }));
    sim.clock.advance(5000);
    for (const tag of ['7.4.1', '7.4.2', '7.4.1', '7.4.2', '7.4.1']) await setImage(api, 'redis', `redis:${tag}`);
    sim.clock.advance(30_000);
    const tasks = await tasksOf(api, 'redis');
    expect(tasks.filter((t) => image(t) === 'redis:7.4.1')).toHaveLength(3);
    expect(tasks.filter((t) => image(t) === 'redis:7.4.2')).toHaveLength(0);
    expect(running(tasks).map(image)).toEqual(Array(3).fill('redis:7.4.1'));
    expect((await api.serviceInspect('redis')).UpdateStatus?.State).toBe('completed');
  });

  test('an update back to a spec whose new task is still coming up reuses that task', async () => {
    // Swarmkit's update worker keeps a slot's task that already has the wanted spec and
    // only shuts the others down; it never stacks a second replacement on the slot.
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('redis', { replicas: 1, update: { Order: 'start-first' } }));
    sim.clock.advance(5000);
    const comingUp = async (tag: string): Promise<Task> => {
      for (let i = 0; i < 100; i++) {
        const t = (await tasksOf(api, 'redis')).find((x) => image(x) === `redis:${tag}`);
        if (t) return t;
        sim.clock.advance(5);
      }
      throw new Error(`no redis:${tag} task`);
    };
    await setImage(api, 'redis', 'redis:7.4.1');
    const first = await comingUp('7.4.1');
    await setImage(api, 'redis', 'redis:7.4.2');
    const second = await comingUp('7.4.2');
    expect((await api.taskInspect(first.ID)).Status.State).not.toBe('running');
    await setImage(api, 'redis', 'redis:7.4.1');
    sim.clock.advance(30_000);
    const tasks = await tasksOf(api, 'redis');
    expect(tasks.filter((t) => image(t) === 'redis:7.4.1').map((t) => t.ID)).toEqual([first.ID]);
    expect(running(tasks).map((t) => t.ID)).toEqual([first.ID]);
    expect(tasks.find((t) => t.ID === second.ID)?.DesiredState).toBe('shutdown');
    expect((await api.serviceInspect('redis')).UpdateStatus?.State).toBe('completed');
  });
});

describe('failed update', () => {
  async function pausedOnBadImage() {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('redis', { update: { Delay: 10 * S } }));
    sim.clock.advance(5000);
    await setImage(api, 'redis', 'redis:7.4.1');
    sim.clock.advance(70_000);
    await setImage(api, 'redis', 'redis:9.9.9');
    sim.clock.advance(4000);
    return { sim, api };
  }

  test('a tag no registry has pauses the update on the first rejected task, naming it', async () => {
    const { api } = await pausedOnBadImage();
    const s = await api.serviceInspect('redis');
    expect(s.UpdateStatus!.State).toBe('paused');
    const id = /^update paused due to failure or early termination of task ([0-9a-z]{25})$/.exec(s.UpdateStatus!.Message)?.[1];
    expect(id).toBeDefined();
    const culprit = await api.taskInspect(id!);
    expect(culprit.Status.State).toBe('rejected');
    expect(culprit.Status.Err).toBe('No such image: redis:9.9.9');
    const [svc] = await api.serviceList({ status: true });
    expect(svc!.ServiceStatus).toMatchObject({ RunningTasks: 2, DesiredTasks: 3 });
  });

  test('the failed slot keeps churning rejected tasks ~5 s apart, history capped at 5, other slots untouched', async () => {
    const { sim, api } = await pausedOnBadImage();
    sim.clock.advance(40_000);
    const tasks = await tasksOf(api, 'redis');
    const bad = tasks.filter((t) => image(t) === 'redis:9.9.9');
    const slot = bad[0]!.Slot;
    expect(new Set(bad.map((t) => t.Slot))).toEqual(new Set([slot]));
    expect(tasks.filter((t) => t.Slot === slot)).toHaveLength(5);
    const created = bad.map((t) => Date.parse(t.CreatedAt)).sort((a, b) => a - b);
    for (let i = 1; i < created.length; i++) expect(created[i]! - created[i - 1]!).toBeGreaterThanOrEqual(5000);
    expect(running(tasks).map(image)).toEqual(['redis:7.4.1', 'redis:7.4.1']);
    expect((await api.serviceInspect('redis')).UpdateStatus!.State).toBe('paused');
  });

  test('a no-flag update "resumes", pauses again on a new task, and makes the bad spec the previous one', async () => {
    const { sim, api } = await pausedOnBadImage();
    const before = (await api.serviceInspect('redis')).UpdateStatus!.Message;
    await updateService(api, 'redis', () => undefined);
    sim.clock.advance(3000);
    const s = await api.serviceInspect('redis');
    expect(s.UpdateStatus!.State).toBe('paused');
    expect(s.UpdateStatus!.Message).not.toBe(before);
    expect(s.PreviousSpec!.TaskTemplate.ContainerSpec.Image).toBe('redis:9.9.9');
  });

  test('a manual rollback from paused swaps Spec and PreviousSpec and converges', async () => {
    const { sim, api } = await pausedOnBadImage();
    await rollback(api, 'redis');
    let s = await api.serviceInspect('redis');
    expect(s.UpdateStatus).toMatchObject({ State: 'rollback_started', Message: 'manually requested rollback' });
    expect(s.Spec.TaskTemplate.ContainerSpec.Image).toBe('redis:7.4.1');
    expect(s.PreviousSpec!.TaskTemplate.ContainerSpec.Image).toBe('redis:9.9.9');
    sim.clock.advance(15_000);
    s = await api.serviceInspect('redis');
    expect(s.UpdateStatus).toMatchObject({ State: 'rollback_completed', Message: 'rollback completed' });
    expect(running(await tasksOf(api, 'redis')).map(image)).toEqual(['redis:7.4.1', 'redis:7.4.1', 'redis:7.4.1']);
    // A second rollback toggles back to the bad spec.
    await rollback(api, 'redis');
    expect((await api.serviceInspect('redis')).Spec.TaskTemplate.ContainerSpec.Image).toBe('redis:9.9.9');
  });

  test('failure action rollback restores the previous spec, clears PreviousSpec, and a later rollback is refused', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('redis', { update: { FailureAction: 'rollback' } }));
    sim.clock.advance(5000);
    await setImage(api, 'redis', 'redis:9.9.9');
    sim.clock.advance(1500);
    let s = await api.serviceInspect('redis');
    expect(s.UpdateStatus!.State).toBe('rollback_started');
    expect(s.UpdateStatus!.Message).toMatch(/^update rolled back due to failure or early termination of task [0-9a-z]{25}$/);
    sim.clock.advance(20_000);
    s = await api.serviceInspect('redis');
    expect(s.UpdateStatus!.State).toBe('rollback_completed');
    expect(s.PreviousSpec).toBeUndefined();
    expect(s.Spec.TaskTemplate.ContainerSpec.Image).toBe('redis:7.4.0');
    expect(running(await tasksOf(api, 'redis')).map(image)).toEqual(['redis:7.4.0', 'redis:7.4.0', 'redis:7.4.0']);
    const err = await rollback(api, 'redis').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe(`rpc error: code = FailedPrecondition desc = service ${s.ID} does not have a previous spec`);
  });

  test('failure action continue ignores failures and completes', async () => {
    const { sim, api } = newSwarm();
    await api.serviceCreate(serviceSpec('redis', { update: { FailureAction: 'continue' } }));
    sim.clock.advance(5000);
    await setImage(api, 'redis', 'redis:9.9.9');
    sim.clock.advance(30_000);
    const s = await api.serviceInspect('redis');
    expect(s.UpdateStatus!.State).toBe('completed');
    expect(new Set((await tasksOf(api, 'redis')).filter((t) => t.DesiredState !== 'shutdown').map((t) => t.Slot)).size).toBe(3);
  });

  test('MaxFailureRatio tolerates failures up to the ratio of dirty slots', async () => {
    const { sim, api } = newSwarm();
    // 1 failure of 4 dirty slots is 0.25: tolerated at 0.3, then the update goes on to the next slots.
    await api.serviceCreate(serviceSpec('redis', { replicas: 4, update: { MaxFailureRatio: 0.3 } }));
    sim.clock.advance(5000);
    await setImage(api, 'redis', 'redis:9.9.9');
    const rejected = async () => (await tasksOf(api, 'redis')).filter((t) => t.Status.State === 'rejected');
    while ((await rejected()).length === 0) sim.clock.advance(5);
    expect((await api.serviceInspect('redis')).UpdateStatus!.State).toBe('updating');
    sim.clock.advance(10_000);
    const s = await api.serviceInspect('redis');
    expect(s.UpdateStatus!.State).toBe('paused');
    // The second failure (2 of 4 = 0.5) is the one that paused it.
    const first = (await rejected()).sort((a, b) => a.CreatedAt.localeCompare(b.CreatedAt))[0]!;
    expect(s.UpdateStatus!.Message).not.toContain(first.ID);
    expect(new Set((await rejected()).map((t) => t.Slot)).size).toBe(2);
  });
});
