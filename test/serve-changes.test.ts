// Changing commands without the progress display (detached, node updates, rm, refusals):
// the REAL docker CLI on `swarm-lab serve` and Swarm Lab's CLI on a snapshot copy of the same
// swarm print the same bytes and exit codes, IDs included (the copy replays the same calls
// with the same seed). The served swarm goes on from what the real CLI did.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { restoreSession } from '../engine/snapshot.js';
import type { Session } from '../engine/session.js';
import type { Served } from './serve-harness.js';
import { realCliAvailable, runOurs, runReal, serveFrozen } from './serve-harness.js';

const state = (s: Session): string => JSON.stringify({ services: [...s.sim.cluster.services.values()], tasks: s.sim.cluster.tasks.size });

const LINES = [
  'service create -d --name web --replicas 2 redis:7.4.0',
  'service create -d --name web redis:7.4.0',
  'service create -d --name g --mode global redis:7.4.0',
  'service update -d --replicas 4 g',
  'service scale -d web=3',
  'service scale -d web=2 g=2',
  'service update -d --image redis:7.4.1 web',
  'service update -d --image redis:9.9.9 web',
  'service rollback -d web',
  'service update -d --update-delay 5s --update-parallelism 2 web',
  'service update -d --publish-add published=8080,target=80 web',
  'service update -d --force web',
  'node update --availability drain worker1',
  'node update --label-add zone=a worker2',
  'node update --availability active worker1',
  'node update --role manager worker1',
  'node update --role worker worker1',
  'service rm web g',
  'service rm web',
  'swarm update --task-history-limit 3',
  'swarm join-token --rotate worker',
];

describe.skipIf(!realCliAvailable())('changing commands: real CLI on serve vs ours on a copy', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serveFrozen(['docker service create -d --replicas 3 --name redis redis:7.4.0', 'sleep 60'], { pastMs: 2 * 3_600_000, keepBehindMs: 3_600_000 });
  });
  afterAll(async () => {
    await served?.close();
  });

  test.each(LINES)('docker %s', async (line) => {
    const copy = await restoreSession(served.session.snapshot(), 'instant');
    expect(state(copy)).toBe(state(served.session));
    const args = line.split(' ');
    const real = await runReal(served.running.url, args, { dir: served.dir });
    const ours = await runOurs(copy, 'manager1', args);
    expect(ours).toEqual(real);
    expect(state(copy)).toBe(state(served.session));
    // Time passes for both the same way before the next command.
    served.session.advance(20_000);
  });
});
