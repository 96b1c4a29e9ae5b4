// Undo, redo, pause, play and step (issue 17). Undo rides on the swarm's recipe: after any
// sequence of commands, undo gives exactly the swarm as it was just before the last command
// that changed it (same IDs, times and states: everything the Engine API shows, from every
// machine), again and again; redo gives back what undo took, as it was; both survive a
// snapshot and restore; injected failures (lab node stop|start, lab task kill) count as
// commands. Step moves the swarm to its next event of its own, never to a wait of
// the CLI, and says what changed.
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { RealtimeDriver, Session } from '../engine/session.js';
import type { SessionSnapshot } from '../engine/snapshot.js';
import { restoreSession } from '../engine/snapshot.js';
import { Shell } from '../engine/shell/shell.js';
import { dump, runInstant, runRealtime } from './helpers/swarm-dump.js';

const LINES = [
  'docker service create --name s1 --replicas 2 redis:7.4.0',
  'docker service create --name s2 --mode global -d redis:7.4.1',
  'docker service create --name s3 --replicas 1 -d redis:0.0.0',
  'docker service create -d redis:7.4.0',
  'docker service update --image redis:7.4.1 --update-parallelism 2 s1',
  'docker service update --image redis:7.4.0 -d s1',
  'docker service rollback s1',
  'docker service scale s1=4 s2=2',
  'docker service rm s2',
  'docker service create --name s1 redis:7.4.0',
  'docker node update --availability drain worker2',
  'docker node update --availability active worker2',
  'docker node update --label-add zone=a worker1',
  'docker swarm update --task-history-limit 2',
  'ssh worker1',
  'exit',
  'sleep 3',
  'docker service ls',
  // Failures, injected: part of the recipe, undone like commands.
  'lab node stop worker1',
  'lab node start worker1',
  'lab node stop manager1',
  'lab node start manager1',
  'lab node stop manager2',
  'lab node start manager2',
  'lab task kill s1.1',
  'lab task kill s1.2',
  'sleep 20',
];

/** The swarm only (the shell's history and ssh stack are not undone). */
const swarm = (s: Session): Promise<unknown> => dump(s, { shell: false });

describe('undo and redo', () => {
  test('after any sequence, each undo gives the swarm just before the last command that changed it; redo gives it back', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.array(fc.tuple(fc.constantFrom(...LINES), fc.integer({ min: 0, max: 20_000 })), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(undefined, '3m2w'),
        async (seed, steps, undos, topology) => {
          const live = new Session({ seed, mode: 'instant', ...(topology ? { topology } : {}) });
          // Before every command that changed the swarm: the swarm as it was.
          const before: unknown[] = [];
          for (const [line, idle] of steps) {
            live.advance(idle);
            const state = await swarm(live);
            const entries = live.journal.entries.length;
            await runInstant(live, line);
            if (live.journal.entries.length > entries) before.push(state);
          }
          // The marks go through storage with the swarm.
          const session = await restoreSession(JSON.parse(JSON.stringify(live.snapshot())) as SessionSnapshot, 'instant');
          expect(await swarm(session)).toEqual(await swarm(live));
          const undone: unknown[] = [];
          for (let i = 0; i < undos; i++) {
            const now = await swarm(session);
            const out = await runInstant(session, 'undo');
            const expected = before.pop();
            if (expected === undefined) {
              expect(out).toBe('undo: nothing left to undo\n');
              expect(await swarm(session)).toEqual(now);
              break;
            }
            expect(out).toMatch(/^Undone: /);
            expect(await swarm(session)).toEqual(expected);
            undone.push(now);
          }
          // Redo walks forward through what undo took, each as it was when undone.
          while (undone.length > 0) {
            expect(await runInstant(session, 'redo')).toMatch(/^Redone: /);
            expect(await swarm(session)).toEqual(undone.pop());
          }
          expect(await runInstant(session, 'redo')).toBe('redo: nothing to redo\n');
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);

  test('on a realtime swarm moved by irregular ticks, undo is exact too, and a new command forgets what could be redone', async () => {
    const live = new Session({ seed: 11, mode: 'realtime' });
    const ticks = [37, 250, 1_000, 5];
    await runRealtime(live, 'docker service create --name redis --replicas 3 --update-delay 10s redis:7.4.0', ticks);
    live.advance(4_321);
    const beforeUpdate = await swarm(live);
    await runRealtime(live, 'docker service update --image redis:7.4.1 redis', ticks);
    live.advance(777);
    const afterUpdate = await swarm(live);
    await runRealtime(live, 'docker service ls', ticks); // reads only: not undoable
    expect(await runRealtime(live, 'undo', ticks)).toMatch(
      /^Undone: docker service update --image redis:7\.4\.1 redis\nThe swarm is back as it was just before, at \+\dm\d\ds\.\n$/,
    );
    expect(await swarm(live)).toEqual(beforeUpdate);
    expect(await runRealtime(live, 'redo', ticks)).toMatch(/^Redone: docker service update/);
    expect(await swarm(live)).toEqual(afterUpdate);
    await runRealtime(live, 'undo', ticks);
    await runRealtime(live, 'docker service scale redis=1', ticks);
    expect(await runRealtime(live, 'redo', ticks)).toBe('redo: nothing to redo\n');
  });

  test('a lesson\'s start state is not undone, and junk marks in storage are dropped', async () => {
    const s = new Session({ seed: 2, mode: 'instant' });
    await runInstant(s, 'docker service create -d --name redis redis:7.4.0');
    s.undo.clear(); // as the worker does after a lesson's setup lines
    expect(await runInstant(s, 'undo')).toBe('undo: nothing left to undo\n');
    const snap = s.snapshot();
    const bad = { ...snap, undo: [{ entries: 99, at: 0, line: 'x' }, { entries: 0, at: 1, line: 'docker service create' }] };
    const restored = await restoreSession(bad, 'instant');
    expect(restored.undo.saved.map((m) => m.line)).toEqual(['docker service create']);
  });
});

describe('pause, play and step', () => {
  test('paused, the driver moves no time; step moves the swarm to its next event and says what changed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const s = new Session({ seed: 3, mode: 'realtime' });
      await runRealtime(s, 'docker service create -d --name redis --replicas 2 redis:7.4.0', [50]);
      const driver = new RealtimeDriver(s, 20);
      driver.start();
      driver.stop();
      expect(await runRealtime(s, 'pause', [50])).toMatch(/^Swarm paused at \+\d+m\d+\.\ds\./);
      const at = s.sim.clock.now;
      for (let i = 0; i < 5; i++) {
        vi.setSystemTime(Date.now() + 50);
        driver.tick();
      }
      expect(s.sim.clock.now).toBe(at);
      expect(driver.behindMs).toBe(0);
      const due = s.sim.clock.nextDue()!;
      const out = await runRealtime(s, 'step', [0]);
      expect(s.sim.clock.now).toBe(due);
      // One event of the swarm: here the orchestrator's, which creates the two tasks.
      expect(out).toMatch(/^Swarm time \+\d+m\d+\.\ds:\n {2}redis\.\d( on \w+)?: (created, \w+|\w+ → \w+)/);
      const next = s.sim.clock.nextDue()!;
      expect(await runRealtime(s, 'step', [0])).toMatch(/^Swarm time /);
      expect(s.sim.clock.now).toBe(next);
      expect(s.paused).toBe(true);
      expect(await runRealtime(s, 'play', [50])).toMatch(/^Swarm running again from /);
      vi.setSystemTime(Date.now() + 50);
      driver.tick();
      expect(s.sim.clock.now).toBe(next + 50 * 20);
    } finally {
      vi.useRealTimers();
    }
  });

  test('step runs past the CLI\'s own waits to the swarm\'s next event; an idle swarm has nothing to step to', async () => {
    const s = new Session({ seed: 4, mode: 'realtime' });
    s.paused = true;
    // A wait of the CLI (sleep) is due before anything of the swarm (nothing scheduled yet).
    const io = { stdout: { write: () => {} }, stderr: { write: () => {} }, tty: false, columns: 80, signal: new AbortController().signal };
    s.sim.clock.runToIdle();
    const sleeping = s.shell.run('sleep 5', io);
    expect(await runInstantLike(s, 'step')).toBe('Nothing is scheduled in the swarm: it is at rest, step has nothing to do.\n');
    s.paused = false;
    s.advance(5_000);
    await sleeping;
  });

  test('a command that waits on the paused swarm says so before it waits; Play ends the wait, and so does Ctrl-C', async () => {
    const s = new Session({ seed: 7, mode: 'realtime' });
    s.paused = true;
    let out = '';
    const sink = { write: (t: string) => void (out += t) };
    const ctrlC = new AbortController();
    const created = s.run('docker service create --name x --replicas 1 redis:7.4.0', { stdout: sink, stderr: sink, tty: false, columns: 80, signal: ctrlC.signal });
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
    expect(out).toMatch(/^[a-z0-9]{25}\nswarm-lab: the swarm is paused: this command waits for it \(play, or Ctrl-C to stop waiting\)\n/);
    const at = s.sim.clock.now;
    ctrlC.abort();
    await created;
    expect(s.sim.clock.now).toBe(at);
    out = '';
    const slept = s.run('sleep 2', { stdout: sink, stderr: sink, tty: false, columns: 80, signal: new AbortController().signal });
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    expect(out).toBe('swarm-lab: the swarm is paused: this command waits for it (play, or Ctrl-C to stop waiting)\n');
    s.paused = false; // Play: the driver moves time again
    s.advance(2_000);
    expect(await slept).toBe(0);
    // Not paused: no notice.
    out = '';
    const again = s.run('sleep 1', { stdout: sink, stderr: sink, tty: false, columns: 80, signal: new AbortController().signal });
    s.advance(1_000);
    await again;
    expect(out).toBe('');
  });

  test('a paused swarm is saved paused: restored later, it is still paused and no time has passed', async () => {
    const s = new Session({ seed: 8, mode: 'realtime' });
    await runRealtime(s, 'docker service create -d --name redis redis:7.4.0', [100]);
    await runRealtime(s, 'pause', [0]);
    const snap = JSON.parse(JSON.stringify(s.snapshot())) as SessionSnapshot;
    expect(snap.paused).toBe(true);
    const later = await restoreSession(snap, 'realtime', snap.now + 60_000);
    expect(later.paused).toBe(true);
    expect(later.sim.clock.now).toBe(snap.now);
    await runRealtime(later, 'play', [0]);
    expect(later.snapshot().paused).toBeUndefined();
  });

  test('the clock: a step runs the CLI\'s waits due first, stops after the swarm\'s event, and never runs a lone CLI wait', () => {
    const { clock } = new Session({ seed: 6, mode: 'realtime' }).sim;
    clock.runToIdle();
    const ran: string[] = [];
    const t0 = clock.now;
    clock.atForCli(t0 + 1, () => ran.push('cli'));
    clock.at(t0 + 10, () => ran.push('swarm'));
    clock.at(t0 + 20, () => ran.push('later'));
    expect(clock.runToSwarmEvent()).toBe(true);
    expect(ran).toEqual(['cli', 'swarm']);
    expect(clock.now).toBe(t0 + 10);
    expect(clock.runToSwarmEvent()).toBe(true);
    clock.atForCli(t0 + 30, () => ran.push('cli2'));
    expect(clock.runToSwarmEvent()).toBe(false);
    expect(ran).toEqual(['cli', 'swarm', 'later']);
    expect(clock.now).toBe(t0 + 20);
  });

  test('in a script (instant mode) pause, play and step are accepted and change nothing; on a real swarm they say why not', async () => {
    const s = new Session({ seed: 5, mode: 'instant' });
    const at = s.sim.clock.now;
    for (const line of ['pause', 'step', 'play']) expect(await runInstant(s, line)).toBe('');
    expect(s.sim.clock.now).toBe(at);
    expect(await runInstant(s, 'pause now')).toBe('pause: usage: pause (it takes no arguments)\n');
    // Local mode's shell has no control over a real swarm's time or history.
    const real = new Shell({ api: () => undefined, hostnames: () => ['manager1'], clock: s.clock }, 'manager1');
    let err = '';
    const code = await real.run('undo', { stdout: { write: () => {} }, stderr: { write: (t) => void (err += t) }, tty: false, columns: 80, signal: new AbortController().signal });
    expect(code).toBe(1);
    expect(err).toBe("undo: not available in local mode: only the simulated swarm's time can be paused or its commands undone\n");
  });
});

/** Runs a builtin that does not wait, on a realtime session, without moving its clock. */
async function runInstantLike(s: Session, line: string): Promise<string> {
  let out = '';
  const sink = { write: (t: string) => void (out += t) };
  await s.shell.run(line, { stdout: sink, stderr: sink, tty: false, columns: 80, signal: new AbortController().signal });
  return out;
}
