// The Engine API over HTTP for one simulated daemon: what `DOCKER_HOST=unix://…` reaches.
// Every request is answered, whatever it holds: a daemon error becomes its status and
// {"message"} body, anything unexpected a 500, so no request can bring the server down or
// leave the swarm half-changed (the simulator validates before it changes anything).
// No client can hold the server's resources for long either: a connection that trickles
// its request, sits idle, or stops reading what it asked for is closed (CONNECTION_LIMITS),
// while a log stream that is merely quiet stays open as long as its client reads.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SwarmApi } from '../../api/swarm-api.js';
import { isApiError } from '../../api/swarm-api.js';
import { ENGINE_VERSION } from '../../sim/views.js';
import { MAX_API_VERSION, splitVersion } from './api-version.js';
import { MAX_BODY_BYTES, readJson } from './body.js';
import type { Handler, Reply } from './handlers.js';
import { engineRoutes } from './handlers.js';
import type { Router } from './router.js';
import { muxRedirect, splitTarget } from './target.js';
import { unservedPath } from './unsupported.js';

/** How long (ms) and how much a client may take of a server; see createEngineServer. */
export interface ConnectionLimits {
  /** A request's headers must be in within this (Node's headersTimeout). */
  headersMs: number;
  /** The whole request, body included (Node's requestTimeout). */
  requestMs: number;
  /** Between requests on a kept-alive connection (the docker CLI opens a new one when it needs it). */
  keepAliveMs: number;
  /** A request being answered with no byte moving either way for this long: its client does not read. */
  idleMs: number;
  /** A stream (`service logs -f`) whose client has taken none of what is waiting for this long. */
  stallMs: number;
  /** Bytes a stream may have waiting for its client; past it the client is not reading. */
  backlogBytes: number;
  /** Connections open at once; more are closed as they arrive. */
  maxConnections: number;
}

/**
 * The docker CLI sends a request at once, reads every answer as it comes and keeps a
 * connection idle only between the polls of a progress display (200 ms); these bounds are
 * far from that, and still free a connection that misbehaves within half a minute.
 */
export const CONNECTION_LIMITS: ConnectionLimits = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  idleMs: 30_000,
  stallMs: 30_000,
  backlogBytes: 4 << 20,
  maxConnections: 128,
};

export interface EngineServerOptions {
  /** Largest request body accepted (bytes). */
  maxBodyBytes?: number;
  /**
   * For a TCP listener: the Host header values accepted (DNS rebinding arrives with another
   * name). A function, because the port is known only once listening.
   */
  allowedHosts?: () => ReadonlySet<string> | undefined;
  /** Told about requests that failed unexpectedly (a bug, not a daemon error): one line each, never a stack trace. */
  log?: (line: string) => void;
  /** Overrides of CONNECTION_LIMITS (tests use short ones). */
  limits?: Partial<ConnectionLimits>;
}

/** Headers dockerd's middleware puts on every routed response. */
function daemonHeaders(version: string): Record<string, string> {
  return { 'Api-Version': version, 'Docker-Experimental': 'false', Ostype: 'linux', Server: `Docker/${ENGINE_VERSION} (linux)` };
}

/**
 * Writes to a long-lived stream for as long as its client takes what is written. A quiet
 * stream is fine (the connection's idle timeout is off); one whose writes wait undrained
 * for `stallMs`, or pile up past `backlogBytes`, has a client that stopped reading, and is
 * closed.
 */
export function streamWriter(res: ServerResponse, limits: Pick<ConnectionLimits, 'stallMs' | 'backlogBytes'>): (b: Buffer) => void {
  res.setTimeout(0);
  let stalled: ReturnType<typeof setTimeout> | undefined;
  const unstall = (): void => {
    clearTimeout(stalled);
    stalled = undefined;
  };
  res.on('drain', unstall);
  res.once('close', unstall);
  return (b) => {
    if (res.destroyed) return;
    if (res.writableLength + b.length > limits.backlogBytes) {
      unstall();
      res.destroy();
      return;
    }
    if (!res.write(b) && stalled === undefined) stalled = setTimeout(() => res.destroy(), limits.stallMs);
  };
}

/** Characters of JSON serialised at a time for a list answer. */
export const JSON_CHUNK = 256 << 10;

/** Settles when `res` can take more (drain) or is gone (close). */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * A JSON array answer (a task list can be 100,000 tasks, 84 MB) serialised a chunk at a
 * time, as the client takes it: the server never holds the whole text (nor the text and its
 * bytes at once), a client that stops reading stops the serialising (and is dropped by the
 * idle timeout), and the event loop (the swarm's clock, other requests) gets a turn between
 * chunks. A list that fits in one chunk goes out whole with a Content-Length; a longer one
 * is chunked, as Go's server sends dockerd's large answers.
 */
async function sendJsonArray(res: ServerResponse, status: number, items: readonly unknown[], headers: Record<string, string>, head: boolean): Promise<void> {
  let i = 0;
  // Element by element, as JSON.stringify writes an array (undefined and functions as null).
  const piece = (): string => {
    let text = '';
    for (; i < items.length && text.length < JSON_CHUNK; i++) text += `${i === 0 ? '' : ','}${JSON.stringify(items[i]) ?? 'null'}`;
    return text;
  };
  let text = `[${piece()}`;
  if (i >= items.length) {
    const body = Buffer.from(`${text}]\n`, 'utf8');
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
    res.end(head ? undefined : body);
    return;
  }
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json' });
  if (head) {
    res.end();
    return;
  }
  for (;;) {
    if (res.destroyed) return;
    if (i >= items.length) {
      res.end(`${text}]\n`);
      return;
    }
    if (res.write(text)) await new Promise((resolve) => setImmediate(resolve));
    else await writable(res);
    text = piece();
  }
}

function send(res: ServerResponse, reply: Reply, headers: Record<string, string>, head: boolean, limits: ConnectionLimits): void | Promise<void> {
  if ('json' in reply && Array.isArray(reply.json)) return sendJsonArray(res, reply.status, reply.json, headers, head);
  if ('stream' in reply) {
    // Chunked, flushed per write; ends only when the client goes or the server closes.
    res.writeHead(reply.status, { ...headers, 'Content-Type': reply.contentType });
    if (head) {
      res.end();
      return;
    }
    res.flushHeaders();
    const { stop } = reply.stream(streamWriter(res, limits));
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

/** A request path or target as a log line shows it: quoted, control characters escaped. */
const shown = (s: string): string => JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s);

export function createEngineServer(api: SwarmApi, opts: EngineServerOptions = {}): Server {
  const routes: Router<Handler> = engineRoutes();
  const limit = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const limits: ConnectionLimits = { ...CONNECTION_LIMITS, ...opts.limits };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    // A client that stops reading what it asked for is dropped (streams turn this off).
    res.setTimeout(limits.idleMs, () => res.destroy());
    let headers: Record<string, string> = {};
    // dockerd's router answers unknown paths before its middleware adds the API headers.
    let unrouted = true;
    try {
      // A browser page may reach a loopback port; the docker CLI never sends Origin, and a
      // foreign Host means DNS rebinding: neither gets an answer.
      const hosts = opts.allowedHosts?.();
      if (hosts && !hosts.has(req.headers.host ?? '')) {
        return send(res, { status: 403, json: { message: 'forbidden Host header' } }, {}, head, limits);
      }
      if (req.headers.origin !== undefined) {
        return send(res, { status: 403, json: { message: 'cross-origin requests are not accepted' } }, {}, head, limits);
      }
      const target = splitTarget(req.url ?? '/');
      // gorilla/mux, before any route: an unclean path (`//v1.41//info`) is a bare 301 to the clean one.
      const location = muxRedirect(target);
      if (location !== undefined) {
        req.resume();
        res.writeHead(301, { Location: location, 'Content-Length': '0' });
        res.end();
        return;
      }
      const path = target.path;
      const query = new URLSearchParams(target.query);
      if (path === '/_ping' || /^\/v\d+\.\d+\/_ping$/.test(path)) {
        if (method !== 'GET' && method !== 'HEAD') throw Object.assign(new Error('Method Not Allowed'), { statusCode: 405 });
        const pingHeaders = {
          ...daemonHeaders(MAX_API_VERSION),
          'Builder-Version': '2',
          'Cache-Control': 'no-cache, no-store, must-revalidate',
          Pragma: 'no-cache',
          Swarm: await swarmHeader(api),
        };
        return send(res, { status: 200, text: 'OK' }, pingHeaders, head, limits);
      }
      const split = splitVersion(path);
      headers = daemonHeaders(split.version);
      let matched;
      try {
        matched = routes.match(method, split.path);
      } catch (e) {
        throw isApiError(e) && e.statusCode === 404 ? unservedPath(method, split.path) : e;
      }
      const { handler, params } = matched;
      unrouted = false;
      const reply = await handler({ api, params, query, headers: req.headers, json: () => readJson(req, limit) });
      // Whatever the handler did not read is drained, so the connection stays usable.
      req.resume();
      await send(res, reply, headers, head, limits);
    } catch (e) {
      req.resume();
      if (isApiError(e)) {
        send(res, { status: e.statusCode, json: { message: e.message } }, unrouted && e.statusCode === 404 ? {} : headers, head, limits);
        return;
      }
      const status = (e as { statusCode?: unknown }).statusCode === 405 ? 405 : 500;
      // One line: the request and what went wrong. A request must not fill the learner's
      // terminal with a stack trace.
      if (status === 500) opts.log?.(`${method} ${shown(req.url ?? '')}: internal error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      send(res, { status, json: { message: e instanceof Error ? e.message : String(e) } }, headers, head, limits);
    }
  };

  const server = createServer(
    {
      headersTimeout: limits.headersMs,
      requestTimeout: limits.requestMs,
      keepAliveTimeout: limits.keepAliveMs,
      // How often Node looks for requests past those timeouts.
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(limits.headersMs / 4))),
    },
    (req, res) => {
      handle(req, res).catch((e: unknown) => {
        opts.log?.(`response failed: ${e instanceof Error ? e.message : String(e)}`);
        res.destroy();
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  // Malformed HTTP, a request past its timeout, a connection error: an answer where one can
  // still be given (Node's 400/408/431), then the connection is closed for good. Ending it
  // politely instead waited for a client that may never read, and held it forever.
  server.on('clientError', (e: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const status =
        e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout'
        : e.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large'
        : '400 Bad Request';
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    }
    socket.destroy();
  });
  return server;
}
