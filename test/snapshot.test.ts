// A saved session (engine/snapshot.ts) restores the very swarm it was taken from: a realtime
// session driven by irregular clock ticks (as the worker's driver ticks at 1x, 5x or 20x),
// saved, and replayed in a fresh simulator must show the same services, tasks, nodes and
// swarm, print the same `docker` output, and go on to draw the same random IDs.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Session } from '../engine/session.js';
import type { SessionSnapshot } from '../engine/snapshot.js';
import { isSessionSnapshot, restoreSession } from '../engine/snapshot.js';
import { dump, runInstant, runRealtime } from './helpers/swarm-dump.js';

const LESSON_LINES = [
  'docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0',
  'docker service update --image redis:7.4.1 redis',
  'docker service scale redis=5',
  'docker node update --availability drain worker1',
  'docker service update --image redis:9.9.9 redis',
  'docker service rollback redis',
  'ssh worker2',
  'docker swarm leave',
  'exit',
  'docker node update --availability active worker1',
  'docker service create --name web --mode global -d redis:7.4.0',
  'docker service rm redis',
];

describe('session snapshots', () => {
  test('a realtime session restored from its snapshot is the same swarm and goes on the same way', async () => {
    const live = new Session({ seed: 42, mode: 'realtime', startEpochMs: Date.UTC(2026, 10, 27, 9, 0, 0) });
    const ticks = [50, 250, 1000, 37.5, 50.25];
    for (const [i, line] of LESSON_LINES.entries()) {
      // Time passes at the prompt too, in uneven steps.
      live.advance((i * 1_337) % 7_000);
      // Ctrl-C one waiting command half-way: the update carries on without the display.
      await runRealtime(live, line, ticks, line.includes('9.9.9') ? 4_000 : undefined);
    }
    live.advance(12_345.5);
    const snap = JSON.parse(JSON.stringify(live.snapshot())) as unknown;
    expect(isSessionSnapshot(snap)).toBe(true);
    const restored = await restoreSession(snap as SessionSnapshot, 'instant');

    expect(await dump(restored)).toEqual(await dump(live));
    for (const line of ['docker service ps web', 'docker node ls', 'docker service ls', 'history']) {
      expect(await runInstant(restored, line)).toBe(await runRealtime(live, line, [0]));
    }
    // The random stream continues identically: the next service gets the same IDs.
    await runRealtime(live, 'docker service create --name after -d --replicas 2 redis:7.4.1', [0]);
    await runInstant(restored, 'docker service create --name after -d --replicas 2 redis:7.4.1');
    live.advance(60_000);
    restored.advance(60_000);
    expect(await dump(restored)).toEqual(await dump(live));
    // And the restored session's own snapshot is the same recipe again.
    expect(restored.snapshot().journal).toEqual(live.snapshot().journal);
  });

  test('restoring later than the snapshot moves the swarm on by that much', async () => {
    const a = new Session({ seed: 3, mode: 'realtime' });
    await runRealtime(a, 'docker service create --name r --replicas 2 -d redis:7.4.0', [100]);
    const snap = a.snapshot();
    const later = await restoreSession(snap, 'realtime', snap.now + 90_000);
    a.advance(90_000);
    expect(later.sim.clock.now).toBe(a.sim.clock.now);
    expect(await dump(later)).toEqual(await dump(a));
  });

  test('random command sequences under random clock ticks replay exactly', async () => {
    const lines = fc.constantFrom(
      'docker service create --name s1 --replicas 2 redis:7.4.0',
      'docker service create --name s2 --mode global -d redis:7.4.1',
      'docker service create --name s3 --replicas 1 -d redis:0.0.0',
      'docker service update --image redis:7.4.1 --update-parallelism 2 s1',
      'docker service update --image redis:7.4.0 -d s1',
      'docker service update --update-failure-action rollback --image redis:1.2.3 s1',
      'docker service rollback s1',
      'docker service scale s1=4 s2=2',
      'docker service rm s2',
      'docker node update --availability drain worker2',
      'docker node update --availability active worker2',
      'docker node update --label-add zone=a worker1',
      'docker swarm update --task-history-limit 2',
      'docker swarm join-token --rotate worker',
      'ssh worker1',
      'exit',
      'docker swarm leave --force',
      'sleep 3',
      // Failures, injected: entries of their own kind in the recipe.
      'lab node stop worker1',
      'lab node start worker1',
      'lab node stop manager1',
      'lab node start manager1',
      'lab node stop manager2',
      'lab node stop manager3',
      'lab node start manager3',
      'lab task kill s1.1',
      'lab task kill s1.2',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.array(fc.tuple(lines, fc.integer({ min: 0, max: 15_000 }), fc.option(fc.integer({ min: 0, max: 20_000 }))), { minLength: 1, maxLength: 8 }),
        // At least 10 ms a tick: a manager's dockerd may take 20 s of swarm time to answer.
        fc.array(fc.double({ min: 10, max: 1_500, noNaN: true }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(undefined, '3m2w'),
        async (seed, steps, ticks, topology) => {
          const live = new Session({ seed, mode: 'realtime', ...(topology ? { topology } : {}) });
          for (const [line, idle, abortAfter] of steps) {
            live.advance(idle);
            await runRealtime(live, line, ticks, abortAfter ?? undefined);
          }
          const restored = await restoreSession(JSON.parse(JSON.stringify(live.snapshot())) as SessionSnapshot, 'instant');
          expect(await dump(restored)).toEqual(await dump(live));
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  test('junk in storage is not a snapshot, and hostile entries replay as failed calls', async () => {
    const good = new Session({ seed: 5 }).snapshot();
    for (const bad of [null, 1, 'x', {}, { ...good, format: 99 }, { ...good, now: -1 }, { ...good, journal: [{ at: 0, host: 'manager1', method: 'eval', args: [] }] }, { ...good, shell: { ...good.shell, stack: [1] } }]) {
      expect(isSessionSnapshot(bad)).toBe(false);
    }
    const hostile: SessionSnapshot = {
      ...good,
      journal: [
        { at: 10, host: 'manager1', method: 'serviceCreate', args: [null] },
        { at: 20, host: 'manager1', method: 'serviceUpdate', args: ['nope', 'x', { Name: 3 }] },
        { at: 30, host: 'nowhere', method: 'serviceDelete', args: ['x'] },
        { at: 40, host: 'manager1', method: 'nodeRemove', args: [{}, 'yes'] },
      ],
      shell: { stack: ['manager1', 'gone'], history: ['docker node ls'], historyBase: 0, lastExit: 0 },
    };
    expect(isSessionSnapshot(hostile)).toBe(true);
    const s = await restoreSession(hostile, 'instant');
    expect(s.shell.node).toBe('manager1');
    expect(await runInstant(s, 'docker node ls')).toMatch(/manager1 .*Leader/);
    expect(await runInstant(s, 'docker service ls')).toBe('ID        NAME      MODE      REPLICAS   IMAGE     PORTS\n');
  });

  test('a refused command that changed nothing is not saved, and the swarm replays the same', async () => {
    const live = new Session({ seed: 9, mode: 'instant' });
    await runInstant(live, 'docker service create -d --replicas 2 --name redis redis:7.4.0');
    const before = live.snapshot().journal.length;
    // Refused by the daemon, changing nothing: a name conflict, an unknown node, a bad scale.
    for (let i = 0; i < 50; i++) {
      expect(await runInstant(live, 'docker service create -d --name redis redis:7.4.0')).toMatch(/already exists/);
      expect(await runInstant(live, 'docker node update --availability drain nosuchnode')).toMatch(/not found/);
    }
    expect(live.snapshot().journal.length).toBe(before);
    // A refused call that does change the swarm (a nameless create draws its random name
    // before the spec is refused) stays, or replay would draw every later ID differently.
    expect(await runInstant(live, 'docker service create -d --replicas 1 --constraint "bad" redis:7.4.0')).toMatch(/constraint/);
    await runInstant(live, 'docker service create -d --name web redis:7.4.0');
    const restored = await restoreSession(JSON.parse(JSON.stringify(live.snapshot())) as SessionSnapshot, 'instant');
    expect(await dump(restored)).toEqual(await dump(live));
  });

  test('the time a page was away is simulated within a work budget', async () => {
    // 300 replicas of an image no node can pull: every task is rejected and replaced, all
    // the time (~330 events per simulated second).
    const live = new Session({ seed: 4, mode: 'instant' });
    await runInstant(live, 'docker service create -d --replicas 300 --name x redis:9.9.9');
    live.advance(5_000);
    const snap = JSON.parse(JSON.stringify(live.snapshot())) as SessionSnapshot;
    const replayOnly = await restoreSession(snap, 'instant', snap.now, 20_000);
    expect(replayOnly.sim.clock.now).toBe(snap.now);
    const day = 24 * 3_600_000;
    const away = await restoreSession(snap, 'instant', snap.now + day, 20_000);
    const work = away.sim.clock.fired - replayOnly.sim.clock.fired;
    expect(work).toBeGreaterThan(0);
    expect(work).toBeLessThanOrEqual(20_000);
    expect(away.sim.clock.now).toBeGreaterThan(snap.now);
    expect(away.sim.clock.now).toBeLessThan(snap.now + day);
    // What it stopped at is a consistent swarm that goes on answering.
    expect(await runInstant(away, 'docker service ls')).toMatch(/x +replicated +\d+\/300 +redis:9\.9\.9/);
    // A quiet swarm is moved on by the whole day within the same budget.
    const quiet = new Session({ seed: 4, mode: 'instant' });
    await runInstant(quiet, 'docker service create -d --replicas 3 --name redis redis:7.4.0');
    const q = quiet.snapshot();
    expect((await restoreSession(q, 'instant', q.now + day, 20_000)).sim.clock.now).toBe(q.now + day);
  });
});
