// The engine under pathological input (issue 15): a swarm that only churns (20,000 replicas of
// an image no node can pull) or a command that polls a huge service must cost bounded work:
// `swarm-lab run` finishes, each realtime tick stops within its budget, no single event of the
// swarm does unbounded work, and `logs -f` makes each task's lines once.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { runScript } from '../engine/node/main.js';
import { renderTranscript } from '../engine/node/transcript.js';
import type { ShellIo } from '../engine/shell/shell.js';
import { MAX_EVENTS_PER_COMMAND, MAX_LAG_WALL_MS, RealtimeDriver, Session, TICK_BUDGET_MS } from '../engine/session.js';
import { MAX_CHANGES_PER_BATCH } from '../engine/sim/cluster.js';
import { rfc3339Nano } from '../engine/api/time.js';
import { Rng } from '../engine/sim/rng.js';

const CREATE_20K = 'docker service create -d --replicas 20000 --name x redis:9.9.9';

function capture(): { io: ShellIo; out: () => string } {
  let text = '';
  const sink = { write: (s: string) => void (text += s) };
  return { io: { stdout: sink, stderr: sink, tty: false, columns: 80, signal: new AbortController().signal }, out: () => text };
}

/** Largest number of task writes one timer of the swarm made while `run` ran. */
async function largestEvent(session: Session, run: () => Promise<void> | void): Promise<number> {
  const { clock, cluster } = session.sim;
  let writes = 0;
  let largest = 0;
  const emit = cluster.emit.bind(cluster);
  cluster.emit = (t) => {
    writes++;
    emit(t);
  };
  const at = clock.at.bind(clock);
  clock.at = (time, fn) =>
    at(time, () => {
      const before = writes;
      fn();
      largest = Math.max(largest, writes - before);
    });
  try {
    await run();
  } finally {
    cluster.emit = emit;
    clock.at = at;
  }
  return largest;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('swarm-lab run over a swarm that only churns', () => {
  test('20,000 replicas of an image that never starts, then sleep 1e9: the script finishes, the wait stops with a notice', async () => {
    const entries = await runScript(`${CREATE_20K}\nsleep 1e9\ndocker service ls\n`, { seed: 1, cols: 80 });
    expect(entries.map((e) => e.command)).toEqual([CREATE_20K, 'sleep 1e9', 'docker service ls']);
    expect(entries[1]!.output).toMatch(
      /^swarm-lab: stopped waiting after \d+\.\ds of the swarm's time: the swarm is too busy to simulate further in one command \(500,000 events\); run it again to wait longer\n$/,
    );
    expect(entries[2]!.output).toMatch(/ x +replicated +0\/20000 +redis:9\.9\.9/);
    const screen = await renderTranscript(entries, { cols: 80 });
    expect(screen).toContain('$ docker service ls');
  }, 120_000);

  test('the stopped wait did at most MAX_EVENTS_PER_COMMAND events, exits 130 as Ctrl-C would, and the next command waits afresh', async () => {
    const session = new Session({ seed: 3, mode: 'instant' });
    const { io, out } = capture();
    expect(await session.run(CREATE_20K, io)).toBe(0);
    const { clock } = session.sim;
    const fired = clock.fired;
    const at = clock.now;
    expect(await session.run('sleep 1e9', io)).toBe(130);
    expect(clock.fired - fired).toBeLessThanOrEqual(MAX_EVENTS_PER_COMMAND);
    expect(clock.fired - fired).toBeGreaterThan(MAX_EVENTS_PER_COMMAND / 2);
    expect(clock.now - at).toBeLessThan(120_000);
    expect(out()).toContain('swarm-lab: stopped waiting after');
    // A short wait fits in the budget: it ends normally, with nothing said.
    const before = out().length;
    expect(await session.run('sleep 1', io)).toBe(0);
    expect(out().slice(before)).toBe('');
  }, 120_000);

  test('the attached progress display over the churning service stops the same way, and says so', async () => {
    const session = new Session({ seed: 4, mode: 'instant' });
    const { io, out } = capture();
    const fired = session.sim.clock.fired;
    expect(await session.run('docker service create --replicas 20000 --name x redis:9.9.9', io)).toBe(0);
    expect(session.sim.clock.fired - fired).toBeLessThanOrEqual(MAX_EVENTS_PER_COMMAND);
    expect(out()).toContain('Operation continuing in background.');
    expect(out()).toMatch(/swarm-lab: stopped waiting after .*\n$/);
  }, 120_000);

  test('100 replicas of the same image sleep the whole hour (no notice): the bound leaves ordinary cases alone', async () => {
    const session = new Session({ seed: 1, mode: 'instant' });
    const { io, out } = capture();
    await session.run('docker service create -d --replicas 100 --name x redis:9.9.9', io);
    const at = session.sim.clock.now;
    expect(await session.run('sleep 1e9', io)).toBe(0);
    expect(session.sim.clock.now - at).toBe(3_600_000);
    expect(out()).not.toContain('swarm-lab:');
  }, 60_000);
});

describe('no event of the swarm does unbounded work', () => {
  test('creating, placing, restarting and removing 20,000 tasks goes in batches of MAX_CHANGES_PER_BATCH', async () => {
    const session = new Session({ seed: 2, mode: 'realtime' });
    const { io } = capture();
    const largest = await largestEvent(session, async () => {
      await session.run(CREATE_20K, io);
      session.advance(12_000); // created, placed, rejected, restarted twice
      await session.run('docker service scale -d x=10', io);
      session.advance(1_000);
      await session.run('docker service rm x', io);
      session.advance(1_000);
    });
    // A batch writes each of its tasks a few times (created, then PENDING, then ...), never all 20,000.
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThanOrEqual(4 * MAX_CHANGES_PER_BATCH);
    expect(session.sim.cluster.tasks.size).toBe(0);
  }, 120_000);

  test('a realtime tick stops at its budget on the wall clock, owes the rest, and never owes more than MAX_LAG_WALL_MS × speed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const session = new Session({ seed: 5, mode: 'realtime' });
    await session.run(CREATE_20K, capture().io);
    // A wall clock on which every reading takes 1 ms: a tick runs about TICK_BUDGET_MS timers.
    let wall = 0;
    const driver = new RealtimeDriver(session, 20, 50, () => wall++);
    const { clock } = session.sim;
    driver.start();
    driver.stop();
    let most = 0;
    for (let i = 0; i < 100; i++) {
      vi.setSystemTime(Date.now() + 50);
      const fired = clock.fired;
      driver.tick();
      most = Math.max(most, clock.fired - fired);
    }
    expect(most).toBeLessThanOrEqual(TICK_BUDGET_MS + 2);
    expect(driver.behindMs).toBeGreaterThan(0);
    expect(driver.behindMs).toBeLessThanOrEqual(MAX_LAG_WALL_MS * 20);
  }, 60_000);

  test('a tick over an ordinary swarm moves the clock by exactly the elapsed time × speed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const session = new Session({ seed: 6, mode: 'realtime' });
    await session.run('docker service create -d --replicas 3 --name web redis:7.4.0', capture().io);
    const driver = new RealtimeDriver(session, 20);
    driver.start();
    driver.stop();
    const at = session.sim.clock.now;
    for (let i = 0; i < 10; i++) {
      vi.setSystemTime(Date.now() + 50);
      driver.tick();
    }
    expect(session.sim.clock.now - at).toBe(10 * 50 * 20);
    expect(driver.behindMs).toBe(0);
  });

  test('advanceWithin always runs at least one timer, even with no budget', async () => {
    const session = new Session({ seed: 7, mode: 'realtime' });
    await session.run('docker service create -d --replicas 3 --name web redis:7.4.0', capture().io);
    const { clock } = session.sim;
    const fired = clock.fired;
    const moved = session.advanceWithin(60_000, 0, () => 0);
    expect(clock.fired - fired).toBe(1);
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(60_000);
  });
});

describe('a read of a huge service in the browser\'s worker', () => {
  test('builds its views in slices, giving the event loop back, with the swarm held at one instant', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const session = new Session({ seed: 8, mode: 'realtime' });
    await session.run('docker service create -d --replicas 6000 --name x redis:9.9.9', capture().io);
    session.advance(20_000); // every task created, rejected and replaced at least once
    const driver = new RealtimeDriver(session, 20);
    driver.start();
    driver.stop();
    const { clock } = session.sim;
    const api = session.sim.api('manager1')!;
    let turns = 0;
    let movedMeanwhile = 0;
    // What the worker's yield lets happen between slices: messages, and the driver's ticks.
    session.sim.yieldToHost = async () => {
      turns++;
      const at = clock.now;
      vi.setSystemTime(Date.now() + 50);
      driver.tick();
      movedMeanwhile += clock.now - at;
    };
    const sliced = await api.taskList({ service: ['x'] });
    expect(turns).toBeGreaterThanOrEqual(Math.floor(sliced.length / 4_000));
    expect(turns).toBeGreaterThan(1);
    expect(movedMeanwhile).toBe(0);
    expect(session.sim.reading).toBe(0);
    // The same instant read in one go gives the same answer.
    session.sim.yieldToHost = undefined;
    expect(await api.taskList({ service: ['x'] })).toEqual(sliced);
    // Once the read is done the driver pays back the time it owes.
    const at = clock.now;
    vi.setSystemTime(Date.now() + 50);
    driver.tick();
    expect(clock.now).toBeGreaterThan(at);
  }, 60_000);
});

describe('docker service logs -f on many tasks', () => {
  test('1,000 running replicas: every line once, each task\'s lines made once, the follow ends when the swarm is idle', async () => {
    const session = new Session({ seed: 8, mode: 'instant' });
    const { io, out } = capture();
    await session.run('docker service create -d --replicas 1000 --name web redis:7.4.0', io);
    await session.run('sleep 30', io);
    const made = session.sim.logs.made;
    const before = out().length;
    expect(await session.run('docker service logs -f web', io)).toBe(0);
    const lines = out().slice(before).split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(7 * 1000);
    expect(new Set(lines).size).toBe(lines.length);
    // 300 polls over an idle minute, yet each task's lines were made once.
    expect(session.sim.logs.made - made).toBe(1000);
  }, 60_000);

  test('20,000 replicas that never start: nothing to print, and the follow stops within the budget', async () => {
    const session = new Session({ seed: 9, mode: 'instant' });
    const { io, out } = capture();
    await session.run(CREATE_20K, io);
    const fired = session.sim.clock.fired;
    const before = out().length;
    expect(await session.run('docker service logs -f x', io)).toBe(0);
    expect(session.sim.clock.fired - fired).toBeLessThanOrEqual(MAX_EVENTS_PER_COMMAND);
    expect(out().slice(before)).toMatch(/^swarm-lab: stopped waiting after [^\n]*\n$/);
    expect(session.sim.logs.made).toBe(0);
  }, 120_000);
});

describe('task views, rebuilt by the ten thousand in a churning swarm', () => {
  test('timestamps are rfc3339Nano\'s text exactly', () => {
    const session = new Session({ seed: 10, mode: 'instant' });
    const { views, clock } = session.sim;
    const r = new Rng(11);
    const samples = [0, 0.000001, 0.5, 999.9999995, 1000, 86_399_999.999999, 123_456.000789];
    for (let i = 0; i < 20_000; i++) samples.push(r.int(10_000_000_000) / 1000 + (r.int(3) === 0 ? r.int(1000) : 0));
    for (const ms of samples) expect(views.ts(ms)).toBe(rfc3339Nano(clock.startEpochMs + ms));
  });
});
