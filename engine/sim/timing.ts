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
