// The dispatcher (swarmkit's manager/dispatcher), the leader's side of the node agents'
// sessions: it marks a node Down ('heartbeat failure') once its heartbeats have stopped for
// the grace period (3 heartbeat periods of 5 s ± 0.5 s after the last one), Ready when its
// agent registers again, and, started afresh on a new leader, marks every node not already
// Down "unknown" until its agent finds the new leader (or Down after twice the grace period).
//
// Heartbeats themselves are not simulated (a few thousand nodes would make hundreds of events
// a second): a node's status changes only when its agent stops or starts (its dockerd was
// stopped or started, engine/sim/faults.ts) or the leader changes (engine/sim/raft.ts), and
// the instant of its last heartbeat is drawn then. Its timers are the control plane's, so they
// run while the swarm has no leader.
//
// What it writes is a raft proposal: while the leader has lost its quorum (and has not yet
// stepped down) a write is appended to the leader's log but cannot commit. It commits if that
// same manager leads again (its log is the longest, so it wins the next election: captured in
// quorum-loss, a node marked Down in that window was Down after the re-election), and is lost
// if another one wins.
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
  /**
   * running: its writes commit. proposing: the leader lost its quorum, writes wait in its log.
   * stopped: no leader, no dispatcher.
   */
  private mode: 'running' | 'proposing' | 'stopped' = 'running';
  /** Writes made while proposing, in order, and the manager whose log holds them. */
  private proposals: (() => void)[] = [];
  private proposer: string | undefined;
  /** Nodes whose agent started while no dispatcher ran: they register as soon as one does. */
  private readonly connecting = new Set<string>();
  /** The new leader's dispatcher, not started yet. */
  private starting: TimerId | undefined;

  constructor(private readonly sim: Simulator) {}

  /**
   * The node's agent stopped with its dockerd, now: the leader marks it Down once the grace
   * period (set at its last heartbeat, somewhere in the last period) runs out.
   */
  agentStopped(node: NodeRecord): void {
    this.connecting.delete(node.id);
    if (this.mode === 'stopped') return; // found when a dispatcher runs again (leaderElected)
    const period = this.period();
    const sinceBeat = this.sim.rng.float() * period;
    this.schedule(node, CONTROL.graceMultiplier * period - sinceBeat, () => this.write(() => this.setStatus(node, 'down', HEARTBEAT_FAILURE)));
  }

  /** The node's dockerd answers again: its agent has registered with the leader, if there is one. */
  agentStarted(node: NodeRecord): void {
    if (this.mode === 'stopped') {
      this.connecting.add(node.id);
      return;
    }
    this.sim.clock.cancel(this.timers.get(node.id));
    this.timers.delete(node.id);
    this.write(() => this.register(node));
  }

  /** The leader lost its quorum: what its dispatcher writes from now waits in its log. */
  quorumLost(leader: NodeRecord): void {
    if (this.mode !== 'running') return;
    this.mode = 'proposing';
    this.proposer = leader.id;
  }

  /** The same leader has its quorum back before stepping down: what it proposed commits. */
  resumed(): void {
    if (this.mode !== 'proposing') return;
    this.mode = 'running';
    this.commit();
  }

  /** The leader is gone, and its dispatcher with it (its log keeps what it proposed). */
  leaderLost(): void {
    this.mode = 'stopped';
    for (const id of this.timers.values()) this.sim.clock.cancel(id);
    this.timers.clear();
    this.sim.clock.cancel(this.starting);
    this.starting = undefined;
  }

  /**
   * `winner` leads: what it had proposed commits (anyone else's log lacks it), and its
   * dispatcher starts after `startMs` (swarmkit's markNodesUnknown): nodes not Down become
   * "unknown"; agents that were connecting register at once, running ones find the new leader
   * after a while, and the others are Down once twice the grace period has passed.
   */
  leaderElected(winner: NodeRecord, startMs: number): void {
    if (this.proposer === winner.id) this.commit();
    this.proposals = [];
    this.proposer = undefined;
    const start = (): void => {
      this.starting = undefined;
      this.mode = 'running';
      this.markNodesUnknown();
    };
    if (startMs <= 0) start();
    else this.starting = this.sim.clock.afterForControl(startMs, start);
  }

  private markNodesUnknown(): void {
    for (const node of this.sim.cluster.nodes.values()) {
      if (node.machine.nodeId !== node.id) continue;
      const running = node.machine.daemon === 'running';
      if (this.connecting.delete(node.id) && running) {
        this.register(node);
        continue;
      }
      const reconnect = (): void =>
        this.schedule(node, this.sim.rng.jitter(CONTROL.reconnect.base, CONTROL.reconnect.spread), () => this.write(() => this.register(node)));
      // Not resurrected: a node Down comes back only when its agent registers.
      if (node.state === 'down') {
        if (running) reconnect();
        continue;
      }
      this.setStatus(node, 'unknown', UNKNOWN_AFTER_ELECTION);
      if (running) {
        reconnect();
      } else if (node.machine.daemon === 'stopped') {
        this.schedule(node, CONTROL.unknownGraceMultiplier * this.period(), () =>
          this.write(() => this.setStatus(node, 'down', HEARTBEAT_FAILURE_UNKNOWN)),
        );
      }
    }
  }

  /** A write: committed now, or proposed while the leader has no quorum. */
  private write(change: () => void): void {
    if (this.mode === 'running') change();
    else if (this.mode === 'proposing') this.proposals.push(change);
  }

  private commit(): void {
    const changes = this.proposals;
    this.proposals = [];
    this.proposer = undefined;
    for (const change of changes) change();
  }

  /** The agent's session is registered: the node is Ready, and its agent reports what it finds. */
  private register(node: NodeRecord): void {
    if (this.sim.cluster.nodes.get(node.id) !== node || node.machine.daemon !== 'running') return;
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
    if (this.sim.cluster.nodes.get(node.id) !== node) return;
    if (node.state === state && node.message === message) return;
    node.state = state;
    node.message = message;
    node.version = this.sim.cluster.nextVersion();
    node.updatedAt = this.sim.clock.now;
    this.sim.nodeChanged(node.id);
  }
}
