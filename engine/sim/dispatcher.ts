// The dispatcher (swarmkit's manager/dispatcher), the leader's side of the node agents'
// sessions: it marks a node Down once its heartbeats stop for the grace period (3 heartbeat
// periods of 5 s ± 0.5 s after the last one), Ready when its agent registers again, and,
// started afresh on a new leader, marks every node not already Down "unknown" until its
// agent finds the new leader (or Down after twice the grace period).
//
// Heartbeats themselves are not simulated (a few thousand nodes would make hundreds of events
// a second): a node's status changes only when its agent stops or starts (its dockerd was
// stopped or started, engine/sim/faults.ts) or the leader changes (engine/sim/raft.ts), and
// the instant of its last heartbeat is drawn then. Its timers are the control plane's, so they
// run while the swarm has no leader; a leader's loss drops them, as the leader's dispatcher
// goes with it.
import type { TimerId } from './clock.js';
import type { NodeRecord } from './model.js';
import type { Simulator } from './simulator.js';
import { CONTROL } from './timing.js';

export const HEARTBEAT_FAILURE = 'heartbeat failure';
export const UNKNOWN_AFTER_ELECTION = 'Node moved to "unknown" state due to leadership change in cluster';
export const HEARTBEAT_FAILURE_UNKNOWN = 'heartbeat failure for node in "unknown" state';

export class Dispatcher {
  /** Per node: the one timer that changes its status next (a heartbeat expiry, a registration). */
  private readonly timers = new Map<string, TimerId>();
  /** It writes node status to the store: only while there is a leader with a quorum. */
  private running = true;

  constructor(private readonly sim: Simulator) {}

  /**
   * The node's agent stopped with its dockerd, now: the leader marks it Down once the grace
   * period (set at its last heartbeat, somewhere in the last period) runs out.
   */
  agentStopped(node: NodeRecord): void {
    if (!this.running) return; // found when it runs again (leaderElected, resumed)
    const period = this.period();
    const sinceBeat = this.sim.rng.float() * period;
    this.schedule(node, CONTROL.graceMultiplier * period - sinceBeat, () => this.setStatus(node, 'down', HEARTBEAT_FAILURE));
  }

  /** The node's dockerd started: its agent connects to the leader and registers. */
  agentStarted(node: NodeRecord): void {
    if (!this.running) return;
    this.schedule(node, this.sim.rng.jitter(CONTROL.register.base, CONTROL.register.spread), () => this.register(node));
  }

  /**
   * A new leader's dispatcher starts (swarmkit's markNodesUnknown): nodes not Down become
   * "unknown"; those whose agent runs register again shortly, the others are Down once twice
   * the grace period has passed.
   */
  leaderElected(): void {
    this.running = true;
    for (const node of this.sim.cluster.nodes.values()) {
      if (node.machine.nodeId !== node.id) continue;
      const running = node.machine.daemon === 'running';
      if (node.state === 'down') {
        // Not resurrected: it comes back only when its agent registers.
        if (running) this.agentStarted(node);
        continue;
      }
      this.setStatus(node, 'unknown', UNKNOWN_AFTER_ELECTION);
      if (running) {
        this.schedule(node, this.sim.rng.jitter(CONTROL.reconnect.base, CONTROL.reconnect.spread), () => this.register(node));
      } else {
        this.schedule(node, CONTROL.unknownGraceMultiplier * this.period(), () => this.setStatus(node, 'down', HEARTBEAT_FAILURE_UNKNOWN));
      }
    }
  }

  /** The leader is gone, and its dispatcher with it; or it lost its quorum and can commit nothing. */
  leaderLost(): void {
    this.running = false;
    for (const id of this.timers.values()) this.sim.clock.cancel(id);
    this.timers.clear();
  }

  /**
   * The leader has a quorum again before it had to step down: its dispatcher goes on, and
   * looks at each node again (what it would have written meanwhile could not commit).
   */
  resumed(): void {
    this.running = true;
    for (const node of this.sim.cluster.nodes.values()) {
      if (node.machine.nodeId !== node.id) continue;
      const up = node.machine.daemon === 'running';
      if (!up && node.state !== 'down') this.agentStopped(node);
      else if (up && node.state !== 'ready') this.agentStarted(node);
    }
  }

  /** The agent's session is registered: the node is Ready, and its agent reports what it finds. */
  private register(node: NodeRecord): void {
    this.setStatus(node, 'ready', '');
    this.sim.agent.registered(node);
  }

  /** A heartbeat period as swarmkit's periodChooser picks it (5 s ± 0.5 s). */
  private period(): number {
    return this.sim.rng.jitter(CONTROL.heartbeat.base, CONTROL.heartbeat.spread);
  }

  private schedule(node: NodeRecord, delayMs: number, fn: () => void): void {
    this.sim.clock.cancel(this.timers.get(node.id));
    const id = this.sim.clock.afterForControl(Math.max(0, delayMs), () => {
      this.timers.delete(node.id);
      if (this.sim.cluster.nodes.get(node.id) === node) fn();
    });
    this.timers.set(node.id, id);
  }

  private setStatus(node: NodeRecord, state: NodeRecord['state'], message: string): void {
    if (node.state === state && node.message === message) return;
    node.state = state;
    node.message = message;
    node.version = this.sim.cluster.nextVersion();
    node.updatedAt = this.sim.clock.now;
    this.sim.nodeChanged(node.id);
  }
}
