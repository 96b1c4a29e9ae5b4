// Records → Engine API JSON. Key order follows the Engine's Go structs so that
// `docker inspect` output (which prints the daemon's JSON as is) matches real Docker.
import type { Node, Service, Swarm, Task } from '../api/types.js';
import { rfc3339Nano } from '../api/time.js';
import type { Cluster, ClusterInfo } from './cluster.js';
import type { NodeRecord, ServiceRecord, TaskRecord } from './model.js';
import { freeze, storedSpec, withDefaults } from './spec.js';

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

  ts(elapsedMs: number): string {
    return rfc3339Nano(this.cluster.clock.startEpochMs + elapsedMs);
  }

  /**
   * API views are rebuilt only when their record's version changes: the CLI's progress
   * display asks for the same tasks every 200 ms. Cached views are frozen, so a caller
   * cannot change one under another's feet.
   */
  task(t: TaskRecord): Task {
    const hit = this.taskCache.get(t);
    if (hit && hit.version === t.version) return hit.view;
    this.tasksBuilt++;
    const view = freeze(this.buildTask(t));
    this.taskCache.set(t, { version: t.version, view });
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
  private readonly taskCache = new WeakMap<TaskRecord, { version: number; view: Task }>();
  private readonly serviceCache = new WeakMap<ServiceRecord, { version: number; view: Service }>();
  private readonly serviceCacheDefaults = new WeakMap<ServiceRecord, { version: number; view: Service }>();

  private buildTask(t: TaskRecord): Task {
    const status: Task['Status'] = {
      Timestamp: this.ts(t.stateAt),
      State: t.state,
      Message: t.message,
      ...(t.err !== undefined ? { Err: t.err } : {}),
      ...(t.containerId
        ? {
            ContainerStatus: {
              ContainerID: t.containerId,
              ...(t.state === 'running' ? { PID: pidOf(t.containerId) } : {}),
              ExitCode: t.exitCode ?? 0,
            },
          }
        : {}),
      PortStatus: {},
    };
    return {
      ID: t.id,
      Version: { Index: t.version },
      CreatedAt: this.ts(t.createdAt),
      UpdatedAt: this.ts(t.updatedAt),
      Labels: {},
      Spec: this.taskSpec(t.spec),
      ServiceID: t.serviceId,
      ...(t.slot > 0 ? { Slot: t.slot } : {}),
      ...(t.nodeId ? { NodeID: t.nodeId } : {}),
      Status: status,
      DesiredState: t.desired,
    };
  }

  private buildService(s: ServiceRecord, insertDefaults: boolean): Service {
    const spec = insertDefaults ? withDefaults(s.spec) : storedSpec(s.spec);
    const ports = s.spec.EndpointSpec?.Ports ?? [];
    const endpoint: Service['Endpoint'] =
      ports.length > 0
        ? {
            Spec: storedSpec(s.spec).EndpointSpec!,
            Ports: storedSpec(s.spec).EndpointSpec!.Ports!,
            VirtualIPs: [{ NetworkID: ingressNetworkId(this.cluster), Addr: s.vip ?? '10.0.0.2/24' }],
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
      Status: { State: n.state, Addr: n.machine.addr },
      ...(n.role === 'manager'
        ? {
            ManagerStatus: {
              ...(n.leader ? { Leader: true } : {}),
              Reachability: n.state === 'ready' ? ('reachable' as const) : ('unreachable' as const),
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

/** A stable fake PID derived from the container ID. */
const pidOf = (containerId: string): number => 1000 + (parseInt(containerId.slice(0, 6), 16) % 60000);

const ingressNetworkId = (c: Cluster): string => (c.swarm ? c.swarm.id.split('').reverse().join('') : '');
