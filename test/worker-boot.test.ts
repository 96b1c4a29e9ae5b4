// The worker's early boot (engine/worker/boot.ts): the lesson page's <head> sends the tab's
// stored swarm in the worker's name, and the worker answers with the swarm it
// started from, before the terminal's code has loaded.
import { describe, expect, test } from 'vitest';
import { answerBoot, boot, bootRequestOf, bootWorkerName, ENGINE_WORKER_NAME } from '../engine/worker/boot.js';
import type { BootReplyMessage } from '../engine/worker/boot.js';
import { MAX_AWAY_MS, parseSavedSwarm, resumePoint, SAVED_SWARM_FORMAT } from '../engine/worker/saved-swarm.js';
import { TerminalEngine } from '../engine/worker/terminal-engine.js';

const sink = (): { out: string[]; write: (t: string) => void } => {
  const out: string[] = [];
  return { out, write: (t) => void out.push(t) };
};

/** A swarm with a converged service, and its stored text as the page writes it. */
async function storedSwarm(): Promise<{ text: string; ps: string }> {
  const e = new TerminalEngine({ seed: 11 });
  e.setSpeed(20); // the create waits until the service converges: ~7 s of virtual time
  expect(await e.run('docker service create --replicas 2 --name web redis:7.4.0', 100, () => undefined)).toBe(0);
  const ps = sink();
  await e.run('docker service ps -q web', 100, ps.write);
  const text = JSON.stringify({ format: SAVED_SWARM_FORMAT, engine: e.snapshot(), ranOnMs: 0, savedAt: Date.now(), screen: ['$ x'], meta: { start: 'k' } });
  e.pause();
  return { text, ps: ps.out.join('') };
}

describe('boot', () => {
  test('with nothing stored: the fresh swarm, at the stored speed', async () => {
    const e = new TerminalEngine({ seed: 3 });
    const reply = await boot(e, { saved: null, speed: '5', now: Date.now(), hidden: true });
    expect(reply.restored).toBe(false);
    expect(reply.info.hostnames).toEqual(['manager1', 'worker1', 'worker2']);
    expect(reply.info.speed).toBe(5);
  });

  test('a stored swarm comes back with the same tasks', async () => {
    const { text, ps } = await storedSwarm();
    expect(ps.trim().split('\n')).toHaveLength(2);
    const e = new TerminalEngine({ seed: 99 });
    const reply = await boot(e, { saved: text, speed: null, now: Date.now(), hidden: true });
    expect(reply.restored).toBe(true);
    const again = sink();
    await e.run('docker service ps -q web', 100, again.write);
    expect(again.out.join('')).toBe(ps);
  });

  test.each([
    ['not JSON', '{'],
    ['another format', JSON.stringify({ format: 99, engine: {}, ranOnMs: 0, savedAt: 0 })],
    ['a tampered snapshot', JSON.stringify({ format: SAVED_SWARM_FORMAT, engine: { journal: 'x' }, ranOnMs: 0, savedAt: 0 })],
  ])('%s gives the fresh swarm, not a crash', async (_, saved) => {
    const e = new TerminalEngine({ seed: 3 });
    const before = e.ready();
    const reply = await boot(e, { saved, speed: 'fast', now: Date.now(), hidden: true });
    expect(reply).toEqual({ info: { ...before, speed: 1 }, restored: false });
  });

  test('the time away moves the clock on, capped, at the clock speed', () => {
    const saved = parseSavedSwarm(JSON.stringify({ format: SAVED_SWARM_FORMAT, engine: 1, ranOnMs: 500, savedAt: 1_000, screen: [], meta: {} }))!;
    expect(resumePoint(saved, 5, 3_000).ranOnMs).toBe(500 + 2_000 * 5);
    expect(resumePoint(saved, 1, 1_000 + 10 * MAX_AWAY_MS).ranOnMs).toBe(500 + MAX_AWAY_MS);
    expect(resumePoint(saved, 1, 0).ranOnMs).toBe(500); // a clock that went backwards adds nothing
  });
});

describe('the boot request in the worker name (the worker side)', () => {
  test('a name with a request boots the engine and posts one answer', async () => {
    const posted: unknown[] = [];
    const e = new TerminalEngine({ seed: 5 });
    const name = bootWorkerName({ saved: null, speed: '20', now: Date.now(), hidden: true });
    expect(name.startsWith(`${ENGINE_WORKER_NAME} `)).toBe(true);
    answerBoot({ name, postMessage: (m) => void posted.push(m) }, e);
    await new Promise((r) => setTimeout(r, 0));
    expect(posted).toHaveLength(1);
    const reply = (posted[0] as BootReplyMessage).swarmLabBoot;
    expect(reply.restored).toBe(false);
    expect(reply.info.speed).toBe(20);
  });

  test('a stored swarm in the name comes back', async () => {
    const { text, ps } = await storedSwarm();
    const posted: unknown[] = [];
    const e = new TerminalEngine({ seed: 99 });
    answerBoot({ name: bootWorkerName({ saved: text, speed: null, now: Date.now(), hidden: true }), postMessage: (m) => void posted.push(m) }, e);
    await new Promise((r) => setTimeout(r, 10));
    expect((posted[0] as BootReplyMessage).swarmLabBoot.restored).toBe(true);
    const again = sink();
    await e.run('docker service ps -q web', 100, again.write);
    expect(again.out.join('')).toBe(ps);
  });

  test.each([
    ['the plain name (a worker the terminal started itself)', ENGINE_WORKER_NAME],
    ['an empty name', ''],
    ['broken JSON', `${ENGINE_WORKER_NAME} {`],
    ['JSON that is not an object', `${ENGINE_WORKER_NAME} 42`],
    ['another name', 'worker 1'],
    ['no name at all (a global scope that is not a worker\'s)', undefined],
  ])('%s: no boot, no message', async (_, name) => {
    const posted: unknown[] = [];
    answerBoot({ ...(name !== undefined ? { name } : {}), postMessage: (m: unknown) => void posted.push(m) }, new TerminalEngine({ seed: 5 }));
    await new Promise((r) => setTimeout(r, 0));
    expect(posted).toEqual([]);
  });

  test('fields of the wrong type are read as absent', () => {
    expect(bootRequestOf(`${ENGINE_WORKER_NAME} {"saved":1,"speed":true,"now":"x","hidden":"yes"}`)).toEqual({
      saved: null,
      speed: null,
      now: expect.any(Number),
      hidden: false,
    });
  });
});
