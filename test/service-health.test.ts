// Health checks of services (--health-*, --no-healthcheck): the spec the CLI sends and keeps
// (docker/cli 28's toHealthConfig and updateHealthcheck), the `inspect --pretty` block, and what
// the simulated swarm does with it (engine/sim/health.ts): a task stays STARTING until its
// container is healthy, an unhealthy one is stopped and ends COMPLETE for its restart policy.
import { describe, expect, test } from 'vitest';
import { Session } from '../engine/session.js';
import { findImage } from '../engine/sim/images.js';
import { healthVerdict, probePasses } from '../engine/sim/health.js';

async function run(session: Session, line: string): Promise<{ code: number; out: string }> {
  let out = '';
  const sink = { write: (s: string) => void (out += s) };
  const code = await session.run(line, { stdout: sink, stderr: sink, tty: false, columns: 200, signal: new AbortController().signal });
  return { code, out };
}

const healthJson = async (s: Session, name: string) =>
  (await run(s, `docker service inspect --format '{{json .Spec.TaskTemplate.ContainerSpec.Healthcheck}}' ${name}`)).out.trim();

describe('the spec', () => {
  test('create sends the flags in HealthConfig\'s order, zero values left out', async () => {
    const s = new Session({ seed: 1, mode: 'instant' });
    await run(s, "docker service create -d --name hc --health-cmd 'redis-cli ping' --health-interval 2s --health-retries 2 --health-timeout 1s --health-start-period 1s redis:7.4.0");
    expect(await healthJson(s, 'hc')).toBe('{"Test":["CMD-SHELL","redis-cli ping"],"Interval":2000000000,"Timeout":1000000000,"StartPeriod":1000000000,"Retries":2}');
    await run(s, 'docker service create -d --name only --health-retries 4 redis:7.4.0');
    expect(await healthJson(s, 'only')).toBe('{"Retries":4}');
    await run(s, 'docker service create -d --name none --no-healthcheck redis:7.4.0');
    expect(await healthJson(s, 'none')).toBe('{"Test":["NONE"]}');
    await run(s, 'docker service create -d --name plain redis:7.4.0');
    expect(await healthJson(s, 'plain')).toBe('null');
  });

  test('--no-healthcheck with a --health-* flag is refused before anything is sent', async () => {
    const s = new Session({ seed: 1, mode: 'instant' });
    expect(await run(s, 'docker service create -d --name x --no-healthcheck --health-cmd true redis:7.4.0')).toEqual({
      code: 1,
      out: '--no-healthcheck conflicts with --health-* options\n',
    });
    expect((await run(s, 'docker service ls -q')).out).toBe('');
  });

  test('update changes only what it names; --no-healthcheck replaces the check; an empty --health-cmd drops the test', async () => {
    const s = new Session({ seed: 2, mode: 'instant' });
    await run(s, "docker service create -d --name hc --health-cmd 'redis-cli ping' --health-interval 2s redis:7.4.0");
    await run(s, 'docker service update -d --health-retries 5 hc');
    expect(await healthJson(s, 'hc')).toBe('{"Test":["CMD-SHELL","redis-cli ping"],"Interval":2000000000,"Retries":5}');
    await run(s, 'docker service update -d --no-healthcheck hc');
    expect(await healthJson(s, 'hc')).toBe('{"Test":["NONE"]}');
    // After NONE a new interval starts a config without a test (docker drops NONE first).
    await run(s, 'docker service update -d --health-interval 3s hc');
    expect(await healthJson(s, 'hc')).toBe('{"Interval":3000000000}');
    await run(s, "docker service update -d --health-cmd 'true' hc");
    await run(s, "docker service update -d --health-cmd '' hc");
    expect(await healthJson(s, 'hc')).toBe('{"Interval":3000000000}');
    expect((await run(s, 'docker service update -d --no-healthcheck --health-retries 1 hc')).out).toBe('--no-healthcheck conflicts with --health-* options\n');
  });

  test('a health change is a task change: the update replaces the tasks', async () => {
    const s = new Session({ seed: 3, mode: 'instant' });
    await run(s, 'docker service create -d --name hc --replicas 2 redis:7.4.0');
    s.advance(10_000);
    await run(s, 'docker service update -d --no-healthcheck hc');
    s.advance(30_000);
    const ps = (await run(s, "docker service ps --format '{{.Name}} {{.DesiredState}}' hc")).out;
    expect(ps.split('\n').filter((l) => l.endsWith('Shutdown'))).toHaveLength(2);
  });

  test('inspect --pretty prints the Healthcheck block after the endpoint, as docker\'s template does', async () => {
    const s = new Session({ seed: 4, mode: 'instant' });
    await run(s, "docker service create -d --name hc --health-cmd 'redis-cli ping' --health-interval 2s --health-retries 2 --health-timeout 1s --health-start-period 1s redis:7.4.0");
    const pretty = (await run(s, 'docker service inspect --pretty hc')).out;
    expect(pretty.endsWith(
      'Endpoint Mode:\tvip\n Healthcheck:\n  Interval = 2s\n  Retries = 2\n  StartPeriod =\t1s\n  Timeout =\t1s\n  Tests:\n\t Test = CMD-SHELL\n\t Test = redis-cli ping \n\n',
    )).toBe(true);
    await run(s, 'docker service create -d --name r --health-retries 3 redis:7.4.0');
    expect((await run(s, 'docker service inspect --pretty r')).out.endsWith(
      'Endpoint Mode:\tvip\n Healthcheck:\n  Interval = 0s\n  Retries = 3\n  StartPeriod =\t0s\n  Timeout =\t0s\n\n',
    )).toBe(true);
  });
});

describe('the probe', () => {
  const redis = findImage('redis:7.4.0')!;
  const nginx = findImage('nginx:1.27.3')!;
  test.each([
    ['redis-cli ping', redis, true],
    ['redis-cli ping', nginx, false],
    ['redis-cli -p 6380 ping', redis, false],
    ['curl -f http://localhost/', nginx, true],
    ['curl -f http://localhost:8080/', nginx, false],
    ['curl -f http://localhost/', redis, false],
    ['test -f /usr/share/nginx/html/index.html', nginx, true],
    ['test -f /nope', nginx, false],
    ['[ -f /usr/local/bin/redis-server ]', redis, true],
    ['exit 1', redis, false],
    ['exit 0', redis, true],
    ['false', redis, false],
    ['false || true', redis, true],
    ['true && false', redis, false],
    ["curl -f http://localhost/ || exit 1", nginx, true],
  ] as const)('%s on %s', (cmd, image, passes) => {
    expect(probePasses(['CMD-SHELL', cmd], image)).toBe(passes);
  });

  test('the monitor\'s timing: defaults, retries, the start period\'s uncounted failures', () => {
    expect(healthVerdict({}, true)).toEqual({ healthy: true, afterMs: 30_000 });
    expect(healthVerdict({}, false)).toEqual({ healthy: false, afterMs: 90_000 });
    expect(healthVerdict({ Interval: 1e9, Retries: 1 }, false)).toEqual({ healthy: false, afterMs: 1_000 });
    // Start period 10 s: probes every 5 s inside it (5, 10), failures count from 10 s, then every 2 s.
    expect(healthVerdict({ Interval: 2e9, StartPeriod: 10e9 }, false)).toEqual({ healthy: false, afterMs: 14_000 });
    expect(healthVerdict({ Interval: 2e9, StartPeriod: 10e9 }, true)).toEqual({ healthy: true, afterMs: 5_000 });
  });
});

describe('the swarm', () => {
  test('a healthy task stays Starting until its first passing probe, and docker ps says so', async () => {
    const s = new Session({ seed: 5, mode: 'instant' });
    await run(s, "docker service create -d --name hc --constraint node.hostname==manager1 --health-cmd 'redis-cli ping' --health-interval 10s redis:7.4.0");
    s.advance(5_000);
    expect((await run(s, "docker service ps --format '{{.CurrentState}}' hc")).out).toMatch(/^Starting \d+ seconds? ago\n$/);
    expect((await run(s, "docker ps --format '{{.Status}}'")).out).toMatch(/^Up \d+ seconds? \(health: starting\)\n$/);
    s.advance(10_000);
    expect((await run(s, "docker service ps --format '{{.CurrentState}}' hc")).out).toMatch(/^Running \d+ seconds? ago\n$/);
    expect((await run(s, "docker ps --format '{{.Status}}'")).out).toMatch(/^Up 1\d seconds \(healthy\)\n$/);
  });

  test('an unhealthy task is stopped and ends Complete, no error; the restart policy replaces it after its delay', async () => {
    const s = new Session({ seed: 6, mode: 'instant' });
    await run(s, 'docker service create -d --name sick --health-cmd false --health-interval 1s --health-retries 1 redis:7.4.0');
    s.advance(12_000);
    const rows = (await run(s, "docker service ps --format '{{.DesiredState}}|{{.CurrentState}}|{{.Error}}' sick")).out.trim().split('\n');
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const done = rows.filter((r) => /^Shutdown\|Complete /.test(r));
    expect(done.length).toBeGreaterThanOrEqual(2);
    for (const r of done) expect(r.endsWith('|')).toBe(true);
    expect(rows.some((r) => /^Running\|Running /.test(r))).toBe(false);
  });

  test('with --restart-condition on-failure an unhealthy task, ending Complete, is not replaced', async () => {
    const s = new Session({ seed: 7, mode: 'instant' });
    await run(s, 'docker service create -d --name sick --restart-condition on-failure --health-cmd false --health-interval 1s --health-retries 1 redis:7.4.0');
    s.advance(30_000);
    const rows = (await run(s, "docker service ps --format '{{.DesiredState}} {{.CurrentState}}' sick")).out.trim().split('\n');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^Shutdown Complete /);
  });

  test('a check that passes once it exists: --no-healthcheck makes the replaced tasks run at once', async () => {
    const s = new Session({ seed: 8, mode: 'instant' });
    await run(s, 'docker service create -d --name sick --health-cmd false --health-retries 1 --health-interval 1s redis:7.4.0');
    s.advance(3_000);
    await run(s, 'docker service update -d --no-healthcheck sick');
    s.advance(20_000);
    expect((await run(s, "docker service ps --filter desired-state=running --format '{{.CurrentState}}' sick")).out).toMatch(/^Running /);
  });
});
