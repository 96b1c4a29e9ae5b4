// The worker's early boot (engine/worker/boot.ts): the lesson page's <head> sends the tab's
// stored swarm with the worker's construction, and the worker answers with the swarm it
// started from, before the terminal's code has loaded.
import { describe, expect, test } from 'vitest';
import { answerBoot, boot } from '../engine/worker/boot.js';
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

describe('answerBoot (the worker side of the message)', () => {
  test('answers the first boot request only, and ignores every other message', async () => {
    const listeners = new Set<(e: { data: unknown }) => void>();
    const posted: unknown[] = [];
    const scope = {
      postMessage: (m: unknown) => void posted.push(m),
      addEventListener: (_: 'message', l: (e: { data: unknown }) => void) => void listeners.add(l),
      removeEventListener: (_: 'message', l: (e: { data: unknown }) => void) => void listeners.delete(l),
    };
    const e = new TerminalEngine({ seed: 5 });
    answerBoot(scope, e);
    const send = (data: unknown): void => [...listeners].forEach((l) => l({ data }));
    send({ id: 'x', type: 'APPLY', path: ['ready'] }); // a comlink call: not ours
    send(null);
    send({ swarmLabBoot: 'nope' });
    expect(listeners.size).toBe(1);
    send({ swarmLabBoot: { saved: null, speed: '20', now: Date.now(), hidden: true } });
    expect(listeners.size).toBe(0);
    await new Promise((r) => setTimeout(r, 0));
    expect(posted).toHaveLength(1);
    const reply = (posted[0] as BootReplyMessage).swarmLabBoot;
    expect(reply.restored).toBe(false);
    expect(reply.info.speed).toBe(20);
  });
});
