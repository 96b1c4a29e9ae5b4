// How long each step of a task's life takes on the simulated nodes, in ms (base, spread).
// Tuned against the captures in docker-cli-facts.md §2.5 and §5: a fresh 3-replica create
// is running in ~1.5 s, a stop-first slot replacement takes ~2 s.
export interface Span {
  base: number;
  spread: number;
}

export const TIMING = {
  /** Orchestrator and scheduler react to a store change after a short batching delay. */
  reconcile: { base: 8, spread: 4 },
  schedule: { base: 45, spread: 20 },
  accept: { base: 60, spread: 25 },
  prepareStart: { base: 20, spread: 10 },
  /** Preparing when the node already has the image. */
  prepareCached: { base: 160, spread: 60 },
  /** Preparing when the node pulls the image first. */
  preparePull: { base: 850, spread: 250 },
  /** A pull of an image no registry has fails after this. */
  pullFail: { base: 420, spread: 150 },
  startSignal: { base: 15, spread: 8 },
  start: { base: 280, spread: 90 },
  /** SIGTERM to exit for a running container. */
  stop: { base: 1500, spread: 300 },
  /** Shutting down a task that never got to run. */
  stopUnstarted: { base: 25, spread: 10 },
  /** The reaper deletes surplus history in batches. */
  reap: { base: 250, spread: 0 },
  /** A swarm join finishes after this. */
  join: { base: 900, spread: 200 },
} satisfies Record<string, Span>;
