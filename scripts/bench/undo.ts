// The undo benchmark (issue 17): `undo` of the last command after 100 commands, injected
// failures among them, on a realtime session as the worker holds it. Undo replays the
// swarm's recipe up to where that command began (Session.rewind), so its cost grows with the
// commands and the swarm time before it: 100 commands over ~40 minutes of swarm time, every
// kind of write and every kind of injection, is what a long lesson session leaves.
import { Session } from '../../engine/session.js';
import type { SessionSnapshot } from '../../engine/snapshot.js';
import { restoreSession } from '../../engine/snapshot.js';
import type { Timing } from './measure.js';
import { measure } from './measure.js';
import { changesSince, observe } from '../../engine/step.js';

/** Writes and injections, run over and over with time passing between them. */
export const ROUND = [
  'docker service create -d --name web --replicas 3 redis:7.4.0',
  'docker service create -d --name agent --mode global redis:7.4.0',
  'docker service scale -d web=5',
  'docker service update -d --image redis:7.4.1 --update-delay 2s web',
  'lab task kill web.1',
  'lab node stop worker1',
  'docker node update --availability drain worker2',
  'lab node start worker1',
  'docker node update --availability active worker2',
  'lab task kill web.2',
  'docker service update -d --update-failure-action rollback --image redis:9.9.9 web',
  'docker service update -d --image redis:7.4.0 web',
  'lab node stop worker2',
  'docker service scale -d web=2',
  'lab node start worker2',
  'lab task kill web.1',
  'docker service update -d --restart-max-attempts 2 web',
  'docker node update --label-add zone=a worker1',
  'docker service rm agent',
  'docker service rm web',
];

const sink = { write: (): void => {} };

/**
 * The session after 100 commands that changed the swarm (ROUND over and over; a line refused
 * because the swarm is not in the state it needs, a kill of a task that is not running, say,
 * does not count), as a snapshot: each timed undo starts from a restore of it.
 */
export async function undoSwarm(): Promise<{ snap: SessionSnapshot; commands: number; lines: number; injections: number; swarmMinutes: number }> {
  // Built in instant mode (a line that waits, lab node start, moves the clock itself); timed
  // on a realtime session restored from it, as the worker holds one.
  const s = new Session({ seed: 1, mode: 'instant' });
  let lines = 0;
  while (s.undo.saved.length < 100) {
    const line = ROUND[lines % ROUND.length]!;
    await s.run(line, { stdout: sink, stderr: sink, tty: false, columns: 80, signal: new AbortController().signal });
    lines++;
    // Time passes at the prompt (the realtime driver's ticks), 24 s a line on average.
    s.advance(10_000 + ((lines * 7_919) % 28_000));
  }
  const snap = s.snapshot();
  const injections = snap.journal.filter((e) => 'inject' in e).length;
  return { snap, commands: s.undo.saved.length, lines, injections, swarmMinutes: snap.now / 60_000 };
}

/** Wall time of `undo` of the last of them (the restore that sets each run up is not timed). */
export async function undoFigure(snap: SessionSnapshot, runs: number): Promise<Timing> {
  return measure(
    { warmup: 3, runs },
    () => restoreSession(snap, 'realtime'),
    async (session) => {
      const line = await session.undoLast();
      if (line === undefined) throw new Error('nothing to undo');
    },
  );
}

/**
 * Step (issue 17: under 5 ms): a paused swarm mid rolling update moved to its next event, with
 * what the shell and the dock say about it (engine/step.ts observe/changesSince), as the `step`
 * builtin does. `topology` 'default' is the lessons' three nodes (redis, 3 replicas); '10m90w'
 * a 100-node swarm with 1,000 replicas, where observing the swarm before and after costs most.
 */
export async function stepFigure(topology: 'default' | '10m90w', runs: number): Promise<Timing> {
  const big = topology === '10m90w';
  const s = new Session({ seed: 1, mode: 'instant', ...(big ? { topology } : {}) });
  const run = (line: string) => s.run(line, { stdout: sink, stderr: sink, tty: false, columns: 80, signal: new AbortController().signal });
  await run(`docker service create -d --name redis --replicas ${big ? 1000 : 3} --update-delay 10s${big ? ' --update-parallelism 10' : ''} redis:7.4.0`);
  s.advance(30_000);
  await run('docker service update -d --image redis:7.4.1 redis');
  s.advance(12_000);
  const snap = s.snapshot();
  return measure(
    { warmup: 3, runs },
    async () => {
      const session = await restoreSession(snap, 'realtime');
      session.paused = true;
      return session;
    },
    (session) => {
      const before = observe(session.sim);
      if (!session.step()) throw new Error('nothing to step to');
      changesSince(session.sim, before);
    },
  );
}
