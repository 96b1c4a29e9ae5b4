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
  'docker service create -d --name my-web --publish published=8080,target=80 --replicas 2 nginx',
  'docker service create -d --name g1 --mode global redis:7.4.0',
  'docker node update --availability drain worker2',
  'sleep 30',
];

const READS: string[][] = [
  ['network', 'ls'],
  ['network', 'ls', '--no-trunc'],
  ['network', 'ls', '-q'],
  ['network', 'ls', '--format', '{{json .}}'],
  ['network', 'ls', '--format', 'raw'],
  ['network', 'ls', '-f', 'driver=overlay'],
  ['network', 'inspect', 'ingress'],
  ['network', 'inspect', '-v', 'ingress'],
  ['network', 'inspect', 'bridge', 'docker_gwbridge', 'host', 'none'],
  ['network', 'inspect', '-f', '{{.Id}} {{.Name}} {{json .IPAM.Config}}', 'ingress', 'bridge'],
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
  ['service', 'logs', 'helloworld'],
  ['service', 'inspect', '--format', '{{json .Endpoint.Spec.Ports}}', 'my-web'],
  ['service', 'inspect', '--pretty', 'my-web'],
  ['service', 'ps', 'g1'],
  ['service', 'ps', '--filter', 'desired-state=running', 'redis'],
  ['service', 'ps', 'redis', 'helloworld'],
  ['node', 'ls', '--filter', 'role=manager'],
  ['node', 'inspect', '--pretty', 'worker2'],
  ['node', 'ps'],
  ['service', 'ls', '--filter', 'name=redis'],
  ['service', 'ls', '--format', '{{json .}}'],
  ['service', 'ls', '--format', 'json'],
  ['service', 'ps', '--format', 'json', 'my-web'],
  ['node', 'ls', '--format', 'json'],
  ['service', 'ps', '--format', '{{.Name}} {{.Node}} {{.CurrentState}}', 'my-web'],
  ['swarm', 'join-token', 'manager'],
  ['ps'],
  ['ps', '-a'],
  ['service', 'logs', '--tail', '2', '-t', 'redis'],
  ['service', 'logs', '--raw', '--no-task-ids', 'helloworld'],
  ['service', 'logs', '--raw', '--details', '-t', 'redis'],
  ['service', 'logs', '--details', 'redis'],
  ['service', 'logs', '--since', '6m', 'redis'],
  ['service', 'logs', '--since', '10s', '-t', 'redis'],
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

  test('version negotiation: the CLI settles on API 1.50; a forced older one is served, a newer one refused', async () => {
    const v = await runReal(served.running.url, ['version', '--format', '{{.Client.APIVersion}} {{.Server.APIVersion}} {{.Server.MinAPIVersion}}'], { dir: served.dir });
    expect(v).toEqual({ stdout: '1.50 1.50 1.24\n', stderr: '', code: 0 });
    const old = await runReal(served.running.url, ['service', 'ls', '-q'], { dir: served.dir, env: { DOCKER_API_VERSION: '1.41' } });
    expect(old.code).toBe(0);
    expect(old.stdout.split('\n').filter(Boolean)).toHaveLength(served.session.sim.cluster.services.size);
    const tooNew = await runReal(served.running.url, ['service', 'ls'], { dir: served.dir, env: { DOCKER_API_VERSION: '1.99' } });
    expect(tooNew).toEqual({ stdout: '', stderr: 'Error response from daemon: client version 1.99 is too new. Maximum supported API version is 1.50\n', code: 1 });
  });

  test('service logs of one task (GET /tasks/{id}/logs), whole and tailed', async () => {
    const task = [...served.session.sim.cluster.tasks.values()].find((t) => t.state === 'running' && served.session.sim.cluster.services.get(t.serviceId)?.spec.Name === 'helloworld');
    expect(task).toBeDefined();
    for (const args of [['service', 'logs', task!.id], ['service', 'logs', '--tail', '3', task!.id.slice(0, 12)]]) {
      const real = await runReal(served.running.url, args, { dir: served.dir });
      const ours = await runOurs(served.session, 'manager1', args);
      expect(real.code).toBe(0);
      expect(real.stdout).not.toBe('');
      expect(ours).toEqual(real);
    }
  });

  test('docker inspect NAME probes containers and images first (404s) and finds the service; an unsimulated section says so', async () => {
    const real = await runReal(served.running.url, ['inspect', '--format', '{{.Spec.Name}}', 'redis'], { dir: served.dir });
    expect(real).toEqual({ stdout: 'redis\n', stderr: '', code: 0 });
    const images = await runReal(served.running.url, ['image', 'ls'], { dir: served.dir });
    expect(images.stderr).toBe("Error response from daemon: not available in Swarm Lab: its simulated swarm serves the swarm tutorial's part of the Docker API, not GET /images/json\n");
    expect(images.code).toBe(1);
  });
});
