// A small in-memory SwarmApi and clock for the service command tests: services, tasks and
// nodes are plain arrays the test arranges; a `tick` hook lets a test move the swarm along
// as the CLI's polling advances the fake clock.
import { ApiError } from '../engine/api/swarm-api.js';
import type { ServiceCreateResponse, ServiceUpdateOptions, ServiceUpdateResponse, SwarmApi } from '../engine/api/swarm-api.js';
import type { DistributionInspect, Filters, LogLine, Node, Service, ServiceSpec, Task, TaskState } from '../engine/api/types.js';
import type { CliContext } from '../engine/cli/context.js';
import { runDocker } from '../engine/cli/dispatch.js';

export const T0 = Date.parse('2026-11-27T14:23:00Z');
export const iso = (ms: number) => new Date(ms).toISOString();

export class FakeClock {
  constructor(public nowMs = T0) {}
  onAdvance: (now: number) => void = () => {};
  now = () => this.nowMs;
  sleep = async (ms: number, signal?: AbortSignal) => {
    if (signal?.aborted) throw new Error('aborted');
    // Yield a macrotask so a runaway poll loop cannot starve vitest's timeouts.
    await new Promise((r) => setTimeout(r, 0));
    this.nowMs += ms;
    this.onAdvance(this.nowMs);
    if (signal?.aborted) throw new Error('aborted');
  };
}

export function makeNode(id: string, hostname: string, state: Node['Status']['State'] = 'ready'): Node {
  return {
    ID: id,
    Version: { Index: 1 },
    CreatedAt: iso(T0),
    UpdatedAt: iso(T0),
    Spec: { Labels: {}, Role: 'manager', Availability: 'active' },
    Description: {
      Hostname: hostname,
      Platform: { Architecture: 'x86_64', OS: 'linux' },
      Resources: { NanoCPUs: 1e9, MemoryBytes: 1 << 30 },
      Engine: { EngineVersion: '28.2.2', Plugins: [] },
      TLSInfo: { TrustRoot: '', CertIssuerSubject: '', CertIssuerPublicKey: '' },
    },
    Status: { State: state, Addr: '10.0.0.1' },
  };
}

export function makeService(id: string, name: string, spec: Partial<ServiceSpec> = {}): Service {
  return {
    ID: id,
    Version: { Index: 10 },
    CreatedAt: iso(T0),
    UpdatedAt: iso(T0),
    Spec: {
      Name: name,
      Labels: {},
      TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0' }, ForceUpdate: 0 },
      Mode: { Replicated: { Replicas: 3 } },
      ...spec,
    },
    Endpoint: { Spec: {} },
  };
}

let taskCounter = 0;
export function makeTask(serviceId: string, slot: number | undefined, state: TaskState, extra: Partial<Task> = {}): Task {
  taskCounter++;
  const id = `task${String(taskCounter).padStart(4, '0')}abcdefghijklmnopq`.slice(0, 25);
  return {
    ID: id,
    Version: { Index: 1 },
    CreatedAt: iso(T0),
    UpdatedAt: iso(T0),
    Labels: {},
    Spec: { ContainerSpec: { Image: 'redis:7.4.0' }, ForceUpdate: 0 },
    ServiceID: serviceId,
    ...(slot !== undefined ? { Slot: slot } : {}),
    NodeID: 'node1aaaaaaaaaaaaaaaaaaaa',
    Status: { Timestamp: iso(T0), State: state, Message: '', PortStatus: {} },
    DesiredState: 'running',
    ...extra,
  };
}

const notImplemented = () => Promise.reject(new Error('not used by these tests'));

export class FakeApi implements SwarmApi {
  services: Service[] = [];
  tasks: Task[] = [];
  nodes: Node[] = [makeNode('node1aaaaaaaaaaaaaaaaaaaa', 'manager1')];
  logs: LogLine[] = [];
  digests = new Map<string, string>();
  created: ServiceSpec[] = [];
  updates: { id: string; version: number; spec: ServiceSpec; opts?: ServiceUpdateOptions }[] = [];
  taskFilters: Filters[] = [];
  createWarnings: string[] | null = null;

  ping = () => Promise.resolve('OK');
  version = notImplemented;
  info = () => Promise.resolve({ Swarm: { NodeID: 'node1aaaaaaaaaaaaaaaaaaaa' } } as Awaited<ReturnType<SwarmApi['info']>>);
  swarmInspect = notImplemented;
  swarmInit = notImplemented;
  swarmJoin = notImplemented;
  swarmLeave = notImplemented;
  swarmUpdate = notImplemented;
  nodeRemove = notImplemented;
  nodeInspect = notImplemented;
  nodeUpdate = notImplemented;
  containerList = notImplemented;
  networkList = notImplemented;
  networkInspect = notImplemented;

  private find(ref: string): Service {
    const s =
      this.services.find((x) => x.ID === ref) ??
      this.services.find((x) => x.Spec.Name === ref) ??
      this.services.find((x) => x.ID.startsWith(ref));
    if (!s) throw new ApiError(404, `service ${ref} not found`);
    return s;
  }

  async nodeList(): Promise<Node[]> {
    return this.nodes;
  }
  async serviceCreate(spec: ServiceSpec): Promise<ServiceCreateResponse> {
    this.created.push(spec);
    const id = `svc${this.services.length + 1}`.padEnd(25, 'x');
    this.services.push(makeService(id, spec.Name || 'thirsty_feistel', { ...spec, Mode: { Replicated: { Replicas: spec.Mode.Replicated?.Replicas ?? 1 } } }));
    return { ID: id, Warnings: this.createWarnings };
  }
  async serviceList(opts?: { filters?: Filters; status?: boolean }): Promise<Service[]> {
    const f = opts?.filters ?? {};
    return this.services.filter(
      (s) =>
        (!f['id'] || f['id'].some((p) => s.ID.startsWith(p))) && (!f['name'] || f['name'].some((p) => s.Spec.Name.startsWith(p))),
    );
  }
  async serviceInspect(ref: string): Promise<Service> {
    return JSON.parse(JSON.stringify(this.find(ref))) as Service;
  }
  async serviceUpdate(id: string, version: number, spec: ServiceSpec, opts?: ServiceUpdateOptions): Promise<ServiceUpdateResponse> {
    const s = this.find(id);
    this.updates.push({ id, version, spec, ...(opts ? { opts } : {}) });
    if (opts?.rollback && !s.PreviousSpec) {
      throw new ApiError(500, `rpc error: code = FailedPrecondition desc = service ${s.ID} does not have a previous spec`);
    }
    s.PreviousSpec = s.Spec;
    s.Spec = spec;
    return { Warnings: null };
  }
  async serviceDelete(ref: string): Promise<void> {
    const s = this.find(ref);
    this.services = this.services.filter((x) => x !== s);
  }
  async serviceLogs(ref: string): Promise<LogLine[]> {
    const s = this.find(ref);
    return this.logs.filter((l) => l.serviceId === s.ID);
  }
  async taskList(filters?: Filters): Promise<Task[]> {
    this.taskFilters.push(filters ?? {});
    const ids = filters?.['service'];
    return this.tasks.filter((t) => !ids || ids.includes(t.ServiceID));
  }
  async taskInspect(id: string): Promise<Task> {
    const t = this.tasks.find((x) => x.ID === id);
    if (!t) throw new ApiError(404, `task ${id} not found`);
    return t;
  }
  async distributionInspect(image: string): Promise<DistributionInspect> {
    const digest = this.digests.get(image);
    if (!digest) throw new ApiError(500, 'no registry');
    return { Descriptor: { mediaType: 'application/vnd.oci.image.index.v1+json', digest, size: 1 }, Platforms: [{ Architecture: 'amd64', OS: 'linux' }] };
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  tty?: boolean;
  columns?: number;
  clock?: FakeClock;
  controller?: AbortController;
}

export async function run(api: FakeApi, argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const clock = opts.clock ?? new FakeClock();
  const ctx: CliContext = {
    api,
    stdout: { write: (t) => (stdout += t) },
    stderr: { write: (t) => (stderr += t) },
    tty: opts.tty ?? false,
    columns: opts.columns ?? 80,
    clock,
    signal: (opts.controller ?? new AbortController()).signal,
  };
  const code = await runDocker(argv, ctx);
  return { code, stdout, stderr };
}
