// `docker service logs --tail N` on the simulated swarm: N lines from each task's container,
// stopped tasks still kept included (moby asks every task's container for its tail), not N in all.
import { describe, expect, test } from 'vitest';
import { Session } from '../engine/session.js';
import { tailCount, tailPerTask } from '../engine/sim/logs.js';
import type { LogLine } from '../engine/api/types.js';

async function run(session: Session, line: string): Promise<{ out: string; code: number }> {
  let out = '';
  const sink = { write: (s: string) => void (out += s) };
  const code = await session.run(line, { stdout: sink, stderr: sink, tty: false, columns: 250, signal: new AbortController().signal });
  return { out, code };
}

/** Lines per task, by the task ID in the `name.slot.taskid@node` prefix. */
function perTask(out: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of out.split('\n').filter((l) => l !== '')) {
    const id = /^\S+?\.\d+\.(\w+)@/.exec(line)?.[1];
    expect(id, line).toBeDefined();
    counts.set(id!, (counts.get(id!) ?? 0) + 1);
  }
  return counts;
}

describe('service logs --tail', () => {
  test('prints N lines of every task, running or stopped', async () => {
    const session = new Session({ seed: 2, mode: 'instant' });
    await run(session, 'docker service create --detach --name r --replicas 3 redis:7.4.0');
    session.advance(10_000);
    const all = perTask((await run(session, 'docker service logs r')).out);
    expect(all.size).toBe(3);
    for (const n of all.values()) expect(n).toBeGreaterThan(2);
    const two = perTask((await run(session, 'docker service logs --tail 2 r')).out);
    expect([...two.keys()].sort()).toEqual([...all.keys()].sort());
    for (const n of two.values()) expect(n).toBe(2);
    // After an update the old tasks are kept (shut down): their tails come too.
    await run(session, 'docker service update --image redis:7.4.1 r');
    const kept = perTask((await run(session, 'docker service logs -n 1 r')).out);
    expect(kept.size).toBe(6);
    for (const n of kept.values()) expect(n).toBe(1);
    expect((await run(session, 'docker service logs --tail 0 r')).out).toBe('');
  });

  test('a task\'s own logs are tailed as one container', async () => {
    const session = new Session({ seed: 3, mode: 'instant' });
    await run(session, 'docker service create --detach --name r --replicas 2 redis:7.4.0');
    session.advance(10_000);
    const id = (await session.sim.api('manager1').taskList({ service: ['r'] }))[0]!.ID;
    expect(perTask((await run(session, `docker service logs --tail 3 ${id}`)).out)).toEqual(new Map([[id.slice(0, 12), 3]]));
  });

  test.each([
    ['-1', 'Error response from daemon: negative tail values not supported\n'],
    ['nope', 'Error response from daemon: tail value must be a positive integer or "all"\n'],
    ['1.5', 'Error response from daemon: tail value must be a positive integer or "all"\n'],
  ])('--tail %s is refused by the daemon as moby refuses it', async (value, text) => {
    const session = new Session({ seed: 4, mode: 'instant' });
    await run(session, 'docker service create --detach --name r --replicas 1 redis:7.4.0');
    session.advance(5_000);
    expect(await run(session, `docker service logs --tail ${value} r`)).toEqual({ code: 1, out: text });
  });

  test('tailCount reads the text as strconv.Atoi does', () => {
    expect(tailCount(undefined)).toBeUndefined();
    expect(tailCount('all')).toBeUndefined();
    expect(tailCount('')).toBeUndefined();
    expect(tailCount('+3')).toBe(3);
    expect(tailCount(0)).toBe(0);
    expect(() => tailCount('-0x1')).toThrow('tail value must be a positive integer or "all"');
  });

  test('a killed redis says nothing more; one told to stop logs its shutdown', async () => {
    const session = new Session({ seed: 5, mode: 'instant' });
    await run(session, 'docker service create --detach --name r --replicas 2 redis:7.4.0');
    session.advance(5_000);
    await run(session, 'lab task kill r.1');
    session.advance(10_000);
    await run(session, 'docker service update --force r');
    const out = (await run(session, 'docker service logs r')).out;
    const tasks = await session.sim.api('manager1').taskList({ service: ['r'] });
    const killed = tasks.find((t) => t.Status.ContainerStatus?.ExitCode === 137)!;
    const stopped = tasks.find((t) => t.Status.State === 'shutdown' && t.Status.ContainerStatus?.ExitCode === 0)!;
    const linesOf = (id: string) => out.split('\n').filter((l) => l.includes(`.${id.slice(0, 12)}@`));
    expect(linesOf(killed.ID).some((l) => l.includes('SIGTERM'))).toBe(false);
    expect(linesOf(killed.ID).at(-1)).toMatch(/Ready to accept connections/);
    expect(linesOf(stopped.ID).some((l) => l.includes('Received SIGTERM scheduling shutdown'))).toBe(true);
  });

  test('tailPerTask keeps the order and the last N of each task', () => {
    const line = (taskId: string, text: string): LogLine => ({ taskId, text }) as unknown as LogLine;
    const lines = [line('a', '1'), line('b', '1'), line('a', '2'), line('a', '3'), line('b', '2')];
    expect(tailPerTask(lines, 1).map((l) => l.taskId + l.text)).toEqual(['a3', 'b2']);
    expect(tailPerTask(lines, 2).map((l) => l.taskId + l.text)).toEqual(['b1', 'a2', 'a3', 'b2']);
    expect(tailPerTask(lines, 0)).toEqual([]);
  });
});
