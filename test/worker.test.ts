// The worker entry (engine/worker.ts) driven through comlink over a MessageChannel, as the
// page drives it: streamed output, Ctrl-C, completion, history, speed and pause.
import * as Comlink from 'comlink';
import { describe, expect, test, vi } from 'vitest';
import { workerPort } from './helpers/worker-port.js';
import { commonPrefix, complete } from '../engine/worker/complete.js';

const port = workerPort();

const run = (line: string, columns?: number) => port.run(line, columns);

const ESC = /\x1b\[[0-9;]*[A-Za-z]/g;

describe('worker through comlink', () => {
  test('ready reports the prompt and the machines of a fresh swarm', async () => {
    const info = await port.engine.reset({ seed: 7 });
    expect(info.prompt).toBe('docker@manager1:~$ ');
    expect(info.hostnames).toEqual(['manager1', 'worker1', 'worker2']);
    expect(await port.engine.prompt()).toBe(info.prompt);
  });

  test('a command runs and its output and exit code come back', async () => {
    const r = await run('docker node ls');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ID +HOSTNAME +STATUS +AVAILABILITY +MANAGER STATUS +ENGINE VERSION\n/);
    expect(r.out.match(/\n/g)).toHaveLength(4);
    const bad = await run('docker service ps nope');
    expect(bad.code).toBe(1);
    expect(bad.out).toBe('no such service: nope\n');
  });

  test('service create streams the progress display while the clock runs, and converges', async () => {
    await port.engine.setSpeed(20);
    const r = await run('docker service create --replicas 3 --name redis redis:7.4.0');
    expect(r.code).toBe(0);
    // Several separate bursts: the page sees the display animate, not one final dump.
    expect(r.chunks.length).toBeGreaterThan(2);
    const plain = r.out.replace(ESC, '');
    expect(plain).toMatch(/^[a-z0-9]{25}\n/);
    expect(plain).toContain('overall progress: 3 out of 3 tasks');
    expect(plain).toMatch(/verify: Service [a-z0-9]{25} converged/);
  });

  test('Ctrl-C during an update: the command stops waiting, the swarm carries on', async () => {
    await port.engine.setSpeed(1);
    const chunks: string[] = [];
    const done = port.engine.run('docker service update --image redis:7.4.1 redis', 100, Comlink.proxy((t: string) => void chunks.push(t)));
    await vi.waitFor(() => expect(chunks.join('')).toContain('overall progress'), { timeout: 5000 });
    expect(await port.engine.interrupt()).toBe(true);
    const code = await done;
    expect(code).toBe(0);
    expect(chunks.join('').replace(ESC, '')).toContain('Operation continuing in background.');
    // Nothing is running any more.
    expect(await port.engine.interrupt()).toBe(false);
  });

  test('history keeps every line in order', async () => {
    expect(await port.engine.history()).toEqual([
      'docker node ls',
      'docker service ps nope',
      'docker service create --replicas 3 --name redis redis:7.4.0',
      'docker service update --image redis:7.4.1 redis',
    ]);
  });

  test('completion: commands, subcommands, flags and live names', async () => {
    expect(await port.engine.complete('docker serv', 11)).toEqual({ start: 7, end: 11, candidates: ['service'] });
    expect((await port.engine.complete('docker service ', 15)).candidates).toEqual(
      ['create', 'inspect', 'logs', 'ls', 'ps', 'rm', 'rollback', 'scale', 'update'],
    );
    expect((await port.engine.complete('docker service ps r', 19)).candidates).toEqual(['redis']);
    expect((await port.engine.complete('docker service scale ', 21)).candidates).toEqual(['redis=']);
    expect((await port.engine.complete('docker node inspect w', 21)).candidates).toEqual(['worker1', 'worker2']);
    expect((await port.engine.complete('docker service create --repl', 28)).candidates).toEqual(['--replicas', '--replicas-max-per-node']);
    expect((await port.engine.complete('docker service create --name ', 29)).candidates).toEqual([]);
    expect((await port.engine.complete('ss', 2)).candidates).toEqual(['ssh']);
    expect((await port.engine.complete('ssh work', 8)).candidates).toEqual(['worker1', 'worker2']);
    // Completing in the middle of a line looks only at the text before the cursor.
    expect(await port.engine.complete('docker no ls', 9)).toEqual({ start: 7, end: 9, candidates: ['node'] });
  });

  test('speed must be 1, 5 or 20; pause stops the clock and resume restarts it', async () => {
    await expect(port.engine.setSpeed(3 as 5)).rejects.toThrow(/speed must be one of 1, 5, 20/);
    await port.engine.pause();
    const t0 = await port.engine.now();
    await new Promise((r) => setTimeout(r, 150));
    expect(await port.engine.now()).toBe(t0);
    await port.engine.resume();
    await port.engine.setSpeed(20);
    await new Promise((r) => setTimeout(r, 150));
    // 20x: well over a second of simulated time in 150 ms.
    expect((await port.engine.now()) - t0).toBeGreaterThan(1000);
  });

  test('reset with setup reaches a lesson start state quickly, silently', async () => {
    await port.engine.setSpeed(1);
    const started = Date.now();
    const info = await port.engine.reset({ seed: 3, setup: ['docker service create --replicas 3 --update-delay 10s --name web nginx:1.27'] });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(info.prompt).toBe('docker@manager1:~$ ');
    const r = await run('docker service ls');
    expect(r.out).toMatch(/\bweb +replicated +3\/3 +nginx:1\.27\b/);
  });

  test('a fresh swarm without a swarm: docker node ls fails like a non-member', async () => {
    await port.engine.reset({ swarm: false });
    const r = await run('docker node ls');
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('This node is not a swarm manager.');
    expect((await port.engine.complete('docker node inspect ', 20)).candidates).toEqual([]);
  });

  test('check: every step of a lesson, with the reason of each one not done yet', async () => {
    await port.engine.setSpeed(20);
    await port.engine.reset({ seed: 5 });
    const before = await port.engine.check('rolling-update');
    expect(before.map((r) => r.stepId)).toEqual(['create', 'update', 'break', 'rollback', 'node-down', 'node-back']);
    expect(before.every((r) => !r.ok)).toBe(true);
    expect(before[0]?.reason).toEqual({ key: 'lesson.reason.noService', params: { service: 'redis' } });
    const r = await run('docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0');
    expect(r.code).toBe(0);
    const after = await port.engine.check('rolling-update');
    expect(after[0]).toEqual({ stepId: 'create', ok: true });
    expect(after[1]?.ok).toBe(false);
    expect(after[1]?.reason?.key).toBe('lesson.reason.image');
    await expect(port.engine.check('no-such-lesson')).rejects.toThrow(/no lesson/);
  });

  test('inject: a menu\'s failure runs as its lab line, answered and undone like a typed one', async () => {
    await port.engine.reset({ seed: 8 });
    await run('docker service create -d --replicas 3 --name redis redis:7.4.0');
    const chunks: string[] = [];
    const code = await port.engine.inject('node-stop', 'worker1', 100, Comlink.proxy((t: string) => void chunks.push(t)));
    expect(code).toBe(0);
    expect(chunks.join('')).toMatch(/^Stopped the Docker daemon on worker1 /);
    expect((await port.engine.history()).at(-1)).toBe('lab node stop worker1');
    expect((await port.engine.snapshot()).journal.at(-1)).toMatchObject({ inject: 'node-stop', target: 'worker1' });
    expect((await run('lab node stop worker1')).out).toBe('lab: the Docker daemon on worker1 is already stopped\n');
    expect((await run('undo')).out).toMatch(/^Undone: lab node stop worker1\n/);
    await expect(port.engine.inject('node-reboot' as 'node-stop', 'worker1', 100, Comlink.proxy(() => {}))).rejects.toThrow(/not an injection/);
  });

  test('vars: the join token of the running swarm, none before swarm init', async () => {
    await port.engine.reset({ seed: 6 });
    const vars = await port.engine.vars('add-nodes');
    expect(vars.WORKER_TOKEN).toMatch(/^SWMTKN-1-[0-9a-z]+-[0-9a-z]+$/);
    // The token it gives is the one `docker swarm join-token -q worker` prints.
    const r = await run('docker swarm join-token -q worker');
    expect(r.out.trim()).toBe(vars.WORKER_TOKEN);
    expect(await port.engine.vars('rolling-update')).toEqual({});
    await port.engine.reset({ swarm: false });
    expect(await port.engine.vars('add-nodes')).toEqual({});
  });
});

describe('completion helpers', () => {
  test('commonPrefix', () => {
    expect(commonPrefix(['worker1', 'worker2'])).toBe('worker');
    expect(commonPrefix(['ls'])).toBe('ls');
    expect(commonPrefix([])).toBe('');
  });

  test('global flags are skipped with their values', async () => {
    const names = { services: async () => ['a'], nodes: async () => [], hostnames: () => [] };
    expect((await complete('docker -H x serv', 16, names)).candidates).toEqual(['service']);
    expect((await complete('docker --debug service rm ', 26, names)).candidates).toEqual(['a']);
  });
});

// Last: it resets the swarm the tests above build on.
describe('worker through comlink, a resized terminal', () => {
  test('resize: a terminal narrowed while the progress runs gets a redraw counted at its new width', async () => {
    const xterm = await import('@xterm/headless');
    const Term = xterm.Terminal ?? (xterm as unknown as { default: typeof xterm }).default.Terminal;
    const term = new Term({ cols: 100, rows: 20, scrollback: 200, convertEol: true, allowProposedApi: true });
    const written = (): Promise<void> => new Promise((r) => term.write('', r));
    try {
      await port.engine.reset({ seed: 3 });
      await port.engine.setSpeed(5);
      let seen = '';
      const done = port.engine.run('docker service create --replicas 2 --name web redis:7.4.0', 100, Comlink.proxy((t: string) => {
        seen += t;
        term.write(t);
      }));
      await vi.waitFor(() => expect(seen).toContain('overall progress'), { timeout: 5000 });
      // Held still while the page's terminal narrows, as between two polls.
      await port.engine.pause();
      await written();
      term.resize(30, 20);
      await port.engine.resize(30);
      await port.engine.resume();
      expect(await done).toBe(0);
      await written();
      const b = term.buffer.active;
      const lines: string[] = [];
      for (let y = 0; y < b.length; y++) {
        const l = b.getLine(y)!;
        const text = l.translateToString(true);
        if (l.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
        else lines.push(text);
      }
      const shown = lines.map((l) => l.replace(/ +$/, '')).filter((l) => l !== '');
      expect(shown.slice(1)).toEqual(['overall progress: 2 out of 2 tasks', '1/2: running', '2/2: running', expect.stringMatching(/^verify: Service [a-z0-9]{25} converged$/)]);
    } finally {
      term.dispose();
      await port.engine.setSpeed(1);
    }
  });
});
