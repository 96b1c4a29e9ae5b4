// The node agent and its executor: once the scheduler has assigned a task to a node,
// the agent walks it through accepted → preparing → ready → starting → running, pulls
// the image (or rejects the task when no registry has it), and stops it when its desired
// state moves past RUNNING. Each task has at most one pending step timer. A node whose
// dockerd is stopped runs nothing (its containers stopped with it); when it is back and its
// agent has registered, it reports what became of them (`registered`). A killed container
// (docker kill: SIGKILL) fails its task as the executor reports a non-zero exit.
import type { PortConfig, TaskState } from '../api/types.js';
import type { Cluster } from './cluster.js';
import { activeHealthcheck, healthVerdict, probePasses, UNHEALTHY_STOP_MS } from './health.js';
import { behaviourOf, familiarWithTag, findImage } from './images.js';
import type { Machine, NodeRecord, TaskRecord } from './model.js';
import { after, atMost } from './model.js';
import type { Span } from './timing.js';
import { TIMING } from './timing.js';

/** Linux's ip_local_port_range, which dockerd's port allocator uses for a host port left to it. */
const EPHEMERAL_PORT_START = 32768;
const EPHEMERAL_PORT_END = 60999;
/** Bindings per host-mode port: 0.0.0.0 and :: (see bindHostPorts). */
export const HOST_PORT_BINDINGS = 2;

/** 128 + SIGKILL: what a container killed with `docker kill` exits with. */
export const KILLED_EXIT_CODE = 137;

/** A task's container name on its node: `<service>.<slot>.<task ID>`, `<service>.<node ID>.<task ID>` for a global one. */
/**
 * moby's hasServiceBinding: the task is attached to a network besides the default bridge. The
 * simulated tasks attach to the ingress network only, which swarmkit's allocator attaches when
 * the service publishes a port in ingress mode (host-mode ports need no network).
 */
export const hasServiceBinding = (t: TaskRecord): boolean => (t.endpoint?.Ports ?? []).some((p) => (p.PublishMode ?? 'ingress') === 'ingress');

const withExtra = (span: Span, extra: number, spread = 0): Span => ({ base: span.base + extra, spread: span.spread + spread });

export const containerName = (t: TaskRecord): string => `${t.serviceName}.${t.slot > 0 ? t.slot : t.nodeId}.${t.id}`;

type Step = 'accept' | 'prepare' | 'ready' | 'start' | 'run' | 'exit' | 'stop';

export class Agent {
  /** Which step each task's pending timer will perform. */
  private readonly planned = new Map<string, Step>();

  constructor(private readonly cluster: Cluster) {
    cluster.onTaskChange((t) => this.react(t));
  }

  /**
   * The machine's dockerd stopped: every container it ran stopped with it, and its agent does
   * nothing more. The store keeps its tasks as last reported until the agent is back.
   */
  daemonStopped(machine: Machine): void {
    const nodeId = machine.nodeId;
    if (!nodeId) return;
    for (const t of this.cluster.tasks.values()) {
      if (t.nodeId !== nodeId) continue;
      this.cancel(t);
      if (!after(t.state, 'running')) machine.stoppedContainers.add(t.id);
    }
  }

  /**
   * The node's agent registered with the leader after its dockerd started. The containers the
   * daemon stopped did not survive its restart (captured: they are gone); so it reports a task
   * told to stop meanwhile as shut down, and one still meant to run whose container had been
   * created as failed ("No such container", as the executor finds it), which its restart
   * policy then replaces. One not that far yet goes on. Then it carries on with every task.
   */
  registered(node: NodeRecord): void {
    const machine = node.machine;
    const stopped = [...machine.stoppedContainers];
    machine.stoppedContainers.clear();
    for (const id of stopped) {
      const t = this.cluster.tasks.get(id);
      if (!t || t.nodeId !== node.id || after(t.state, 'running')) continue;
      const created = !after('ready', t.state);
      if (created) machine.lostContainers.add(t.id);
      if (after(t.desired, 'running')) {
        if (t.state === 'running') t.exitCode = 0;
        this.cluster.setState(t, 'shutdown');
      } else if (created) {
        this.cluster.setState(t, 'failed', { message: t.message, err: `No such container: ${containerName(t)}` });
      }
    }
    for (const t of [...this.cluster.tasks.values()]) if (t.nodeId === node.id) this.react(t);
  }

  /**
   * `docker kill` of a running task's container (SIGKILL, exit 137): the executor's wait
   * fails, so the task fails with the exit code; one being stopped ends its stop instead.
   */
  kill(task: TaskRecord): void {
    this.cancel(task);
    task.exitCode = KILLED_EXIT_CODE;
    if (after(task.desired, 'running')) this.cluster.setState(task, 'shutdown');
    else this.cluster.setState(task, 'failed', { message: 'started', err: `task: non-zero exit (${KILLED_EXIT_CODE})` });
  }

  private react(task: TaskRecord): void {
    if (!task.nodeId || after(task.state, 'running') || task.state === 'new' || task.state === 'pending') {
      this.cancel(task);
      return;
    }
    const node = this.cluster.nodes.get(task.nodeId);
    if (!node || node.state === 'down' || node.machine.daemon !== 'running') {
      // A node that cannot answer reports nothing; its tasks stay as last seen.
      this.cancel(task);
      return;
    }
    const next = this.nextStep(task);
    if (next === undefined) {
      this.cancel(task);
      return;
    }
    if (this.planned.get(task.id) === next[0]) return;
    this.plan(task, next[0], next[1]);
  }

  private nextStep(task: TaskRecord): [Step, Span | number] | undefined {
    if (after(task.desired, 'running')) {
      const span = task.state === 'running' ? TIMING.stop : TIMING.stopUnstarted;
      // The executor's Shutdown sleeps for gossip first when the task has a service binding.
      return ['stop', hasServiceBinding(task) ? withExtra(span, TIMING.gossipConverge + TIMING.ingressTeardown.base, TIMING.ingressTeardown.spread) : span];
    }
    switch (task.state) {
      case 'assigned':
        return ['accept', TIMING.accept];
      case 'accepted':
        return ['prepare', TIMING.prepareStart];
      case 'preparing': {
        const image = findImage(task.spec.ContainerSpec.Image);
        if (!image) return ['ready', TIMING.pullFail];
        const machine = this.machineOf(task);
        return ['ready', machine?.pulled.has(image.digest) ? TIMING.prepareCached : TIMING.preparePull];
      }
      case 'ready':
        return task.desired === 'running' ? ['start', TIMING.startSignal] : undefined;
      case 'starting': {
        // With a health check the executor reports RUNNING only once the container is healthy,
        // and stops it when it turns unhealthy first (engine/sim/health.ts).
        const health = activeHealthcheck(task.spec);
        const image = health && findImage(task.spec.ContainerSpec.Image);
        if (!health || !image || behaviourOf(image, task.spec.ContainerSpec.Command, task.spec.ContainerSpec.Args).kind === 'exits') {
          return ['run', TIMING.start];
        }
        const verdict = healthVerdict(health, probePasses(health.Test ?? [], image));
        if (verdict.healthy) return ['run', { base: TIMING.start.base + verdict.afterMs, spread: TIMING.start.spread }];
        // Unhealthy: the executor stops the container (SIGTERM), and its exit ends the task.
        return ['exit', { base: TIMING.start.base + verdict.afterMs + UNHEALTHY_STOP_MS, spread: TIMING.start.spread }];
      }
      case 'running': {
        const image = findImage(task.spec.ContainerSpec.Image);
        if (!image) return undefined;
        const b = behaviourOf(image, task.spec.ContainerSpec.Command, task.spec.ContainerSpec.Args);
        return b.kind === 'exits' ? ['exit', b.afterMs] : undefined;
      }
      default:
        return undefined;
    }
  }

  private plan(task: TaskRecord, step: Step, span: Span | number): void {
    this.cancel(task);
    const delay = typeof span === 'number' ? span : this.cluster.rng.jitter(span.base, span.spread);
    this.planned.set(task.id, step);
    if (step === 'stop' && task.state === 'running') {
      // The agent re-reports RUNNING with a fresh timestamp when it starts stopping the container.
      this.cluster.touchState(task);
    }
    task.timer = this.cluster.clock.after(delay, () => {
      this.planned.delete(task.id);
      task.timer = undefined;
      this.perform(task, step);
    });
  }

  private cancel(task: TaskRecord): void {
    if (task.timer !== undefined) this.cluster.clock.cancel(task.timer);
    task.timer = undefined;
    this.planned.delete(task.id);
  }

  private perform(task: TaskRecord, step: Step): void {
    const c = this.cluster;
    switch (step) {
      case 'accept':
        c.setState(task, 'accepted');
        return;
      case 'prepare':
        c.setState(task, 'preparing');
        return;
      case 'ready': {
        const image = findImage(task.spec.ContainerSpec.Image);
        if (!image) {
          c.setState(task, 'rejected', {
            message: 'preparing',
            err: `No such image: ${familiarWithTag(task.spec.ContainerSpec.Image)}`,
          });
          return;
        }
        this.machineOf(task)?.pulled.add(image.digest);
        c.setState(task, 'ready');
        return;
      }
      case 'start':
        c.setState(task, 'starting');
        return;
      case 'run':
        task.hostPorts = this.bindHostPorts(task);
        c.setState(task, 'running');
        return;
      case 'exit': {
        const image = findImage(task.spec.ContainerSpec.Image);
        const b = image && behaviourOf(image, task.spec.ContainerSpec.Command, task.spec.ContainerSpec.Args);
        const code = b?.kind === 'exits' ? b.code : 0;
        task.exitCode = code;
        // An unhealthy container stopped while STARTING: Start returned once it exited 0, the task ran, then Wait saw it done.
        if (task.state === 'starting') c.setState(task, 'running');
        if (code === 0) c.setState(task, 'complete');
        else c.setState(task, 'failed', { message: 'started', err: `task: non-zero exit (${code})` });
        return;
      }
      case 'stop': {
        const final: TaskState = 'shutdown';
        if (task.state === 'running') task.exitCode = 0;
        if (atMost(task.state, 'running')) c.setState(task, final);
        return;
      }
    }
  }

  /** Per machine: the next of dockerd's ephemeral ports (its port allocator hands them out in turn). */
  private readonly nextEphemeral = new Map<string, number>();

  /**
   * The host-mode ports the container binds as it starts: the published port, or for 0 the
   * daemon's next ephemeral one. Each is bound on IPv4 and IPv6 (0.0.0.0 and ::), and the
   * executor reports each binding, so every port appears twice in the task's PortStatus.
   */
  private bindHostPorts(task: TaskRecord): PortConfig[] | undefined {
    const wanted = (task.endpoint?.Ports ?? []).filter((p) => p.PublishMode === 'host');
    if (wanted.length === 0) return undefined;
    const host = this.machineOf(task)?.hostname ?? '';
    const out: PortConfig[] = [];
    for (const p of wanted) {
      let published = p.PublishedPort ?? 0;
      if (published === 0) {
        published = this.nextEphemeral.get(host) ?? EPHEMERAL_PORT_START;
        this.nextEphemeral.set(host, published >= EPHEMERAL_PORT_END ? EPHEMERAL_PORT_START : published + 1);
      }
      const bound = Object.freeze({ Protocol: p.Protocol ?? 'tcp', TargetPort: p.TargetPort, PublishedPort: published, PublishMode: 'host' as const });
      for (let i = 0; i < HOST_PORT_BINDINGS; i++) out.push(bound);
    }
    return Object.freeze(out) as PortConfig[];
  }

  private machineOf(task: TaskRecord) {
    return this.cluster.nodes.get(task.nodeId)?.machine;
  }
}
