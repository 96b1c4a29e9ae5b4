// The tutorial's error cases (docker-cli-facts.md §3) through the REAL docker CLI against
// `swarm-lab serve` and through Swarm Lab's CLI against the same frozen swarm: same stdout,
// stderr and exit code, byte for byte. None of them may change the swarm.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Served } from './serve-harness.js';
import { realCliAvailable, runOurs, runReal, serveFrozen } from './serve-harness.js';

const SETUP = [
  'docker service create -d --replicas 3 --name redis --update-delay 10s redis:7.4.0',
  'docker service create -d --mode global --name g1 redis:7.4.0',
  'sleep 60',
];

const CASES: string[] = [
  'servic',
  'service foo',
  'service',
  'service create',
  'service update',
  'service create --foo redis:7.4.0',
  'service create --update-delay 10x redis:7.4.0',
  'service create --update-delay 10 redis:7.4.0',
  'service create --replicas abc redis:7.4.0',
  'service create --replicas -1 redis:7.4.0',
  'service create -d --update-failure-action foo redis:7.4.0',
  'service create -d --update-order foo redis:7.4.0',
  'service create -d --update-max-failure-ratio 2 redis:7.4.0',
  'service create -d --mode foo redis:7.4.0',
  'service create -d --name bad_name! redis:7.4.0',
  'service create -d --name redis redis:7.4.0',
  'service inspect nosuch',
  'service inspect --pretty nosuch',
  'service ps nosuch',
  'service rm nosuch',
  'service update nosuch',
  'service rollback nosuch',
  'service rollback -d redis',
  'service scale nosuch=3',
  'service scale redis',
  'service scale redis=abc',
  'service scale g1=2',
  'service logs nosuch',
  'node inspect nosuch',
  'network inspect nosuch',
  'network inspect -f {{.Name}} nosuch bridge',
  'network ls extra',
  'network inspect',
  'network ls -f color=red',
  'network ls -f type=weird',
  'node inspect --pretty nosuch',
  'node ps nosuch',
  'node update --availability drain nosuch',
  'node update --availability foo worker1',
  'swarm init --advertise-addr 192.168.99.100',
  'swarm join-token',
  'swarm join-token foo',
];

describe.skipIf(!realCliAvailable())('error cases: real docker CLI vs Swarm Lab CLI', () => {
  let served: Served;
  let before: string;
  const state = (s: Served) => JSON.stringify({ services: s.session.sim.cluster.services, nodes: s.session.sim.cluster.nodes });
  beforeAll(async () => {
    served = await serveFrozen(SETUP, { pastMs: 600_000 });
    before = state(served);
  });
  afterAll(async () => {
    await served?.close();
  });

  test.each(CASES)('docker %s', async (line) => {
    const args = line.split(' ');
    const real = await runReal(served.running.url, args, { dir: served.dir });
    const ours = await runOurs(served.session, 'manager1', args);
    // Only the bare group prints its help and succeeds.
    if (line === 'service') expect(real.code).toBe(0);
    else expect(real.code).not.toBe(0);
    expect(ours).toEqual(real);
  });

  // What the real CLI printed through the served daemon, against docker-cli-facts.md §3.
  const FACTS: [string, string][] = [
    ['service create -d --update-failure-action foo redis:7.4.0', 'Error response from daemon: unrecognized update failure action foo\n'],
    ['service create -d --update-max-failure-ratio 2 redis:7.4.0', 'Error response from daemon: rpc error: code = InvalidArgument desc = TaskSpec: update-maxfailureratio cannot be less than 0 or bigger than 1\n'],
    ['service create -d --name bad_name! redis:7.4.0', 'Error response from daemon: rpc error: code = InvalidArgument desc = name must be valid as a DNS name component\n'],
    ['service create -d --name redis redis:7.4.0', 'Error response from daemon: rpc error: code = AlreadyExists desc = name conflicts with an existing object: service redis already exists\n'],
    ['service inspect nosuch', 'Error: no such service: nosuch\n'],
    ['service ps nosuch', 'no such service: nosuch\n'],
    ['service rm nosuch', 'Error response from daemon: service nosuch not found\n'],
    ['service scale nosuch=3', 'nosuch: Error response from daemon: service nosuch not found\n'],
    ['service scale g1=2', 'g1: scale can only be used with replicated or replicated-job mode\n'],
    ['service logs nosuch', 'no such task or service: nosuch\n'],
    ['node inspect nosuch', 'Error response from daemon: node nosuch not found\n'],
    ['node update --availability foo worker1', 'Error response from daemon: invalid Availability: "foo"\n'],
    ['swarm init --advertise-addr 192.168.99.100', 'Error response from daemon: This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.\n'],
  ];
  test.each(FACTS)('docker %s: the fact sheet\'s text', async (line, stderr) => {
    const real = await runReal(served.running.url, line.split(' '), { dir: served.dir });
    expect(real.stderr).toBe(stderr);
    expect(real.code).toBe(1);
  });

  test('rollback without a previous spec names the full ID', async () => {
    const real = await runReal(served.running.url, ['service', 'rollback', '-d', 'redis'], { dir: served.dir });
    expect(real.stderr).toMatch(/^Error response from daemon: rpc error: code = FailedPrecondition desc = service [0-9a-z]{25} does not have a previous spec\n$/);
  });

  test('the swarm is unchanged', () => {
    expect(state(served)).toBe(before);
  });
});

describe.skipIf(!realCliAvailable())('before the swarm exists: real docker CLI vs Swarm Lab CLI', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serveFrozen([], { pastMs: 600_000, swarm: false, perNode: true });
  });
  afterAll(async () => {
    await served?.close();
  });

  const NOT_IN_SWARM =
    'Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.\n';
  test.each(['node ls', 'service ls', 'service ps redis', 'swarm join-token worker', 'service create -d redis:7.4.0', 'swarm leave', 'info', 'ps'])(
    'docker %s',
    async (line) => {
      const args = line.split(' ');
      for (const host of ['manager1', 'worker1']) {
        let real = await runReal(served.running.nodes[host]!, args, { dir: served.dir });
        const ours = await runOurs(served.session, host, args);
        // docker info lists runtimes in Go's random map order (ours sorts): retried until it matches.
        for (let i = 0; i < 8 && line === 'info' && real.stdout !== ours.stdout; i++) real = await runReal(served.running.nodes[host]!, args, { dir: served.dir });
        expect(ours).toEqual(real);
        if (['node ls', 'service ls', 'swarm join-token worker', 'service create -d redis:7.4.0'].includes(line)) expect(real.stderr).toBe(NOT_IN_SWARM);
        if (line === 'swarm leave') expect(real.stderr).toBe('Error response from daemon: This node is not part of a swarm\n');
      }
    },
  );
});
