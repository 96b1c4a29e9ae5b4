// How long each step of a task's life takes on the simulated nodes, in ms (base, spread).
// Tuned against captures of a real swarm (test/fixtures/real): a fresh 3-replica create is
// running in ~1.5 s; in a stop-first update the new task waits in READY ~2 s for the old
// one to stop, then starts in ~0.8 s; a tag no registry has is rejected within ~0.4 s.
export interface Span {
  base: number;
  spread: number;
}

export const TIMING = {
  /** The orchestrator reacts to a service change after a short batching delay. */
  reconcile: { base: 8, spread: 4 },
  /** The allocator moves a NEW task to PENDING. */
  allocate: { base: 60, spread: 10 },
  /** The scheduler commits its decisions in batches. */
  schedule: { base: 170, spread: 20 },
  accept: { base: 40, spread: 15 },
  prepareStart: { base: 15, spread: 5 },
  /** Preparing when the node already has the image. */
  prepareCached: { base: 180, spread: 60 },
  /** Preparing when the node pulls the image first. */
  preparePull: { base: 600, spread: 150 },
  /** A pull of a tag no registry has fails after this. */
  pullFail: { base: 30, spread: 10 },
  startSignal: { base: 15, spread: 8 },
  start: { base: 600, spread: 200 },
  /** SIGTERM to exit for a running redis container, network teardown included. */
  stop: { base: 1270, spread: 80 },
  /** Shutting down a task that never got to run. */
  stopUnstarted: { base: 25, spread: 10 },
  /** A swarm join finishes after this. */
  join: { base: 900, spread: 200 },
} satisfies Record<string, Span>;

/**
 * The control plane's clocks (engine/sim/dispatcher.ts, raft.ts, faults.ts): swarmkit's
 * defaults, and how long a real swarm took on the sandbox (docs/real-captures.md).
 */
export const CONTROL = {
  /** Dispatcher heartbeat period and its jitter (DefaultHeartBeatPeriod, HeartbeatEpsilon). */
  heartbeat: { base: 5_000, spread: 500 },
  /** A node is marked Down this many periods after its last heartbeat (GracePeriodMultiplier). */
  graceMultiplier: 3,
  /** ...and twice that for nodes a new leader found in "unknown" state. */
  unknownGraceMultiplier: 6,
  /** A started dockerd's agent connects and registers: the node is Ready again. */
  register: { base: 1_000, spread: 300 },
  /** After a leader change, a running node's agent finds the new leader and registers. */
  reconnect: { base: 1_500, spread: 1_000 },
  /** Followers elect a new leader this long after the last one stopped (10-20 raft ticks of 1 s). */
  election: { base: 15_000, spread: 5_000 },
  /** A manager that comes back to a swarm without a leader: its raft starts, then an election. */
  electionAfterStart: { base: 2_500, spread: 500 },
  /** A leader that lost contact with a quorum of managers steps down (CheckQuorum: 10 ticks). */
  checkQuorum: { base: 10_000, spread: 0 },
  /** The leader sees a stopped manager's raft member as unreachable. */
  unreachable: { base: 1_000, spread: 500 },
} satisfies Record<string, Span | number>;
