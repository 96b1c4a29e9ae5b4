// The service commands against the simulated swarm: the tutorial's rolling-update path.
import { expect, test } from 'vitest';
import type { CliContext } from '../engine/cli/context.js';
import { runDocker } from '../engine/cli/dispatch.js';
import { createSimulatedSwarm } from '../engine/sim/simulator.js';

function harness() {
  const sim = createSimulatedSwarm({ seed: 3 });
  const api = sim.api('manager1');
  return async (argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const ctx: CliContext = {
      api,
      stdout: { write: (t) => (stdout += t) },
      stderr: { write: (t) => (stderr += t) },
      tty: false,
      columns: 80,
      clock: {
        now: () => sim.clock.epochNow(),
        sleep: async (ms) => {
          await new Promise((r) => setTimeout(r, 0));
          sim.clock.advance(ms);
        },
      },
      signal: new AbortController().signal,
    };
    const code = await runDocker(argv, ctx);
    return { code, stdout, stderr };
  };
}

test('create converges, update rolls, a bad image pauses with exit 1, rollback restores', async () => {
  const docker = harness();
  const created = await docker(['service', 'create', '--replicas', '3', '--name', 'redis', '--update-delay', '10s', 'redis:7.4.0']);
  expect(created.code).toBe(0);
  const lines = created.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^[0-9a-z]{25}$/);
  expect(lines.at(-1)).toBe(`verify: Service ${lines[0]} converged`);
  expect(lines).toContain('overall progress: 3 out of 3 tasks');

  const updated = await docker(['service', 'update', '--image', 'redis:7.4.1', 'redis']);
  expect(updated.code).toBe(0);
  expect(updated.stdout.trimEnd().split('\n').at(-1)).toBe('verify: Service redis converged');

  const bad = await docker(['service', 'update', '--image', 'redis:9.9.9', 'redis']);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/could not be accessed on a registry/);
  expect(bad.stderr).toMatch(/service update paused: update paused due to failure or early termination of task [0-9a-z]{25}\n$/);

  const rolled = await docker(['service', 'rollback', 'redis']);
  expect(rolled.code).toBe(0);
  expect(rolled.stdout).toContain('rollback: manually requested rollback');

  const ps = await docker(['service', 'ps', 'redis']);
  expect(ps.code).toBe(0);
  expect(ps.stdout.split('\n')[0]).toMatch(/^ID {13}NAME {10}IMAGE {9}NODE/);
  expect(ps.stdout).toContain(' \\_ redis.');
  const ls = await docker(['service', 'ls']);
  expect(ls.stdout).toMatch(/redis     replicated   3\/3        redis:7\.4\.1/);
}, 20000);
