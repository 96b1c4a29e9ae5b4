// The dock's time controls on the worker (engine/worker/terminal-engine.ts: timeInfo,
// learnerPause, learnerPlay, stepSwarm), driven through comlink as the page drives them,
// while a foreground `docker service update` waits on the swarm.
import * as Comlink from 'comlink';
import { describe, expect, test } from 'vitest';
import { workerPort } from './helpers/worker-port.js';
import { PAUSED_WAIT_NOTICE } from '../engine/cli/context.js';

const port = workerPort();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a line; its output accumulates in `out` while it runs. */
function start(line: string, columns = 100): { done: Promise<number>; out: () => string } {
  const chunks: string[] = [];
  const done = port.engine.run(line, columns, Comlink.proxy((t: string) => void chunks.push(t)));
  return { done, out: () => chunks.join('') };
}

async function until(what: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}

describe("the dock's time controls through comlink", () => {
  test("a paused swarm's clock stands still and Play moves it again; the hidden tab's pause is another thing", async () => {
    await port.engine.reset({ seed: 3 });
    await port.engine.setSpeed(20);
    const fresh = await port.engine.timeInfo();
    expect(fresh).toMatchObject({ paused: false, speed: 20, running: false, canUndo: false, canRedo: false });

    const paused = await port.engine.learnerPause();
    expect(paused.paused).toBe(true);
    await sleep(200);
    expect((await port.engine.timeInfo()).swarmMs).toBe(paused.swarmMs);

    // Hiding and showing the tab does not undo the learner's pause.
    await port.engine.pause();
    await port.engine.resume();
    await sleep(150);
    const still = await port.engine.timeInfo();
    expect(still.paused).toBe(true);
    expect(still.swarmMs).toBe(paused.swarmMs);

    const played = await port.engine.learnerPlay();
    expect(played.paused).toBe(false);
    await sleep(300);
    // 20x: 300 ms of wall time is seconds of swarm time.
    expect((await port.engine.timeInfo()).swarmMs).toBeGreaterThan(played.swarmMs + 1000);
  });

  test('pause mid-update: the command says it waits, steps move the update task by task, Play lets it finish', async () => {
    await port.engine.reset({ seed: 5 });
    await port.engine.setSpeed(20);
    const create = start('docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0');
    expect(await create.done).toBe(0);

    const update = start('docker service update --image redis:7.4.1 redis', 120);
    // Until the display shows the update under way.
    await until(() => /overall progress: 0 out of 3 tasks/.test(update.out()) || /1\/3: /.test(update.out()));
    const before = await port.engine.timeInfo();
    expect(before.running).toBe(true);
    const paused = await port.engine.learnerPause();
    expect(paused.paused).toBe(true);
    expect(paused.running).toBe(true);
    await until(() => update.out().includes(PAUSED_WAIT_NOTICE.trimEnd()));
    // The progress block is drawn again under the notice: its lines come after it.
    const afterNotice = update.out().slice(update.out().lastIndexOf(PAUSED_WAIT_NOTICE.trimEnd()));
    expect(afterNotice).toMatch(/overall progress: \d out of 3 tasks/);

    await sleep(200);
    expect((await port.engine.timeInfo()).swarmMs).toBe(paused.swarmMs);

    // Step until a new redis task is running: each step moves time forward and stays paused.
    let last = paused.swarmMs;
    let started: string | undefined;
    for (let i = 0; i < 400 && !started; i++) {
      const s = await port.engine.stepSwarm();
      expect(s.paused).toBe(true);
      expect(s.moved).toBe(true);
      expect(s.swarmMs).toBeGreaterThanOrEqual(last);
      last = s.swarmMs;
      started = s.changes.find((c) => /^redis\.\d$/.test(c.name) && c.to === 'running' && c.from !== 'running')?.name;
    }
    expect(started).toMatch(/^redis\.[123]$/);
    expect(last).toBeGreaterThan(paused.swarmMs);

    // The command still waits (the update has more tasks to go); Play ends the wait by itself.
    let finished = false;
    void update.done.then(() => (finished = true));
    await sleep(100);
    expect(finished).toBe(false);
    await port.engine.learnerPlay();
    expect(await update.done).toBe(0);
    expect(update.out()).toMatch(/verify: Service redis converged/);
    const after = await port.engine.timeInfo();
    expect(after).toMatchObject({ running: false, paused: false, canUndo: true, canRedo: false, undoLine: 'docker service update --image redis:7.4.1 redis' });
    expect(after.redoLine).toBeUndefined();
    // Undone (as the dock does it: the builtin as a typed line), redo names it.
    await start('undo').done;
    expect(await port.engine.timeInfo()).toMatchObject({ canRedo: true, redoLine: 'docker service update --image redis:7.4.1 redis', undoLine: 'docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0' });
  }, 60_000);

  test('the paused state goes with the snapshot and comes back with it', async () => {
    await port.engine.reset({ seed: 9 });
    await port.engine.learnerPause();
    const snap = await port.engine.snapshot();
    expect(snap.paused).toBe(true);
    await port.engine.learnerPlay();
    await port.engine.restore(snap, 60_000);
    const info = await port.engine.timeInfo();
    expect(info.paused).toBe(true);
    // A paused swarm stood still while the page was away.
    expect(info.swarmMs).toBe(snap.now);
  });

  test('a step on a swarm with nothing scheduled says so, moves no time, and leaves it paused', async () => {
    await port.engine.reset({ seed: 11 });
    await port.engine.learnerPlay();
    const before = await port.engine.timeInfo();
    const s = await port.engine.stepSwarm();
    expect(s).toMatchObject({ moved: false, changes: [], paused: true, swarmMs: before.swarmMs });
  });
});
