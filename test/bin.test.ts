// The swarm-lab command as a user runs it: `swarm-lab run FILE` prints a reproducible
// transcript the width of the terminal; bad arguments get a clear message.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (...args: string[]) => spawnSync(process.execPath, ['bin/swarm-lab.mjs', ...args], { cwd: root, encoding: 'utf8', input: '' });
const walkthrough = 'test/fixtures/walkthroughs/rolling-update.sh';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root });
});

describe('swarm-lab run', () => {
  test('prints each command after "$ " with its output, as an 80-column terminal shows it', () => {
    const r = bin('run', walkthrough, '--seed', '5');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('$ docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0');
    expect(lines[1]).toMatch(/^[0-9a-z]{25}$/);
    expect(lines.slice(2, 7)).toEqual(['overall progress: 3 out of 3 tasks', '1/3: running', '2/3: running', '3/3: running', `verify: Service ${lines[1]} converged`]);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines.filter((l) => l.startsWith('$ ')).length).toBe(17);
    expect(r.stdout).toContain('service update paused: update paused due to failure or early termination of task');
  });

  test('the same seed gives the same transcript; another seed other IDs', () => {
    const a = bin('run', walkthrough, '--seed', '5').stdout;
    expect(bin('run', walkthrough, '--seed', '5').stdout).toBe(a);
    const b = bin('run', walkthrough, '--seed', '6').stdout;
    expect(b).not.toBe(a);
    expect(b.split('\n')[0]).toBe(a.split('\n')[0]);
  });

  test('--cols widens the terminal', () => {
    const lines = bin('run', walkthrough, '--cols', '132').stdout.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(80);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(132);
    // Over 110 columns the progress display draws bars, as docker does.
    expect(lines).toContain('1/3: running   [==================================================>]');
  });

  test('--topology picks the nodes', () => {
    const r = spawnSync(process.execPath, ['bin/swarm-lab.mjs', 'run', '-', '--topology', '2m3w'], {
      cwd: root,
      encoding: 'utf8',
      input: 'docker node ls\n',
    });
    expect(r.status).toBe(0);
    expect(r.stdout.match(/manager\d|worker\d/g)).toEqual(['manager1', 'manager2', 'worker1', 'worker2', 'worker3']);
  });

  test('bad arguments are explained', () => {
    const missing = bin('run', 'no/such/file.sh');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('swarm-lab: cannot read no/such/file.sh: ENOENT\n');
    const unknown = bin('run', walkthrough, '--bogus');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^swarm-lab: unknown option --bogus\n\nUsage:/);
    const topo = bin('run', walkthrough, '--topology', '0m');
    expect(topo.status).toBe(2);
    expect(topo.stderr).toContain('topology 0m');
    expect(bin('--help').stdout).toMatch(/^Usage:\n {2}swarm-lab /);
  });
});
