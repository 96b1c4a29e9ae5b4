// The swarm view's feed on the local server (engine/node/server/view-feed.ts) on fake timers:
// what bounds the reads and the frames whatever the swarm and the page do (a huge model, a
// slow daemon, a daemon gone, a page that watches and unwatches, a socket that closes mid-read).
// The reads themselves and what they keep are tested in local-guard.test.ts (V1-V3); the feed
// over a real socket in local-server.test.ts (V4-V9).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerFrame } from '../engine/node/server/protocol.js';
import { VIEW_BUSY_POLL_MS, VIEW_BYTES_PER_SECOND, VIEW_DUTY, VIEW_OBJECTS_PER_SECOND, VIEW_POLL_MS, VIEW_RETRY_MS, ViewFeed } from '../engine/node/server/view-feed.js';
import type { ViewRead } from '../engine/node/server/view-reads.js';
import { deriveSwarmView } from '../engine/view/derive.js';
import type { SwarmViewModel } from '../engine/view/model.js';

type ViewFrame = Extract<ServerFrame, { t: 'view' }>;

const empty = (): SwarmViewModel => deriveSwarmView({ nodes: [], services: [], tasks: [], now: Date.now() });

/** A model whose single node is called `name` and that weighs about `bytes` (node IDs as padding). */
function model(name: string, bytes = 0): SwarmViewModel {
  const m = empty();
  m.nodes = [{ id: 'x'.repeat(Math.max(1, bytes)), hostname: name, name, role: 'manager', managerStatus: 'Leader', availability: 'active', status: 'ready', self: true }];
  return m;
}

let frames: ViewFrame[];
let reads: number[];
let logs: string[];

beforeEach(() => {
  vi.useFakeTimers();
  frames = [];
  reads = [];
  logs = [];
});

afterEach(() => {
  vi.useRealTimers();
});

function feed(read: (history: boolean) => Promise<ViewRead>, busy?: () => boolean): ViewFeed {
  return new ViewFeed({
    ...(busy ? { busy } : {}),
    read: (h) => {
      reads.push(Date.now());
      return read(h);
    },
    send: (f) => frames.push(f),
    empty,
    log: (l) => logs.push(l),
  });
}

const at = (m: SwarmViewModel, read = 10): ViewRead => ({ model: m, omitted: { nodes: 0, tasks: 0 }, read });

describe('the view feed: sends on change, at a bounded pace (F1-F9)', () => {
  it('F1: the first model at once, then one read a second and a frame only when the model changed (its clock aside)', async () => {
    let name = 'a';
    const f = feed(async () => at({ ...model(name), now: Date.now() }));
    f.watch(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(frames.map((x) => x.model.nodes[0]!.hostname)).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(5 * VIEW_POLL_MS);
    expect(reads.length).toBe(6);
    expect(frames).toHaveLength(1);
    name = 'b';
    await vi.advanceTimersByTimeAsync(VIEW_POLL_MS);
    expect(frames.map((x) => x.model.nodes[0]!.hostname)).toEqual(['a', 'b']);
    await f.stop();
  });

  it(`F2: a big model: no more than ${VIEW_BYTES_PER_SECOND / 1024} KiB/s of frames, however often it changes`, async () => {
    let i = 0;
    const f = feed(async () => at(model(`n${i++}`, 200 * 1024)));
    f.watch(false);
    await vi.advanceTimersByTimeAsync(30_000);
    const bytes = frames.reduce((n, x) => n + JSON.stringify(x).length, 0);
    expect(frames.length).toBeGreaterThan(3);
    // Everything but the first frame was paid for with time.
    expect(bytes - JSON.stringify(frames[0]).length).toBeLessThanOrEqual(VIEW_BYTES_PER_SECOND * 30);
    expect(reads.length).toBe(frames.length);
    await f.stop();
  });

  it(`F3: a slow daemon is read at most a 1/${VIEW_DUTY} of the time`, async () => {
    const f = feed(() => new Promise((r) => setTimeout(() => r(at(model('a'))), 400)));
    f.watch(false);
    await vi.advanceTimersByTimeAsync(60_000);
    for (let k = 1; k < reads.length; k++) expect(reads[k]! - reads[k - 1]!).toBeGreaterThanOrEqual(400 + VIEW_DUTY * 400);
    expect(reads.length).toBeLessThanOrEqual(Math.ceil(60_000 / (400 * (VIEW_DUTY + 1))) + 1);
    await f.stop();
  });

  it('F4: a daemon that fails: the empty model once, a retry every few seconds, one log line; the swarm back, the model back', async () => {
    let up = false;
    const f = feed(async () => {
      if (!up) throw new Error('connect ECONNREFUSED /run/sw3/manager1/docker.sock');
      return at(model('manager1'));
    });
    f.watch(true);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(frames.map((x) => x.model.nodes.length)).toEqual([0]);
    expect(reads.length).toBeLessThanOrEqual(Math.ceil(30_000 / VIEW_RETRY_MS) + 1);
    expect(logs).toEqual(['swarm view: cannot read the swarm: connect ECONNREFUSED /run/sw3/manager1/docker.sock']);
    up = true;
    await vi.advanceTimersByTimeAsync(VIEW_RETRY_MS);
    expect(frames.map((x) => x.model.nodes.length)).toEqual([0, 1]);
    expect(logs.at(-1)).toBe('swarm view: the swarm can be read again');
    await f.stop();
  });

  it('F5: watch/unwatch a thousand times: no read more than the pace allows; a fresh model is sent again without a read', async () => {
    const f = feed(async () => at(model('a')));
    f.watch(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(reads.length).toBe(1);
    for (let i = 0; i < 1000; i++) {
      f.unwatch();
      f.watch(false);
    }
    // Each new watch was owed the model, and the one just read served them all.
    expect(reads.length).toBe(1);
    expect(frames.length).toBe(1001);
    for (let i = 0; i < 1000; i++) {
      f.unwatch();
      f.watch(i % 2 === 0);
      await vi.advanceTimersByTimeAsync(10);
    }
    // 10 s of asking: about one read a second.
    expect(reads.length).toBeLessThanOrEqual(1 + Math.ceil(10_000 / VIEW_POLL_MS) + 1);
    await f.stop();
  });

  it('F6: stop() during a read: its model is dropped and nothing is read again; unwatch() likewise until watched again', async () => {
    const f = feed(() => new Promise((r) => setTimeout(() => r(at(model('a'))), 300)));
    f.watch(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(reads.length).toBe(1);
    const stopped = f.stop();
    await vi.advanceTimersByTimeAsync(300);
    await stopped;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(frames).toEqual([]);
    expect(reads.length).toBe(1);
    f.watch(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reads.length).toBe(1);

    const g = feed(() => new Promise((r) => setTimeout(() => r(at(model('b'))), 300)));
    g.watch(false);
    await vi.advanceTimersByTimeAsync(100);
    g.unwatch();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(frames).toEqual([]);
    expect(reads.length).toBe(2);
    g.watch(false);
    await vi.advanceTimersByTimeAsync(400);
    expect(frames.map((x) => x.model.nodes[0]!.hostname)).toEqual(['b']);
    await g.stop();
  });

  it(`F7: while a command runs the swarm is read ${1000 / VIEW_BUSY_POLL_MS} times a second, and no faster than the duty cycle allows; idle again, once a second`, async () => {
    let busy = false;
    let took = 0;
    const f = feed(() => (took === 0 ? Promise.resolve(at(model('a'))) : new Promise((r) => setTimeout(() => r(at(model('a'))), took))), () => busy);
    const t0 = Date.now();
    f.watch(false);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(300);
    // The command starts: the read planned for a second later comes now.
    busy = true;
    f.poke();
    await vi.advanceTimersByTimeAsync(0);
    expect(reads.map((x) => x - t0)).toEqual([0, 300]);
    await vi.advanceTimersByTimeAsync(10 * VIEW_BUSY_POLL_MS);
    expect(reads.length).toBe(12);
    for (let k = 2; k < reads.length; k++) expect(reads[k]! - reads[k - 1]!).toBe(VIEW_BUSY_POLL_MS);
    // A slow daemon: the duty cycle holds even then.
    took = 100;
    const from = reads.length;
    await vi.advanceTimersByTimeAsync(10_000);
    for (let k = from + 1; k < reads.length; k++) expect(reads[k]! - reads[k - 1]!).toBeGreaterThanOrEqual(100 + VIEW_DUTY * 100);
    took = 0;
    busy = false;
    await vi.advanceTimersByTimeAsync(1500);
    const idle = reads.length;
    await vi.advanceTimersByTimeAsync(5 * VIEW_POLL_MS);
    for (let k = idle; k < reads.length; k++) expect(reads[k]! - reads[k - 1]!).toBe(VIEW_POLL_MS);
    expect(reads.length - idle).toBeGreaterThanOrEqual(5);
    // Poking while idle moves nothing earlier.
    const last = reads.length;
    await vi.advanceTimersByTimeAsync(VIEW_POLL_MS - (Date.now() - reads.at(-1)!) - 1);
    for (let i = 0; i < 100; i++) f.poke();
    await vi.advanceTimersByTimeAsync(0);
    expect(reads.length).toBe(last);
    await f.stop();
  });

  it(`F8: a swarm that sends many objects per read is read less often: no more than ${VIEW_OBJECTS_PER_SECOND} objects a second, busy or not`, async () => {
    const f = feed(async () => at(model('a'), 5000), () => true);
    f.watch(false);
    await vi.advanceTimersByTimeAsync(60_000);
    for (let k = 1; k < reads.length; k++) expect(reads[k]! - reads[k - 1]!).toBeGreaterThanOrEqual((5000 / VIEW_OBJECTS_PER_SECOND) * 1000);
    expect(reads.length * 5000).toBeLessThanOrEqual(VIEW_OBJECTS_PER_SECOND * 60 + 5000);
    await f.stop();
  });

  it('F9: one failed read (a race with a removal) changes nothing on the page; the next read comes at the usual pace', async () => {
    let fail = false;
    const f = feed(async () => {
      if (fail) {
        fail = false;
        throw new Error('service x not found');
      }
      return at(model('a'));
    });
    f.watch(false);
    await vi.advanceTimersByTimeAsync(0);
    fail = true;
    await vi.advanceTimersByTimeAsync(VIEW_POLL_MS);
    await vi.advanceTimersByTimeAsync(VIEW_POLL_MS);
    expect(reads.length).toBe(3);
    expect(frames.map((x) => x.model.nodes.length)).toEqual([1]);
    expect(logs).toEqual([]);
    await f.stop();
  });
});

