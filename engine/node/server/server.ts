// The local server of `swarm-lab local`: the built site and one WebSocket terminal on
// 127.0.0.1, in front of a real swarm. The order of checks on every request is the point
// (local-mode-security.md): Host allowlist before routing, exact Origin on the upgrade and
// on every non-GET, the per-launch token (Bearer header / first WS frame) before any
// command, JSON only, size and rate limits, then the command table and the guarded API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createReadStream, existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import type { LocalBackend } from './backend.js';
import { checkCommandLine, MAX_LINE_LENGTH } from './command-policy.js';
import { DEFAULT_IMAGES } from './spec-policy.js';
import {
  allowedHosts,
  allowedOrigins,
  isJsonContentType,
  LOOPBACK_HOSTS,
  RateLimiter,
  SECURITY_HEADERS,
  singleHeader,
} from './http-policy.js';
import type { LocalFailure } from '../docker/failures.js';
import type { FrameId, ServerFrame } from './protocol.js';
import { parseClientFrame } from './protocol.js';
import type { TerminalCurl } from './terminal.js';
import { TerminalSession } from './terminal.js';
import { spawnCurl } from './curl-runner.js';
import { LocalLedger } from './ledger.js';
import { splitWords } from '../../shell/words.js';
import { bearerToken, newToken, tokenMatches } from './token.js';
import { deriveSwarmView } from '../../view/derive.js';
import { ViewFeed } from './view-feed.js';
import { newPseudonym, readViewLists } from './view-reads.js';

export interface LocalServerOptions {
  /** 0 or absent: a free port chosen by the OS. */
  port?: number;
  /** Must be loopback: '127.0.0.1' (default) or '::1'. Anything else is refused. */
  host?: string;
  /** The built site (dist/site). Missing files are 404s. */
  siteDir: string;
  backend: LocalBackend;
  /** Label scoping (the learner's own daemon). Default: backend.kind === 'docker'. */
  scoped?: boolean;
  /** Preloaded images services may use (default DEFAULT_IMAGES). */
  images?: ReadonlySet<string>;
  /** One more Origin allowed besides the server's own (e.g. the public tutorial site). */
  extraOrigins?: string[];
  /** Where the server reports refusals and failures (never the token). Default: nothing. */
  log?: (line: string) => void;
  /**
   * How long a new WebSocket has to authenticate (default 2 s: the page sends its token as soon
   * as the socket opens). Unauthenticated sockets never hold the terminal.
   */
  authTimeoutMs?: number;
  /** Commands (terminal lines, resets, HTTP API calls): a burst, then so many a second. Default 60, 20/s. */
  commandRate?: { burst: number; perSecond: number };
  /** The swarm view's pace (view-feed.ts); tests shorten it. */
  viewPollMs?: number;
  /**
   * The terminal's `curl` on the sandbox (local-curl.ts). Default: the real curl through nsenter,
   * IPVS looked for at /proc/sys/net/ipv4/vs. Tests pass a runner that records instead.
   */
  curl?: Partial<TerminalCurl>;
}

export interface LocalServer {
  /** http://127.0.0.1:PORT/#t=TOKEN: the one line to open. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Largest JSON body accepted on the HTTP API. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Largest WebSocket frame; larger ones close the socket (1009). */
export const MAX_FRAME_BYTES = 64 * 1024;
/**
 * Sockets that have not authenticated yet, at most. One more evicts the oldest rather than
 * being refused: whoever holds unauthenticated sockets open cannot keep the page out.
 */
export const MAX_PENDING_SOCKETS = 16;
/** HTTP requests (WebSocket upgrades included) must send their headers within this, their body within REQUEST_TIMEOUT_MS. */
const HEADERS_TIMEOUT_MS = 5000;
const REQUEST_TIMEOUT_MS = 10_000;
/** How long stopping the server waits for commands to end and for node availabilities to be put back. */
const SHUTDOWN_WAIT_MS = 10_000;
/** WebSocket close codes: policy violation; unauthorized and conflict (application range). */
export const CLOSE_POLICY = 1008;
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_CONFLICT = 4409;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.pf_meta': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** A refusal on a raw socket (the WebSocket upgrade, before any handshake). */
function refuseUpgrade(socket: Duplex, status: number): void {
  const headers = Object.entries(SECURITY_HEADERS)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n${headers}Connection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/**
 * The services a `docker service create/update/rollback/scale` line names (create: --name;
 * update/rollback: the last word; scale: each NAME=N), for the missing-image check after it.
 */
export function servicesOfLine(line: string): string[] {
  const s = splitWords(line);
  if (s.kind !== 'words') return [];
  const w = s.words;
  if (w[0] !== 'docker' || w[1] !== 'service') return [];
  const sub = w[2];
  if (sub === 'create') {
    const i = w.findIndex((x) => x === '--name' || x.startsWith('--name='));
    if (i < 0) return [];
    return [w[i]!.startsWith('--name=') ? w[i]!.slice(7) : (w[i + 1] ?? '')].filter((x) => x !== '');
  }
  if (sub === 'update' || sub === 'rollback') return w.length > 3 && !w.at(-1)!.startsWith('-') ? [w.at(-1)!] : [];
  if (sub === 'scale') return w.slice(3).filter((x) => /^[^-=][^=]*=\d+$/.test(x)).map((x) => x.split('=')[0]!);
  return [];
}

/** The path of a request target as a list of safe segments, or undefined if it is not one. */
export function safeSegments(target: string): string[] | undefined {
  if (!target.startsWith('/') || target.startsWith('//')) return undefined;
  const path = target.split(/[?#]/, 1)[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '.' || s === '..')) return undefined;
  return segments;
}

export async function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`swarm-lab local listens on loopback only (127.0.0.1 or ::1), not ${host}`);
  const backend = opts.backend;
  const scoped = opts.scoped ?? backend.kind === 'docker';
  // One memory of Swarm Lab's node changes and one write queue for every terminal of this server.
  const ledger = new LocalLedger();
  const guard = { scoped, ledger, ...(opts.images ? { images: opts.images } : {}) };
  const preloaded = opts.images ?? DEFAULT_IMAGES;
  const log = opts.log ?? ((): void => undefined);
  const authTimeoutMs = opts.authTimeoutMs ?? 2000;
  const token = newToken();
  let hosts: ReadonlySet<string> = new Set();
  let origins: ReadonlySet<string> = new Set();
  // Commands (WS runs and HTTP API calls together): far above a learner's typing or a lesson's
  // Run buttons, far below a script hammering the daemon.
  const commandRate = new RateLimiter(opts.commandRate?.burst ?? 60, opts.commandRate?.perSecond ?? 20);
  let siteRoot: string | undefined;

  let active: WebSocket | undefined;
  /** Upgraded sockets still waiting for their auth frame, oldest first. */
  const pending = new Set<WebSocket>();
  /** Every terminal session alive (the page's, /api/run's): stopped with the server. */
  const sessions = new Set<TerminalSession>();
  /** The swarm view of each page socket: stopped with its socket, or with the server. */
  const feeds = new Set<ViewFeed>();
  // The learner's own task IDs reach the page only as keyed hashes (view-reads.ts), stable for this server's life.
  const pseudonym = newPseudonym();
  const sockets = new Set<Socket>();

  /**
   * Puts back every node availability Swarm Lab changed (the learner left local mode, or the
   * server stops), through the first manager's own connection.
   */
  const restoreNodes = async (why: string): Promise<void> => {
    if (ledger.changedNodes().size === 0) return;
    const api = backend.api(backend.startNode);
    if (!api) return;
    try {
      const r = await ledger.restoreNodes(api);
      if (r.restored.length > 0) log(`${why}: set the availability of ${r.restored.join(', ')} back`);
      if (r.failed.length > 0) log(`${why}: could not set the availability of ${r.failed.join(', ')} back`);
    } catch (e) {
      log(`${why}: could not set node availabilities back: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  /** A session that ends when its client goes away; `close` resolves when nothing of it runs any more. */
  const curl: TerminalCurl = {
    run: opts.curl?.run ?? spawnCurl(),
    ipvs: opts.curl?.ipvs ?? ((): boolean => existsSync('/proc/sys/net/ipv4/vs')),
    ...(opts.curl?.netnsDir ? { netnsDir: opts.curl.netnsDir } : {}),
  };
  const newSession = (send: (f: ServerFrame) => void, lang?: string): TerminalSession => {
    const session = new TerminalSession(backend, guard, send, { curl, ...(lang ? { lang } : {}) });
    sessions.add(session);
    return session;
  };
  const endSession = (session: TerminalSession): Promise<void> => session.close().finally(() => sessions.delete(session));

  const hostOk = (req: IncomingMessage): boolean => {
    const h = singleHeader(req.rawHeaders, 'host');
    return h !== undefined && hosts.has(h);
  };
  const originOk = (req: IncomingMessage): boolean => {
    const o = singleHeader(req.rawHeaders, 'origin');
    return o !== undefined && origins.has(o);
  };

  const send = (res: ServerResponse, status: number, body?: unknown, extra: Record<string, string> = {}): void => {
    const text = body === undefined ? `${STATUS_TEXT[status] ?? ''}\n` : JSON.stringify(body);
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': body === undefined ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
      ...extra,
    });
    res.end(text);
  };

  /** Reads a JSON body of at most MAX_BODY_BYTES; undefined after a 413/400 was sent. */
  const readJson = (req: IncomingMessage, res: ServerResponse): Promise<unknown> =>
    new Promise((resolve) => {
      const declared = Number(req.headers['content-length'] ?? '0');
      if (declared > MAX_BODY_BYTES) {
        send(res, 413);
        req.resume();
        return resolve(undefined);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) {
          if (!over) send(res, 413);
          over = true;
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => {
        if (over) return resolve(undefined);
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
        } catch {
          send(res, 400);
          resolve(undefined);
        }
      });
      req.on('error', () => resolve(undefined));
    });

  /** GET /api/backend, POST /api/run: the same terminal, for scripts; Bearer token required. */
  const api = async (req: IncomingMessage, res: ServerResponse, route: string): Promise<void> => {
    if (!tokenMatches(token, bearerToken(req.headers.authorization))) {
      log(`refused ${req.method} ${route}: no valid token`);
      return send(res, 401, undefined, { 'WWW-Authenticate': 'Bearer' });
    }
    if (!commandRate.take()) return send(res, 429);
    if (route === '/api/backend' && req.method === 'GET') {
      return send(res, 200, { kind: backend.kind, name: backend.name, hostnames: backend.hostnames(), scoped });
    }
    if (route === '/api/run' && req.method === 'POST') {
      if (!isJsonContentType(req.headers['content-type'])) {
        req.resume();
        return send(res, 415);
      }
      const body = await readJson(req, res);
      if (body === undefined) return;
      const b = body as Record<string, unknown>;
      if (typeof body !== 'object' || body === null || typeof b.line !== 'string') return send(res, 400);
      if (b.line.length > MAX_LINE_LENGTH) return send(res, 413);
      const cols = typeof b.cols === 'number' && Number.isInteger(b.cols) && b.cols >= 10 && b.cols <= 1000 ? b.cols : 80;
      let output = '';
      let code = 0;
      const session = newSession((f: ServerFrame) => {
        if (f.t === 'out') output += f.text;
        if (f.t === 'done') code = f.code;
      });
      // The command ends when its client goes away: `res` closes then (the request's own
      // 'close' has long fired, once its body was read, and would never abort anything).
      const gone = (): void => {
        if (!res.writableFinished) void endSession(session);
      };
      res.on('close', gone);
      if (res.destroyed || req.socket.destroyed) gone();
      try {
        await session.handle({ t: 'run', id: 1, line: b.line, cols });
      } finally {
        void endSession(session);
      }
      if (res.destroyed) return;
      return send(res, 200, { code, output });
    }
    return send(res, route === '/api/backend' || route === '/api/run' ? 405 : 404);
  };

  const serveStatic = async (req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, undefined, { Allow: 'GET, HEAD' });
    if (siteRoot === undefined) return send(res, 404);
    let file = join(siteRoot, ...segments);
    try {
      let st = await stat(file);
      if (st.isDirectory()) {
        file = join(file, 'index.html');
        st = await stat(file);
      }
      // A symlink inside the site must not lead outside it.
      const real = await realpath(file);
      if (!real.startsWith(siteRoot + sep) || !st.isFile()) return send(res, 404);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': String(st.size),
      });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(real).pipe(res);
    } catch {
      send(res, 404);
    }
  };

  const server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 }, (req, res) => {
    if (!hostOk(req)) {
      log('refused a request: Host not allowed');
      return send(res, 403);
    }
    const origin = singleHeader(req.rawHeaders, 'origin');
    if (req.method === 'OPTIONS') {
      // CORS preflight: answered only for an allowed origin, and never with a wildcard.
      if (!originOk(req)) return send(res, 403);
      res.writeHead(204, {
        ...SECURITY_HEADERS,
        'Access-Control-Allow-Origin': origin!,
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
      return void res.end();
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !originOk(req)) {
      log(`refused ${req.method}: Origin not allowed`);
      req.resume();
      return send(res, 403);
    }
    const segments = safeSegments(req.url ?? '');
    if (segments === undefined) return send(res, 404);
    if (segments[0] === 'api') {
      return void api(req, res, `/${segments.join('/')}`).catch((e: unknown) => {
        log(`internal error: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) send(res, 500);
      });
    }
    if (segments.length === 1 && segments[0] === 'ws') return send(res, 426);
    void serveStatic(req, res, segments);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!hostOk(req)) return refuseUpgrade(socket, 403);
    if (req.url !== '/ws') return refuseUpgrade(socket, 404);
    if (!originOk(req)) {
      log('refused a WebSocket: Origin not allowed');
      return refuseUpgrade(socket, 403);
    }
    // A second terminal is not refused here: a refused upgrade reaches a page only as close
    // 1006 with no reason. It is accepted, must authenticate like any other, and is then
    // closed with CLOSE_CONFLICT, which the page can put in words (another tab holds it).
    // Nor is a new socket refused because others have not authenticated yet: the oldest of
    // those goes instead, so sockets held open without a token never keep the page out.
    while (pending.size >= MAX_PENDING_SOCKETS) {
      const oldest = pending.values().next().value as WebSocket;
      pending.delete(oldest);
      oldest.close(CLOSE_UNAUTHORIZED, 'authentication timeout');
      setTimeout(() => oldest.terminate(), 1000).unref();
    }
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  });

  /**
   * The swarm view of a page's terminal: the model read through the first manager's own
   * connection with view-reads.ts's calls only (the guard would hide the learner's tasks, which
   * the view draws greyed), marking the machine the terminal's shell is on.
   */
  const newFeed = (s: TerminalSession, send: (f: ServerFrame) => void): ViewFeed => {
    const feed = new ViewFeed({
      read: (history) => {
        const api = backend.api(backend.startNode);
        if (!api) return Promise.reject(new Error(`no machine named ${backend.startNode}`));
        return readViewLists(api, { pseudonym, self: s.node, now: backend.clock.now(), history });
      },
      empty: (history) => deriveSwarmView({ nodes: [], services: [], tasks: [], now: backend.clock.now(), history }),
      busy: () => s.busy,
      send,
      log,
      ...(opts.viewPollMs !== undefined ? { pollMs: opts.viewPollMs } : {}),
    });
    feeds.add(feed);
    return feed;
  };
  const endFeed = (feed: ViewFeed): Promise<void> => feed.stop().finally(() => feeds.delete(feed));

  /** backend.probe, with an unexpected error logged rather than thrown. */
  const probe = async (reopen: boolean): Promise<LocalFailure | undefined> => {
    try {
      return await backend.probe?.({ reopen });
    } catch (e) {
      log(`probing Docker failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };

  /**
   * After a run: a failed command may mean Docker went away (or the swarm did); a service
   * command may have tasks rejected for an image their node has not got.
   */
  const failuresAfterRun = async (run: { line: string; startedMs: number } | undefined, code: number): Promise<LocalFailure[]> => {
    const found: LocalFailure[] = [];
    if (code !== 0) {
      const f = await probe(false);
      if (f) found.push(f);
    }
    if (run && found.length === 0 && backend.missingImages) {
      for (const service of servicesOfLine(run.line)) {
        try {
          found.push(...(await backend.missingImages(service, preloaded, run.startedMs)));
        } catch {
          /* the daemon went away meanwhile: the next command says so */
        }
      }
    }
    return found;
  };

  const onSocket = (ws: WebSocket): void => {
    let session: TerminalSession | undefined;
    let feed: ViewFeed | undefined;
    let authenticated = false;
    const frameRate = new RateLimiter(200, 100);
    pending.add(ws);
    const settlePending = (): void => {
      pending.delete(ws);
    };
    const timer = setTimeout(() => {
      if (!authenticated) ws.close(CLOSE_UNAUTHORIZED, 'authentication timeout');
    }, authTimeoutMs);
    const out = (f: ServerFrame): void => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(f));
    };
    // A run's `done` waits for what the learner must be told about it first (failure frames).
    const runs = new Map<FrameId, { line: string; startedMs: number }>();
    const watchRuns = (f: ServerFrame): void => {
      if (f.t !== 'done') return out(f);
      const run = runs.get(f.id);
      runs.delete(f.id);
      void failuresAfterRun(run, f.code).then((found) => {
        for (const failure of found) out({ t: 'failure', id: f.id, failure });
        out(f);
      });
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(CLOSE_POLICY, 'text frames only');
      const frame = parseClientFrame(data.toString());
      if (!authenticated) {
        clearTimeout(timer);
        if (frame?.t !== 'auth' || !tokenMatches(token, frame.token)) {
          log('refused a WebSocket: first frame is not a valid auth frame');
          return ws.close(CLOSE_UNAUTHORIZED, 'unauthorized');
        }
        settlePending();
        authenticated = true;
        if (active !== undefined) {
          log('refused a WebSocket: another terminal is connected');
          return ws.close(CLOSE_CONFLICT, 'another tab holds the local terminal');
        }
        active = ws;
        // The swarm is looked for again at each connection (Docker may have been started, or the
        // sandbox brought up, since); what stops it from running the lessons goes in `ready`.
        const greet = (failure: LocalFailure | undefined): void => {
          if (ws.readyState !== WebSocket.OPEN) return;
          const s = (session = newSession(watchRuns, frame.lang));
          feed = newFeed(s, out);
          out({ ...session.ready(), ...(failure ? { failure } : {}) });
        };
        // A backend that cannot fail (the simulator in tests) is greeted at once, as before.
        if (backend.probe) void probe(true).then(greet);
        else greet(undefined);
        return;
      }
      if (session === undefined) return out({ t: 'error', message: 'not ready yet' });
      if (!frameRate.take()) return out({ t: 'error', message: 'rate limited: too many messages' });
      if (frame === undefined || frame.t === 'auth') return out({ t: 'error', message: 'bad message' });
      if ((frame.t === 'run' || frame.t === 'reset') && !commandRate.take()) {
        return out({ t: 'error', id: frame.id, message: 'rate limited: too many commands' });
      }
      if (frame.t === 'view') {
        if (frame.watch) feed?.watch(frame.history);
        else feed?.unwatch();
        return;
      }
      if (frame.t === 'run') runs.set(frame.id, { line: frame.line, startedMs: Date.now() });
      const handled = session.handle(frame);
      // The swarm moves while a command (or a reset) runs: the view reads it at the busy pace.
      if (frame.t === 'run' || frame.t === 'reset') feed?.poke();
      handled.catch((e: unknown) => {
        log(`internal error: ${e instanceof Error ? e.message : String(e)}`);
        out({ t: 'error', message: 'internal error' });
      });
    });
    ws.on('close', () => {
      clearTimeout(timer);
      settlePending();
      const wasActive = active === ws;
      if (wasActive) active = undefined;
      if (feed) void endFeed(feed);
      // The learner left local mode (switched to the simulator, closed or reloaded the page):
      // the running command ends now, then the nodes Swarm Lab changed go back as they were.
      const ended = session ? endSession(session) : Promise.resolve();
      if (wasActive) void ended.then(() => restoreNodes('the page left local mode'));
    });
    ws.on('error', () => ws.terminate());
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port ?? 0, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  if (!LOOPBACK_HOSTS.has(addr.address)) {
    server.close();
    throw new Error(`refusing to serve on ${addr.address}`);
  }
  hosts = allowedHosts(addr.port);
  origins = allowedOrigins(addr.port, opts.extraOrigins ?? []);
  try {
    siteRoot = await realpath(opts.siteDir);
  } catch {
    log(`no site at ${opts.siteDir}: pages will be 404 (run npm run build)`);
  }
  const urlHost = addr.address === '::1' ? `[::1]:${addr.port}` : `127.0.0.1:${addr.port}`;
  return {
    url: `http://${urlHost}/#t=${token}`,
    port: addr.port,
    close: async () => {
      // Commands end first, then Swarm Lab's node changes are put back, all within a bound.
      const bounded = (p: Promise<unknown>): Promise<unknown> =>
        Promise.race([p, new Promise((r) => setTimeout(r, SHUTDOWN_WAIT_MS).unref())]);
      await bounded(Promise.allSettled([...[...feeds].map(endFeed), ...[...sessions].map(endSession)]));
      await bounded(restoreNodes('the server stopped'));
      await new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
