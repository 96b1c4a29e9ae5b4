// The swarm view's model: what the view draws, derived (engine/view/derive.ts) from the same
// Engine API lists the docker CLI reads (nodes, services, tasks), never kept as a second copy of
// the swarm. Plain JSON: the worker posts it to the page, the local server sends it over its
// WebSocket. Every text a table column would show is here as that column shows it (names,
// images, errors), so the page formats nothing of its own that could disagree with the
// terminal; states are kept lower case, as the API has them (the page words them).

/** Bumped when a field changes meaning: a page and a server of different versions can tell. */
export const VIEW_MODEL_VERSION = 1;

export interface ViewNode {
  id: string;
  /** Description.Hostname (`docker node ls` HOSTNAME; the view's `data-node`). */
  hostname: string;
  /** What `docker service ps` prints in its NODE column for a task here (Spec.Name, else the hostname, else the ID). */
  name: string;
  role: 'manager' | 'worker';
  /** MANAGER STATUS as `docker node ls` prints it: Leader, Reachable, Unreachable; '' for a worker. */
  managerStatus: string;
  /** Spec.Availability: active, pause or drain. */
  availability: string;
  /** Status.State: ready, down, unknown or disconnected. */
  status: string;
  /** The machine the terminal's shell is on (`ssh`): its docker CLI talks to this node. */
  self: boolean;
  /** Tasks name this node, but the node list does not have it (removed): a column stands in for it. */
  gone?: true;
}

export interface ViewUpdate {
  /** UpdateStatus.State: updating, paused, completed, rollback_started, rollback_paused, rollback_completed. */
  state: string;
  /** UpdateStatus.Message as `docker service inspect --pretty` prints it. */
  message: string;
  /** ms since the epoch. */
  startedAt?: number;
  completedAt?: number;
}

export interface ViewService {
  id: string;
  name: string;
  /** `docker service ls` MODE: replicated or global. */
  mode: string;
  /** `docker service ls` REPLICAS, e.g. `2/3` or `3/3 (max 1 per node)`. */
  replicas: string;
  running: number;
  desired: number;
  /** `docker service ls` IMAGE (familiar name, digest dropped when tagged). */
  image: string;
  update?: ViewUpdate;
  /** false: not created by Swarm Lab (local mode shows the learner's own services greyed). */
  ours: boolean;
}

export interface ViewTask {
  id: string;
  /** NAME as `docker service ps` prints it: `redis.2`, or `<service>.<node ID>` for a global task. */
  name: string;
  /** Service ID. */
  service: string;
  /** Slot of a replicated task; 0 for a global one. */
  slot: number;
  /** Node ID; '' while the scheduler has not placed the task (the Pending lane). */
  node: string;
  /** IMAGE as `docker service ps` prints it. */
  image: string;
  /** DesiredState, lower case (running, shutdown, ...). */
  desired: string;
  /** Status.State, lower case (new, pending, ..., running, shutdown, failed, rejected, ...). */
  state: string;
  /** Status.Timestamp in ms since the epoch: when the task reached its current state. */
  since: number;
  /** Status.Err in full ('' without one): the scheduler's reason while pending. */
  err: string;
  /** The ERROR column as `docker service ps` prints it (quoted, cut to 30 cells); '' without an error. */
  error: string;
  /** The container's exit code, once it has exited. */
  exitCode?: number;
  /** An older task of the same name: `docker service ps` prints it under ` \_ `. */
  history: boolean;
  /**
   * The image of the task just older than this one of the same name (the row under it in
   * `docker service ps`), when it differs: what an update replaced. Set even when history is
   * left out of the model.
   */
  previousImage?: string;
  /** As its service's `ours`. */
  ours: boolean;
}

export interface SwarmViewModel {
  version: typeof VIEW_MODEL_VERSION;
  /** The swarm's clock when the model was derived, ms since the epoch (ages count from it). */
  now: number;
  /** As `docker node ls` orders them (natural order of hostnames). */
  nodes: ViewNode[];
  /** As `docker service ls` orders them (natural order of names). */
  services: ViewService[];
  /** As `docker service ps` orders them: by name, newest first within a name. */
  tasks: ViewTask[];
  /** Stopped history tasks left out because the input asked for none (see SwarmViewInput.history). */
  historyOmitted: number;
  /**
   * The last request the shell's `curl` got answered through the simulated swarm's ports (not
   * derived from the API lists: the worker adds it, engine/worker/view-watch.ts). The page
   * marks the serving task and the node the request entered when `seq` is new.
   */
  served?: ViewServed;
}

/** A request `curl` sent: where it entered and which task answered it. */
export interface ViewServed {
  /** Counts the swarm's requests: a new number is a new request (the same task may serve two). */
  seq: number;
  /** The serving task's ID (a chip's data-task-id). */
  task: string;
  /** The hostname of the node the request entered (the URL's host). */
  entry: string;
  /** The hostname curl ran on. */
  from: string;
  /** ingress: through the routing mesh; host: a host-mode port of a task on the entry node. */
  mode: 'ingress' | 'host';
}

/** A change the page can announce: an i18n key under `view.change.` and its parameters. */
export interface ViewChange {
  key: string;
  params: Record<string, string | number>;
}
