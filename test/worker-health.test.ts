// The terminal's heartbeat on its engine worker (src/client/terminal/worker-health.ts), on
// fake timers: a worker that answers is never given up on, however long its command runs; one
// that stops answering (terminated, or stuck in a loop) is given up on within 2 s; known long
// work gets a long deadline; time the page itself was stalled does not count.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Heartbeat } from '../src/client/terminal/worker-health.js';

/** A fake worker: answers pings after `delayMs`, or never once `alive` is false. */
function fakeWorker(delayMs = 5) {
  const w = {
    alive: true,
    pings: 0,
    ping: (): Promise<void> => {
      w.pings++;
      if (!w.alive) return new Promise<void>(() => {});
      return new Promise<void>((r) => setTimeout(r, delayMs));
    },
  };
  return w;
}

describe('Heartbeat', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('a worker that keeps answering (a long command awaiting timers) is never given up on', async () => {
    const w = fakeWorker(40);
    const dead = vi.fn();
    const hb = new Heartbeat(w.ping, dead);
    hb.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(dead).not.toHaveBeenCalled();
    expect(w.pings).toBeGreaterThan(100);
    hb.stop();
  });

  test('a worker that stops answering (killed or hung) is given up on within 2 s, once', async () => {
    const w = fakeWorker();
    const dead = vi.fn();
    const hb = new Heartbeat(w.ping, dead);
    hb.start();
    await vi.advanceTimersByTimeAsync(5_000);
    w.alive = false;
    const stopped = Date.now();
    while (dead.mock.calls.length === 0 && Date.now() - stopped < 10_000) await vi.advanceTimersByTimeAsync(50);
    expect(dead).toHaveBeenCalledTimes(1);
    expect(Date.now() - stopped).toBeLessThanOrEqual(2_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(dead).toHaveBeenCalledTimes(1);
  });

  test('long work (start-up, replaying a swarm) gets the long deadline, then the short one again', async () => {
    const w = fakeWorker();
    w.alive = false; // a starting worker answers nothing until its engine is loaded
    const dead = vi.fn();
    const hb = new Heartbeat(w.ping, dead);
    let finish!: () => void;
    void hb.patient(new Promise<void>((r) => (finish = r)));
    hb.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(dead).not.toHaveBeenCalled();
    finish();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(dead).toHaveBeenCalledTimes(1);
  });

  test('a stalled page (its timers late) does not count against the worker; a stopped watch never fires', async () => {
    let release: (() => void) | undefined;
    let hold = false;
    const dead = vi.fn();
    const hb = new Heartbeat(() => (hold ? new Promise<void>((r) => (release = r)) : Promise.resolve()), dead);
    hb.start();
    await vi.advanceTimersByTimeAsync(1_000);
    hold = true;
    while (!release) await vi.advanceTimersByTimeAsync(50);
    // The page's main thread is blocked for 3 s: the answer waits in its queue meanwhile, and
    // the watch's next tick comes 3 s late, before the answer is read.
    vi.setSystemTime(Date.now() + 3_000);
    await vi.advanceTimersByTimeAsync(300);
    expect(dead).not.toHaveBeenCalled();
    hold = false;
    release();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(dead).not.toHaveBeenCalled();
    // Hidden page: no watching, whatever the worker does.
    hb.stop();
    hold = true;
    release = undefined;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(dead).not.toHaveBeenCalled();
    hb.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(dead).toHaveBeenCalledTimes(1);
  });
});
