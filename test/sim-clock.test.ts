import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../engine/sim/clock.js';
import { Rng } from '../engine/sim/rng.js';

describe('VirtualClock', () => {
  test('runs timers in due order, equal times in scheduling order, and only when advanced', () => {
    const clock = new VirtualClock(0);
    const seen: string[] = [];
    clock.after(30, () => seen.push('c'));
    clock.after(10, () => seen.push('a'));
    clock.after(10, () => seen.push('b'));
    expect(seen).toEqual([]);
    clock.advance(9);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual(['a', 'b']);
    clock.advance(100);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(clock.now).toBe(110);
  });

  test('a timer sees the clock at its own due time, and timers it schedules run in the same advance', () => {
    const clock = new VirtualClock(1000);
    const at: number[] = [];
    clock.after(5, () => {
      at.push(clock.now);
      clock.after(5, () => at.push(clock.now));
    });
    clock.advance(20);
    expect(at).toEqual([5, 10]);
    expect(clock.epochNow()).toBe(1020);
  });

  test('cancelled timers never run and do not count as pending', () => {
    const clock = new VirtualClock(0);
    let ran = false;
    const id = clock.after(5, () => (ran = true));
    clock.after(6, () => undefined);
    clock.cancel(id);
    expect(clock.pending).toBe(1);
    clock.advance(10);
    expect(ran).toBe(false);
    expect(clock.nextDue()).toBeUndefined();
  });

  test('runToIdle stops at its limit while work remains', () => {
    const clock = new VirtualClock(0);
    const tick = (): void => void clock.after(1000, tick);
    tick();
    expect(clock.runToIdle(10_500)).toBe(false);
    expect(clock.now).toBe(10_500);
  });
});

describe('Rng', () => {
  test('is reproducible per seed and differs between seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const seqA = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.uint32())).not.toEqual(seqA);
  });

  test('int stays in range and covers it', () => {
    const r = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(36);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(36);
      seen.add(v);
    }
    expect(seen.size).toBe(36);
  });
});
