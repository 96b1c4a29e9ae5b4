// The managers' raft (swarmkit's manager/state/raft), as far as a learner can see it: which
// manager leads, which members the leader can reach, and whether the swarm has a leader at
// all. A leader needs a quorum: more than half of the managers with their dockerd running.
// When the leader stops, the others elect a new one after raft's election timeout; when a
// follower stops and the rest is no quorum, the leader steps down (CheckQuorum) and the swarm
// has none until enough managers are back.
//
// Without a leader nothing can be written to the store: the clock holds the swarm's own
// timers (engine/sim/clock.ts) until a leader is elected, and managers refuse control
// requests (SimulatedDaemon). Raft's own timers are the control plane's.
import type { TimerId } from './clock.js';
import type { NodeRecord } from './model.js';
import type { Simulator } from './simulator.js';
import { CONTROL } from './timing.js';

/** Raft ticks (1 s each) without a leader after which a request fails at once (swarmkit's lostQuorumTimeout). */
export const LOST_QUORUM_TIMEOUT_MS = 10_000;

export class Raft {
  /** When the swarm lost its leader; undefined while it has one (or has no swarm). */
  private since: number | undefined;
  /** The pending election, or the leader's pending step-down. */
  private pending: TimerId | undefined;
  private pendingKind: 'election' | 'step-down' | undefined;
  /** Per manager: its pending change of reachability. */
  private readonly reach = new Map<string, TimerId>();

  constructor(private readonly sim: Simulator) {}

  hasLeader(): boolean {
    return this.since === undefined;
  }

  /** Since when the swarm has had no leader (virtual ms), or undefined. */
  get leaderlessSince(): number | undefined {
    return this.since;
  }

  /** The managers in the raft cluster (still joined). */
  members(): NodeRecord[] {
    return [...this.sim.cluster.nodes.values()].filter((n) => n.role === 'manager' && n.machine.nodeId === n.id);
  }

  /** More than half of the managers have their dockerd running. */
  hasQuorum(): boolean {
    const members = this.members();
    const up = members.filter((n) => n.machine.daemon === 'running').length;
    return up * 2 > members.length;
  }

  /** A manager's dockerd stopped. */
  memberStopped(node: NodeRecord): void {
    this.setReachable(node, false);
    if (node.leader) {
      node.leader = false;
      // A step-down it had coming is moot now.
      this.cancelPending();
      this.lose();
      if (this.hasQuorum()) this.plan('election', this.sim.rng.jitter(CONTROL.election.base, CONTROL.election.spread));
      return;
    }
    if (!this.hasQuorum()) {
      if (this.pendingKind === 'election') this.cancelPending();
      else if (this.hasLeader() && this.pending === undefined) {
        // Nothing commits without a quorum: the swarm and the dispatcher stand still from now,
        // though the leader answers reads from its store until it steps down.
        this.sim.clock.hold();
        this.sim.dispatcher.leaderLost();
        this.plan('step-down', CONTROL.checkQuorum.base);
      }
    }
  }

  /** A manager's dockerd started: its raft member rejoins. */
  memberStarted(node: NodeRecord): void {
    this.setReachable(node, true);
    if (this.pendingKind === 'step-down' && this.hasQuorum()) {
      this.cancelPending();
      this.sim.clock.release();
      this.sim.dispatcher.resumed();
    }
    if (!this.hasLeader() && this.pending === undefined && this.hasQuorum()) {
      this.plan('election', this.sim.rng.jitter(CONTROL.electionAfterStart.base, CONTROL.electionAfterStart.spread));
    }
  }

  private plan(kind: 'election' | 'step-down', delayMs: number): void {
    this.cancelPending();
    this.pendingKind = kind;
    this.pending = this.sim.clock.afterForControl(delayMs, () => {
      this.pending = undefined;
      this.pendingKind = undefined;
      if (kind === 'election') this.elect();
      else this.stepDown();
    });
  }

  private cancelPending(): void {
    this.sim.clock.cancel(this.pending);
    this.pending = undefined;
    this.pendingKind = undefined;
  }

  /** The leader lost its quorum: it steps down, and the swarm has no leader. */
  private stepDown(): void {
    for (const n of this.members()) n.leader = false;
    this.lose();
  }

  private lose(): void {
    if (this.since !== undefined) return;
    this.since = this.sim.clock.now;
    this.sim.clock.hold();
    this.sim.dispatcher.leaderLost();
  }


  /** One of the managers whose dockerd runs wins the election. */
  private elect(): void {
    if (!this.hasQuorum()) return;
    const candidates = this.members().filter((n) => n.machine.daemon === 'running');
    const winner = candidates[this.sim.rng.int(candidates.length)]!;
    for (const n of this.members()) n.leader = n === winner;
    winner.version = this.sim.cluster.nextVersion();
    this.since = undefined;
    this.sim.clock.release();
    this.sim.dispatcher.leaderElected();
  }

  /** The leader sees a member as (un)reachable a moment after it stops or starts. */
  private setReachable(node: NodeRecord, reachable: boolean): void {
    this.sim.clock.cancel(this.reach.get(node.id));
    this.reach.set(
      node.id,
      this.sim.clock.afterForControl(this.sim.rng.jitter(CONTROL.unreachable.base, CONTROL.unreachable.spread), () => {
        this.reach.delete(node.id);
        node.reachable = reachable;
      }),
    );
  }
}
