// What a client can make `swarm-lab serve` hold. The swarm's journal (engine/journal.ts) is
// its recipe: it must keep every write replay needs and nothing else (a refused write that
// changed nothing is not kept, so 600 refused 0.9 MB specs no longer pile up), replay must
// stay exact, and neither one request nor many may grow the server without bound.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { SwarmApi } from '../engine/api/swarm-api.js';
import { ApiError } from '../engine/api/swarm-api.js';
import type { ServiceSpec, Task } from '../engine/api/types.js';
import type { CallEntry } from '../engine/journal.js';
import { Journal, simulatorStamp } from '../engine/journal.js';
import { MAX_BODY_BYTES } from '../engine/node/serve/body.js';
import { closeServer, listen } from '../engine/node/serve/listen.js';
import { createEngineServer } from '../engine/node/serve/server.js';
import { Session } from '../engine/session.js';
import { restoreSession } from '../engine/snapshot.js';
import type { Served } from './serve-harness.js';
import { serveFrozen } from './serve-harness.js';

interface Answer {
  status: number;
  body: string;
}

function call(socketPath: string, method: string, path: string, body?: string, seen?: (headers: Record<string, unknown>) => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: body !== undefined ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      seen?.(res.headers);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => void chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const spec = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  Name: 'web',
  TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0' } },
  Mode: { Replicated: { Replicas: 2 } },
  ...over,
});

/** A spec of about `bytes` bytes of JSON (its Env), otherwise as `over` says. */
const bigSpec = (bytes: number, over: Record<string, unknown> = {}): string => {
  const env = Array.from({ length: Math.floor(bytes / 1_000) }, (_, i) => `V${i}=${'x'.repeat(990)}`);
  return JSON.stringify(spec({ TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0', Env: env } }, ...over }));
};

/** Everything the manager's Engine API shows, plus where the random stream stands. */
async function dump(session: Session): Promise<unknown> {
  const api = session.sim.api('manager1');
  return {
    now: session.sim.clock.now,
    rng: JSON.stringify(session.sim.rng),
    swarm: await api.swarmInspect(),
    nodes: await api.nodeList(),
    services: await api.serviceList({ status: true }),
    tasks: await api.taskList(),
  };
}

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});
const sock = (): string => served!.running.url.slice('unix://'.length);

describe('the served journal keeps what replay needs, and no more', () => {
  test('refused service creates are not journaled: the journal stays as it was', async () => {
    served = await serveFrozen(['docker service create -d --replicas 2 --name redis redis:7.4.0', 'sleep 30'], { pastMs: 600_000 });
    const journal = served.session.journal;
    const entries = journal.entries.length;
    const size = journal.size;
    // 200 KB specs the daemon refuses (a name that is no DNS name), as the audit sent 0.9 MB ones.
    const body = bigSpec(200_000, { Name: 'not a name!' });
    for (let i = 0; i < 20; i++) {
      const a = await call(sock(), 'POST', '/v1.50/services/create', body);
      expect(a.status).toBe(400);
      expect(a.body).toContain('name must be valid as a DNS name component');
    }
    // Refused updates (a stale version) and node updates (a bad availability) alike.
    const redis = JSON.parse((await call(sock(), 'GET', '/v1.50/services/redis')).body) as { Version: { Index: number } };
    expect((await call(sock(), 'POST', `/v1.50/services/redis/update?version=${redis.Version.Index - 1}`, JSON.stringify(spec({ Name: 'redis' })))).status).toBe(500);
    const node = JSON.parse((await call(sock(), 'GET', '/v1.50/nodes/worker1')).body) as { Version: { Index: number } };
    expect((await call(sock(), 'POST', `/v1.50/nodes/worker1/update?version=${node.Version.Index}`, '{"Role":"worker","Availability":"sleepy"}')).status).toBe(400);
    expect(journal.entries.length).toBe(entries);
    expect(journal.size).toBe(size);
    // A write that succeeds is journaled as before.
    expect((await call(sock(), 'POST', '/v1.50/services/create', JSON.stringify(spec()))).status).toBe(201);
    expect(journal.entries.length).toBe(entries + 1);
    expect((journal.entries.at(-1) as CallEntry).method).toBe('serviceCreate');
  });

  test('a refused write that drew from the random stream is kept, and the replayed swarm is exactly the same', async () => {
    served = await serveFrozen(['docker service create -d --replicas 3 --name redis redis:7.4.0', 'sleep 30'], { pastMs: 600_000 });
    const { session } = served;
    const entries = session.journal.entries.length;
    const writes: [string, string, string | undefined][] = [
      // Nameless and refused: the daemon draws a random name before it checks the spec.
      ['POST', '/v1.50/services/create', JSON.stringify(spec({ Name: undefined, TaskTemplate: { ContainerSpec: { Image: 'Not:A:Ref' } } }))],
      ['POST', '/v1.50/services/create', JSON.stringify(spec({ Name: 'bad name' }))],
      ['DELETE', '/v1.50/services/nosuch', undefined],
      ['POST', '/v1.50/services/create', JSON.stringify(spec({ Name: undefined }))],
      ['POST', '/v1.50/swarm/init', '{}'],
      ['POST', '/v1.50/services/create', JSON.stringify(spec({ Name: 'web', Mode: { Replicated: { Replicas: 4 } } }))],
    ];
    const statuses: number[] = [];
    for (const [method, path, body] of writes) {
      statuses.push((await call(sock(), method, path, body)).status);
      session.advance(1_234);
    }
    expect(statuses).toEqual([400, 400, 404, 201, 503, 201]);
    // Kept: the nameless refused create and the two creates that succeeded.
    expect((session.journal.entries.slice(entries) as CallEntry[]).map((e) => [e.method, (e.args[0] as ServiceSpec).Name ?? null])).toEqual([
      ['serviceCreate', null],
      ['serviceCreate', null],
      ['serviceCreate', 'web'],
    ]);
    session.advance(20_000);
    const copy = await restoreSession(session.snapshot(), 'instant');
    expect(await dump(copy)).toEqual(await dump(session));
    // And both go on the same way: the next random ID is the same.
    const next = async (s: Session): Promise<string> => (await s.sim.api('manager1').serviceCreate(spec({ Name: undefined }) as unknown as ServiceSpec)).ID;
    expect(await next(copy)).toBe(await next(session));
  });

  test('the stamp sees a draw from the random stream (the Rng keeps its state where JSON reads it)', () => {
    const session = new Session({ seed: 3, mode: 'instant' });
    const stamp = simulatorStamp(session.sim);
    const before = stamp();
    expect(stamp()).toBe(before);
    session.sim.rng.uint32();
    expect(stamp()).not.toBe(before);
  });

  test('without a stamp every write is kept, refused ones too (the browser\'s journal, unchanged)', async () => {
    const session = new Session({ seed: 3, mode: 'instant' });
    const journal = new Journal(() => session.sim.clock.now);
    const api = journal.wrap('manager1', session.sim.api('manager1'));
    await expect(api.serviceCreate(spec({ Name: 'bad name' }) as unknown as ServiceSpec)).rejects.toThrow(/DNS name/);
    expect(journal.entries).toHaveLength(1);
  });

  test('a journal at its limits refuses further writes with a clear error, and the swarm does not change', async () => {
    served = await serveFrozen([], { pastMs: 600_000, serve: { journalLimits: { maxEntries: 2, maxBytes: 1 << 20, hint: 'restart swarm-lab serve for a new swarm' } } });
    const journal = served.session.journal;
    expect(journal.entries).toHaveLength(0);
    expect((await call(sock(), 'POST', '/v1.50/services/create', JSON.stringify(spec({ Name: 'a' })))).status).toBe(201);
    expect((await call(sock(), 'POST', '/v1.50/services/create', JSON.stringify(spec({ Name: 'b' })))).status).toBe(201);
    const refused = await call(sock(), 'POST', '/v1.50/services/create', JSON.stringify(spec({ Name: 'c' })));
    expect(refused.status).toBe(507);
    expect(JSON.parse(refused.body)).toEqual({
      message:
        'Swarm Lab keeps at most 2 changes to a simulated swarm (it replays them to restore the swarm), and this swarm has made that many: restart swarm-lab serve for a new swarm',
    });
    expect(journal.entries).toHaveLength(2);
    const names = (JSON.parse((await call(sock(), 'GET', '/v1.50/services')).body) as { Spec: { Name: string } }[]).map((s) => s.Spec.Name).sort();
    expect(names).toEqual(['a', 'b']);
  });

  test('the journal\'s bytes are bounded too', async () => {
    const session = new Session({ seed: 3, mode: 'instant' });
    const journal = new Journal(() => session.sim.clock.now);
    journal.limits = { maxEntries: 1_000, maxBytes: 100_000 };
    const api = journal.wrap('manager1', session.sim.api('manager1'));
    const env = Array.from({ length: 30 }, (_, i) => `V${i}=${'x'.repeat(990)}`);
    const withEnv = (name: string): ServiceSpec => spec({ Name: name, TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0', Env: env } } }) as unknown as ServiceSpec;
    await api.serviceCreate(withEnv('a'));
    await api.serviceCreate(withEnv('b'));
    await api.serviceCreate(withEnv('c'));
    const e = await api.serviceCreate(withEnv('d')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).statusCode).toBe(507);
    expect((e as ApiError).message).toMatch(/^Swarm Lab keeps at most 98 KB of changes to a simulated swarm \(it replays them to restore the swarm\); this swarm holds \d+ KB and this change is \d+ KB$/);
    expect(journal.entries).toHaveLength(3);
    expect(journal.size).toBeLessThanOrEqual(100_000);
    await expect(session.sim.api('manager1').serviceInspect('d')).rejects.toThrow(/not found/);
  });
});

describe('what one request can make the server hold', () => {
  test(`a body past ${MAX_BODY_BYTES} bytes is refused before it is read whole`, async () => {
    served = await serveFrozen([], { pastMs: 600_000 });
    const a = await call(sock(), 'POST', '/v1.50/services/create', bigSpec(300_000));
    expect(a.status).toBe(413);
    expect(JSON.parse(a.body)).toEqual({ message: `request body too large (limit ${MAX_BODY_BYTES} bytes)` });
    expect(served.session.journal.entries).toHaveLength(0);
    // A spec of 200 KB, far more than the CLI sends, is still read.
    expect((await call(sock(), 'POST', '/v1.50/services/create', bigSpec(200_000))).status).toBe(201);
  });

  test('JSON nested deeper than Go decodes is refused as dockerd does, not a 500', async () => {
    const logged: string[] = [];
    served = await serveFrozen([], { pastMs: 600_000, log: (l) => logged.push(l) });
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const body = JSON.stringify(spec({ TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0' }, Placement: { Preferences: ['@'] } } })).replace('"@"', deep);
    const a = await call(sock(), 'POST', '/v1.50/services/create', body);
    expect(a.status).toBe(400);
    expect(JSON.parse(a.body)).toEqual({ message: "invalid JSON: invalid character '[' exceeded max depth" });
    const init = await call(sock(), 'POST', '/v1.50/swarm/init', `{"Spec":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`);
    expect(init.status).toBe(400);
    expect(logged).toEqual([]);
    expect(served.session.journal.entries).toHaveLength(0);
  });
});

describe('what one list answer makes the server hold', () => {
  /** A task list of `n` entries whose serialisation is counted. */
  const countingApi = (n: number): { api: SwarmApi; serialised: () => number; list: Task[] } => {
    let count = 0;
    const list = Array.from({ length: n }, (_, i) => {
      const ID = `${'t'.repeat(400)}${i}`;
      return {
        ID,
        toJSON: () => {
          count++;
          return { ID, Slot: i };
        },
      } as unknown as Task;
    });
    return { api: { taskList: async () => list } as unknown as SwarmApi, serialised: () => count, list };
  };

  async function serveApi(api: SwarmApi): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'swarm-lab-list-'));
    const server = createEngineServer(api, { limits: { idleMs: 60_000 } });
    const path = join(dir, 'e.sock');
    await listen(server, { socket: path });
    const prev = served;
    served = { close: async () => { await closeServer(server); rmSync(dir, { recursive: true, force: true }); await prev?.close(); } } as Served;
    return path;
  }

  test('a long list is sent in chunks, the same JSON as one piece', async () => {
    const { api, list } = countingApi(20_000);
    const path = await serveApi(api);
    let headers: Record<string, unknown> = {};
    const a = await call(path, 'GET', '/v1.50/tasks', undefined, (h) => (headers = h));
    expect(a.status).toBe(200);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['content-length']).toBeUndefined();
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(a.body).toBe(`${JSON.stringify(list)}\n`);
    // A short one goes out whole, with its length.
    const small = await call(await serveApi(countingApi(3).api), 'GET', '/v1.50/tasks', undefined, (h) => (headers = h));
    expect(small.status).toBe(200);
    expect(headers['content-length']).toBe(String(Buffer.byteLength(small.body)));
  });

  test('a client that does not read stops the serialising: the server holds a few chunks, not 8 MB of JSON', async () => {
    const { api, serialised } = countingApi(20_000);
    const path = await serveApi(api);
    const c = connect(path);
    c.on('error', () => undefined);
    c.pause();
    c.write('GET /v1.50/tasks HTTP/1.1\r\nHost: x\r\n\r\n');
    // Wait until the server has stopped (the count holds still), then look.
    let last = -1;
    while (serialised() !== last || last <= 0) {
      last = serialised();
      await new Promise((r) => setTimeout(r, 200));
    }
    c.destroy();
    expect(serialised()).toBeGreaterThan(0);
    expect(serialised()).toBeLessThan(20_000 / 2);
  });
});
