// The managers' raft (swarmkit's manager/state/raft), as far as a learner can see it: which
// manager leads, which members the leader can reach, and whether the swarm has a leader at
// all. A leader needs a quorum: more than half of the managers with their dockerd running.
// When the leader stops, the others elect a new one after raft's election timeout; when a
// follower stops and the rest is no quorum, nothing commits any more and the leader steps
// down at its next quorum check (CheckQuorum); the swarm then has no leader until enough
// managers are back. A manager whose start brings the quorum back is elected with it (its
// dockerd answers once that is done: SimulatedDaemon's start, Simulator.startDaemon).
//
// Without a leader, or without a quorum, nothing can be written to the store: the clock holds
// the swarm's own timers (engine/sim/clock.ts) and managers refuse or make wait control
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

  /** More than half of the managers have their dockerd running (`plus`: and this one too). */
  hasQuorum(plus?: NodeRecord): boolean {
    const members = this.members();
    const up = members.filter((n) => n.machine.daemon === 'running' || n === plus).length;
    return up * 2 > members.length;
  }

  /** A manager's dockerd stopped. */
  memberStopped(node: NodeRecord): void {
    this.setReachable(node, false, true);
    if (node.leader) {
      node.leader = false;
      this.lastLeader = node.id;
      // A step-down it had coming is moot now.
      this.cancelPending();
      this.lose();
      if (this.hasQuorum()) this.plan('election', this.sim.rng.jitter(CONTROL.election.base, CONTROL.election.spread));
      return;
    }
    if (this.hasQuorum()) return;
    if (this.pendingKind === 'election') this.cancelPending();
    else if (this.hasLeader() && this.pending === undefined) {
      // Nothing commits without a quorum: the swarm stands still from now and the dispatcher's
      // writes wait in the leader's log, though it answers reads until it steps down.
      const leader = this.members().find((n) => n.leader);
      this.sim.clock.hold();
      if (leader) this.sim.dispatcher.quorumLost(leader);
      this.plan('step-down', this.sim.rng.jitter(CONTROL.checkQuorum.base, CONTROL.checkQuorum.spread));
    }
  }

  /**
   * A manager's dockerd answers again: its raft member is back. A leader waiting to step down
   * has its quorum again; a swarm without a leader that has one now elects it at once (the
   * election is what the daemon's start waited for).
   */
  memberStarted(node: NodeRecord): void {
    this.setReachable(node, true, false);
    if (this.pendingKind === 'step-down' && this.hasQuorum()) {
      this.cancelPending();
      this.sim.clock.release();
      this.sim.dispatcher.resumed();
    }
    if (!this.hasLeader() && this.pending === undefined && this.hasQuorum()) this.elect(0);
  }

  private plan(kind: 'election' | 'step-down', delayMs: number): void {
    this.cancelPending();
    this.pendingKind = kind;
    this.pending = this.sim.clock.afterForControl(delayMs, () => {
      this.pending = undefined;
      this.pendingKind = undefined;
      if (kind === 'election') this.elect(this.sim.rng.jitter(CONTROL.dispatcherStart.base, CONTROL.dispatcherStart.spread));
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
    this.lastLeader = this.members().find((n) => n.leader)?.id;
    for (const n of this.members()) n.leader = false;
    this.lose();
  }

  private lose(): void {
    if (this.since !== undefined) return;
    this.sim.cluster.touched();
    this.since = this.sim.clock.now;
    this.sim.clock.hold();
    this.sim.dispatcher.leaderLost();
  }

  /**
   * One of the managers whose dockerd runs wins: the one whose log is longest, so the last
   * leader when it is among them (its proposals are in its log), else any. Its dispatcher
   * starts `dispatcherMs` later.
   */
  private elect(dispatcherMs: number): void {
    if (!this.hasQuorum()) return;
    const candidates = this.members().filter((n) => n.machine.daemon === 'running');
    const last = candidates.find((n) => n.id === this.lastLeader);
    const winner = last ?? candidates[this.sim.rng.int(candidates.length)]!;
    for (const n of this.members()) n.leader = n === winner;
    this.since = undefined;
    this.sim.clock.release();
    this.sim.dispatcher.leaderElected(winner, dispatcherMs);
  }

  /** The manager that led until the swarm lost its leader. */
  private lastLeader: string | undefined;

  /**
   * The leader sees a member as unreachable a moment after it stops; one that comes back has
   * answered only once its raft member was up, so it is reachable at once.
   */
  private setReachable(node: NodeRecord, reachable: boolean, delayed: boolean): void {
    this.sim.clock.cancel(this.reach.get(node.id));
    this.reach.delete(node.id);
    if (!delayed) {
      node.reachable = reachable;
      this.sim.cluster.touched();
      return;
    }
    this.reach.set(
      node.id,
      this.sim.clock.afterForControl(this.sim.rng.jitter(CONTROL.unreachable.base, CONTROL.unreachable.spread), () => {
        this.reach.delete(node.id);
        node.reachable = reachable;
        this.sim.cluster.touched();
      }),
    );
  }
}
