// The dock's time controls on the worker (engine/worker/terminal-engine.ts: timeInfo,
// learnerPause, learnerPlay, stepSwarm), driven through comlink as the page drives them,
// while a foreground `docker service update` waits on the swarm.
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { TerminalEngine } from '../engine/worker.js';
import { PAUSED_WAIT_NOTICE } from '../engine/cli/context.js';

let engine: Comlink.Remote<TerminalEngine>;
let port1: InstanceType<typeof MessagePort>;
let port2: InstanceType<typeof MessagePort>;

beforeAll(async () => {
  ({ port1, port2 } = new MessageChannel());
  vi.stubGlobal('addEventListener', port1.addEventListener.bind(port1));
  vi.stubGlobal('removeEventListener', port1.removeEventListener.bind(port1));
  vi.stubGlobal('postMessage', port1.postMessage.bind(port1));
  port1.start();
  await import('../engine/worker.js');
  engine = Comlink.wrap<TerminalEngine>(port2 as unknown as Comlink.Endpoint);
});

afterAll(() => {
  engine[Comlink.releaseProxy]();
  port1.close();
  port2.close();
  vi.unstubAllGlobals();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a line; its output accumulates in `out` while it runs. */
function start(line: string, columns = 100): { done: Promise<number>; out: () => string } {
  const chunks: string[] = [];
  const done = engine.run(line, columns, Comlink.proxy((t: string) => void chunks.push(t)));
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
    await engine.reset({ seed: 3 });
    await engine.setSpeed(20);
    const fresh = await engine.timeInfo();
    expect(fresh).toMatchObject({ paused: false, speed: 20, running: false, canUndo: false, canRedo: false });

    const paused = await engine.learnerPause();
    expect(paused.paused).toBe(true);
    await sleep(200);
    expect((await engine.timeInfo()).swarmMs).toBe(paused.swarmMs);

    // Hiding and showing the tab does not undo the learner's pause.
    await engine.pause();
    await engine.resume();
    await sleep(150);
    const still = await engine.timeInfo();
    expect(still.paused).toBe(true);
    expect(still.swarmMs).toBe(paused.swarmMs);

    const played = await engine.learnerPlay();
    expect(played.paused).toBe(false);
    await sleep(300);
    // 20x: 300 ms of wall time is seconds of swarm time.
    expect((await engine.timeInfo()).swarmMs).toBeGreaterThan(played.swarmMs + 1000);
  });

  test('pause mid-update: the command says it waits, steps move the update task by task, Play lets it finish', async () => {
    await engine.reset({ seed: 5 });
    await engine.setSpeed(20);
    const create = start('docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0');
    expect(await create.done).toBe(0);

    const update = start('docker service update --image redis:7.4.1 redis', 120);
    // Until the display shows the update under way.
    await until(() => /overall progress: 0 out of 3 tasks/.test(update.out()) || /1\/3: /.test(update.out()));
    const before = await engine.timeInfo();
    expect(before.running).toBe(true);
    const paused = await engine.learnerPause();
    expect(paused.paused).toBe(true);
    expect(paused.running).toBe(true);
    await until(() => update.out().includes(PAUSED_WAIT_NOTICE.trimEnd()));
    // The progress block is drawn again under the notice: its lines come after it.
    const afterNotice = update.out().slice(update.out().lastIndexOf(PAUSED_WAIT_NOTICE.trimEnd()));
    expect(afterNotice).toMatch(/overall progress: \d out of 3 tasks/);

    await sleep(200);
    expect((await engine.timeInfo()).swarmMs).toBe(paused.swarmMs);

    // Step until a new redis task is running: each step moves time forward and stays paused.
    let last = paused.swarmMs;
    let started: string | undefined;
    for (let i = 0; i < 400 && !started; i++) {
      const s = await engine.stepSwarm();
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
    await engine.learnerPlay();
    expect(await update.done).toBe(0);
    expect(update.out()).toMatch(/verify: Service redis converged/);
    const after = await engine.timeInfo();
    expect(after).toMatchObject({ running: false, paused: false, canUndo: true, canRedo: false, undoLine: 'docker service update --image redis:7.4.1 redis' });
    expect(after.redoLine).toBeUndefined();
    // Undone (as the dock does it: the builtin as a typed line), redo names it.
    await start('undo').done;
    expect(await engine.timeInfo()).toMatchObject({ canRedo: true, redoLine: 'docker service update --image redis:7.4.1 redis', undoLine: 'docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0' });
  }, 60_000);

  test('the paused state goes with the snapshot and comes back with it', async () => {
    await engine.reset({ seed: 9 });
    await engine.learnerPause();
    const snap = await engine.snapshot();
    expect(snap.paused).toBe(true);
    await engine.learnerPlay();
    await engine.restore(snap, 60_000);
    const info = await engine.timeInfo();
    expect(info.paused).toBe(true);
    // A paused swarm stood still while the page was away.
    expect(info.swarmMs).toBe(snap.now);
  });

  test('a step on a swarm with nothing scheduled says so, moves no time, and leaves it paused', async () => {
    await engine.reset({ seed: 11 });
    await engine.learnerPlay();
    const before = await engine.timeInfo();
    const s = await engine.stepSwarm();
    expect(s).toMatchObject({ moved: false, changes: [], paused: true, swarmMs: before.swarmMs });
  });
});
