// The simulated swarm's internal records. They hold what swarmkit's store holds, with
// times as elapsed virtual milliseconds; the API layer turns them into Engine API JSON.
import type {
  EndpointSpec,
  NodeAvailability,
  NodeRole,
  NodeState,
  PortConfig,
  ServiceSpec,
  Task,
  TaskSpec,
  TaskState,
  UpdateState,
} from '../api/types.js';

/** One machine with a Docker daemon; it becomes a swarm node when it inits or joins. */
export interface Machine {
  hostname: string;
  /** The daemon's own ID (a UUID, as `docker info` shows it). */
  daemonId: string;
  addr: string;
  engineVersion: string;
  ncpu: number;
  memBytes: number;
  /** Swarm node ID once the machine is part of the swarm. */
  nodeId?: string;
  /** Image references this machine has pulled (by catalog digest). */
  pulled: Set<string>;
  /**
   * Its dockerd: a stopped one answers nothing and runs no container (engine/sim/faults.ts); a
   * starting one does not answer yet.
   */
  daemon: 'running' | 'stopped' | 'starting';
  /**
   * Tasks whose containers the daemon stopped when it went down, for its agent to report
   * once it is back (engine/sim/agent.ts, `registered`).
   */
  stoppedContainers: Set<string>;
  /** Tasks whose containers did not survive a restart of the daemon: `docker ps -a` lists them no more. */
  lostContainers: Set<string>;
  /** When it first joined a swarm, which made its docker_gwbridge (kept after leaving; engine/sim/networks.ts). */
  gwbridgeAt?: number;
}

export interface NodeRecord {
  id: string;
  /** Position in the cluster's node arrays (the scheduler's counts), fixed for the node's life. */
  index: number;
  hostname: string;
  machine: Machine;
  role: NodeRole;
  availability: NodeAvailability;
  state: NodeState;
  /** Status.Message: why the dispatcher marked it so ('' when Ready). */
  message: string;
  leader: boolean;
  /**
   * A manager's raft member as the leader sees it (ManagerStatus.Reachability): false once its
   * daemon stopped answering (engine/sim/raft.ts).
   */
  reachable: boolean;
  labels: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  version: number;
}

export interface UpdateStatusRecord {
  state: UpdateState;
  startedAt: number;
  completedAt?: number;
  message: string;
}

export interface ServiceRecord {
  id: string;
  /** Stored as sent by the client (defaults are filled in on read with insertDefaults). */
  spec: ServiceSpec;
  previousSpec?: ServiceSpec;
  createdAt: number;
  updatedAt: number;
  version: number;
  updateStatus?: UpdateStatusRecord;
  /** Virtual IP handed out when the service publishes ports. */
  vip?: string;
}

/** A task waits in desired state READY until these hold, then is started (swarmkit's DelayStart). */
export interface DelayedStart {
  /** Not before this elapsed time (restart delay). */
  notBefore: number;
  /** Tasks in the slot that must have stopped first (stop-first). */
  waitFor: string[];
  /** Started then even if those tasks have not stopped (swarmkit's one-minute old-task timeout). */
  giveUpAt: number;
}

export interface TaskRecord {
  id: string;
  serviceId: string;
  /** Replicated services: 1-based slot. Global services: 0 (keyed by node instead). */
  slot: number;
  nodeId: string;
  /**
   * The slot's key in the cluster's index (`slotKey`), fixed at creation: a global task never
   * changes node. Kept on the record so the controllers' per-change lookups build no string.
   */
  key: string;
  /**
   * The slot's task list in the cluster's index (the one `slotTasks` returns) while it holds
   * tasks; an emptied list leaves the index and is never filled again.
   */
  slotList: TaskRecord[];
  spec: TaskSpec;
  /**
   * The service's endpoint spec when the task was made (swarmkit copies the service's Endpoint
   * into the task): published ports are part of what makes a task dirty (IsTaskDirty), and
   * host-mode ones are what its container binds.
   */
  endpoint: EndpointSpec | undefined;
  /**
   * The host-mode ports its container bound when it started (a published port of 0 gets one
   * of the daemon's ephemeral ports), as the executor reports them in PortStatus.
   */
  hostPorts: PortConfig[] | undefined;
  /** Labels of the service at creation time (container labels). */
  serviceName: string;
  createdAt: number;
  updatedAt: number;
  version: number;
  state: TaskState;
  stateAt: number;
  message: string;
  err?: string;
  desired: TaskState;
  containerId?: string;
  exitCode?: number;
  /** When it reached RUNNING (for logs, docker ps "Up", failure monitoring). */
  runningAt?: number;
  /** When its container stopped. */
  stoppedAt?: number;
  delayedStart?: DelayedStart;
  /** A restart requested while the delayed start was still pending (swarmkit's waiter). */
  restartWhenStarted?: boolean;
  /** Pending scheduler error reason ("no suitable node (...)"). */
  /** Timer driving its next agent-side transition. */
  timer?: number;
  /** The simulator's API view of the task (engine/sim/views.ts), valid while `version` is `viewVersion`. */
  view: Task | undefined;
  viewVersion: number;
}

export const stateIndex = (s: TaskState): number => TASK_ORDER[s];

const TASK_ORDER: Record<TaskState, number> = {
  new: 0,
  pending: 64,
  assigned: 192,
  accepted: 256,
  preparing: 320,
  ready: 384,
  starting: 448,
  running: 512,
  complete: 576,
  shutdown: 640,
  failed: 704,
  rejected: 768,
  remove: 800,
  orphaned: 832,
};

export const after = (a: TaskState, b: TaskState): boolean => TASK_ORDER[a] > TASK_ORDER[b];
export const atMost = (a: TaskState, b: TaskState): boolean => TASK_ORDER[a] <= TASK_ORDER[b];

/** The task's container is gone or never ran: observed state past RUNNING. */
export const isTerminal = (t: TaskRecord): boolean => after(t.state, 'running');

/** Still meant to run (RUNNING) or to be started (READY). */
export const isRunnable = (t: TaskRecord): boolean => atMost(t.desired, 'running');
