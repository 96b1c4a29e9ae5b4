// When a lesson step counts as done (src/client/lesson/step-tracker.ts): only by what the
// learner does in the lesson, in order, and once done for good.
import { describe, expect, it } from 'vitest';
import { StepTracker, sameCommand } from '../src/client/lesson/step-tracker.js';

const r = (ok: Record<string, boolean>) => Object.entries(ok).map(([stepId, v]) => ({ stepId, ok: v }));

describe('StepTracker', () => {
  it('a step that passes when the lesson starts is not done until it fails and passes again (drain: worker1 starts active)', () => {
    const t = new StepTracker(['drain', 'activate'], []);
    expect(t.observe(r({ drain: false, activate: true }))).toEqual([]);
    expect(t.done.size).toBe(0);
    // Drained: step 1 done, step 2 now fails (armed).
    expect(t.observe(r({ drain: true, activate: false }))).toEqual(['drain']);
    expect(t.observe(r({ drain: true, activate: true }))).toEqual(['activate']);
  });

  it('steps complete in order: a later step passing first waits for the one before', () => {
    const t = new StepTracker(['a', 'b'], []);
    t.baseline(r({ a: false, b: false }));
    expect(t.observe(r({ a: false, b: true }))).toEqual([]);
    expect(t.observe(r({ a: true, b: true }))).toEqual(['a', 'b']);
  });

  it('a step observed done stays done when its check fails later', () => {
    const t = new StepTracker(['create', 'update'], []);
    t.baseline(r({ create: false, update: false }));
    expect(t.observe(r({ create: true, update: false }))).toEqual(['create']);
    expect(t.observe(r({ create: false, update: true }))).toEqual(['update']);
    expect([...t.done]).toEqual(['create', 'update']);
  });

  it("a kept swarm where a step already passes: running the step's own command makes it count", () => {
    const t = new StepTracker(['scale'], []);
    t.baseline(r({ scale: true }));
    expect(t.observe(r({ scale: true }))).toEqual([]);
    t.ranCommandOf('scale');
    expect(t.observe(r({ scale: true }))).toEqual(['scale']);
  });

  it('progress stored before keeps working, and what a Run waits for is the earlier steps still converging', () => {
    const t = new StepTracker(['create', 'update', 'break'], ['create']);
    t.baseline(r({ create: true, update: false, break: false }));
    expect(t.converging('break')).toEqual([]);
    t.ranCommandOf('update');
    expect(t.converging('break')).toEqual(['update']);
    expect(t.converging('update')).toEqual([]);
    t.observe(r({ create: true, update: true, break: false }));
    expect(t.converging('break')).toEqual([]);
  });

  it('an optional step left undone holds back no later step; done, it counts like any other', () => {
    const t = new StepTracker(['a', 'extra', 'b'], [], undefined, ['extra']);
    t.baseline(r({ a: false, extra: false, b: false }));
    expect(t.observe(r({ a: true, extra: false, b: true }))).toEqual(['a', 'b']);
    // Still done in order: the optional step waits for the required one before it.
    const u = new StepTracker(['a', 'extra'], [], undefined, ['extra']);
    u.baseline(r({ a: false, extra: false }));
    expect(u.observe(r({ a: false, extra: true }))).toEqual([]);
    expect(u.observe(r({ a: true, extra: true }))).toEqual(['a', 'extra']);
    // Without the flag the same results hold b back (the rule the flag lifts).
    const v = new StepTracker(['a', 'extra', 'b'], []);
    v.baseline(r({ a: false, extra: false, b: false }));
    expect(v.observe(r({ a: true, extra: false, b: true }))).toEqual(['a']);
  });

  it('its state round-trips (kept with the swarm across a reload)', () => {
    const t = new StepTracker(['drain', 'activate'], []);
    t.observe(r({ drain: false, activate: true }));
    t.ranCommandOf('drain');
    const again = new StepTracker(['drain', 'activate'], [], t.state());
    // The restored tracker has its baseline: this look counts drain instead of taking a new one.
    expect(again.observe(r({ drain: true, activate: true }))).toEqual(['drain']);
    // activate was never seen failing: it still waits.
    expect(again.done.has('activate')).toBe(false);
  });
});

describe('sameCommand', () => {
  it('matches the same words, extra spaces allowed, $NAME as any one word', () => {
    expect(sameCommand('docker  service scale  helloworld=5 ', 'docker service scale helloworld=5')).toBe(true);
    expect(sameCommand('docker swarm join --token SWMTKN-1-abc-def 192.168.99.100:2377', 'docker swarm join --token $WORKER_TOKEN 192.168.99.100:2377')).toBe(true);
    expect(sameCommand('docker swarm join --token a b 192.168.99.100:2377', 'docker swarm join --token $WORKER_TOKEN 192.168.99.100:2377')).toBe(false);
    expect(sameCommand('docker service scale helloworld=50', 'docker service scale helloworld=5')).toBe(false);
    expect(sameCommand('docker service update --image redis:7.4.1 redis', 'docker service update --image redis:7.4.1 redis')).toBe(true);
  });
});
