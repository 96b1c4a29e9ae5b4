// The dock's time controls' words and states (src/client/terminal/time-text.ts): the clock
// between two reports of the worker, what each button allows and why not, and the live
// region's sentences, in both languages' strings.
import { describe, expect, test } from 'vitest';
import en from '../content/i18n/en.json';
import zh from '../content/i18n/zh-CN.json';
import type { TimeInfo } from '../engine/worker/terminal-engine.js';
import { buttonState, changesText, clockText, say, stepAnnouncement, swarmMsAt } from '../src/client/terminal/time-text.js';

const info = (over: Partial<TimeInfo> = {}): TimeInfo => ({ swarmMs: 130_000, paused: false, speed: 5, running: false, canUndo: false, canRedo: false, ...over });
const EN = en as Record<string, string>;
const ZH = zh as Record<string, string>;

describe('the swarm clock between reports', () => {
  test('runs at the speed while the swarm plays, stands still while paused or while the tab is hidden', () => {
    expect(swarmMsAt({ info: info(), at: 1000, running: true }, 3000)).toBe(130_000 + 2000 * 5);
    expect(clockText({ info: info(), at: 1000, running: true }, 3000)).toBe('+2m20s');
    expect(clockText({ info: info({ paused: true }), at: 1000, running: true }, 60_000)).toBe('+2m10s');
    expect(clockText({ info: info(), at: 1000, running: false }, 60_000)).toBe('+2m10s');
    // A clock that went back (performance.now from another origin) never takes time back.
    expect(swarmMsAt({ info: info(), at: 5000, running: true }, 1000)).toBe(130_000);
  });
});

describe('the buttons', () => {
  const ready = { backend: 'simulated', state: 'ready' };
  test('on a real swarm every one is disabled and says why', () => {
    for (const b of ['pause', 'step', 'undo', 'redo'] as const) {
      expect(buttonState(b, { backend: 'local', state: 'ready' }, info({ undoLine: 'x' }), EN)).toMatchObject({ disabled: true, title: EN['time.local'] });
      expect(buttonState(b, { backend: 'lost', state: 'ready' }, info(), ZH).title).toBe(ZH['time.local']);
    }
  });

  test('pause is pressed while paused and its title says what a press does', () => {
    expect(buttonState('pause', ready, info(), EN)).toEqual({ disabled: false, title: EN['time.pause'], pressed: false });
    expect(buttonState('pause', ready, info({ paused: true }), EN)).toEqual({ disabled: false, title: EN['time.play'], pressed: true });
    expect(EN['time.pause']).toMatch(/Alt\+P/);
    expect(ZH['time.step']).toMatch(/Alt\+S/);
  });

  test('a running command leaves pause and step on, and turns undo and redo off with the reason', () => {
    const busy = { backend: 'simulated', state: 'busy' };
    const i = info({ undoLine: 'docker service update --image redis:7.4.1 redis', redoLine: 'docker service scale redis=5' });
    expect(buttonState('pause', busy, i, EN).disabled).toBe(false);
    expect(buttonState('step', busy, i, EN).disabled).toBe(false);
    expect(buttonState('undo', busy, i, EN)).toEqual({ disabled: true, title: EN['time.busyUndo'] });
    expect(buttonState('redo', busy, i, ZH)).toEqual({ disabled: true, title: ZH['time.busyRedo'] });
    expect(buttonState('undo', ready, i, EN)).toEqual({ disabled: false, title: 'Undo: take the swarm back to just before docker service update --image redis:7.4.1 redis' });
    expect(buttonState('redo', ready, i, ZH)).toEqual({ disabled: false, title: '重做 docker service scale redis=5' });
    expect(buttonState('undo', ready, info(), EN)).toEqual({ disabled: true, title: EN['time.nothingToUndo'] });
  });

  test('while the simulator starts nothing is enabled', () => {
    for (const b of ['pause', 'step', 'undo', 'redo'] as const) expect(buttonState(b, { backend: 'simulated', state: 'loading' }, undefined, EN)).toMatchObject({ disabled: true, title: EN['time.loading'] });
  });
});

describe('what the live region says', () => {
  test('a step names the time and what changed, three at most', () => {
    const changes = [
      { name: 'worker1', node: '', from: 'ready, active', to: 'down, active' },
      { name: 'redis.2', node: 'worker2', from: 'starting', to: 'running' },
      { name: 'redis.1', node: 'worker1', from: 'running', to: 'shutdown', desired: 'shutdown' },
      { name: 'redis.3', node: 'worker2', from: 'new', to: 'pending' },
    ];
    expect(changesText(changes.slice(0, 2), EN)).toBe('worker1 down, redis.2 running');
    // The old task of a slot asked to stop: its state stays, its desired state is the news.
    expect(changesText([{ name: 'redis.1', node: 'worker1', from: 'running', to: 'running', desired: 'shutdown' }], EN)).toBe('redis.1: desired shutdown');
    expect(changesText([{ name: 'redis.1', node: 'worker1', from: 'running', to: 'running', desired: 'shutdown' }], ZH)).toBe('redis.1：期望状态 shutdown');
    expect(stepAnnouncement({ ...info({ swarmMs: 135_000, paused: true }), moved: true, changes: changes.slice(1, 2) }, EN)).toBe('Stepped to +2m15.0s: redis.2 running');
    expect(stepAnnouncement({ ...info({ swarmMs: 135_000 }), moved: true, changes }, ZH)).toBe('单步到 +2m15.0s：worker1 down, redis.2 running, redis.1 shutdown, 另有 1 项');
    expect(stepAnnouncement({ ...info(), moved: false, changes: [] }, EN)).toBe('Nothing is scheduled: the swarm stays at +2m10.0s');
    expect(stepAnnouncement({ ...info(), moved: true, changes: [] }, EN)).toBe('Stepped to +2m10.0s: nothing you can see changed');
  });

  test('placeholders are filled, unknown ones kept; a missing key reads as itself', () => {
    expect(say(EN, 'time.announce.undid', { line: 'docker service update redis' })).toBe('Undid docker service update redis');
    expect(say(ZH, 'time.announce.paused', { time: '+2m10.0s' })).toBe('swarm 已暂停于 +2m10.0s');
    expect(say({}, 'time.nope')).toBe('time.nope');
    expect(say({ k: 'a {b} {c}' }, 'k', { b: 1 })).toBe('a 1 {c}');
  });

  test('every time.* string exists in both languages', () => {
    const keys = (d: Record<string, string>): string[] => Object.keys(d).filter((k) => k.startsWith('time.') || k.startsWith('view.action.')).sort();
    expect(keys(ZH)).toEqual(keys(EN));
    expect(keys(EN).length).toBeGreaterThan(25);
  });
});
