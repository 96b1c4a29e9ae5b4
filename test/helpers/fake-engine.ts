// "The learner's own daemon" for tests that must never touch a real one: an Engine API server
// on a unix socket in a temp dir, answering from one machine of a Simulator (the learner's
// swarm, with services of their own), and recording EVERY request that reaches it (method,
// path with query). The local server talks to it through the real DockerodeApi, so what is
// asserted is what a real daemon would have been asked. Only the endpoints local mode uses.
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isApiError } from '../../engine/api/swarm-api.js';
import type { SwarmApi } from '../../engine/api/swarm-api.js';
import type { ContainerSummary, Filters } from '../../engine/api/types.js';
import type { LocalBackend } from '../../engine/node/server/backend.js';
import { DockerodeApi, dockerOptionsFor, wallClock } from '../../engine/node/docker/index.js';

export interface EngineRequest {
  method: string;
  /** Path without the /vX.Y prefix, with the query string as sent. */
  url: string;
  atMs: number;
}

export interface FakeEngine {
  socketPath: string;
  requests: EngineRequest[];
  /** A LocalBackend (kind 'docker': the learner's own daemon) over the socket, one machine. */
  backend(hostname?: string): LocalBackend;
  close(): Promise<void>;
}

/** Filters as the CLI sends them ({"k":{"v":true}}) or as arrays ({"k":["v"]}). */
function parseFilters(q: string | null): Filters | undefined {
  if (q === null || q === '') return undefined;
  const raw = JSON.parse(q) as Record<string, Record<string, boolean> | string[]>;
  const out: Filters = {};
  for (const [k, v] of Object.entries(raw)) out[k] = Array.isArray(v) ? v : Object.keys(v).filter((x) => v[x]);
  return out;
}

/** The Engine's label filter: every `k` or `k=v` must match (AND). */
function labelsMatch(labels: Record<string, string>, wanted: string[] | undefined): boolean {
  return (wanted ?? []).every((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? w in labels : labels[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

export async function startFakeEngine(api: SwarmApi, opts: { name?: string } = {}): Promise<FakeEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-lab-fake-engine-'));
  const socketPath = join(dir, 'docker.sock');
  const requests: EngineRequest[] = [];
  const sockets = new Set<Socket>();

  const route = async (req: IncomingMessage): Promise<{ status: number; json?: unknown; raw?: Buffer }> => {
    const url = new URL(req.url ?? '/', 'http://docker');
    const path = url.pathname.replace(/^\/v\d+\.\d+/, '');
    const q = url.searchParams;
    const filters = parseFilters(q.get('filters'));
    const m = req.method ?? 'GET';
    const seg = path.split('/').slice(1).map(decodeURIComponent);
    if (m === 'GET' && path === '/_ping') return { status: 200, raw: Buffer.from('OK') };
    if (m === 'GET' && path === '/version') return { status: 200, json: { ...(await api.version()), ApiVersion: '1.41' } };
    if (m === 'GET' && path === '/info') return { status: 200, json: await api.info() };
    if (m === 'GET' && path === '/swarm') return { status: 200, json: await api.swarmInspect() };
    if (seg[0] === 'nodes') {
      if (m === 'GET' && seg.length === 1) return { status: 200, json: await api.nodeList(filters) };
      if (m === 'GET' && seg.length === 2) return { status: 200, json: await api.nodeInspect(seg[1]!) };
      if (m === 'POST' && seg[2] === 'update') {
        await api.nodeUpdate(seg[1]!, Number(q.get('version')), (await body(req)) as never);
        return { status: 200 };
      }
    }
    if (seg[0] === 'services') {
      if (m === 'GET' && seg.length === 1) return { status: 200, json: await api.serviceList({ ...(filters ? { filters } : {}), status: q.get('status') === '1' || q.get('status') === 'true' }) };
      if (m === 'POST' && seg[1] === 'create') return { status: 201, json: await api.serviceCreate((await body(req)) as never) };
      if (m === 'GET' && seg.length === 2) return { status: 200, json: await api.serviceInspect(seg[1]!, { insertDefaults: q.get('insertDefaults') === 'true' }) };
      if (m === 'DELETE' && seg.length === 2) {
        await api.serviceDelete(seg[1]!);
        return { status: 200 };
      }
      if (m === 'POST' && seg[2] === 'update') {
        const rollback = q.get('rollback');
        return {
          status: 200,
          json: await api.serviceUpdate(seg[1]!, Number(q.get('version')), (await body(req)) as never, rollback === 'previous' ? { rollback: 'previous' } : {}),
        };
      }
      if (m === 'GET' && seg[2] === 'logs') {
        await api.serviceInspect(seg[1]!);
        return { status: 200, raw: Buffer.alloc(0) };
      }
    }
    if (seg[0] === 'tasks') {
      if (m === 'GET' && seg.length === 1) return { status: 200, json: await api.taskList(filters) };
      if (m === 'GET' && seg.length === 2) return { status: 200, json: await api.taskInspect(seg[1]!) };
    }
    if (seg[0] === 'networks' && m === 'GET') {
      if (seg.length === 1) return { status: 200, json: await api.networkList(filters) };
      if (seg.length === 2) return { status: 200, json: await api.networkInspect(seg[1]!, { verbose: q.get('verbose') === '1' || q.get('verbose') === 'true' }) };
    }
    if (m === 'GET' && path === '/containers/json') {
      const list: ContainerSummary[] = await api.containerList({ all: q.get('all') === '1' || q.get('all') === 'true' });
      return { status: 200, json: list.filter((c) => labelsMatch(c.Labels, filters?.['label'])) };
    }
    return { status: 404, json: { message: `page not found: ${m} ${path}` } };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? '', url: (req.url ?? '').replace(/^\/v\d+\.\d+/, ''), atMs: Date.now() });
    route(req).then(
      (r) => {
        if (r.raw) {
          res.writeHead(r.status, { 'Content-Type': 'text/plain' });
          return void res.end(r.raw);
        }
        const text = r.json === undefined ? '' : JSON.stringify(r.json);
        res.writeHead(r.status, { 'Content-Type': 'application/json' });
        res.end(text);
      },
      (e: unknown) => {
        const status = isApiError(e) ? e.statusCode : 500;
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: e instanceof Error ? e.message : String(e) }));
      },
    );
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const name = opts.name ?? 'manager1';
  return {
    socketPath,
    requests,
    backend(hostname = name): LocalBackend {
      const docker = new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath }));
      return {
        kind: 'docker',
        name: hostname,
        startNode: hostname,
        hostnames: () => [hostname],
        api: (h) => (h === hostname ? docker : undefined),
        clock: wallClock(),
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
