// The simulated swarm: machines with daemons, the cluster store and swarmkit's
// controllers wired together on one virtual clock. `api(hostname)` is a connection to
// one machine's daemon, as DOCKER_HOST would be.
import type { SwarmApi } from '../api/swarm-api.js';
import type { NodeAvailability, NodeRole } from '../api/types.js';
import { Agent } from './agent.js';
import { Dispatcher } from './dispatcher.js';
import { Raft } from './raft.js';
import { Cluster } from './cluster.js';
import { VirtualClock } from './clock.js';
import { SimulatedDaemon } from './daemon.js';
import { newCaDigest36, newJoinToken, newObjectId, newUuid } from './ids.js';
import type { Machine, NodeRecord, ServiceRecord, TaskRecord } from './model.js';
import { CONTROL, TIMING } from './timing.js';
import { LogBook } from './logs.js';
import { Orchestrator } from './orchestrator.js';
import { Reaper } from './reaper.js';
import { IngressAddresses } from './ingress-ipam.js';
import { Rng } from './rng.js';
import { Scheduler } from './scheduler.js';
import { parseTopology } from './topology.js';
import { Updater } from './updater.js';
import { ENGINE_VERSION, Views } from './views.js';

export interface SimulatorOptions {
  seed?: number;
  /** Topology spec (see topology.ts); default manager1,worker1,worker2. */
  topology?: string;
  /** false: machines exist but no swarm yet (the create-swarm lesson). Default true. */
  swarm?: boolean;
  /** Wall-clock time at the start of the simulation (ms since epoch). */
  startEpochMs?: number;
}

/** Default start for reproducible runs: a fixed instant, so a seed fixes every timestamp. */
export const DEFAULT_START_EPOCH_MS = Date.UTC(2026, 10, 27, 14, 0, 0);

export class Simulator {
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly cluster: Cluster;
  readonly views: Views;
  /** Containers' log lines, kept while they hold (engine/sim/logs.ts). */
  readonly logs: LogBook;
  readonly orchestrator: Orchestrator;
  readonly scheduler: Scheduler;
  readonly updater: Updater;
  readonly agent: Agent;
  /** The leader's side of the node agents' sessions: node status (engine/sim/dispatcher.ts). */
  readonly dispatcher: Dispatcher;
  /** The managers' leader election and quorum (engine/sim/raft.ts). */
  readonly raft: Raft;
  /** Addresses on the ingress network: nodes' sandboxes, VIPs, tasks (engine/sim/ingress-ipam.ts). */
  readonly ingressAddresses: IngressAddresses;
  private readonly daemons = new Map<string, SimulatedDaemon>();
  /**
   * Set by a host whose event loop must keep answering (the browser's worker): lets a read
   * that builds many views hand the event loop back between slices (see SimulatedDaemon's
   * taskList). Unset (tests, instant mode, serve), reads run in one go.
   */
  yieldToHost: (() => Promise<void>) | undefined;
  /**
   * Reads in progress that have yielded: while above 0 the swarm must not move (the
   * RealtimeDriver skips its ticks and owes the time), so a read sees one instant of the
   * store, as a read transaction does in swarmkit.
   */
  reading = 0;
  /**
   * Set by the session while a command runs: waits `ms` of the swarm's time as that command
   * would (its clock, its Ctrl-C). A manager's request waits on it for a leader
   * (SimulatedDaemon). Unset (between commands, a bare simulator), it is refused at once.
   */
  wait: ((ms: number) => Promise<void>) | undefined;

  constructor(opts: SimulatorOptions = {}) {
    this.rng = new Rng(opts.seed ?? 1);
    this.clock = new VirtualClock(opts.startEpochMs ?? DEFAULT_START_EPOCH_MS);
    this.cluster = new Cluster(this.clock, this.rng);
    this.views = new Views(this.cluster);
    this.logs = new LogBook(this.cluster, (ms) => this.views.ts(ms));
    // Listener order matters: the scheduler moves NEW tasks to PENDING first, the agent
    // drives assigned tasks, the orchestrator restarts, the updater watches, the reaper trims.
    this.scheduler = new Scheduler(this.cluster);
    this.agent = new Agent(this.cluster);
    this.orchestrator = new Orchestrator(this.cluster);
    this.updater = new Updater(this.cluster, this.orchestrator);
    this.orchestrator.updater = this.updater;
    new Reaper(this.cluster);
    this.ingressAddresses = new IngressAddresses(this.cluster);
    this.dispatcher = new Dispatcher(this);
    this.raft = new Raft(this);

    for (const m of parseTopology(opts.topology)) {
      const machine: Machine = {
        hostname: m.hostname,
        daemonId: newUuid(this.rng),
        addr: m.addr,
        engineVersion: ENGINE_VERSION,
        ncpu: 2,
        memBytes: 2_084_249_600,
        pulled: new Set(),
        daemon: 'running',
        stoppedContainers: new Set(),
        lostContainers: new Set(),
      };
      this.cluster.machines.set(m.hostname, machine);
      this.daemons.set(m.hostname, new SimulatedDaemon(this, machine));
    }
    if (opts.swarm !== false) {
      const specs = parseTopology(opts.topology);
      const leader = specs.find((s) => s.role === 'manager')!;
      // The swarm was built a few minutes before the learner arrives: nodes joined one by
      // one, so their timestamps (node inspect's "Joined at") differ like real ones do.
      this.clock.advance(this.rng.jitter(1_000, 500));
      this.initSwarm(this.cluster.machines.get(leader.hostname)!);
      for (const s of specs) {
        if (s === leader) continue;
        if (specs.length <= 20) this.clock.advance(this.rng.jitter(14_000, 6_000));
        this.joinSwarm(this.cluster.machines.get(s.hostname)!, s.role);
      }
      this.clock.advance(this.rng.jitter(150_000, 40_000));
    }
  }

  /** A connection to the daemon on `hostname`. */
  api(hostname: string): SwarmApi {
    const d = this.daemons.get(hostname);
    if (!d) throw new Error(`no machine named ${hostname}`);
    return d;
  }

  hostnames(): string[] {
    return [...this.cluster.machines.keys()];
  }

  // ------------------------------------------------------------------ swarm membership

  initSwarm(machine: Machine): NodeRecord {
    const rng = this.rng;
    const ca = newCaDigest36(rng);
    const now = this.clock.now;
    this.cluster.swarm = {
      id: newObjectId(rng),
      createdAt: now,
      updatedAt: now,
      version: this.cluster.nextVersion(),
      caDigest36: ca,
      workerToken: newJoinToken(rng, ca),
      managerToken: newJoinToken(rng, ca),
      taskHistoryLimit: 5,
      trustRoot: fakePem(rng),
      issuerSubject: 'MBMxETAPBgNVBAMTCHN3YXJtLWNh',
      issuerPublicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' + rng.chars(52, BASE64),
    };
    return this.addNode(machine, 'manager', true);
  }

  joinSwarm(machine: Machine, role: NodeRole): NodeRecord {
    const existing = machine.nodeId ? this.cluster.nodes.get(machine.nodeId) : undefined;
    if (existing) {
      existing.state = 'ready';
      existing.message = '';
      existing.reachable = role === 'manager';
      existing.role = role;
      existing.version = this.cluster.nextVersion();
      this.nodeChanged(existing.id);
      return existing;
    }
    const node = this.addNode(machine, role, false);
    this.nodeChanged(node.id);
    return node;
  }

  /** The machine leaves: its node stays listed as Down (as swarmkit keeps it) until removed. */
  leaveSwarm(machine: Machine): void {
    const node = machine.nodeId ? this.cluster.nodes.get(machine.nodeId) : undefined;
    if (node) {
      node.state = 'down';
      node.version = this.cluster.nextVersion();
      node.updatedAt = this.clock.now;
      this.nodeChanged(node.id);
    }
    delete machine.nodeId;
  }

  /** `docker node rm`: the node leaves the cluster's records; its machine is out of the swarm. */
  removeNode(node: NodeRecord): void {
    this.cluster.removeNode(node);
    this.ingressAddresses.nodeRemoved(node.id);
    if (node.machine.nodeId === node.id) delete node.machine.nodeId;
    this.nodeChanged(node.id);
  }

  private addNode(machine: Machine, role: NodeRole, leader: boolean): NodeRecord {
    const now = this.clock.now;
    const node: NodeRecord = {
      id: newObjectId(this.rng),
      index: -1,
      hostname: machine.hostname,
      machine,
      role,
      availability: 'active',
      state: 'ready',
      message: '',
      leader,
      reachable: role === 'manager',
      labels: {},
      createdAt: now,
      updatedAt: now,
      version: this.cluster.nextVersion(),
    };
    this.cluster.addNode(node);
    machine.nodeId = node.id;
    machine.gwbridgeAt ??= now;
    this.ingressAddresses.nodeJoined(node.id);
    return node;
  }

  /** The orchestrator picks up a written service spec after a short delay, as swarmkit's watch loop does. */
  serviceChanged(service: ServiceRecord): void {
    // Its VIP is allocated with the write, as swarmkit's allocator does before the orchestrator acts.
    this.ingressAddresses.serviceChanged(service);
    this.clock.after(this.rng.jitter(TIMING.reconcile.base, TIMING.reconcile.spread), () => {
      if (this.cluster.services.get(service.id) === service) this.orchestrator.serviceChanged(service);
    });
  }

  // ------------------------------------------------------------------ node changes

  setAvailability(node: NodeRecord, availability: NodeAvailability): void {
    if (node.availability === availability) return;
    node.availability = availability;
    this.nodeChanged(node.id);
  }

  /**
   * A node's status set at once, as if the dispatcher had decided (tests of the controllers;
   * a learner stops a node's dockerd instead, `stopDaemon`, and the dispatcher takes its time).
   */
  setNodeState(hostname: string, state: 'ready' | 'down'): void {
    const node = this.cluster.nodeByHostname(hostname);
    if (!node || node.state === state) return;
    node.state = state;
    node.message = state === 'down' ? 'heartbeat failure' : '';
    node.version = this.cluster.nextVersion();
    node.updatedAt = this.clock.now;
    this.nodeChanged(node.id);
  }

  // ------------------------------------------------------------------ injected failures

  /**
   * The machine's dockerd stops (engine/sim/faults.ts): it answers nothing, its containers
   * stop, its agent stops sending heartbeats (the dispatcher marks the node Down after the
   * grace period), and a manager's raft member is gone (engine/sim/raft.ts). False when it
   * was not running.
   */
  stopDaemon(hostname: string): boolean {
    const machine = this.cluster.machines.get(hostname);
    if (!machine || machine.daemon === 'stopped') return false;
    if (machine.daemon === 'starting') {
      // Stopped before it answered: it never came up.
      this.clock.cancel(this.starting.get(hostname));
      this.starting.delete(hostname);
      this.answersAt.delete(hostname);
      machine.daemon = 'stopped';
      return true;
    }
    machine.daemon = 'stopped';
    // Nothing in the store changed yet, but what a look at the swarm finds did (the swarm view).
    this.cluster.touched();
    this.agent.daemonStopped(machine);
    const node = machine.nodeId ? this.cluster.nodes.get(machine.nodeId) : undefined;
    if (node) {
      if (node.role === 'manager') this.raft.memberStopped(node);
      this.dispatcher.agentStopped(node);
    }
    return true;
  }

  /**
   * The machine's dockerd starts again. It answers once it has started, which for a manager
   * means once its raft member is up (engine/sim/timing.ts, CONTROL): then a manager rejoins
   * raft (bringing back, or electing, a leader), the agent registers with the leader and
   * reports what became of the containers the stop ended. Returns when it will answer, in
   * virtual ms, or undefined when it was not stopped.
   */
  startDaemon(hostname: string): number | undefined {
    const machine = this.cluster.machines.get(hostname);
    if (!machine || machine.daemon !== 'stopped') return undefined;
    machine.daemon = 'starting';
    const node = machine.nodeId ? this.cluster.nodes.get(machine.nodeId) : undefined;
    const raft = this.raft;
    const jitter = (s: { base: number; spread: number }): number => this.rng.jitter(s.base, s.spread);
    let delay: number;
    if (!node || node.role !== 'manager') delay = jitter(CONTROL.daemonStart);
    else if (raft.members().length === 1) delay = jitter(CONTROL.loneManagerStart);
    // Joining a leader (one that lacks only this member for its quorum too)...
    else if (raft.hasQuorum() || (raft.hasLeader() && raft.hasQuorum(node))) delay = jitter(CONTROL.managerStart);
    // ...or bringing the quorum back to a swarm without a leader: answering waits for the election.
    else if (raft.hasQuorum(node)) delay = jitter(CONTROL.managerStartElection);
    else delay = CONTROL.swarmConnectTimeout;
    const at = this.clock.now + delay;
    this.answersAt.set(hostname, at);
    this.starting.set(
      hostname,
      this.clock.afterForControl(delay, () => {
        this.starting.delete(hostname);
        this.answersAt.delete(hostname);
        machine.daemon = 'running';
        this.cluster.touched();
        const n = machine.nodeId ? this.cluster.nodes.get(machine.nodeId) : undefined;
        if (!n) return;
        // Its agent is connecting before its raft member decides anything about a leader.
        this.dispatcher.agentStarted(n);
        if (n.role === 'manager') this.raft.memberStarted(n);
      }),
    );
    return at;
  }

  /** Daemons starting: the timer that has them answer, and when. */
  private readonly starting = new Map<string, number>();
  private readonly answersAt = new Map<string, number>();

  /** When the starting dockerd of `hostname` will answer (virtual ms), or undefined if it is not starting. */
  daemonAnswersAt(hostname: string): number | undefined {
    return this.answersAt.get(hostname);
  }

  /**
   * `docker kill` of a task's running container. Without a leader its agent cannot report it
   * yet: the report waits with the rest of the swarm (the clock holds it).
   */
  killTask(task: TaskRecord): void {
    if (!this.clock.holding) {
      this.agent.kill(task);
      return;
    }
    this.clock.after(0, () => {
      if (this.cluster.tasks.get(task.id) === task && task.state === 'running') this.agent.kill(task);
    });
  }

  nodeChanged(nodeId: string): void {
    this.orchestrator.nodeChanged(nodeId);
    this.scheduler.retryAll();
    const node = this.cluster.nodes.get(nodeId);
    if (node?.state === 'ready') {
      for (const t of this.cluster.tasks.values()) if (t.nodeId === nodeId) this.cluster.emit(t);
    }
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function fakePem(rng: Rng): string {
  const body = 'MIIBajCCARCgAwIBAgIU' + rng.chars(400, BASE64);
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

export function createSimulatedSwarm(opts: SimulatorOptions = {}): Simulator {
  return new Simulator(opts);
}
