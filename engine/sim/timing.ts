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
  /**
   * Before stopping a task attached to a network other than the default bridge (the ingress
   * network for a service with ingress-published ports), the executor takes it out of the
   * service's load balancing and sleeps for gossip to converge: moby's
   * defaultGossipConvergeDelay (daemon/cluster/executor/container/controller.go, Shutdown),
   * a fixed 2 s. It is why a rolling update of a published service takes ~4 s a slot, not ~2 s.
   */
  gossipConverge: 2_000,
  /**
   * ...and taking its endpoint off the ingress network (the sandbox, the service's load
   * balancer entries) makes its stop that much longer again: measured 4.0-4.5 s a slot for a
   * published nginx against 1.7-2.0 s for the same service without a port
   * (test/fixtures/real/ports-update-timing, ports-update).
   */
  ingressTeardown: { base: 350, spread: 100 },
  /** Shutting down a task that never got to run. */
  stopUnstarted: { base: 25, spread: 10 },
  /** A swarm join finishes after this. */
  join: { base: 900, spread: 200 },
} satisfies Record<string, Span | number>;

/**
 * The control plane's clocks (engine/sim/dispatcher.ts, raft.ts, faults.ts): swarmkit's and
 * moby's defaults, and what a real swarm took on the sandbox (test/fixtures/real/
 * failure-timings.json and the failure walkthroughs; docs/real-captures.md).
 */
export const CONTROL = {
  /** Dispatcher heartbeat period and its jitter (DefaultHeartBeatPeriod, HeartbeatEpsilon). */
  heartbeat: { base: 5_000, spread: 500 },
  /**
   * A node is marked Down this many periods after its last heartbeat (GracePeriodMultiplier):
   * 9-16.5 s after its dockerd stops; measured 12.0-13.4 s (4 runs).
   */
  graceMultiplier: 3,
  /** ...and twice that for nodes a new leader found in "unknown" state (measured 27.5-33.1 s after the election). */
  unknownGraceMultiplier: 6,
  /** A worker's dockerd answers this long after it is started (measured 0.64-1.15 s); its agent registers at once. */
  daemonStart: { base: 900, spread: 260 },
  /** A manager's dockerd joining a swarm that has a leader with a quorum (measured 0.6-6.3 s). */
  managerStart: { base: 3_500, spread: 2_900 },
  /** The only manager's dockerd: it leads as soon as it answers (measured 1.8-2.4 s). */
  loneManagerStart: { base: 2_100, spread: 350 },
  /**
   * A manager's dockerd whose raft member brings the quorum back: its API answers once a leader
   * is elected (measured: elected 12.1-13.5 s after the start, the API a second later).
   */
  managerStartElection: { base: 13_800, spread: 800 },
  /** ...and one that does not: dockerd gives up waiting for the swarm component (moby's swarmConnectTimeout). */
  swarmConnectTimeout: 20_000,
  /** After a leader change, a running node's agent finds the new leader and registers (measured 1.9-6.5 s). */
  reconnect: { base: 4_000, spread: 2_500 },
  /**
   * Followers elect a new leader this long after the leader's dockerd stopped (an election timeout
   * of 10-20 raft ticks of 1 s after its last heartbeat; measured 9.1-18.0 s, 3 runs).
   */
  election: { base: 14_000, spread: 5_000 },
  /** The new leader's dispatcher starts (and marks the nodes Unknown) this long after its election (measured ~0.3 s). */
  dispatcherStart: { base: 300, spread: 100 },
  /**
   * A leader that lost contact with a quorum of managers steps down at its next CheckQuorum,
   * 10-20 ticks later (measured 14.5 s once; under 13 s and under 16.7 s in two others).
   */
  checkQuorum: { base: 15_000, spread: 5_000 },
  /** The leader sees a stopped manager's raft member as unreachable (within the 5 s of the captures). */
  unreachable: { base: 1_000, spread: 500 },
} satisfies Record<string, Span | number>;
