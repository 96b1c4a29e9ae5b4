// The tutorial's read commands through the REAL docker CLI against `swarm-lab serve`, and
// through Swarm Lab's own CLI against the same simulated daemon at the same frozen instant:
// stdout, stderr and exit code must be byte-identical.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Served } from './serve-harness.js';
import { realCliAvailable, runOurs, runReal, serveFrozen } from './serve-harness.js';

const SETUP = [
  'docker service create -d --replicas 3 --name redis --update-delay 10s redis:7.4.0',
  'docker service create -d --replicas 1 --name helloworld alpine ping docker.com',
  'sleep 120',
  'docker service update -d --image redis:7.4.1 redis',
  'sleep 120',
  'docker service scale -d helloworld=5',
  'sleep 90',
];

const READS: string[][] = [
  ['info'],
  ['version'],
  ['node', 'ls'],
  ['service', 'ls'],
  ['service', 'ps', 'redis'],
  ['service', 'ps', 'helloworld'],
  ['service', 'inspect', '--pretty', 'redis'],
  ['service', 'inspect', '--pretty', 'helloworld'],
  ['service', 'inspect', 'redis'],
  ['service', 'inspect', 'helloworld'],
  ['node', 'inspect', '--pretty', 'worker1'],
  ['node', 'inspect', 'self'],
  ['service', 'ps', '--no-trunc', 'redis'],
  ['service', 'ls', '-q'],
  ['service', 'ps', '-q', 'redis'],
  ['node', 'ps', 'worker1'],
];

/**
 * The real CLI lists `docker info`'s runtimes in Go's random map order (so does it against a
 * real daemon); ours sorts them. That line is compared as a set.
 */
const normalise = (r: { stdout: string; stderr: string; code: number }) => ({
  ...r,
  stdout: r.stdout.replace(/^ Runtimes: (.*)$/m, (_l, names: string) => ` Runtimes: ${names.split(' ').sort().join(' ')}`),
});

describe.skipIf(!realCliAvailable())('real docker CLI vs Swarm Lab CLI on one frozen swarm', () => {
  let served: Served;
  beforeAll(async () => {
    // Set 10 minutes back (the swarm forms in ~3 of them): the last changes are a minute or two old when the CLIs read them.
    served = await serveFrozen(SETUP, { pastMs: 600_000 });
  });
  afterAll(async () => {
    await served?.close();
  });

  test.each(READS.map((a) => [a.join(' '), a] as const))('docker %s', async (_name, args) => {
    // Both read the wall clock for "… ago": run back to back, and once more if a second
    // boundary fell between them.
    let real = await runReal(served.running.url, args, { dir: served.dir });
    let ours = await runOurs(served.session, 'manager1', args);
    if (JSON.stringify(normalise(real)) !== JSON.stringify(normalise(ours))) {
      real = await runReal(served.running.url, args, { dir: served.dir });
      ours = await runOurs(served.session, 'manager1', args);
    }
    expect(real.code).toBe(0);
    expect(normalise(ours)).toEqual(normalise(real));
  });
});
