// Docker Engine API object shapes (API 1.41+), limited to what the swarm tutorial touches.
// Field names and their order follow the Engine's Go structs, because `docker ... inspect`
// prints the daemon's JSON as-is: key order here is output order there.

/** Durations are int64 nanoseconds in the Engine API. */
export type Nanoseconds = number;

export const NS_PER_MS = 1_000_000;
export const NS_PER_SECOND = 1_000_000_000;

export interface Version {
  Index: number;
}

export interface Annotations {
  Name: string;
  Labels: Record<string, string>;
}

// ---------------------------------------------------------------- services

/** container.HealthConfig (moby's HealthcheckConfig): zero durations and retries mean the daemon's defaults. */
export interface HealthConfig {
  /** [] inherit the image's, ["NONE"] disable, ["CMD", argv...] or ["CMD-SHELL", command]. */
  Test?: string[];
  Interval?: Nanoseconds;
  Timeout?: Nanoseconds;
  StartPeriod?: Nanoseconds;
  StartInterval?: Nanoseconds;
  Retries?: number;
}

export interface ContainerSpec {
  Image: string;
  Labels?: Record<string, string>;
  Command?: string[];
  Args?: string[];
  Env?: string[];
  Init?: boolean;
  StopGracePeriod?: Nanoseconds;
  Healthcheck?: HealthConfig;
  DNSConfig?: Record<string, never>;
  Isolation?: string;
}

export interface RestartPolicy {
  Condition?: 'none' | 'on-failure' | 'any';
  Delay?: Nanoseconds;
  MaxAttempts?: number;
  Window?: Nanoseconds;
}

export interface Platform {
  Architecture?: string;
  OS?: string;
}

/** swarm.PlacementPreference: spread tasks over the values of a node attribute or label. */
export interface PlacementPreference {
  Spread?: { SpreadDescriptor: string };
}

export interface Placement {
  Constraints?: string[];
  Preferences?: PlacementPreference[];
  MaxReplicas?: number;
  Platforms?: Platform[];
}

export interface TaskSpec {
  ContainerSpec: ContainerSpec;
  Resources?: { Limits?: Record<string, number>; Reservations?: Record<string, number> };
  RestartPolicy?: RestartPolicy;
  Placement?: Placement;
  ForceUpdate: number;
  Runtime?: string;
}

export type FailureAction = 'pause' | 'continue' | 'rollback';
export type UpdateOrder = 'stop-first' | 'start-first';

export interface UpdateConfig {
  Parallelism: number;
  Delay?: Nanoseconds;
  FailureAction?: FailureAction;
  Monitor?: Nanoseconds;
  MaxFailureRatio: number;
  Order: UpdateOrder;
}

export interface ServiceMode {
  Replicated?: { Replicas?: number };
  Global?: Record<string, never>;
}

export interface PortConfig {
  Name?: string;
  Protocol?: 'tcp' | 'udp' | 'sctp';
  TargetPort?: number;
  PublishedPort?: number;
  PublishMode?: 'ingress' | 'host';
}

export interface EndpointSpec {
  Mode?: 'vip' | 'dnsrr';
  Ports?: PortConfig[];
}

export interface ServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: TaskSpec;
  Mode: ServiceMode;
  UpdateConfig?: UpdateConfig;
  RollbackConfig?: UpdateConfig;
  EndpointSpec?: EndpointSpec;
}

export type UpdateState =
  | 'updating'
  | 'paused'
  | 'completed'
  | 'rollback_started'
  | 'rollback_paused'
  | 'rollback_completed';

export interface UpdateStatus {
  State: UpdateState;
  StartedAt: string;
  CompletedAt?: string;
  Message: string;
}

export interface ServiceStatus {
  RunningTasks: number;
  DesiredTasks: number;
  CompletedTasks: number;
}

export interface Endpoint {
  Spec: EndpointSpec;
  Ports?: PortConfig[];
  VirtualIPs?: { NetworkID: string; Addr: string }[];
}

export interface Service {
  ID: string;
  Version: Version;
  CreatedAt: string;
  UpdatedAt: string;
  Spec: ServiceSpec;
  PreviousSpec?: ServiceSpec;
  Endpoint: Endpoint;
  UpdateStatus?: UpdateStatus;
  ServiceStatus?: ServiceStatus;
}

// ---------------------------------------------------------------- tasks

/** Task states in swarmkit's order; a task only ever moves forward through them. */
export const TASK_STATES = [
  'new',
  'pending',
  'assigned',
  'accepted',
  'preparing',
  'ready',
  'starting',
  'running',
  'complete',
  'shutdown',
  'failed',
  'rejected',
  'remove',
  'orphaned',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface TaskStatus {
  Timestamp: string;
  State: TaskState;
  Message: string;
  Err?: string;
  ContainerStatus?: { ContainerID?: string; PID?: number; ExitCode?: number };
  /** The host-mode ports the task's container binds (only while it runs). */
  PortStatus: { Ports?: PortConfig[] };
}

export interface Task {
  ID: string;
  Version: Version;
  CreatedAt: string;
  UpdatedAt: string;
  Labels: Record<string, string>;
  Spec: TaskSpec;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  Status: TaskStatus;
  DesiredState: TaskState;
}

// ---------------------------------------------------------------- nodes

export type NodeRole = 'worker' | 'manager';
export type NodeAvailability = 'active' | 'pause' | 'drain';
export type NodeState = 'unknown' | 'down' | 'ready' | 'disconnected';

export interface NodeSpec {
  Name?: string;
  Labels: Record<string, string>;
  Role: NodeRole;
  Availability: NodeAvailability;
}

export interface Node {
  ID: string;
  Version: Version;
  CreatedAt: string;
  UpdatedAt: string;
  Spec: NodeSpec;
  Description: {
    Hostname: string;
    Platform: { Architecture: string; OS: string };
    Resources: { NanoCPUs: number; MemoryBytes: number };
    Engine: { EngineVersion: string; Plugins: { Type: string; Name: string }[] };
    TLSInfo: { TrustRoot: string; CertIssuerSubject: string; CertIssuerPublicKey: string };
  };
  Status: { State: NodeState; Addr: string; Message?: string };
  ManagerStatus?: { Leader?: boolean; Reachability: 'unknown' | 'unreachable' | 'reachable'; Addr: string };
}

// ---------------------------------------------------------------- swarm, info, version

export interface JoinTokens {
  Worker: string;
  Manager: string;
}

export interface Swarm {
  ID: string;
  Version: Version;
  CreatedAt: string;
  UpdatedAt: string;
  Spec: {
    Name: string;
    Labels: Record<string, string>;
    Orchestration: { TaskHistoryRetentionLimit: number };
    Raft: {
      SnapshotInterval: number;
      KeepOldSnapshots: number;
      LogEntriesForSlowFollowers: number;
      ElectionTick: number;
      HeartbeatTick: number;
    };
    Dispatcher: { HeartbeatPeriod: Nanoseconds };
    CAConfig: { NodeCertExpiry: Nanoseconds };
    TaskDefaults: Record<string, never>;
    EncryptionConfig: { AutoLockManagers: boolean };
  };
  TLSInfo: { TrustRoot: string; CertIssuerSubject: string; CertIssuerPublicKey: string };
  RootRotationInProgress: boolean;
  DefaultAddrPool: string[];
  SubnetSize: number;
  DataPathPort: number;
  JoinTokens: JoinTokens;
}

export type LocalNodeState = 'inactive' | 'pending' | 'active' | 'error' | 'locked';

export interface SwarmInfo {
  NodeID: string;
  NodeAddr: string;
  LocalNodeState: LocalNodeState;
  ControlAvailable: boolean;
  Error: string;
  RemoteManagers: { NodeID: string; Addr: string }[] | null;
  Nodes?: number;
  Managers?: number;
  Cluster?: Omit<Swarm, 'JoinTokens'>;
}

export interface Info {
  ID: string;
  Containers: number;
  ContainersRunning: number;
  ContainersPaused: number;
  ContainersStopped: number;
  Images: number;
  Driver: string;
  Name: string;
  ServerVersion: string;
  OperatingSystem: string;
  OSType: string;
  Architecture: string;
  KernelVersion: string;
  NCPU: number;
  MemTotal: number;
  Swarm: SwarmInfo;
  // Optional details `docker info` prints; the CLI falls back to a stock Linux engine's values.
  DriverStatus?: [string, string][];
  LoggingDriver?: string;
  CgroupDriver?: string;
  CgroupVersion?: string;
  Plugins?: { Volume: string[]; Network: string[]; Log: string[] };
  Runtimes?: Record<string, unknown>;
  DefaultRuntime?: string;
  InitBinary?: string;
  ContainerdCommit?: { ID: string };
  RuncCommit?: { ID: string };
  InitCommit?: { ID: string };
  SecurityOptions?: string[];
  DockerRootDir?: string;
  Debug?: boolean;
  ExperimentalBuild?: boolean;
  RegistryConfig?: { InsecureRegistryCIDRs: string[] };
  LiveRestoreEnabled?: boolean;
  Warnings?: string[] | null;
}

export interface VersionInfo {
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  BuildTime: string;
  Experimental?: boolean;
  /** containerd, runc, docker-init as `docker version` lists them under Server. */
  Components?: { Name: string; Version: string; Details?: Record<string, string> }[];
}

// ---------------------------------------------------------------- containers (docker ps on one node)

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  Ports: { PrivatePort: number; PublicPort?: number; Type: string }[];
  Labels: Record<string, string>;
  State: 'created' | 'running' | 'exited' | 'removing';
  Status: string;
}

export interface DistributionInspect {
  Descriptor: { mediaType: string; digest: string; size: number };
  Platforms: Platform[];
}

// ---------------------------------------------------------------- networks (docker network ls|inspect)

export interface NetworkEndpoint {
  Name: string;
  EndpointID: string;
  MacAddress: string;
  IPv4Address: string;
  IPv6Address: string;
}

export interface NetworkServiceInfo {
  VIP: string;
  Ports: string[];
  LocalLBIndex: number;
  Tasks: { Name: string; EndpointID: string; EndpointIP: string; Info: Record<string, string> }[];
}

/**
 * A network as `GET /networks/{id}` returns it (the Engine's network.Inspect; the list returns
 * the same shape). Keys in the order a swarm node's dockerd sends them: the capture's daemon
 * sends no EnableIPv4, so neither does the simulator (test/fixtures/real/network.json).
 */
export interface Network {
  Name: string;
  Id: string;
  Created: string;
  Scope: 'local' | 'swarm';
  Driver: string;
  EnableIPv6: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: { Subnet: string; Gateway?: string }[] };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  Containers: Record<string, NetworkEndpoint>;
  Options: Record<string, string>;
  Labels: Record<string, string>;
  /** Overlay networks: the nodes that have it (networkdb's peers). */
  Peers?: { Name: string; IP: string }[];
  /** Only with `verbose`: the services on it and their endpoints, swarm-wide. */
  Services?: Record<string, NetworkServiceInfo>;
}

// ---------------------------------------------------------------- requests

export interface SwarmInitRequest {
  ListenAddr?: string;
  AdvertiseAddr?: string;
  ForceNewCluster?: boolean;
}

export interface SwarmJoinRequest {
  ListenAddr?: string;
  AdvertiseAddr?: string;
  RemoteAddrs: string[];
  JoinToken: string;
}

/** Filters as the Engine takes them: map of key to accepted values. */
export type Filters = Record<string, string[]>;

export interface LogLine {
  /** RFC3339Nano timestamp of the line. */
  time: string;
  stream: 'stdout' | 'stderr';
  text: string;
  /** Details that docker adds to service logs. */
  taskId: string;
  nodeId: string;
  serviceId: string;
}
