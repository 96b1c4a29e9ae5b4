// The resource flags of `docker service create|update` parse their values as docker/cli's
// pflag Values do (opts.NanoCPUs, opts.MemBytes): a bad value is a flag error, exit 125 with
// the usage hint, before anything reaches the daemon.
import { describe, expect, test } from 'vitest';
import { Session } from '../engine/session.js';

async function run(session: Session, line: string): Promise<{ code: number; out: string }> {
  let out = '';
  const sink = { write: (s: string) => void (out += s) };
  const code = await session.run(line, { stdout: sink, stderr: sink, tty: false, columns: 200, signal: new AbortController().signal });
  return { code, out };
}

const usage = (cmd: string, args: string) => `\n\nUsage:  docker service ${cmd} [OPTIONS] ${args}\n\nRun 'docker service ${cmd} --help' for more information\n`;

describe('resource flag values', () => {
  test.each([
    ['--limit-memory lots', `invalid argument "lots" for "--limit-memory" flag: invalid size: 'lots'`],
    ['--reserve-memory 1.5.x', `invalid argument "1.5.x" for "--reserve-memory" flag: invalid size: '1.5.x'`],
    ['--limit-cpu abc', 'invalid argument "abc" for "--limit-cpu" flag: failed to parse abc as a rational number'],
    ['--reserve-cpu 0.0000000001', 'invalid argument "0.0000000001" for "--reserve-cpu" flag: value is too precise'],
  ])('create %s', async (flag, message) => {
    const s = new Session({ seed: 1, mode: 'instant' });
    expect(await run(s, `docker service create -d --name x ${flag} redis:7.4.0`)).toEqual({
      code: 125,
      out: message + usage('create', 'IMAGE [COMMAND] [ARG...]'),
    });
    expect((await run(s, 'docker service ls -q')).out).toBe('');
  });

  test('update refuses the same way', async () => {
    const s = new Session({ seed: 1, mode: 'instant' });
    await run(s, 'docker service create -d --name x redis:7.4.0');
    expect((await run(s, 'docker service update -d --limit-memory lots x')).code).toBe(125);
  });

  test('the forms docker accepts: decimals, a/b, sizes with a space or an i', async () => {
    const s = new Session({ seed: 1, mode: 'instant' });
    expect((await run(s, "docker service create -d --name x --limit-cpu 1/2 --reserve-cpu 0.25 --limit-memory '64 MB' --reserve-memory 32MiB redis:7.4.0")).code).toBe(0);
    expect((await run(s, "docker service inspect --format '{{json .Spec.TaskTemplate.Resources}}' x")).out).toBe(
      '{"Limits":{"NanoCPUs":500000000,"MemoryBytes":67108864},"Reservations":{"NanoCPUs":250000000,"MemoryBytes":33554432}}\n',
    );
  });

  test('update changes only the values it names, and a zero drops one', async () => {
    const s = new Session({ seed: 1, mode: 'instant' });
    await run(s, 'docker service create -d --name x --limit-cpu 0.5 --limit-memory 64M --reserve-cpu 0.25 --reserve-memory 32M redis:7.4.0');
    await run(s, 'docker service update -d --limit-memory 128M --reserve-memory 0 x');
    expect((await run(s, "docker service inspect --format '{{json .Spec.TaskTemplate.Resources}}' x")).out).toBe(
      '{"Limits":{"NanoCPUs":500000000,"MemoryBytes":134217728},"Reservations":{"NanoCPUs":250000000}}\n',
    );
    // A value added later still prints in swarm.Limit's order.
    await run(s, 'docker service create -d --name y --limit-memory 64M redis:7.4.0');
    await run(s, 'docker service update -d --limit-cpu 1 y');
    expect((await run(s, "docker service inspect --format '{{json .Spec.TaskTemplate.Resources.Limits}}' y")).out).toBe('{"NanoCPUs":1000000000,"MemoryBytes":67108864}\n');
  });
});

describe('reservations (swarmkit\'s ResourceFilter)', () => {
  const ps = async (s: Session, svc: string) =>
    (await run(s, `docker service ps --no-trunc --filter desired-state=running --format '{{.CurrentState}}|{{.Error}}' ${svc}`)).out.trim().split('\n');

  test('a reservation no node holds leaves the task Pending, with swarmkit\'s reason', async () => {
    const s = new Session({ seed: 2, mode: 'instant' });
    await run(s, 'docker service create -d --name toomuch --reserve-memory 100G redis:7.4.0');
    s.advance(5_000);
    const [row] = await ps(s, 'toomuch');
    expect(row).toMatch(/^Pending .*\|"no suitable node \(insufficient resources on 3 nodes\)"$/);
  });

  test('what placed tasks reserve is taken off a node\'s room; a task that ends gives it back', async () => {
    const s = new Session({ seed: 3, mode: 'instant' });
    // Each node has 2 CPUs: one 1.5-CPU task per node, the fourth waits.
    await run(s, 'docker service create -d --name big --replicas 4 --reserve-cpu 1.5 redis:7.4.0');
    s.advance(10_000);
    const rows = await ps(s, 'big');
    expect(rows.filter((r) => r.startsWith('Running'))).toHaveLength(3);
    expect(rows.filter((r) => r.endsWith('|"no suitable node (insufficient resources on 3 nodes)"'))).toHaveLength(1);
    await run(s, 'docker service create -d --name small --reserve-cpu 1 redis:7.4.0');
    s.advance(5_000);
    expect((await ps(s, 'small'))[0]).toMatch(/^Pending /);
    await run(s, 'docker service rm big');
    s.advance(15_000);
    expect((await ps(s, 'small'))[0]).toMatch(/^Running /);
  });
});

