import { describe, expect, test } from 'vitest';
import type { Task } from '../engine/api/types.js';
import { barText, ProgressDisplay } from '../engine/cli/progress/display.js';
import { truncError } from '../engine/cli/progress/task-states.js';
import { FakeApi, FakeClock, iso, makeNode, makeService, makeTask, run } from './service-fake.js';

const ESC = '\x1b[';

/** Replays cursor movements and erases the way a terminal would; returns the visible lines. */
function screen(bytes: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  for (let i = 0; i < bytes.length; ) {
    const m = /^\x1b\[(\d*)([ABK])/.exec(bytes.slice(i));
    if (m) {
      const n = Number(m[1] || '1');
      if (m[2] === 'A') row = Math.max(0, row - n);
      else if (m[2] === 'B') row += n;
      else lines[row] = '';
      while (lines.length <= row) lines.push('');
      i += m[0].length;
      continue;
    }
    const ch = bytes[i++] ?? '';
    if (ch === '\n') {
      row++;
      col = 0;
      while (lines.length <= row) lines.push('');
    } else if (ch === '\r') col = 0;
    else {
      const line = (lines[row] ?? '').padEnd(col);
      lines[row] = line.slice(0, col) + ch + line.slice(col + 1);
      col++;
    }
  }
  return lines;
}

/** A 3-replica service whose tasks appear pending at +200 ms and run at +400 ms. */
function convergingSwarm(api: FakeApi, serviceId: string, replicas = 3) {
  return (now: number, start: number) => {
    const elapsed = now - start;
    if (elapsed === 200) {
      for (let slot = 1; slot <= replicas; slot++) api.tasks.push(makeTask(serviceId, slot, 'pending'));
    }
    if (elapsed === 400) for (const t of api.tasks) t.Status.State = 'running';
  };
}

function setupCreate(replicas = 3) {
  const api = new FakeApi();
  const clock = new FakeClock();
  const start = clock.nowMs;
  const id = 'svc1'.padEnd(25, 'x');
  const step = convergingSwarm(api, id, replicas);
  clock.onAdvance = (now) => step(now, start);
  return { api, clock, id };
}

describe('progress display (non-TTY)', () => {
  test('create prints the ID, plain overall lines every poll, the 5 s countdown and the converged line', async () => {
    const { api, clock, id } = setupCreate();
    const r = await run(api, ['service', 'create', '--replicas', '3', '--name', 'redis', '--no-resolve-image', 'redis:7.4.0'], { clock });
    expect(r.code).toBe(0);
    const verify = (n: number) => `verify: Waiting ${n} seconds to verify that tasks are stable...`;
    const expected = [
      id,
      'overall progress: 0 out of 3 tasks',
      '1/3:  ',
      '2/3:  ',
      '3/3:  ',
      'overall progress: 0 out of 3 tasks',
      'overall progress: 0 out of 3 tasks', // pending lines carry a bar: dropped when piped
      'overall progress: 3 out of 3 tasks',
      ...[5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1].map(verify),
      `verify: Service ${id} converged`,
    ];
    expect(r.stdout).toBe(expected.join('\n') + '\n');
    expect(r.stderr).toBe('');
  });

  test('polls the up-to-date tasks of the service every 200 ms', async () => {
    const { api, clock, id } = setupCreate();
    const start = clock.nowMs;
    await run(api, ['service', 'create', '--replicas', '3', '--no-resolve-image', 'redis'], { clock });
    expect(api.taskFilters[0]).toEqual({ service: [id], '_up-to-date': ['true'] });
    expect(clock.nowMs - start).toBe(5400);
  });

  test('-q prints only the ID but still waits; -d returns at once', async () => {
    const a = setupCreate(1);
    const startA = a.clock.nowMs;
    const q = await run(a.api, ['service', 'create', '-q', '--no-resolve-image', 'redis'], { clock: a.clock });
    expect(q.stdout).toBe(`${a.id}\n`);
    expect(a.clock.nowMs - startA).toBeGreaterThanOrEqual(5000);
    const b = setupCreate(1);
    const startB = b.clock.nowMs;
    const d = await run(b.api, ['service', 'create', '-d', '--no-resolve-image', 'redis'], { clock: b.clock });
    expect(d.stdout).toBe(`${b.id}\n`);
    expect(b.clock.nowMs).toBe(startB);
  });
});

describe('progress display (TTY)', () => {
  test('each line is redrawn in place: ESC[nA ESC[2K \\r text + space \\r ESC[nB', async () => {
    const { api, clock, id } = setupCreate();
    const r = await run(api, ['service', 'create', '--replicas', '3', '--no-resolve-image', 'redis'], { clock, tty: true });
    expect(r.code).toBe(0);
    const prefix =
      `${id}\n` +
      `\n${ESC}1A${ESC}2K\roverall progress: 0 out of 3 tasks \r${ESC}1B` +
      `\n${ESC}1A${ESC}2K\r1/3:   \r${ESC}1B` +
      `\n${ESC}1A${ESC}2K\r2/3:   \r${ESC}1B` +
      `\n${ESC}1A${ESC}2K\r3/3:   \r${ESC}1B` +
      `${ESC}4A${ESC}2K\roverall progress: 0 out of 3 tasks \r${ESC}4B` +
      `${ESC}3A${ESC}2K\r1/3: pending   \r${ESC}3B`;
    expect(r.stdout.startsWith(prefix)).toBe(true);
    expect(screen(r.stdout)).toEqual([
      id,
      'overall progress: 3 out of 3 tasks ',
      '1/3: running   ',
      '2/3: running   ',
      '3/3: running   ',
      `verify: Service ${id} converged `,
      '',
    ]);
  });

  test('bars appear only above 110 columns, filled by state number out of 9', async () => {
    expect(barText({ current: 3, total: 9 }, 110)).toBe('');
    expect(barText({ current: 3, total: 9 }, 111)).toBe(`[${'='.repeat(16)}>${' '.repeat(34)}] `);
    expect(barText({ current: 9, total: 9 }, 120)).toBe(`[${'='.repeat(50)}>] `);
    const { api, clock } = setupCreate(1);
    const r = await run(api, ['service', 'create', '--no-resolve-image', 'redis'], { clock, tty: true, columns: 120 });
    expect(screen(r.stdout)[2]).toBe(`1/1: running   [${'='.repeat(50)}>] `);
  });

  test('slots are numbered in the order first seen, not by slot number; errors replace the state', async () => {
    const api = new FakeApi();
    const svc = makeService('redisidxxxxxxxxxxxxxxxxxx', 'redis');
    api.services.push(svc);
    const clock = new FakeClock();
    // An update: the first replaced slot is 2, its task fails with a long error.
    const err = 'No such image: redis:9.9.9 ' + 'x'.repeat(80);
    api.tasks.push(makeTask(svc.ID, 2, 'running', { Spec: { ContainerSpec: { Image: 'redis:7.4.1' }, ForceUpdate: 0 } }));
    api.tasks.push(makeTask(svc.ID, 3, 'rejected', { Status: { Timestamp: iso(clock.nowMs), State: 'rejected', Message: '', Err: err, PortStatus: {} } }));
    clock.onAdvance = () => {
      api.services[0]!.UpdateStatus = { State: 'paused', StartedAt: iso(clock.nowMs), Message: 'update paused due to failure or early termination of task abc' };
    };
    // 100 columns: `2/3: ` + a 75-cell error + the trailing space is 81 cells, one row here
    // (at 80 it wraps, and the display counts rows: the narrow-terminal tests below).
    const r = await run(api, ['service', 'update', '--image', 'redis:9.9.9', '--no-resolve-image', 'redis'], { clock, tty: true, columns: 100 });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('service update paused: update paused due to failure or early termination of task abc\n');
    expect(screen(r.stdout)).toEqual([
      'redis',
      'overall progress: 1 out of 3 tasks ',
      '1/3: running   ',
      `2/3: ${truncError(err)} `,
      '3/3:   ',
      '',
    ]);
    expect(truncError(err)).toHaveLength(75);
    expect(truncError(err).endsWith('…')).toBe(true);
    expect(truncError('a\nb')).toBe('a b');
  });

  test('global services use 12-char node IDs and wait for tasks first', async () => {
    const api = new FakeApi();
    api.nodes = [makeNode('o213liabzul9wdxz9hrdvheks', 'vm'), makeNode('down0000000000000000000000', 'gone', 'down')];
    const svc = makeService('globalidxxxxxxxxxxxxxxxxx', 'g1', { Mode: { Global: {} } });
    api.services.push(svc);
    const clock = new FakeClock();
    const start = clock.nowMs;
    clock.onAdvance = (now) => {
      if (now - start === 200) api.tasks.push(makeTask(svc.ID, undefined, 'running', { NodeID: 'o213liabzul9wdxz9hrdvheks' }));
    };
    const r = await run(api, ['service', 'update', '--force', 'g1'], { clock });
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'g1',
      'overall progress: waiting for new tasks',
      'overall progress: 0 out of 1 tasks',
      'overall progress: 1 out of 1 tasks',
    ]);
    const t = await run(api, ['service', 'update', '--force', 'g1'], { clock, tty: true });
    expect(screen(t.stdout)).toContain('o213liabzul9: running   ');
  });
});

describe('progress outcomes', () => {
  test('Ctrl-C before convergence leaves it running in the background, exit 0', async () => {
    const api = new FakeApi();
    api.services.push(makeService('redisidxxxxxxxxxxxxxxxxxx', 'redis'));
    const clock = new FakeClock();
    const controller = new AbortController();
    clock.onAdvance = (now) => {
      if (now - clock.nowMs === 0 && api.updates.length > 0) controller.abort();
    };
    const r = await run(api, ['service', 'update', '--force', 'redis'], { clock, controller });
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('Operation continuing in background.\nUse `docker service ps redis` to check progress.\n')).toBe(true);
  });

  test('a failure during the verify window prints "Detected task failure" and waits again', async () => {
    const api = new FakeApi();
    const svc = makeService('redisidxxxxxxxxxxxxxxxxxx', 'redis', { Mode: { Replicated: { Replicas: 1 } } });
    api.services.push(svc);
    const task = makeTask(svc.ID, 1, 'running');
    api.tasks.push(task);
    const clock = new FakeClock();
    const start = clock.nowMs;
    clock.onAdvance = (now) => {
      if (now - start === 1000) task.Status.State = 'failed';
      if (now - start === 1200) api.tasks.push(makeTask(svc.ID, 1, 'running'));
    };
    const r = await run(api, ['service', 'update', '--force', 'redis'], { clock });
    const lines = r.stdout.split('\n');
    expect(lines).toContain('verify: Detected task failure');
    expect(lines.at(-2)).toBe('verify: Service redis converged');
    expect(clock.nowMs - start).toBe(1200 + 5000);
  });

  test('the monitor period comes from UpdateConfig.Monitor', async () => {
    const api = new FakeApi();
    const svc = makeService('redisidxxxxxxxxxxxxxxxxxx', 'redis', {
      Mode: { Replicated: { Replicas: 1 } },
      UpdateConfig: { Parallelism: 1, Monitor: 2e9, MaxFailureRatio: 0, Order: 'stop-first' },
    });
    api.services.push(svc);
    api.tasks.push(makeTask(svc.ID, 1, 'running'));
    const r = await run(api, ['service', 'update', '--force', 'redis'], { clock: new FakeClock() });
    expect(r.stdout).toContain('verify: Waiting 2 seconds to verify that tasks are stable...');
    expect(r.stdout).not.toContain('Waiting 3 seconds');
  });

  test('rollback shows the rollback line and "rolling back update" progress', async () => {
    const api = new FakeApi();
    const svc = makeService('redisidxxxxxxxxxxxxxxxxxx', 'redis');
    svc.PreviousSpec = svc.Spec;
    api.services.push(svc);
    for (let s = 1; s <= 3; s++) api.tasks.push(makeTask(svc.ID, s, 'running'));
    const clock = new FakeClock();
    clock.onAdvance = () => {
      api.services[0]!.UpdateStatus = { State: 'rollback_started', StartedAt: iso(clock.nowMs), Message: 'manually requested rollback' };
    };
    api.services[0]!.UpdateStatus = { State: 'rollback_started', StartedAt: iso(clock.nowMs), Message: 'manually requested rollback' };
    const r = await run(api, ['service', 'rollback', 'redis'], { clock, tty: true });
    expect(r.code).toBe(0);
    expect(screen(r.stdout)).toEqual([
      'redis',
      'rollback: manually requested rollback ',
      'overall progress: rolling back update: 3 out of 3 tasks ',
      '1/3: running   ',
      '2/3: running   ',
      '3/3: running   ',
      'verify: Service redis converged ',
      '',
    ]);
    expect(api.updates[0]?.opts).toEqual({ rollback: 'previous' });
  });

  test('rollback paused ends with exit 1', async () => {
    const api = new FakeApi();
    const svc = makeService('redisidxxxxxxxxxxxxxxxxxx', 'redis');
    svc.PreviousSpec = svc.Spec;
    api.services.push(svc);
    const clock = new FakeClock();
    clock.onAdvance = () => {
      api.services[0]!.UpdateStatus = { State: 'rollback_paused', StartedAt: iso(clock.nowMs), Message: 'rollback paused due to failure or early termination of task x' };
    };
    api.services[0]!.UpdateStatus = { State: 'rollback_paused', StartedAt: iso(clock.nowMs), Message: 'rollback paused due to failure or early termination of task x' };
    const r = await run(api, ['service', 'rollback', 'redis'], { clock });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('service rollback paused: rollback paused due to failure or early termination of task x\n');
  });

  test('ProgressDisplay messages are plain lines and reset the tracked lines', () => {
    let out = '';
    const d = new ProgressDisplay({ write: (t) => (out += t) }, true, 80);
    d.progress('a', 'x');
    d.message('rollback', 'rollback completed');
    d.progress('a', 'y');
    expect(out).toBe(`\n${ESC}1A${ESC}2K\ra: x \r${ESC}1Brollback: rollback completed\n\n${ESC}1A${ESC}2K\ra: y \r${ESC}1B`);
  });
});

// Keep the helper type-checked even when not all tests use it.
export type { Task };
