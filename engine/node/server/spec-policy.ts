// Field-by-field allowlist of the service specs local mode lets reach a real daemon
// (local-mode-security.md, checklist item 9). A spec is treated as untrusted JSON: every
// key must be known and every value in range, or the whole spec is refused. The same
// check runs on create and on update, because an update re-sends the whole spec.
// Pure (no Node built-ins).

export interface SpecPolicyOptions {
  /** Images the sandbox has preloaded; exact `name:tag`, no digests, no other registries. */
  images: ReadonlySet<string>;
  /** Published ports (routing-mesh lesson) only on the sandbox, never on the learner's daemon. */
  allowPublish: boolean;
}

/**
 * The images the sandbox preloads (scripts/sandbox/up.sh): the redis pair of the first nine
 * lessons and the routing-mesh lesson's web server (on the sandbox a stand-in built from
 * Debian's nginx, scripts/sandbox/build-web-image.sh).
 */
export const DEFAULT_IMAGES: ReadonlySet<string> = new Set(['redis:7.4.0', 'redis:7.4.1', 'nginx:1.27.3']);

/**
 * The one image reference allowed beyond the preloaded ones, and only in an update: the
 * rolling-update lesson's deliberately missing tag. No node has it and none can get it: the
 * sandbox's nodes do not pull (DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1, and no route out), and
 * a learner's own daemon finds no such tag on Docker Hub. So the task is rejected "No such
 * image" and the update pauses (in about half a second on the sandbox): the failure the
 * lesson teaches. Nothing runs from it. A create with it stays refused: a service that never
 * runs is no lesson step, and the update path alone covers the demonstration.
 */
export const BROKEN_UPDATE_IMAGES: ReadonlySet<string> = new Set(['redis:9.9.9']);

/** Whether the spec creates a service or replaces the spec of one (an update re-sends it all). */
export type SpecUse = 'create' | 'update';
export const MAX_REPLICAS = 10;
export const MAX_UPDATE_PARALLELISM = 3;
const NS = 1_000_000_000;
export const MAX_UPDATE_DELAY_NS = 60 * NS;
const MAX_MONITOR_NS = 300 * NS;
/** The only published ports local mode lets a service have (the curl policy reads the same range). */
export const PUBLISHED_PORTS = { min: 8080, max: 8099 } as const;
/**
 * Most ports one service may publish. The routing-mesh lesson reaches 3 (8080, a second TCP
 * port added with --publish-add, and a UDP one); one more lets a learner publish a port as
 * TCP and UDP both. Each is a listener on every node (ingress) or on a task's node (host).
 */
export const MAX_PORTS_PER_SERVICE = 4;
const PROTOCOLS = ['tcp', 'udp'];
const PUBLISH_MODES = ['ingress', 'host'];
const NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;
const CONSTRAINT = /^node\.(hostname|role|labels\.[A-Za-z0-9_.-]{1,63})\s*(==|!=)\s*[A-Za-z0-9_.-]{1,63}$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,127}$/;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmptyObject = (v: Json): boolean => isObject(v) && Object.keys(v).length === 0;
const isInt = (v: Json, min: number, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Thrown inside the walk; turned into the refusal's reason. */
class Refused extends Error {}
const no = (reason: string): never => {
  throw new Refused(reason);
};

/** Only these keys may be present; each is then checked by its own rule. */
function onlyKeys(obj: Record<string, Json>, where: string, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) no(`${where}${k} is not allowed`);
}

function checkLabels(v: Json, where: string): void {
  if (v === undefined) return;
  if (!isObject(v)) no(`${where} must be an object`);
  const entries = Object.entries(v as Record<string, Json>);
  if (entries.length > 16) no(`${where}: too many labels`);
  for (const [k, val] of entries) {
    if (!LABEL_KEY.test(k) || typeof val !== 'string' || val.length > 256) no(`${where}: label ${JSON.stringify(k)} is not allowed`);
  }
}

/** Whether a service may name this image: a preloaded one, or in an update the lesson's broken tag. */
export function imageAllowed(image: string, images: ReadonlySet<string>, use: SpecUse): boolean {
  return images.has(image) || (use === 'update' && BROKEN_UPDATE_IMAGES.has(image));
}

function checkContainerSpec(cs: Json, opts: SpecPolicyOptions, use: SpecUse): void {
  if (!isObject(cs)) return no('TaskTemplate.ContainerSpec is missing');
  onlyKeys(cs, 'ContainerSpec.', ['Image', 'Labels', 'Init', 'DNSConfig', 'Isolation', 'Args', 'Command']);
  if (typeof cs.Image !== 'string' || !imageAllowed(cs.Image, opts.images, use)) {
    no(`image ${JSON.stringify(cs.Image)} is not one of the preloaded images (${[...opts.images].join(', ')})`);
  }
  // Zero values the CLI always sends count as absent; anything else is refused.
  if (cs.Labels !== undefined && !isEmptyObject(cs.Labels)) no('ContainerSpec.Labels is not allowed');
  if (cs.Init !== undefined && cs.Init !== false) no('ContainerSpec.Init is not allowed');
  if (cs.DNSConfig !== undefined && !isEmptyObject(cs.DNSConfig)) no('ContainerSpec.DNSConfig is not allowed');
  if (cs.Isolation !== undefined && cs.Isolation !== 'default' && cs.Isolation !== '') no('ContainerSpec.Isolation is not allowed');
  if (cs.Args !== undefined && !(Array.isArray(cs.Args) && cs.Args.length === 0)) no('ContainerSpec.Args is not allowed');
  if (cs.Command !== undefined && !(Array.isArray(cs.Command) && cs.Command.length === 0)) no('ContainerSpec.Command is not allowed');
}

function checkResources(r: Json): void {
  if (r === undefined) return;
  if (!isObject(r)) return no('TaskTemplate.Resources must be an object');
  onlyKeys(r, 'Resources.', ['Limits', 'Reservations']);
  for (const k of ['Limits', 'Reservations'] as const) {
    if (r[k] !== undefined && !isEmptyObject(r[k])) no(`Resources.${k} is not allowed`);
  }
}

function checkPlacement(p: Json): void {
  if (p === undefined) return;
  if (!isObject(p)) return no('TaskTemplate.Placement must be an object');
  onlyKeys(p, 'Placement.', ['Constraints', 'Platforms', 'MaxReplicas']);
  if (p.Constraints !== undefined) {
    if (!Array.isArray(p.Constraints) || p.Constraints.length > 5) no('Placement.Constraints must be a short list');
    for (const c of p.Constraints as Json[]) {
      if (typeof c !== 'string' || !CONSTRAINT.test(c)) no(`constraint ${JSON.stringify(c)} is not allowed (node.hostname, node.role or node.labels.* with == or !=)`);
    }
  }
  if (p.MaxReplicas !== undefined && p.MaxReplicas !== 0) no('Placement.MaxReplicas is not allowed');
  if (p.Platforms !== undefined) {
    if (!Array.isArray(p.Platforms)) no('Placement.Platforms must be a list');
    for (const pl of p.Platforms as Json[]) {
      if (!isObject(pl) || Object.entries(pl).some(([k, v]) => !['Architecture', 'OS'].includes(k) || typeof v !== 'string' || v.length > 32)) {
        no('Placement.Platforms is not allowed');
      }
    }
  }
}

function checkTaskTemplate(t: Json, opts: SpecPolicyOptions, use: SpecUse): void {
  if (!isObject(t)) return no('TaskTemplate is missing');
  onlyKeys(t, 'TaskTemplate.', ['ContainerSpec', 'Resources', 'RestartPolicy', 'Placement', 'ForceUpdate', 'Runtime', 'Networks']);
  checkContainerSpec(t.ContainerSpec, opts, use);
  checkResources(t.Resources);
  checkPlacement(t.Placement);
  if (t.RestartPolicy !== undefined && !isEmptyObject(t.RestartPolicy)) no('TaskTemplate.RestartPolicy is not allowed');
  if (t.ForceUpdate !== undefined && !isInt(t.ForceUpdate, 0, Number.MAX_SAFE_INTEGER)) no('TaskTemplate.ForceUpdate must be a counter');
  if (t.Runtime !== undefined && t.Runtime !== 'container' && t.Runtime !== '') no(`TaskTemplate.Runtime ${JSON.stringify(t.Runtime)} is not allowed`);
  if (t.Networks !== undefined && !(Array.isArray(t.Networks) && t.Networks.length === 0)) no('TaskTemplate.Networks is not allowed');
}

function checkMode(m: Json): void {
  if (!isObject(m)) return no('Mode is missing');
  onlyKeys(m, 'Mode.', ['Replicated']);
  const r = m.Replicated;
  if (!isObject(r)) return no('Mode.Replicated is missing');
  onlyKeys(r, 'Mode.Replicated.', ['Replicas']);
  if (r.Replicas !== undefined && !isInt(r.Replicas, 0, MAX_REPLICAS)) no(`replicas must be between 0 and ${MAX_REPLICAS}`);
}

const FAILURE_ACTIONS = ['pause', 'continue', 'rollback'];
const ORDERS = ['stop-first', 'start-first'];

function checkUpdateConfig(u: Json, where: string): void {
  if (u === undefined) return;
  if (!isObject(u)) return no(`${where} must be an object`);
  onlyKeys(u, `${where}.`, ['Parallelism', 'Delay', 'FailureAction', 'Monitor', 'MaxFailureRatio', 'Order']);
  if (u.Parallelism !== undefined && !isInt(u.Parallelism, 0, MAX_UPDATE_PARALLELISM)) no(`${where}.Parallelism must be between 0 and ${MAX_UPDATE_PARALLELISM}`);
  if (u.Delay !== undefined && !isInt(u.Delay, 0, MAX_UPDATE_DELAY_NS)) no(`${where}.Delay must be at most 60s`);
  if (u.Monitor !== undefined && !isInt(u.Monitor, 0, MAX_MONITOR_NS)) no(`${where}.Monitor must be at most 5m`);
  if (u.FailureAction !== undefined && !FAILURE_ACTIONS.includes(u.FailureAction as string)) no(`${where}.FailureAction is not allowed`);
  if (u.Order !== undefined && !ORDERS.includes(u.Order as string)) no(`${where}.Order is not allowed`);
  if (u.MaxFailureRatio !== undefined && !(typeof u.MaxFailureRatio === 'number' && u.MaxFailureRatio >= 0 && u.MaxFailureRatio <= 1)) {
    no(`${where}.MaxFailureRatio is not allowed`);
  }
}

function checkEndpoint(e: Json, opts: SpecPolicyOptions): void {
  if (e === undefined) return;
  if (!isObject(e)) return no('EndpointSpec must be an object');
  onlyKeys(e, 'EndpointSpec.', ['Mode', 'Ports']);
  if (e.Mode !== undefined && e.Mode !== 'vip') no('EndpointSpec.Mode is not allowed');
  if (e.Ports === undefined || (Array.isArray(e.Ports) && e.Ports.length === 0)) return;
  if (!opts.allowPublish) no('publishing ports is not allowed on your own Docker daemon');
  if (!Array.isArray(e.Ports) || e.Ports.length > MAX_PORTS_PER_SERVICE) no(`a service may publish at most ${MAX_PORTS_PER_SERVICE} ports`);
  for (const p of e.Ports as Json[]) {
    if (!isObject(p)) return no('EndpointSpec.Ports entries must be objects');
    onlyKeys(p, 'Ports.', ['Name', 'Protocol', 'TargetPort', 'PublishedPort', 'PublishMode']);
    if (p.Name !== undefined && p.Name !== '') no('Ports.Name is not allowed');
    // SCTP is left out: no lesson uses it, and it needs a kernel module the sandbox may lack.
    if (p.Protocol !== undefined && !PROTOCOLS.includes(p.Protocol as string)) no('only TCP and UDP ports may be published');
    // Ingress (the routing mesh) or host (bypassing it): both only in the range below.
    if (p.PublishMode !== undefined && !PUBLISH_MODES.includes(p.PublishMode as string)) no('ports may be published in ingress or host mode only');
    if (!isInt(p.TargetPort, 1, 65535)) no('Ports.TargetPort must be a port number');
    if (!isInt(p.PublishedPort, PUBLISHED_PORTS.min, PUBLISHED_PORTS.max)) {
      no(`published ports must be between ${PUBLISHED_PORTS.min} and ${PUBLISHED_PORTS.max}`);
    }
  }
}

/**
 * Returns why the spec is refused, or undefined when every field is allowed. `use` defaults
 * to the stricter 'create'; only an update may name BROKEN_UPDATE_IMAGES.
 */
export function serviceSpecProblem(spec: Json, opts: SpecPolicyOptions, use: SpecUse = 'create'): string | undefined {
  try {
    if (!isObject(spec)) return no('the service spec must be an object');
    onlyKeys(spec, '', ['Name', 'Labels', 'TaskTemplate', 'Mode', 'UpdateConfig', 'RollbackConfig', 'EndpointSpec']);
    // An empty name lets the daemon pick one, as `docker service create` without --name does.
    if (typeof spec.Name !== 'string' || (spec.Name !== '' && !NAME.test(spec.Name))) no(`service name ${JSON.stringify(spec.Name)} is not allowed`);
    checkLabels(spec.Labels, 'Labels');
    checkTaskTemplate(spec.TaskTemplate, opts, use);
    checkMode(spec.Mode);
    checkUpdateConfig(spec.UpdateConfig, 'UpdateConfig');
    checkUpdateConfig(spec.RollbackConfig, 'RollbackConfig');
    checkEndpoint(spec.EndpointSpec, opts);
    return undefined;
  } catch (e) {
    if (e instanceof Refused) return e.message;
    throw e;
  }
}
