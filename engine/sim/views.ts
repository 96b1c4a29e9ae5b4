// Records → Engine API JSON. Key order follows the Engine's Go structs so that
// `docker inspect` output (which prints the daemon's JSON as is) matches real Docker.
import type { Node, Service, Swarm, Task } from '../api/types.js';
import { rfc3339Nano } from '../api/time.js';
import type { Cluster, ClusterInfo } from './cluster.js';
import type { NodeRecord, ServiceRecord, TaskRecord } from './model.js';
import { freeze, storedSpec, withDefaults } from './spec.js';
import { ingressNetworkId } from './ingress-ipam.js';

export const ENGINE_VERSION = '28.2.2';
export const API_VERSION = '1.50';

const PLUGINS = [
  ...['local'].map((n) => ({ Type: 'Volume', Name: n })),
  ...['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay'].map((n) => ({ Type: 'Network', Name: n })),
  ...['awslogs', 'fluentd', 'gcplogs', 'gelf', 'journald', 'json-file', 'local', 'splunk', 'syslog'].map((n) => ({ Type: 'Log', Name: n })),
];

export class Views {
  constructor(private readonly cluster: Cluster) {}

  /**
   * What readers cost (engine/session.ts bounds a command's work with them): tasks a task
   * list looked at (the daemon counts them), and task views that had to be built.
   */
  tasksRead = 0;
  tasksBuilt = 0;

  /**
   * rfc3339Nano(start + elapsedMs), the same text made faster: the date and time of day are
   * kept per whole second (a poll of a churning swarm formats thousands of stamps within a
   * few seconds) and the fraction is trimmed without a regular expression.
   */
  ts(elapsedMs: number): string {
    const epochMs = this.cluster.clock.startEpochMs + elapsedMs;
    const wholeSeconds = Math.floor(epochMs / 1000);
    let base = this.secondBase.get(wholeSeconds);
    if (base === undefined) {
      if (this.secondBase.size >= 4096) this.secondBase.clear();
      base = rfc3339Nano(wholeSeconds * 1000).slice(0, -1);
      this.secondBase.set(wholeSeconds, base);
    }
    const nanos = Math.min(999_999_999, Math.max(0, Math.round((epochMs - wholeSeconds * 1000) * 1e6)));
    if (nanos === 0) return `${base}Z`;
    const digits = String(nanos).padStart(9, '0');
    let end = 9;
    while (digits.charCodeAt(end - 1) === 48) end--;
    return `${base}.${digits.slice(0, end)}Z`;
  }

  /** `YYYY-MM-DDTHH:MM:SS` by whole epoch second. */
  private readonly secondBase = new Map<number, string>();

  /**
   * API views are rebuilt only when their record's version changes: the CLI's progress
   * display asks for the same tasks every 200 ms. Cached views are frozen, so a caller
   * cannot change one under another's feet.
   */
  task(t: TaskRecord): Task {
    // Kept on the record itself: a map lookup per task was a fifth of a 100,000-task poll.
    if (t.view !== undefined && t.viewVersion === t.version) return t.view;
    this.tasksBuilt++;
    const view = this.buildTask(t);
    t.view = view;
    t.viewVersion = t.version;
    return view;
  }

  service(s: ServiceRecord, insertDefaults: boolean): Service {
    const cache = insertDefaults ? this.serviceCacheDefaults : this.serviceCache;
    const hit = cache.get(s);
    if (hit && hit.version === s.version) return hit.view;
    const view = freeze(this.buildService(s, insertDefaults));
    cache.set(s, { version: s.version, view });
    return view;
  }

  /** A task's spec with the Engine's defaults, made once per (shared, frozen) spec object. */
  private taskSpec(spec: TaskRecord['spec']): Task['Spec'] {
    let view = this.taskSpecs.get(spec);
    if (!view) this.taskSpecs.set(spec, (view = freeze(withDefaults({ Name: '', Labels: {}, Mode: {}, TaskTemplate: spec }).TaskTemplate)));
    return view;
  }

  private readonly taskSpecs = new WeakMap<TaskRecord['spec'], Task['Spec']>();
  private readonly serviceCache = new WeakMap<ServiceRecord, { version: number; view: Service }>();
  private readonly serviceCacheDefaults = new WeakMap<ServiceRecord, { version: number; view: Service }>();

  /**
   * Built key by key in the Engine's order and frozen part by part (the spec is shared and
   * already frozen): a churning swarm rebuilds tens of thousands of these per poll.
   */
  private buildTask(t: TaskRecord): Task {
    const status: Record<string, unknown> = { Timestamp: this.ts(t.stateAt), State: t.state, Message: t.message };
    if (t.err !== undefined) status['Err'] = t.err;
    if (t.containerId) {
      const container: Record<string, unknown> = { ContainerID: t.containerId };
      if (t.state === 'running') container['PID'] = pidOf(t.containerId);
      container['ExitCode'] = t.exitCode ?? 0;
      status['ContainerStatus'] = Object.freeze(container);
    }
    // The executor reads the bindings from the container: a stopped one holds none.
    status['PortStatus'] = t.state === 'running' && t.hostPorts ? Object.freeze({ Ports: t.hostPorts }) : NO_KEYS;
    const view: Record<string, unknown> = {
      ID: t.id,
      Version: Object.freeze({ Index: t.version }),
      CreatedAt: this.ts(t.createdAt),
      UpdatedAt: this.ts(t.updatedAt),
      Labels: NO_KEYS,
      Spec: this.taskSpec(t.spec),
      ServiceID: t.serviceId,
    };
    if (t.slot > 0) view['Slot'] = t.slot;
    if (t.nodeId) view['NodeID'] = t.nodeId;
    view['Status'] = Object.freeze(status);
    view['DesiredState'] = t.desired;
    return Object.freeze(view) as unknown as Task;
  }

  private buildService(s: ServiceRecord, insertDefaults: boolean): Service {
    const spec = insertDefaults ? withDefaults(s.spec) : storedSpec(s.spec);
    const ports = s.spec.EndpointSpec?.Ports ?? [];
    const endpoint: Service['Endpoint'] =
      ports.length > 0
        ? {
            Spec: storedSpec(s.spec).EndpointSpec!,
            Ports: storedSpec(s.spec).EndpointSpec!.Ports!,
            // Only a service on the ingress network (a port published in ingress mode) has a VIP.
            ...(s.vip ? { VirtualIPs: [{ NetworkID: ingressNetworkId(this.cluster), Addr: s.vip }] } : {}),
          }
        : { Spec: {} };
    const u = s.updateStatus;
    return {
      ID: s.id,
      Version: { Index: s.version },
      CreatedAt: this.ts(s.createdAt),
      UpdatedAt: this.ts(s.updatedAt),
      Spec: spec,
      ...(s.previousSpec ? { PreviousSpec: storedSpec(s.previousSpec) } : {}),
      Endpoint: endpoint,
      ...(u
        ? {
            UpdateStatus: {
              State: u.state,
              StartedAt: this.ts(u.startedAt),
              ...(u.completedAt !== undefined ? { CompletedAt: this.ts(u.completedAt) } : {}),
              Message: u.message,
            },
          }
        : {}),
    };
  }

  node(n: NodeRecord): Node {
    const sw = this.cluster.swarm;
    return {
      ID: n.id,
      Version: { Index: n.version },
      CreatedAt: this.ts(n.createdAt),
      UpdatedAt: this.ts(n.updatedAt),
      Spec: { Labels: { ...n.labels }, Role: n.role, Availability: n.availability },
      Description: {
        Hostname: n.hostname,
        Platform: { Architecture: 'x86_64', OS: 'linux' },
        Resources: { NanoCPUs: n.machine.ncpu * 1e9, MemoryBytes: n.machine.memBytes },
        Engine: { EngineVersion: n.machine.engineVersion, Plugins: PLUGINS.map((p) => ({ ...p })) },
        TLSInfo: {
          TrustRoot: sw?.trustRoot ?? '',
          CertIssuerSubject: sw?.issuerSubject ?? '',
          CertIssuerPublicKey: sw?.issuerPublicKey ?? '',
        },
      },
      // The Engine's key order; Message only when the dispatcher gave one (omitempty).
      Status: n.message ? { State: n.state, Message: n.message, Addr: n.machine.addr } : { State: n.state, Addr: n.machine.addr },
      ...(n.role === 'manager'
        ? {
            ManagerStatus: {
              ...(n.leader ? { Leader: true } : {}),
              // As the leader's raft sees the member (engine/sim/raft.ts); one that left is gone.
              Reachability: n.reachable && n.state !== 'down' ? ('reachable' as const) : ('unreachable' as const),
              Addr: `${n.machine.addr}:2377`,
            },
          }
        : {}),
    };
  }

  swarm(info: ClusterInfo): Swarm {
    return {
      ID: info.id,
      Version: { Index: info.version },
      CreatedAt: this.ts(info.createdAt),
      UpdatedAt: this.ts(info.updatedAt),
      Spec: {
        Name: 'default',
        Labels: {},
        Orchestration: { TaskHistoryRetentionLimit: info.taskHistoryLimit },
        Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
        Dispatcher: { HeartbeatPeriod: 5_000_000_000 },
        CAConfig: { NodeCertExpiry: 7_776_000_000_000_000 },
        TaskDefaults: {},
        EncryptionConfig: { AutoLockManagers: false },
      },
      TLSInfo: { TrustRoot: info.trustRoot, CertIssuerSubject: info.issuerSubject, CertIssuerPublicKey: info.issuerPublicKey },
      RootRotationInProgress: false,
      DefaultAddrPool: ['10.0.0.0/8'],
      SubnetSize: 24,
      DataPathPort: 4789,
      JoinTokens: { Worker: info.workerToken, Manager: info.managerToken },
    };
  }
}

/** The empty objects of every task view (Labels, PortStatus): frozen, so one will do. */
const NO_KEYS = Object.freeze({});

/** A stable fake PID derived from the container ID. */
const pidOf = (containerId: string): number => 1000 + (parseInt(containerId.slice(0, 6), 16) % 60000);

