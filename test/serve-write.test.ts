// The tutorial's changing commands through the REAL docker CLI against `swarm-lab serve`,
// with its attached progress display polling the simulated swarm as it converges in (sped
// up) real time: create, update, scale, rollback reach "verify: Service … converged"; an
// update to an image no registry has pauses with the daemon's message; rm removes.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Served } from './serve-harness.js';
import { realCliAvailable, runReal, serveFrozen } from './serve-harness.js';

const WARNING_999 =
  'image redis:9.9.9 could not be accessed on a registry to record\n' +
  'its digest. Each node will access redis:9.9.9 independently,\n' +
  'possibly leading to different nodes running different\n' +
  'versions of the image.\n\n';

describe.skipIf(!realCliAvailable())('real docker CLI changes the served swarm', () => {
  let served: Served;
  let docker: (...args: string[]) => ReturnType<typeof runReal>;
  beforeAll(async () => {
    // Ten simulated seconds per real one: a 10 s update delay passes in one.
    served = await serveFrozen([], { speed: 10, pastMs: 600_000 });
    docker = (...args) => runReal(served.running.url, args, { dir: served.dir, timeoutMs: 90_000 });
  });
  afterAll(async () => {
    await served?.close();
  });

  test('service create, attached, converges', async () => {
    const r = await docker('service', 'create', '--replicas', '3', '--name', 'redis', '--update-delay', '10s', 'redis:7.4.0');
    const id = r.stdout.split('\n')[0]!;
    expect(id).toMatch(/^[0-9a-z]{25}$/);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('overall progress: 3 out of 3 tasks');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`verify: Service ${id} converged`);
    expect(r.code).toBe(0);
    // The registry lookup pinned the catalog image to its digest, as Docker Hub would.
    const img = await docker('service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', 'redis');
    expect(img.stdout).toMatch(/^redis:7\.4\.0@sha256:[0-9a-f]{64}\n$/);
  }, 90_000);

  test('service update --image converges', async () => {
    const r = await docker('service', 'update', '--image', 'redis:7.4.1', 'redis');
    expect(r.stdout.split('\n')[0]).toBe('redis');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verify: Service redis converged');
    expect(r.code).toBe(0);
    const ps = await docker('service', 'ps', '--filter', 'desired-state=running', '--format', '{{.Image}}', 'redis');
    expect(ps.stdout).toBe('redis:7.4.1\n'.repeat(3));
  }, 90_000);

  test('service scale converges', async () => {
    const r = await docker('service', 'scale', 'redis=5');
    expect(r.stdout.split('\n')[0]).toBe('redis scaled to 5');
    expect(r.stdout).toContain('overall progress: 5 out of 5 tasks');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verify: Service redis converged');
    expect(r.code).toBe(0);
  }, 90_000);

  test('service rollback converges on the previous spec', async () => {
    const r = await docker('service', 'rollback', 'redis');
    // The CLI prints the rollback's message when its first look at the service finds it; on a
    // loaded machine that look can come after, and the progress header alone says it rolls back.
    expect(r.stdout).toMatch(/^rollback: manually requested rollback$|^overall progress: rolling back update: /m);
    // The swarm may report the rollback done before the CLI's verify wait ends: then the CLI adds one line.
    const tail = r.stdout.trimEnd().split('\n').slice(-2);
    expect(tail.includes('verify: Service redis converged')).toBe(true);
    if (tail[1] !== 'verify: Service redis converged') expect(tail[1]).toBe('rollback: rollback completed');
    expect(r.code).toBe(0);
    const ls = await docker('service', 'ls', '--format', '{{.Replicas}}');
    expect(ls.stdout).toBe('3/3\n');
  }, 90_000);

  test('service update to a tag no registry has: warning, then paused', async () => {
    const r = await docker('service', 'update', '--image', 'redis:9.9.9', 'redis');
    expect(r.stderr.startsWith(WARNING_999)).toBe(true);
    expect(r.stderr).toMatch(/service update paused: update paused due to failure or early termination of task [0-9a-z]{25}\n$/);
    expect(r.code).toBe(1);
    const st = await docker('service', 'inspect', '--format', '{{.UpdateStatus.State}}', 'redis');
    expect(st.stdout).toBe('paused\n');
  }, 90_000);

  test('service logs -f follows: new lines arrive while the swarm runs, until the CLI is stopped', async () => {
    // A service of its own: redis is left paused on a tag that never runs by the test above, and
    // a forced update of it may only add rejected tasks, which log nothing.
    expect((await docker('service', 'create', '-d', '--name', 'follow', 'redis:7.4.0')).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1500)); // 15 s of the swarm's time at 10x: running
    const { spawn } = await import('node:child_process');
    const child = spawn('/usr/local/bin/docker', ['service', 'logs', '-f', '--raw', 'follow'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DOCKER_HOST: served.running.url, DOCKER_CONFIG: `${served.dir}/docker-config`, HOME: served.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => void (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => void (out += c.toString('utf8')));
    await new Promise((r) => setTimeout(r, 1000));
    const early = out.length;
    // The swarm keeps running (10x): the replaced task logs its shutdown, the new one its start-up.
    await docker('service', 'update', '-d', '--force', 'follow');
    await new Promise((r) => setTimeout(r, 3000));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    expect(child.exitCode).toBe(null);
    child.kill('SIGINT');
    await exited;
    expect(early).toBeGreaterThan(0);
    expect(out.length).toBeGreaterThan(early);
    expect((await docker('service', 'rm', 'follow')).code).toBe(0); // the next test wants redis alone
  }, 30_000);

  test('service rm', async () => {
    const r = await docker('service', 'rm', 'redis');
    expect(r).toEqual({ stdout: 'redis\n', stderr: '', code: 0 });
    const ls = await docker('service', 'ls', '-q');
    expect(ls.stdout).toBe('');
  });
});
