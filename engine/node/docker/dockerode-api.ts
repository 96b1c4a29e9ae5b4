// SwarmApi over a real Docker daemon, through dockerode's HTTP layer (docker-modem).
// Every method is one Engine API request, answered with the daemon's JSON as it comes, so
// the CLI layer prints what the docker CLI prints from the same JSON. Requests go through
// `modem.dial` rather than dockerode's object helpers because those hide what the CLI needs:
// service create's {ID, Warnings}, the update version as a query parameter (not the spec in
// the URL), exact error bodies. Daemon errors become ApiError(status, the body's `message`),
// which the CLI prints as "Error response from daemon: <message>". A daemon that cannot be
// reached is a DockerUnreachableError worded as the docker CLI words it.
import Dockerode from 'dockerode';
import type { IncomingMessage } from 'node:http';
import type {
  ServiceCreateResponse,
  ServiceLogsOptions,
  ServiceUpdateOptions,
  ServiceUpdateResponse,
  SwarmApi,
  SwarmUpdateOptions,
} from '../../api/swarm-api.js';
import { ApiError } from '../../api/swarm-api.js';
import type {
  ContainerSummary,
  DistributionInspect,
  Filters,
  Info,
  LogLine,
  Network,
  Node,
  NodeSpec,
  Service,
  ServiceSpec,
  Swarm,
  SwarmInitRequest,
  SwarmJoinRequest,
  Task,
  VersionInfo,
} from '../../api/types.js';
import type { DockerOptions } from './docker-host.js';

/** The newest Engine API the docker 28.2.2 CLI speaks; older daemons are spoken to in their own version, as the CLI negotiates. */
export const CLIENT_API_VERSION = '1.50';
/** The oldest the engine's CLI layer is written for (the shapes in engine/api/types.ts). */
export const MIN_API_VERSION = '1.41';

/** Local mode never asks a registry; the CLI turns this into its "could not be accessed on a registry" warning. */
export const NO_REGISTRY_MESSAGE = 'Swarm Lab local mode does not contact registries';

/** The daemon could not be reached at all (no HTTP answer). */
export class DockerUnreachableError extends Error {
  constructor(
    message: string,
    /** The system error code: ENOENT, ECONNREFUSED, EACCES, ETIMEDOUT… */
    readonly code: string,
    /** Where we tried to connect (unix:///…, tcp://…, ssh://…). */
    readonly url: string,
    /** The system's own text for the failure. */
    readonly detail = message,
  ) {
    super(message);
    this.name = 'DockerUnreachableError';
  }
}

interface ModemError extends Error {
  statusCode?: number;
  json?: unknown;
  code?: string;
}

interface Modem {
  dial(options: Record<string, unknown>, callback: (err: ModemError | null, data: unknown) => void): void;
}

type Query = Record<string, string | number | boolean | undefined>;

/** Every status the Engine documents for the endpoints used here; anything else is an error too. */
const STATUS_CODES = { 200: true, 201: true, 204: true, 304: true, 400: 'bad request', 401: 'unauthorized', 403: 'forbidden', 404: 'not found', 406: 'not acceptable', 409: 'conflict', 500: 'server error', 503: 'unavailable' };

const versionLess = (a: string, b: string): boolean => {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am !== bm ? am < bm : an < bn;
};

/**
 * How long a daemon that has answered before may be gone (a restart) before a request fails,
 * and the waits between attempts: short at first, doubling, bounded.
 */
export interface ReconnectPolicy {
  budgetMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}
export const DEFAULT_RECONNECT: ReconnectPolicy = { budgetMs: 15_000, firstDelayMs: 100, maxDelayMs: 2000 };

/** No connection at all: the request never reached a daemon, so even a POST may be sent again. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOENT']);
/** The connection broke mid-request: only a request that changes nothing may be sent again. */
const BROKEN = new Set(['ECONNRESET', 'EPIPE']);
/**
 * What a manager answers while it stops and until its swarm state is loaded again after a
 * restart (seen on dockerd 20.10: the not-in-swarm text, before and after the socket is gone;
 * errNoManager's "being prepared"). Waited out only on a daemon that has answered as a manager
 * on this connection (and did not leave its swarm through it): elsewhere it is the answer.
 */
const MANAGER_STARTING = ['This node is not a swarm manager. Manager is being prepared', 'This node is not a swarm manager. Use "docker swarm init"'];

export class DockerodeApi implements SwarmApi {
  readonly docker: Dockerode;
  /** Where this connection goes, as the docker CLI names it. */
  readonly url: string;
  private apiPrefix: Promise<string> | undefined;
  /** The daemon has answered once: a later failure to connect is a restart, waited out. */
  private reached = false;
  /** The daemon has answered a manager-only request: it is a manager unless it leaves. */
  private managerSeen = false;
  private readonly reconnect: ReconnectPolicy;

  constructor(docker: Dockerode | DockerOptions, opts: { reconnect?: ReconnectPolicy } = {}) {
    this.reconnect = opts.reconnect ?? DEFAULT_RECONNECT;
    if (docker instanceof Dockerode) {
      this.docker = docker;
      const m = docker.modem as { socketPath?: string; host?: string; port?: number; protocol?: string };
      this.url = m.socketPath !== undefined ? `unix://${m.socketPath}` : `${m.protocol === 'https' ? 'tcp' : (m.protocol ?? 'tcp')}://${m.host ?? ''}:${m.port ?? ''}`;
    } else {
      const { url, ...opts } = docker;
      this.docker = new Dockerode(opts as Dockerode.DockerOptions);
      this.url = url;
    }
  }

  private get modem(): Modem {
    return this.docker.modem as unknown as Modem;
  }

  /**
   * The API version path prefix, negotiated once like the CLI: the daemon's version when it is
   * older than ours, else ours. A failed negotiation is retried on the next call.
   */
  private prefix(): Promise<string> {
    this.apiPrefix ??= this.raw<VersionInfo>('GET', '/version').then(
      (v) => {
        const server = typeof v?.ApiVersion === 'string' ? v.ApiVersion : CLIENT_API_VERSION;
        return `/v${versionLess(server, CLIENT_API_VERSION) ? server : CLIENT_API_VERSION}`;
      },
      (e: unknown) => {
        this.apiPrefix = undefined;
        throw e;
      },
    );
    return this.apiPrefix;
  }

  /** The API version in use (after the first request). */
  async apiVersion(): Promise<string> {
    return (await this.prefix()).slice(2);
  }

  private async call<T>(method: string, path: string, opts: { query?: Query; body?: unknown; stream?: boolean } = {}): Promise<T> {
    let prefix: string;
    try {
      prefix = await this.prefix();
    } catch (e) {
      // The version check could not reach the daemon: report the request the caller made.
      if (e instanceof DockerUnreachableError) throw this.unreachable(e.code, e.detail, method, path, goQuery(opts.query ?? {}));
      throw e;
    }
    return this.raw<T>(method, prefix + path, opts);
  }

  /**
   * One request. When the daemon has answered before and now cannot be reached (it is
   * restarting), the request is tried again with a growing wait until the reconnect budget is
   * spent, then fails as the docker CLI would: the CLI's polling carries on across a restart.
   */
  private async raw<T>(method: string, path: string, opts: { query?: Query; body?: unknown; stream?: boolean } = {}): Promise<T> {
    const started = Date.now();
    let delay = this.reconnect.firstDelayMs;
    for (;;) {
      try {
        const r = await this.once<T>(method, path, opts);
        this.reached = true;
        if (method === 'GET' && /^\/v[\d.]+\/(nodes|services|tasks|swarm)\b/.test(path)) this.managerSeen = true;
        return r;
      } catch (e) {
        if (!this.reached || !this.retryable(e, method) || Date.now() - started + delay > this.reconnect.budgetMs) throw e;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, this.reconnect.maxDelayMs);
      }
    }
  }

  private retryable(e: unknown, method: string): boolean {
    const readOnly = method === 'GET' || method === 'HEAD';
    if (e instanceof DockerUnreachableError) return NOT_DELIVERED.has(e.code) || (readOnly && BROKEN.has(e.code));
    return readOnly && this.managerSeen && e instanceof ApiError && MANAGER_STARTING.some((m) => e.message.startsWith(m));
  }

  private once<T>(method: string, path: string, opts: { query?: Query; body?: unknown; stream?: boolean }): Promise<T> {
    const query = goQuery(opts.query ?? {});
    const options: Record<string, unknown> = {};
    // The query string is built here, in Go's form (sorted keys, QueryEscape), so the URL is the
    // one the docker CLI would request. docker-modem then appends `_query`, here empty.
    if (query !== '') options['_query'] = {};
    if (opts.body !== undefined) options['_body'] = opts.body;
    return new Promise<T>((resolve, reject) => {
      this.modem.dial(
        {
          path: query !== '' ? `${path}?${query}` : path,
          method,
          options: Object.keys(options).length > 0 ? options : undefined,
          allowEmpty: opts.body !== undefined,
          isStream: opts.stream === true,
          statusCodes: STATUS_CODES,
        },
        (err, data) => (err ? reject(this.translate(err, method, path, query)) : resolve(data as T)),
      );
    });
  }

  /** A docker-modem error as the CLI would report it. */
  private translate(err: ModemError, method: string, path: string, query: string): Error {
    if (typeof err.statusCode === 'number') {
      const body = err.json;
      let message: string;
      if (body && typeof body === 'object' && !Buffer.isBuffer(body) && typeof (body as { message?: unknown }).message === 'string') {
        message = (body as { message: string }).message;
      } else if (Buffer.isBuffer(body)) {
        message = body.toString('utf8').trim();
      } else if (typeof body === 'string') {
        message = body.trim();
      } else {
        message = err.message;
      }
      return new ApiError(err.statusCode, message);
    }
    return this.unreachable(err.code ?? 'EUNKNOWN', err.message, method, path, query);
  }

  /**
   * The docker CLI's words for a daemon it could not reach. For a refused or missing socket it
   * names only the host; otherwise it quotes the request as Go's net/http does
   * (`Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.50/services?status=true": dial unix …`), with
   * the API version it would have used: its own, since the version check could not happen.
   */
  private unreachable(code: string, detail: string, method: string, path: string, query: string): DockerUnreachableError {
    const m = this.docker.modem as { socketPath?: unknown };
    const socket = typeof m.socketPath === 'string' ? m.socketPath : undefined;
    const versioned = /^\/v\d+\.\d+\//.test(path) || path === '/_ping' ? path : `/v${CLIENT_API_VERSION}${path}`;
    const target = `${socket !== undefined ? `http://${encodeURIComponent(socket)}` : this.url.replace(/^tcp:/, 'http:')}${versioned}${query !== '' ? `?${query}` : ''}`;
    const op = `${method.charAt(0)}${method.slice(1).toLowerCase()} "${target}"`;
    switch (code) {
      case 'ENOENT':
      case 'ECONNREFUSED':
        return new DockerUnreachableError(`Cannot connect to the Docker daemon at ${this.url}. Is the docker daemon running?`, code, this.url, detail);
      case 'EACCES':
        return new DockerUnreachableError(
          `permission denied while trying to connect to the Docker daemon socket at ${this.url}: ${op}: dial unix ${socket ?? ''}: connect: permission denied`,
          code,
          this.url,
          detail,
        );
      default:
        return new DockerUnreachableError(`error during connect: ${op}: ${detail}`, code, this.url, detail);
    }
  }

  // ------------------------------------------------------------------ system

  async ping(): Promise<string> {
    const r = await this.raw<unknown>('GET', '/_ping');
    return Buffer.isBuffer(r) ? r.toString('utf8') : String(r);
  }

  version(): Promise<VersionInfo> {
    return this.call('GET', '/version');
  }

  info(): Promise<Info> {
    return this.call('GET', '/info');
  }

  // ------------------------------------------------------------------ swarm

  swarmInspect(): Promise<Swarm> {
    return this.call('GET', '/swarm');
  }

  async swarmInit(req: SwarmInitRequest): Promise<string> {
    // The daemon needs a listen address; the CLI always sends its default.
    const body = { ListenAddr: '0.0.0.0:2377', ...req };
    const r = await this.call<unknown>('POST', '/swarm/init', { body });
    return typeof r === 'string' ? r : Buffer.isBuffer(r) ? JSON.parse(r.toString('utf8') || '""') : String(r);
  }

  async swarmJoin(req: SwarmJoinRequest): Promise<void> {
    await this.call('POST', '/swarm/join', { body: { ListenAddr: '0.0.0.0:2377', ...req } });
  }

  async swarmLeave(force: boolean): Promise<void> {
    await this.call('POST', '/swarm/leave', { query: force ? { force: true } : {} });
    this.managerSeen = false;
  }

  async swarmUpdate(version: number, spec: Swarm['Spec'], opts: SwarmUpdateOptions = {}): Promise<void> {
    await this.call('POST', '/swarm/update', {
      query: {
        version,
        rotateWorkerToken: opts.rotateWorkerToken ? true : undefined,
        rotateManagerToken: opts.rotateManagerToken ? true : undefined,
      },
      body: spec,
    });
  }

  // ------------------------------------------------------------------ nodes

  nodeList(filters?: Filters): Promise<Node[]> {
    return this.call('GET', '/nodes', { query: { filters: filterParam(filters) } });
  }

  nodeInspect(idOrName: string): Promise<Node> {
    return this.call('GET', `/nodes/${enc(idOrName)}`);
  }

  async nodeUpdate(id: string, version: number, spec: NodeSpec): Promise<void> {
    await this.call('POST', `/nodes/${enc(id)}/update`, { query: { version }, body: spec });
  }

  async nodeRemove(id: string, force: boolean): Promise<void> {
    await this.call('DELETE', `/nodes/${enc(id)}`, { query: force ? { force: true } : {} });
  }

  // ------------------------------------------------------------------ services

  async serviceCreate(spec: ServiceSpec): Promise<ServiceCreateResponse> {
    const r = await this.call<Partial<ServiceCreateResponse>>('POST', '/services/create', { body: spec });
    return { ID: String(r.ID ?? ''), Warnings: r.Warnings ?? null };
  }

  serviceList(opts: { filters?: Filters; status?: boolean } = {}): Promise<Service[]> {
    return this.call('GET', '/services', { query: { filters: filterParam(opts.filters), status: opts.status ? true : undefined } });
  }

  serviceInspect(idOrName: string, opts: { insertDefaults?: boolean } = {}): Promise<Service> {
    return this.call('GET', `/services/${enc(idOrName)}`, { query: { insertDefaults: opts.insertDefaults ? true : undefined } });
  }

  async serviceUpdate(id: string, version: number, spec: ServiceSpec, opts: ServiceUpdateOptions = {}): Promise<ServiceUpdateResponse> {
    const r = await this.call<Partial<ServiceUpdateResponse> | Buffer>('POST', `/services/${enc(id)}/update`, {
      query: { version, rollback: opts.rollback, registryAuthFrom: opts.registryAuthFrom },
      body: spec,
    });
    return { Warnings: !Buffer.isBuffer(r) && r?.Warnings ? r.Warnings : null };
  }

  async serviceDelete(idOrName: string): Promise<void> {
    await this.call('DELETE', `/services/${enc(idOrName)}`);
  }

  async serviceLogs(idOrName: string, opts: ServiceLogsOptions = {}): Promise<LogLine[]> {
    // Always with timestamps (LogLine.time; the CLI filters --since on it) and details (the task,
    // node and service of each line), as the docker CLI always asks for details.
    const res = await this.call<IncomingMessage>('GET', `/services/${enc(idOrName)}/logs`, {
      query: { stdout: true, stderr: true, details: true, timestamps: true, tail: opts.tail !== undefined ? String(opts.tail) : 'all' },
      stream: true,
    });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return parseLogStream(Buffer.concat(chunks));
  }

  // ------------------------------------------------------------------ tasks

  taskList(filters?: Filters): Promise<Task[]> {
    return this.call('GET', '/tasks', { query: { filters: filterParam(filters) } });
  }

  taskInspect(id: string): Promise<Task> {
    return this.call('GET', `/tasks/${enc(id)}`);
  }

  // ------------------------------------------------------------------ containers

  /**
   * Only the networks a swarm node makes itself (bridge, docker_gwbridge, host, ingress, none):
   * the learner's own networks are neither listed nor inspected (they read as not found).
   */
  async networkList(filters?: Filters): Promise<Network[]> {
    const all = await this.call<Network[]>('GET', '/networks', { query: { filters: filterParam(filters) } });
    return all.filter((n) => SWARM_NODE_NETWORKS.has(n.Name));
  }

  async networkInspect(idOrName: string, opts: { verbose?: boolean } = {}): Promise<Network> {
    // Resolved among the allowed networks first (moby's order: full ID, name, unique ID prefix),
    // so a name or prefix of one of the learner's networks is never sent.
    const known = await this.networkList();
    const term = String(idOrName ?? '');
    const prefixed = term === '' ? [] : known.filter((n) => n.Id.startsWith(term));
    const found = known.find((n) => n.Id === term) ?? known.find((n) => n.Name === term) ?? (prefixed.length === 1 ? prefixed[0] : undefined);
    if (!found) throw new ApiError(404, `network ${term} not found`);
    return this.call('GET', `/networks/${encodeURIComponent(found.Id)}`, { query: { verbose: opts.verbose ? true : undefined } });
  }

  /** `filters` (beyond SwarmApi's contract): the local-mode guard asks only for its own services' containers. */
  containerList(opts: { all?: boolean; filters?: Filters } = {}): Promise<ContainerSummary[]> {
    return this.call('GET', '/containers/json', { query: { all: opts.all ? true : undefined, filters: filterParam(opts.filters) } });
  }

  // ------------------------------------------------------------------ registry

  async distributionInspect(_image: string): Promise<DistributionInspect> {
    throw new ApiError(403, NO_REGISTRY_MESSAGE);
  }
}

const enc = (s: string): string => encodeURIComponent(s);

/**
 * Filters as the docker CLI sends them: a JSON map of value -> true per key (the Engine takes
 * that and the plain map of arrays alike), keys sorted as Go's encoder does; omitted when empty.
 */
/** The networks every swarm node has: the only ones local mode reads. */
export const SWARM_NODE_NETWORKS: ReadonlySet<string> = new Set(['bridge', 'docker_gwbridge', 'host', 'ingress', 'none']);

export function filterParam(filters: Filters | undefined): string | undefined {
  if (!filters || Object.keys(filters).length === 0) return undefined;
  const out: Record<string, Record<string, boolean>> = {};
  for (const k of Object.keys(filters).sort()) {
    out[k] = {};
    for (const v of [...(filters[k] ?? [])].sort()) out[k][v] = true;
  }
  return JSON.stringify(out);
}

/** A query string as Go's url.Values.Encode writes it: keys sorted, values QueryEscape'd. */
export function goQuery(query: Query): string {
  const esc = (x: string) => encodeURIComponent(x).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
  return Object.keys(query)
    .filter((k) => query[k] !== undefined)
    .sort()
    .map((k) => `${esc(k)}=${esc(String(query[k]))}`)
    .join('&');
}

/**
 * The Engine's multiplexed log stream (8-byte frame headers: stream type, 3 zero bytes, length)
 * as lines. With timestamps and details each line is "<RFC3339Nano> <k=v,k=v> <text>"; the
 * detail values are query-escaped. A stream without headers (a TTY service) is read as stdout.
 */
export function parseLogStream(buf: Buffer): LogLine[] {
  const frames: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  const muxed = buf.length >= 8 && (buf[0] === 1 || buf[0] === 2) && buf[1] === 0 && buf[2] === 0 && buf[3] === 0;
  if (muxed) {
    let off = 0;
    while (off + 8 <= buf.length) {
      const type = buf[off]!;
      const len = buf.readUInt32BE(off + 4);
      frames.push({ stream: type === 2 ? 'stderr' : 'stdout', text: buf.subarray(off + 8, off + 8 + len).toString('utf8') });
      off += 8 + len;
    }
  } else if (buf.length > 0) {
    frames.push({ stream: 'stdout', text: buf.toString('utf8') });
  }
  const lines: LogLine[] = [];
  for (const f of frames) {
    for (const raw of f.text.split('\n')) {
      if (raw === '') continue;
      const sp1 = raw.indexOf(' ');
      const time = sp1 < 0 ? raw : raw.slice(0, sp1);
      const rest = sp1 < 0 ? '' : raw.slice(sp1 + 1);
      const sp2 = rest.indexOf(' ');
      const details = sp2 < 0 ? rest : rest.slice(0, sp2);
      const text = sp2 < 0 ? '' : rest.slice(sp2 + 1);
      const attrs = new Map<string, string>();
      for (const kv of details.split(',')) {
        const eq = kv.indexOf('=');
        if (eq > 0) attrs.set(unescape(kv.slice(0, eq)), unescape(kv.slice(eq + 1)));
      }
      lines.push({
        time,
        stream: f.stream,
        text,
        taskId: attrs.get('com.docker.swarm.task.id') ?? '',
        nodeId: attrs.get('com.docker.swarm.node.id') ?? '',
        serviceId: attrs.get('com.docker.swarm.service.id') ?? '',
      });
    }
  }
  return lines;
}

/** Go's url.QueryUnescape. */
function unescape(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
