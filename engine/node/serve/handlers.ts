// One handler per Engine API endpoint the docker CLI uses for the swarm tutorial, each a
// thin translation of the HTTP request into a SwarmApi call on one simulated daemon: the
// mirror image of engine/node/docker/dockerode-api.ts. Status codes and error texts come
// from the daemon (ApiError); these handlers only read parameters and shape replies.
import type { IncomingHttpHeaders } from 'node:http';
import type { SwarmApi } from '../../api/swarm-api.js';
import { ApiError } from '../../api/swarm-api.js';
import type { LogLine, NodeSpec, ServiceSpec, Swarm, SwarmInitRequest, SwarmJoinRequest, VersionInfo } from '../../api/types.js';
import { tailCount } from '../../sim/logs.js';
import { completeInfo } from './info.js';
import { Router } from './router.js';
import type { Params } from './router.js';
import { boolValue, filtersParam, versionParam } from './query.js';
import { NODE_SPEC, SERVICE_SPEC, SWARM_INIT_REQUEST, SWARM_JOIN_REQUEST, asObject } from './spec-check.js';

export type Reply =
  | { status: number; json: unknown }
  | { status: number; text: string }
  | { status: number; bytes: Buffer; contentType: string }
  | { status: 204 | 200; empty: true }
  /** A stream that stays open: `start` writes to it until the client goes (then `stop`). */
  | { status: 200; contentType: string; stream: (write: (b: Buffer) => void) => { stop(): void } };

export interface Request {
  api: SwarmApi;
  params: Params;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON (dockerd's 400s for a bad one). */
  json(): Promise<unknown>;
}

export type Handler = (r: Request) => Promise<Reply>;

const ok = (json: unknown): Reply => ({ status: 200, json });
const param = (r: Request, name: string): string => r.params[name] ?? '';

/** `/version` as dockerd shapes it: Platform and Components around the flat fields. */
export function versionBody(v: VersionInfo): Record<string, unknown> {
  const { Components: others = [], Experimental, ...flat } = v;
  return {
    // The simulated engine names no platform (as Debian's dockerd does), so both CLIs print a bare "Server:".
    Platform: { Name: '' },
    Components: [
      {
        Name: 'Engine',
        Version: v.Version,
        Details: {
          ApiVersion: v.ApiVersion,
          Arch: v.Arch,
          BuildTime: v.BuildTime,
          Experimental: 'false',
          GitCommit: v.GitCommit,
          GoVersion: v.GoVersion,
          KernelVersion: v.KernelVersion,
          MinAPIVersion: v.MinAPIVersion,
          Os: v.Os,
        },
      },
      ...others,
    ],
    ...flat,
    ...(Experimental ? { Experimental } : {}),
  };
}

/** The multiplexed log stream dockerd writes for a non-TTY service: 8-byte header per line. */
export function logFrames(lines: readonly LogLine[], opts: { timestamps: boolean; details: boolean }): Buffer {
  const frames: Buffer[] = [];
  for (const l of lines) {
    const details = opts.details
      ? `com.docker.swarm.node.id=${encodeURIComponent(l.nodeId)},com.docker.swarm.service.id=${encodeURIComponent(l.serviceId)},com.docker.swarm.task.id=${encodeURIComponent(l.taskId)} `
      : '';
    const payload = Buffer.from(`${opts.timestamps ? `${l.time} ` : ''}${details}${l.text}\n`, 'utf8');
    const header = Buffer.alloc(8);
    header[0] = l.stream === 'stderr' ? 2 : 1;
    header.writeUInt32BE(payload.length, 4);
    frames.push(header, payload);
  }
  return Buffer.concat(frames);
}

/**
 * `since`/`until` as the CLI sends them: Unix seconds with an optional fraction
 * ("1764280000.000000000"); epoch ms here. 0 or absent: no bound.
 */
function timeParam(q: URLSearchParams, key: string): number | undefined {
  const raw = q.get(key) ?? '';
  if (raw === '' || raw === '0') return undefined;
  if (!/^\d+(\.\d{1,9})?$/.test(raw)) throw new ApiError(400, `invalid value for "${key}": "${raw}"`);
  return Number(raw) * 1000;
}

/** `tail` as dockerd reads it for a service's or a task's logs (moby's ServiceLogs: the daemon's tailCount). */
function tailParam(q: URLSearchParams): number | undefined {
  return tailCount(q.get('tail') ?? '');
}

export function engineRoutes(): Router<Handler> {
  const r = new Router<Handler>();

  // ---------------------------------------------------------------- system
  r.add('GET', '/version', async (q) => ok(versionBody(await q.api.version())));
  r.add('GET', '/info', async (q) => ok(completeInfo(await q.api.info())));

  // ---------------------------------------------------------------- swarm
  r.add('GET', '/swarm', async (q) => ok(await q.api.swarmInspect()));
  r.add('POST', '/swarm/update', async (q) => {
    const spec = (await q.json()) as Swarm['Spec'];
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new ApiError(400, 'json: cannot unmarshal into Go value of type swarm.Spec');
    await q.api.swarmUpdate(versionParam(q.query), spec, {
      rotateWorkerToken: boolValue(q.query, 'rotateWorkerToken'),
      rotateManagerToken: boolValue(q.query, 'rotateManagerToken'),
    });
    return { status: 200, empty: true };
  });
  r.add('POST', '/swarm/init', async (q) => {
    const req = asObject(await q.json(), SWARM_INIT_REQUEST as GoTypeStruct) as SwarmInitRequest;
    // dockerd answers the new node's ID as a JSON string.
    return ok(await q.api.swarmInit(req));
  });
  r.add('POST', '/swarm/join', async (q) => {
    const req = asObject(await q.json(), SWARM_JOIN_REQUEST as GoTypeStruct) as Partial<SwarmJoinRequest>;
    await q.api.swarmJoin({ ...req, RemoteAddrs: req.RemoteAddrs ?? [], JoinToken: req.JoinToken ?? '' });
    return { status: 200, empty: true };
  });
  r.add('POST', '/swarm/leave', async (q) => {
    await q.api.swarmLeave(boolValue(q.query, 'force'));
    return { status: 200, empty: true };
  });

  // ---------------------------------------------------------------- nodes
  r.add('GET', '/nodes', async (q) => ok(await q.api.nodeList(filtersParam(q.query))));
  r.add('GET', '/nodes/{id}', async (q) => ok(await q.api.nodeInspect(param(q, 'id'))));
  r.add('POST', '/nodes/{id}/update', async (q) => {
    const version = versionParam(q.query);
    const spec = asObject(await q.json(), NODE_SPEC as GoTypeStruct) as unknown as NodeSpec;
    await q.api.nodeUpdate(param(q, 'id'), version, { ...spec, Labels: spec.Labels ?? {} });
    return { status: 200, empty: true };
  });
  r.add('DELETE', '/nodes/{id}', async (q) => {
    await q.api.nodeRemove(param(q, 'id'), boolValue(q.query, 'force'));
    return { status: 200, empty: true };
  });

  // ---------------------------------------------------------------- networks (reads only)
  r.add('GET', '/networks', async (q) => ok(await q.api.networkList(filtersParam(q.query))));
  r.add('GET', '/networks/{id}', async (q) => ok(await q.api.networkInspect(param(q, 'id'), { verbose: boolValue(q.query, 'verbose') })));

  // ---------------------------------------------------------------- services
  r.add('GET', '/services', async (q) => ok(await q.api.serviceList({ ...optFilters(q), status: boolValue(q.query, 'status') })));
  r.add('POST', '/services/create', async (q) => {
    const spec = asObject(await q.json(), SERVICE_SPEC as GoTypeStruct) as unknown as ServiceSpec;
    const res = await q.api.serviceCreate(spec);
    return { status: 201, json: res };
  });
  r.add('GET', '/services/{id}', async (q) => ok(await q.api.serviceInspect(param(q, 'id'), { insertDefaults: boolValue(q.query, 'insertDefaults') })));
  r.add('POST', '/services/{id}/update', async (q) => {
    const version = versionParam(q.query);
    const spec = asObject(await q.json(), SERVICE_SPEC as GoTypeStruct) as unknown as ServiceSpec;
    const rollback = q.query.get('rollback') ?? '';
    if (rollback !== '' && rollback !== 'previous') throw new ApiError(400, `invalid value for rollback: ${rollback}`);
    const res = await q.api.serviceUpdate(param(q, 'id'), version, spec, rollback === 'previous' ? { rollback: 'previous' } : {});
    return ok(res);
  });
  r.add('DELETE', '/services/{id}', async (q) => {
    await q.api.serviceDelete(param(q, 'id'));
    return { status: 200, empty: true };
  });
  r.add('GET', '/services/{id}/logs', (q) => logs(q, param(q, 'id'), undefined));

  // ---------------------------------------------------------------- tasks
  r.add('GET', '/tasks', async (q) => ok(await q.api.taskList(filtersParam(q.query))));
  r.add('GET', '/tasks/{id}', async (q) => ok(await q.api.taskInspect(param(q, 'id'))));
  r.add('GET', '/tasks/{id}/logs', async (q) => {
    const task = await q.api.taskInspect(param(q, 'id'));
    return logs(q, task.ServiceID, task.ID);
  });

  // ---------------------------------------------------------------- containers (docker ps)
  r.add('GET', '/containers/json', async (q) => ok(await q.api.containerList({ all: boolValue(q.query, 'all') })));

  // ---------------------------------------------------------------- registry lookup
  r.add('GET', '/distribution/{name*}/json', async (q) => ok(await q.api.distributionInspect(param(q, 'name'))));

  return r;
}

type GoTypeStruct = Parameters<typeof asObject>[1];

/**
 * A service's (or one of its tasks') logs as a multiplexed stream. With `follow` the stream
 * stays open and new lines are sent as the swarm logs them (polled, as the swarm's clock runs).
 */
async function logs(q: Request, serviceId: string, taskId: string | undefined): Promise<Reply> {
  if (!boolValue(q.query, 'stdout') && !boolValue(q.query, 'stderr')) throw new ApiError(400, 'Bad parameters: you must choose at least one stream');
  const tail = tailParam(q.query);
  const since = timeParam(q.query, 'since');
  const until = timeParam(q.query, 'until');
  const inWindow = (l: LogLine): boolean => {
    const t = Date.parse(l.time);
    return (since === undefined || t >= since) && (until === undefined || t <= until);
  };
  const frameOpts = { timestamps: boolValue(q.query, 'timestamps'), details: boolValue(q.query, 'details') };
  const fetch = async (withTail: boolean): Promise<LogLine[]> => {
    // The daemon tails each task apart, so a task's tail is the service's answer filtered to it.
    const all = await q.api.serviceLogs(serviceId, { timestamps: true, ...(withTail && tail !== undefined ? { tail } : {}) });
    return all.filter((l) => boolValue(q.query, l.stream) && (taskId === undefined || l.taskId === taskId) && inWindow(l));
  };
  const first = await fetch(true);
  const contentType = 'application/vnd.docker.multiplexed-stream';
  if (!boolValue(q.query, 'follow')) return { status: 200, bytes: logFrames(first, frameOpts), contentType };
  // Lines already sent, as a multiset (identical lines may repeat): the lines of the last
  // answer only, so a long follow of a churning service holds no more than its current logs
  // (a reaped task's lines never come back).
  const key = (l: LogLine): string => `${l.taskId}\u0000${l.time}\u0000${l.stream}\u0000${l.text}`;
  let seen = new Map<string, number>();
  const fresh = (lines: readonly LogLine[]): LogLine[] => {
    const counts = new Map<string, number>();
    const out = lines.filter((l) => {
      const k = key(l);
      const n = (counts.get(k) ?? 0) + 1;
      counts.set(k, n);
      return n > (seen.get(k) ?? 0);
    });
    seen = counts;
    return out;
  };
  // Everything older than the first answer counts as sent, even lines the tail left out.
  fresh(await fetch(false));
  return {
    status: 200,
    contentType,
    stream: (write) => {
      write(logFrames(first, frameOpts));
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stopped = false;
      // Every 250 ms, or less often when reading the logs takes long (thousands of tasks):
      // a follow never spends more than a fifth of the server's time.
      const poll = (): void => {
        const started = Date.now();
        fetch(false)
          .then((lines) => {
            const next = fresh(lines);
            if (next.length > 0 && !stopped) write(logFrames(next, frameOpts));
            if (!stopped) timer = setTimeout(poll, Math.max(250, 4 * (Date.now() - started)));
          })
          .catch(() => undefined);
      };
      timer = setTimeout(poll, 250);
      return {
        stop: () => {
          stopped = true;
          clearTimeout(timer);
        },
      };
    },
  };
}

function optFilters(q: Request): { filters?: ReturnType<typeof filtersParam> } {
  const f = filtersParam(q.query);
  return f ? { filters: f } : {};
}
