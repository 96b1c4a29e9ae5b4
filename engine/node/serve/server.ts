// The Engine API over HTTP for one simulated daemon: what `DOCKER_HOST=unix://…` reaches.
// Every request is answered, whatever it holds: a daemon error becomes its status and
// {"message"} body, anything unexpected a 500, so no request can bring the server down or
// leave the swarm half-changed (the simulator validates before it changes anything).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { SwarmApi } from '../../api/swarm-api.js';
import { isApiError } from '../../api/swarm-api.js';
import { ENGINE_VERSION } from '../../sim/views.js';
import { MAX_API_VERSION, splitVersion } from './api-version.js';
import { MAX_BODY_BYTES, readJson } from './body.js';
import type { Handler, Reply } from './handlers.js';
import { engineRoutes } from './handlers.js';
import type { Router } from './router.js';
import { unservedPath } from './unsupported.js';

export interface EngineServerOptions {
  /** Largest request body accepted (bytes). */
  maxBodyBytes?: number;
  /**
   * For a TCP listener: the Host header values accepted (DNS rebinding arrives with another
   * name). A function, because the port is known only once listening.
   */
  allowedHosts?: () => ReadonlySet<string> | undefined;
  /** Told about requests that failed unexpectedly (a bug, not a daemon error). */
  log?: (line: string) => void;
}

/** Headers dockerd's middleware puts on every routed response. */
function daemonHeaders(version: string): Record<string, string> {
  return { 'Api-Version': version, 'Docker-Experimental': 'false', Ostype: 'linux', Server: `Docker/${ENGINE_VERSION} (linux)` };
}

function send(res: ServerResponse, reply: Reply, headers: Record<string, string>, head: boolean): void {
  if ('stream' in reply) {
    // Chunked, flushed per write; ends only when the client goes or the server closes.
    res.writeHead(reply.status, { ...headers, 'Content-Type': reply.contentType });
    if (head) {
      res.end();
      return;
    }
    res.flushHeaders();
    const { stop } = reply.stream((b) => void res.write(b));
    res.once('close', stop);
    return;
  }
  let body: Buffer;
  let type: string | undefined;
  if ('json' in reply) {
    // Go's json.Encoder: compact, with a newline after the value.
    body = Buffer.from(`${JSON.stringify(reply.json)}\n`, 'utf8');
    type = 'application/json';
  } else if ('text' in reply) {
    body = Buffer.from(reply.text, 'utf8');
    type = 'text/plain; charset=utf-8';
  } else if ('bytes' in reply) {
    body = reply.bytes;
    type = reply.contentType;
  } else {
    body = Buffer.alloc(0);
  }
  res.writeHead(reply.status, { ...headers, ...(type ? { 'Content-Type': type } : {}), 'Content-Length': String(body.length) });
  res.end(head ? undefined : body);
}

/** What `_ping` says about this node's swarm membership (dockerd's `Swarm` header). */
async function swarmHeader(api: SwarmApi): Promise<string> {
  try {
    const s = (await api.info()).Swarm;
    return s.LocalNodeState === 'active' ? `active/${s.ControlAvailable ? 'manager' : 'worker'}` : s.LocalNodeState;
  } catch {
    return 'inactive';
  }
}

export function createEngineServer(api: SwarmApi, opts: EngineServerOptions = {}): Server {
  const routes: Router<Handler> = engineRoutes();
  const limit = opts.maxBodyBytes ?? MAX_BODY_BYTES;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    let headers: Record<string, string> = {};
    // dockerd's router answers unknown paths before its middleware adds the API headers.
    let unrouted = true;
    try {
      // A browser page may reach a loopback port; the docker CLI never sends Origin, and a
      // foreign Host means DNS rebinding: neither gets an answer.
      const hosts = opts.allowedHosts?.();
      if (hosts && !hosts.has(req.headers.host ?? '')) {
        return send(res, { status: 403, json: { message: 'forbidden Host header' } }, {}, head);
      }
      if (req.headers.origin !== undefined) {
        return send(res, { status: 403, json: { message: 'cross-origin requests are not accepted' } }, {}, head);
      }
      const url = new URL(req.url ?? '/', 'http://engine');
      if (url.pathname === '/_ping' || /^\/v\d+\.\d+\/_ping$/.test(url.pathname)) {
        if (method !== 'GET' && method !== 'HEAD') throw Object.assign(new Error('Method Not Allowed'), { statusCode: 405 });
        const pingHeaders = {
          ...daemonHeaders(MAX_API_VERSION),
          'Builder-Version': '2',
          'Cache-Control': 'no-cache, no-store, must-revalidate',
          Pragma: 'no-cache',
          Swarm: await swarmHeader(api),
        };
        return send(res, { status: 200, text: 'OK' }, pingHeaders, head);
      }
      const { version, path } = splitVersion(url.pathname);
      headers = daemonHeaders(version);
      let matched;
      try {
        matched = routes.match(method, path);
      } catch (e) {
        throw isApiError(e) && e.statusCode === 404 ? unservedPath(method, path) : e;
      }
      const { handler, params } = matched;
      unrouted = false;
      const reply = await handler({ api, params, query: url.searchParams, headers: req.headers, json: () => readJson(req, limit) });
      // Whatever the handler did not read is drained, so the connection stays usable.
      req.resume();
      send(res, reply, headers, head);
    } catch (e) {
      req.resume();
      if (isApiError(e)) {
        send(res, { status: e.statusCode, json: { message: e.message } }, unrouted && e.statusCode === 404 ? {} : headers, head);
        return;
      }
      const status = (e as { statusCode?: unknown }).statusCode === 405 ? 405 : 500;
      if (status === 500) opts.log?.(`${method} ${req.url ?? ''}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      send(res, { status, json: { message: e instanceof Error ? e.message : String(e) } }, headers, head);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      opts.log?.(`response failed: ${String(e)}`);
      res.destroy();
    });
  });
  // Malformed HTTP (not a request at all): Node's 400 and close, without an exception.
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
