// The Docker-API-shaped seam between the docker CLI layer and a backend.
// One SwarmApi value is one connection to one node's daemon, exactly as the docker CLI
// holds one connection (DOCKER_HOST): manager-only calls made through a worker's
// connection fail with the daemon's own error. The simulator implements it today;
// a dockerode backend implements the same interface for local mode.
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
} from './types.js';

/** An error as the daemon reports it: an HTTP status and the `message` of its JSON body. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** What the docker CLI says when nothing answers on the daemon's socket (a stopped dockerd). */
export const CANNOT_CONNECT = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';

/**
 * The daemon could not be reached at all: no HTTP answer, so no "Error response from daemon"
 * (the simulated swarm's stopped dockerd; local mode has its own, DockerUnreachableError).
 */
export class DaemonUnreachableError extends Error {
  constructor(message = CANNOT_CONNECT) {
    super(message);
    this.name = 'DaemonUnreachableError';
  }
}

export interface ServiceCreateResponse {
  ID: string;
  Warnings: string[] | null;
}

export interface ServiceUpdateResponse {
  Warnings: string[] | null;
}

export interface ServiceUpdateOptions {
  /** `previous` asks the daemon to roll back to PreviousSpec (docker service rollback). */
  rollback?: 'previous';
  /**
   * Where the daemon takes registry credentials for the new spec: `docker service update` says
   * `spec` (its --with-registry-auth is off); scale and rollback send nothing.
   */
  registryAuthFrom?: 'spec';
}

export interface SwarmUpdateOptions {
  rotateWorkerToken?: boolean;
  rotateManagerToken?: boolean;
}

export interface ServiceLogsOptions {
  timestamps?: boolean;
  /**
   * Lines per task from the end: a count, or the flag's text as typed, which the daemon
   * validates (moby: `tail value must be a positive integer or "all"`, negative refused).
   */
  tail?: number | string;
}

export interface SwarmApi {
  // system
  ping(): Promise<string>;
  version(): Promise<VersionInfo>;
  info(): Promise<Info>;

  // swarm
  swarmInspect(): Promise<Swarm>;
  swarmInit(req: SwarmInitRequest): Promise<string>;
  swarmJoin(req: SwarmJoinRequest): Promise<void>;
  swarmLeave(force: boolean): Promise<void>;
  swarmUpdate(version: number, spec: Swarm['Spec'], opts?: SwarmUpdateOptions): Promise<void>;

  // nodes
  nodeList(filters?: Filters): Promise<Node[]>;
  nodeInspect(idOrName: string): Promise<Node>;
  nodeUpdate(id: string, version: number, spec: NodeSpec): Promise<void>;
  nodeRemove(id: string, force: boolean): Promise<void>;

  // services
  serviceCreate(spec: ServiceSpec): Promise<ServiceCreateResponse>;
  serviceList(opts?: { filters?: Filters; status?: boolean }): Promise<Service[]>;
  serviceInspect(idOrName: string, opts?: { insertDefaults?: boolean }): Promise<Service>;
  serviceUpdate(
    id: string,
    version: number,
    spec: ServiceSpec,
    opts?: ServiceUpdateOptions,
  ): Promise<ServiceUpdateResponse>;
  serviceDelete(idOrName: string): Promise<void>;
  serviceLogs(idOrName: string, opts?: ServiceLogsOptions): Promise<LogLine[]>;

  // tasks
  taskList(filters?: Filters): Promise<Task[]>;
  taskInspect(id: string): Promise<Task>;

  // networks this node knows (docker network ls|inspect)
  networkList(filters?: Filters): Promise<Network[]>;
  networkInspect(idOrName: string, opts?: { verbose?: boolean }): Promise<Network>;

  // this node's containers (docker ps)
  containerList(opts?: { all?: boolean }): Promise<ContainerSummary[]>;

  // registry lookup the CLI makes to pin an image to a digest
  distributionInspect(image: string): Promise<DistributionInspect>;
}
