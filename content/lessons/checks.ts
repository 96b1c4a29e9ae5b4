// Building blocks for lesson checks: small assertions on cluster state through the
// Docker-API-shaped SwarmApi, each failing with a localized reason (lesson.reason.* keys).
import type { SwarmApi } from '../../engine/api/swarm-api.js';
import { isApiError } from '../../engine/api/swarm-api.js';
import type { NodeAvailability, NodeState, PortConfig, Service, UpdateState } from '../../engine/api/types.js';
import type { Check, CheckReason, CheckResult } from './types.js';

export const pass: CheckResult = { ok: true };
export const fail = (key: string, params?: Record<string, string | number>): CheckResult => {
  const reason: CheckReason = params ? { key: `lesson.reason.${key}`, params } : { key: `lesson.reason.${key}` };
  return { ok: false, reason };
};

/** Runs checks in order and reports the first failure, so the reason names the next thing to do. */
export const all =
  (...checks: Check[]): Check =>
  async (api) => {
    for (const check of checks) {
      const r = await check(api);
      if (!r.ok) return r;
    }
    return pass;
  };

/** The image a task or spec runs, without the digest the CLI pins (`redis:7.4.1@sha256:…`). */
export const imageName = (image: string): string => image.split('@')[0] ?? image;

/** Daemon errors such as "This node is not a swarm manager" mean the swarm is not there yet. */
async function guarded(api: SwarmApi, body: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await body();
  } catch (e) {
    if (isApiError(e) && e.statusCode === 503) return fail('noSwarm');
    throw e;
  }
}

async function findService(api: SwarmApi, name: string): Promise<Service | undefined> {
  try {
    return await api.serviceInspect(name);
  } catch (e) {
    if (isApiError(e) && e.statusCode === 404) return undefined;
    throw e;
  }
}

export const swarmActive: Check = async (api) => {
  const info = await api.info();
  return info.Swarm.LocalNodeState === 'active' && info.Swarm.ControlAvailable ? pass : fail('noSwarm');
};

/** manager1 is not part of a swarm yet (the create-swarm lesson's machines). */
export const noSwarmYet: Check = async (api) => {
  const info = await api.info();
  return info.Swarm.LocalNodeState === 'inactive' ? pass : fail('swarmExists');
};

/** The machine has not joined the swarm as a ready node (add-nodes joins it). */
export const nodeNotJoined =
  (hostname: string): Check =>
  (api) =>
    guarded(api, async () => {
      const nodes = await api.nodeList();
      return nodes.some((n) => n.Description.Hostname === hostname && n.Status.State === 'ready') ? fail('nodeJoined', { node: hostname }) : pass;
    });

/** These machines are ready nodes of the swarm (one node list for all of them). */
export const nodesReady =
  (...hostnames: string[]): Check =>
  (api) =>
    guarded(api, async () => {
      const nodes = await api.nodeList();
      const missing = hostnames.find((h) => !nodes.some((n) => n.Description.Hostname === h && n.Status.State === 'ready'));
      return missing === undefined ? pass : fail('nodeNotJoined', { node: missing });
    });

export const nodeReady = (hostname: string): Check => nodesReady(hostname);

/**
 * The node's status as the managers see it (`docker node ls` STATUS). A stopped machine
 * turns `down` only after the heartbeat grace period, so a check for `down` waits for that.
 */
export const nodeState =
  (hostname: string, want: NodeState): Check =>
  (api) =>
    guarded(api, async () => {
      const node = (await api.nodeList()).find((n) => n.Description.Hostname === hostname);
      if (!node) return fail('nodeNotJoined', { node: hostname });
      const got = node.Status.State;
      return got === want ? pass : fail('nodeState', { node: hostname, want, got });
    });

/** The default three machines are ready nodes of one swarm. */
export const threeNodes: Check = nodesReady('manager1', 'worker1', 'worker2');

export const nodeAvailability =
  (hostname: string, want: NodeAvailability): Check =>
  (api) =>
    guarded(api, async () => {
      const node = (await api.nodeList()).find((n) => n.Description.Hostname === hostname);
      if (!node) return fail('nodeNotJoined', { node: hostname });
      const got = node.Spec.Availability;
      return got === want ? pass : fail('availability', { node: hostname, want, got });
    });

export const serviceExists =
  (name: string): Check =>
  (api) =>
    guarded(api, async () => ((await findService(api, name)) ? pass : fail('noService', { service: name })));

export const serviceAbsent =
  (name: string): Check =>
  (api) =>
    guarded(api, async () => ((await findService(api, name)) ? fail('serviceExists', { service: name }) : pass));

export interface ServiceWant {
  replicas: number;
  /** The image the spec and its running tasks must name; omitted: whatever the spec names. */
  image?: string;
  /** Expected container command line (`Args`), e.g. ['ping', 'docker.com']. */
  args?: string[];
  /** Expected UpdateConfig.Delay in seconds. */
  updateDelaySeconds?: number;
}

/**
 * The service exists with this spec, and exactly `replicas` tasks of that image are running
 * (with no image wanted: of the image the spec names, so a lesson that is not about images
 * accepts whatever an earlier lesson left, e.g. drain-node after rolling-update's 7.4.1).
 */
export const serviceRunning =
  (name: string, want: ServiceWant): Check =>
  (api) =>
    guarded(api, async () => {
      const service = await findService(api, name);
      if (!service) return fail('noService', { service: name });
      const spec = service.Spec;
      const specImage = imageName(spec.TaskTemplate.ContainerSpec.Image);
      const image = want.image ?? specImage;
      if (specImage !== image) return fail('image', { service: name, want: image, got: specImage });
      const replicas = spec.Mode.Replicated?.Replicas;
      if (replicas !== want.replicas) return fail('replicas', { service: name, want: want.replicas, got: replicas ?? 0 });
      if (want.args) {
        const got = [...(spec.TaskTemplate.ContainerSpec.Command ?? []), ...(spec.TaskTemplate.ContainerSpec.Args ?? [])].join(' ');
        if (got !== want.args.join(' ')) {
          // No args wanted means the image's own command: an empty "wants" quote would say nothing.
          if (want.args.length === 0) return fail('ownCommand', { service: name, got });
          return fail('args', { service: name, want: want.args.join(' '), got: got || '-' });
        }
      }
      if (want.updateDelaySeconds !== undefined) {
        const got = (spec.UpdateConfig?.Delay ?? 0) / 1e9;
        if (got !== want.updateDelaySeconds) return fail('updateDelay', { service: name, want: `${want.updateDelaySeconds}s`, got: `${got}s` });
      }
      const tasks = await api.taskList({ service: [service.ID], 'desired-state': ['running'] });
      const running = tasks.filter((t) => t.Status.State === 'running' && imageName(t.Spec.ContainerSpec.Image) === image).length;
      return running === want.replicas ? pass : fail('tasksRunning', { service: name, running, want: want.replicas, image });
    });

/** The service's last update (or rollback) is in this state. */
export const updateState =
  (name: string, want: UpdateState): Check =>
  (api) =>
    guarded(api, async () => {
      const service = await findService(api, name);
      if (!service) return fail('noService', { service: name });
      const got = service.UpdateStatus?.State ?? 'none';
      return got === want ? pass : fail('updateState', { service: name, want, got });
    });

/** The service's spec asks for this image (whether or not its tasks run it yet). */
export const specImage =
  (name: string, image: string): Check =>
  (api) =>
    guarded(api, async () => {
      const service = await findService(api, name);
      if (!service) return fail('noService', { service: name });
      const got = imageName(service.Spec.TaskTemplate.ContainerSpec.Image);
      return got === image ? pass : fail('image', { service: name, want: image, got });
    });

/** No task of the service is meant to run on the node. */
export const noTasksOn =
  (name: string, hostname: string): Check =>
  (api) =>
    guarded(api, async () => {
      if (!(await findService(api, name))) return fail('noService', { service: name });
      const tasks = await api.taskList({ service: [name], node: [hostname], 'desired-state': ['running'] });
      return tasks.length === 0 ? pass : fail('tasksOnNode', { service: name, node: hostname, count: tasks.length });
    });

/**
 * No task of the service on the node still reports a running container. A node that went
 * down keeps its last report (its orphaned task says `Running` though the manager has told it
 * to shut down); once the node is back, its agent reports that task `Shutdown`.
 */
export const nothingRunningOn =
  (name: string, hostname: string): Check =>
  (api) =>
    guarded(api, async () => {
      if (!(await findService(api, name))) return fail('noService', { service: name });
      const tasks = await api.taskList({ service: [name], node: [hostname] });
      const count = tasks.filter((t) => t.Status.State === 'running').length;
      return count === 0 ? pass : fail('stillReported', { service: name, node: hostname, count });
    });

/**
 * The service has `count` running tasks meant to run, whatever their image: mid-update a
 * service is still whole while its slots run the old and the new image side by side.
 */
export const tasksRunning =
  (name: string, count: number): Check =>
  (api) =>
    guarded(api, async () => {
      const service = await findService(api, name);
      if (!service) return fail('noService', { service: name });
      const tasks = await api.taskList({ service: [service.ID], 'desired-state': ['running'] });
      const running = tasks.filter((t) => t.Status.State === 'running').length;
      return running === count ? pass : fail('tasksUp', { service: name, running, want: count });
    });

/** A published port as a lesson asks for it; protocol and mode default as docker's do (tcp, ingress). */
export interface PortWant {
  published: number;
  target: number;
  protocol?: 'tcp' | 'udp';
  mode?: 'ingress' | 'host';
}

/** `8080:80/tcp (ingress)`: how a reason names a port, the same in both languages. */
export const portText = (p: PortWant): string => `${p.published}:${p.target}/${p.protocol ?? 'tcp'} (${p.mode ?? 'ingress'})`;

const portOf = (c: PortConfig): PortWant => ({ published: c.PublishedPort ?? 0, target: c.TargetPort ?? 0, protocol: c.Protocol === 'udp' ? 'udp' : 'tcp', mode: c.PublishMode === 'host' ? 'host' : 'ingress' });
const samePort = (a: PortWant, b: PortWant): boolean => portText(a) === portText(b);

/** The ports the service's spec publishes (what `inspect --format '{{json .Endpoint.Spec.Ports}}'` lists). */
async function specPorts(api: SwarmApi, name: string): Promise<PortWant[] | undefined> {
  const service = await findService(api, name);
  return service ? (service.Spec.EndpointSpec?.Ports ?? []).map(portOf) : undefined;
}

/** The service's spec publishes each of these ports (others may be published too). */
export const publishes =
  (name: string, ...want: PortWant[]): Check =>
  (api) =>
    guarded(api, async () => {
      const ports = await specPorts(api, name);
      if (!ports) return fail('noService', { service: name });
      const missing = want.find((w) => !ports.some((p) => samePort(p, w)));
      return missing === undefined ? pass : fail('portMissing', { service: name, port: portText(missing), got: ports.map(portText).join(', ') || '-' });
    });

/** The service's spec no longer publishes this port. */
export const notPublishes =
  (name: string, port: PortWant): Check =>
  (api) =>
    guarded(api, async () => {
      const ports = await specPorts(api, name);
      if (!ports) return fail('noService', { service: name });
      return ports.some((p) => samePort(p, port)) ? fail('portPublished', { service: name, port: portText(port) }) : pass;
    });

/**
 * No service publishes these port numbers (any protocol or mode), so a lesson that publishes
 * them will not be refused with "port already in use" by something the learner made earlier.
 */
export const portsFree =
  (...numbers: number[]): Check =>
  (api) =>
    guarded(api, async () => {
      for (const service of await api.serviceList()) {
        const taken = (service.Spec.EndpointSpec?.Ports ?? []).find((p) => numbers.includes(p.PublishedPort ?? -1));
        if (taken) return fail('portInUse', { service: service.Spec.Name, port: taken.PublishedPort ?? 0 });
      }
      return pass;
    });
