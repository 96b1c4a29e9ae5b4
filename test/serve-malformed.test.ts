// Requests no docker CLI would send: each gets the daemon's kind of error (a status and a
// {"message"} body), none crashes the server or leaves the swarm broken. Raw HTTP over the
// served unix socket, so it runs without the docker CLI.
import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SwarmApi } from '../engine/api/swarm-api.js';
import { closeServer, listen } from '../engine/node/serve/listen.js';
import { createEngineServer } from '../engine/node/serve/server.js';
import type { Served } from './serve-harness.js';
import { serveFrozen } from './serve-harness.js';
import { InvariantWatcher } from './helpers/invariants.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let served: Served;
/** What the server logged (unexpected failures): nothing, whatever the requests. */
const logged: string[] = [];
const socket = (): string => served.running.url.slice('unix://'.length);

function call(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}, socketPath = socket()): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, method, path, headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => void (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const message = (a: Answer): unknown => (JSON.parse(a.body) as { message?: unknown }).message;
const spec = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ Name: 'm1', TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0' } }, Mode: { Replicated: { Replicas: 1 } }, ...over });

describe('malformed requests to swarm-lab serve', () => {
  let watcher: InvariantWatcher;
  beforeAll(async () => {
    served = await serveFrozen(['docker service create -d --replicas 2 --name redis redis:7.4.0', 'sleep 30'], { pastMs: 600_000, log: (l) => logged.push(l) });
    watcher = new InvariantWatcher(served.session.sim);
  });
  afterAll(async () => {
    await served?.close();
    // No request above made the server log anything (a stack trace least of all).
    expect(logged).toEqual([]);
  });

  test('_ping answers as dockerd does, HEAD and GET', async () => {
    const head = await call('HEAD', '/_ping');
    expect(head.status).toBe(200);
    expect(head.headers['api-version']).toBe('1.50');
    expect(head.headers['ostype']).toBe('linux');
    expect(head.headers['docker-experimental']).toBe('false');
    expect(head.headers['swarm']).toBe('active/manager');
    expect(head.body).toBe('');
    const get = await call('GET', '/_ping');
    expect(get.body).toBe('OK');
  });

  test.each([
    ['bad JSON', '{bad', 400, /^invalid JSON: /],
    ['empty body', '', 400, /^got EOF while reading request body$/],
    ['an array', '[]', 400, /^json: cannot unmarshal array into Go value of type swarm\.ServiceSpec$/],
    ['a number for Name', spec({ Name: 5 }), 400, /^json: cannot unmarshal number into Go struct field ServiceSpec\.Name of type string$/],
    ['a string for Replicas', spec({ Mode: { Replicated: { Replicas: '3' } } }), 400, /Go struct field ServiceSpec\.Mode\.Replicated\.Replicas of type uint64$/],
    ['negative Replicas', spec({ Mode: { Replicated: { Replicas: -1 } } }), 400, /of type uint64$/],
    ['a fraction for Replicas', spec({ Mode: { Replicated: { Replicas: 1.5 } } }), 400, /^json: cannot unmarshal number 1\.5 into/],
    ['a number for Image', spec({ TaskTemplate: { ContainerSpec: { Image: 5 } } }), 400, /ServiceSpec\.TaskTemplate\.ContainerSpec\.Image of type string$/],
    ['a string for Args', spec({ TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0', Args: 'x' } } }), 400, /ContainerSpec\.Args of type \[\]string$/],
    ['a number as label value', spec({ Labels: { a: 1 } }), 400, /ServiceSpec\.Labels of type string$/],
    ['a string for the UpdateConfig', spec({ UpdateConfig: 'fast' }), 400, /ServiceSpec\.UpdateConfig of type swarm\.UpdateConfig$/],
  ])('service create with %s: %i', async (_what, body, status, text) => {
    const a = await call('POST', '/v1.50/services/create', body);
    expect(a.status).toBe(status);
    expect(a.headers['content-type']).toBe('application/json');
    expect(message(a)).toMatch(text);
  });

  test('unknown fields are ignored, as encoding/json does', async () => {
    const a = await call('POST', '/v1.50/services/create', spec({ Name: 'extra', Bogus: { deep: [1, 2] } }));
    expect(a.status).toBe(201);
    expect((JSON.parse(a.body) as { ID: string }).ID).toMatch(/^[0-9a-z]{25}$/);
    expect((await call('DELETE', '/v1.50/services/extra')).status).toBe(200);
  });

  test('another Content-Type is refused', async () => {
    const a = await call('POST', '/v1.50/services/create', spec(), { 'Content-Type': 'text/plain' });
    expect(a.status).toBe(400);
    expect(message(a)).toBe("unsupported Content-Type header (text/plain): must be 'application/json'");
  });

  test('a huge body is refused without being read whole, and the server goes on', async () => {
    const big = Buffer.alloc(3 << 20, 0x20);
    const a = await call('POST', '/v1.50/services/create', big);
    expect(a.status).toBe(413);
    expect((await call('GET', '/v1.50/services')).status).toBe(200);
  });

  test.each([
    ['GET', '/v1.50/nosuch', 404, 'page not found'],
    ['GET', '/nosuch/deeper/path', 404, 'page not found'],
    ['PUT', '/v1.50/services', 405, 'Method Not Allowed'],
    ['GET', '/v9.99/info', 400, 'client version 9.99 is too new. Maximum supported API version is 1.50'],
    ['GET', '/v1.12/info', 400, 'client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version'],
    ['GET', '/v1.50/services?filters=%7Bnot-json', 400, /^invalid filter/],
    ['GET', '/v1.50/tasks?filters=%5B1%5D', 400, /^invalid filter/],
    ['POST', '/v1.50/services/redis/update', 400, /^invalid swarm object version ''/],
    ['POST', '/v1.50/services/redis/update?version=abc', 400, /^invalid swarm object version 'abc'/],
    ['GET', '/v1.50/images/json', 404, "not available in Swarm Lab: its simulated swarm serves the swarm tutorial's part of the Docker API, not GET /images/json"],
    ['POST', '/v1.50/containers/create', 404, /^not available in Swarm Lab: .* not POST \/containers\/create$/],
    ['GET', '/v1.50/services/%E0%A4%A', 404, /not found/],
    ['GET', '/v1.50/services/redis%2Fx', 404, /not found/],
  ])('%s %s: %i', async (method, path, status, text) => {
    const a = await call(method, path, method === 'POST' ? spec() : undefined);
    expect(a.status).toBe(status);
    expect(message(a)).toMatch(text);
  });

  // dockerd's router (gorilla/mux) cleans the decoded path before any route or middleware:
  // anything but a clean path is a bare 301 to the clean one, which the docker client does
  // not follow. `//v1.41//info` was a 500 with a stack trace on the server's stderr.
  test.each([
    ['GET', '//v1.41//info', '/v1.41/info'],
    ['GET', '//v1.50//info?x=1', '/v1.50/info?x=1'],
    ['GET', '/v1.50//services?filters=%7B%7D', '/v1.50/services?filters=%7B%7D'],
    ['HEAD', '//_ping', '/_ping'],
    ['GET', '//', '/'],
    ['GET', '//evil.example/v1.50/info', '/evil.example/v1.50/info'],
    ['GET', '/v1.50/services/redis/./', '/v1.50/services/redis/'],
    ['GET', '/v1.50/services/..%2F..%2Fetc%2Fpasswd', '/etc/passwd'],
    ['GET', '/v1.50/services/a%20b/../x', '/v1.50/services/x'],
    ['POST', '/v1.50/services/./create', '/v1.50/services/create'],
    ['DELETE', '/v1.50/services/x/../redis', '/v1.50/services/redis'],
  ])('%s %s: 301 to %s, as dockerd\'s router answers', async (method, path, location) => {
    const before = (await call('GET', '/v1.50/services')).body;
    const a = await call(method, path, method === 'POST' ? spec({ Name: 'redirected' }) : undefined);
    expect(a.status).toBe(301);
    expect(a.headers['location']).toBe(location);
    expect(a.headers['content-length']).toBe('0');
    expect(a.headers['api-version']).toBeUndefined();
    expect(a.body).toBe('');
    // Nothing was made of it: not the delete of redis, not the create.
    expect((await call('GET', '/v1.50/services')).body).toBe(before);
  });

  test('a clean path with a trailing slash is served, as by dockerd', async () => {
    const a = await call('GET', '/v1.50/services/redis/');
    expect(a.status).toBe(200);
  });

  test('an unexpected failure is a 500 and one line in the log, never a stack trace', async () => {
    const lines: string[] = [];
    const broken = { info: () => Promise.reject(new TypeError('cannot read what is not there')) } as unknown as SwarmApi;
    const server = createEngineServer(broken, { log: (l) => lines.push(l) });
    const dir = mkdtempSync(join(tmpdir(), 'swarm-lab-500-'));
    try {
      const path = join(dir, 'e.sock');
      await listen(server, { socket: path });
      const a = await call('GET', '/v1.50/info?a="b"', undefined, {}, path);
      expect(a.status).toBe(500);
      expect(JSON.parse(a.body)).toEqual({ message: 'cannot read what is not there' });
      expect(lines).toEqual(['GET "/v1.50/info?a=\\"b\\"": internal error: TypeError: cannot read what is not there']);
    } finally {
      await closeServer(server);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a stale version is swarmkit\'s out-of-sequence error (a 500 on dockerd too), not a lost update', async () => {
    const before = await call('GET', '/v1.50/services/redis');
    const a = await call('POST', '/v1.50/services/redis/update?version=1', spec({ Name: 'redis' }));
    expect(a.status).toBe(500);
    expect(message(a)).toBe('rpc error: code = Unknown desc = update out of sequence');
    expect((await call('GET', '/v1.50/services/redis')).body).toBe(before.body);
  });

  test('a client that hangs up mid-body changes nothing and the server goes on', async () => {
    const before = (await call('GET', '/v1.50/services')).body;
    await new Promise<void>((resolve) => {
      const c = connect(socket());
      c.on('error', () => resolve());
      c.on('close', () => resolve());
      c.write('POST /v1.50/services/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"Name":"half"', () => c.destroy());
    });
    expect((await call('GET', '/v1.50/services')).body).toBe(before);
  });

  test('bytes that are not HTTP get a 400 and the server goes on', async () => {
    const reply = await new Promise<string>((resolve) => {
      const c = connect(socket());
      let text = '';
      c.on('data', (d) => void (text += d.toString('latin1')));
      c.on('close', () => resolve(text));
      c.on('error', () => resolve(text));
      c.end('\x16\x03\x01garbage\r\n\r\n');
    });
    expect(reply.startsWith('HTTP/1.1 400')).toBe(true);
    expect((await call('GET', '/_ping')).body).toBe('OK');
  });

  test('a storm of mutated specs: never a 500, the swarm keeps its invariants and keeps working', async () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const weird: unknown[] = [null, [], {}, '', -1, 0, 1.5, 1e300, true, 'x', 'redis:7.4.0', [1, 'a'], { a: { b: [] } }, 'a'.repeat(5000), 21_000, 2 ** 53];
    // Each spec publishes a port of its own: the daemon refuses one another service holds.
    let nextPort = 20_000;
    const base = (): Record<string, unknown> => ({
      Name: `f${rand(5)}`,
      Labels: {},
      TaskTemplate: {
        ContainerSpec: { Image: 'redis:7.4.0', Args: ['ping'], Init: false, DNSConfig: {} },
        Resources: { Limits: {}, Reservations: {} },
        RestartPolicy: { Condition: 'any', Delay: 5e9, MaxAttempts: 0 },
        Placement: { Constraints: ['node.role==worker'] },
        ForceUpdate: 0,
      },
      Mode: { Replicated: { Replicas: 2 } },
      UpdateConfig: { Parallelism: 1, Delay: 1e9, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' },
      EndpointSpec: { Mode: 'vip', Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: nextPort++, PublishMode: 'ingress' }] },
    });
    const mutate = (o: unknown, depth: number): unknown => {
      if (o === null || typeof o !== 'object') return rand(3) === 0 ? weird[rand(weird.length)] : o;
      const obj = (Array.isArray(o) ? [...o] : { ...o }) as Record<string, unknown>;
      const keys = Object.keys(obj);
      if (keys.length === 0 || rand(6) === 0) return depth > 0 && rand(2) === 0 ? weird[rand(weird.length)] : obj;
      const k = keys[rand(keys.length)]!;
      obj[k] = mutate(obj[k], depth + 1);
      return obj;
    };
    const statuses = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const body = JSON.stringify(mutate(base(), 0));
      const update = rand(3) === 0;
      let a: Answer;
      if (update) {
        const cur = await call('GET', '/v1.50/services/redis');
        const version = (JSON.parse(cur.body) as { Version: { Index: number } }).Version.Index;
        a = await call('POST', `/v1.50/services/redis/update?version=${version}`, body);
      } else {
        a = await call('POST', '/v1.50/services/create', body);
      }
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      if (a.status >= 500 && message(a) !== 'rpc error: code = Unknown desc = update out of sequence') throw new Error(`${a.status} for ${body}: ${a.body}`);
      expect(typeof message(a) === 'string' || a.status < 300).toBe(true);
      // Let the swarm act on whatever was accepted.
      served.session.advance(2_000);
      expect(watcher.check()).toEqual([]);
    }
    // Both outcomes happened: the storm tested acceptance and refusal.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(10);
    expect((statuses.get(201) ?? 0) + (statuses.get(200) ?? 0)).toBeGreaterThan(10);
    expect((await call('GET', '/v1.50/services?status=true')).status).toBe(200);
    expect((await call('GET', '/v1.50/tasks')).status).toBe(200);
  }, 60_000);
});
