// The swarm view's model from the Engine API lists the docker CLI reads: `GET /nodes`,
// `GET /services?status=true` and `GET /tasks`, as SwarmApi returns them in the simulator and
// dockerode from a real daemon (the same JSON). Pure: no DOM, no Node, no clock of its own, so
// the worker and the local server derive the same model from the same lists. The names,
// images, errors, replica counts and manager statuses come from the CLI's own helpers
// (engine/cli/format/), so the view says what `docker service ps`, `service ls` and `node ls`
// say. Bad input (a field missing, a daemon of another version) never throws: what cannot be
// read is shown empty.
import type { Node, Service, Task } from '../api/types.js';
import { nodeDisplayName } from '../cli/id-resolver.js';
import { displayImage } from '../cli/format/image-ref.js';
import { naturalCompare } from '../cli/format/natural-sort.js';
import { managerStatus } from '../cli/format/node-fields.js';
import { serviceMode, serviceReplicas } from '../cli/format/service-row.js';
import { errorCell, orderTasks } from '../cli/format/task-fields.js';
import { timestampMs } from '../cli/format/time.js';
import type { SwarmViewModel, ViewNode, ViewService, ViewTask, ViewUpdate } from './model.js';
import { VIEW_MODEL_VERSION } from './model.js';
import { STOPPED } from './states.js';

/** Which services are Swarm Lab's: those carrying a label key, or those a predicate accepts. */
export type OursRule = { label: string } | ((service: Service) => boolean);

export interface SwarmViewInput {
  nodes: readonly Node[];
  /** Listed with `status: true`, so ServiceStatus holds the counts `docker service ls` prints. */
  services: readonly Service[];
  tasks: readonly Task[];
  /** Hostname of the machine the shell is on (`ssh`); none marked when absent. */
  self?: string;
  /** The swarm's current time, ms since the epoch. */
  now: number;
  /** Every service is ours without a rule (the simulator's swarm is all Swarm Lab's). */
  ours?: OursRule;
  /**
   * false: tasks `docker service ps` prints under ` \_ ` whose container has stopped are left
   * out (counted in historyOmitted), so a view that does not show them does not receive them;
   * one still running while it is stopped stays (it is still there, fading). Default true.
   */
  history?: boolean;
}

/** States a task's container has exited in (after running, or never got to run). */
const EXITED = new Set(['complete', 'shutdown', 'failed', 'orphaned', 'remove']);

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const lower = (v: unknown): string => text(v).toLowerCase();

function ms(s: unknown): number | undefined {
  if (typeof s !== 'string' || s === '') return undefined;
  try {
    const t = timestampMs(s);
    return Number.isFinite(t) ? t : undefined;
  } catch {
    return undefined;
  }
}

/** A task whose naming fields have the API's types as it is; another one with them read as empty. */
function wellTyped(t: Task): Task {
  const slotOk = t.Slot === undefined || (typeof t.Slot === 'number' && Number.isFinite(t.Slot));
  const nodeOk = t.NodeID === undefined || typeof t.NodeID === 'string';
  if (slotOk && nodeOk && typeof t.ServiceID === 'string') return t;
  return { ...t, Slot: slotOk ? t.Slot : 0, NodeID: nodeOk ? t.NodeID : '', ServiceID: text(t.ServiceID) } as Task;
}

function oursTest(rule: OursRule | undefined): (s: Service) => boolean {
  if (rule === undefined) return () => true;
  if (typeof rule === 'function') {
    return (s) => {
      try {
        return rule(s) === true;
      } catch {
        return false;
      }
    };
  }
  return (s) => Object.prototype.hasOwnProperty.call(s.Spec?.Labels ?? {}, rule.label);
}

function deriveNode(n: Node, self: string | undefined): ViewNode {
  const hostname = text(n.Description?.Hostname);
  return {
    id: text(n.ID),
    hostname,
    name: nodeDisplayName({ ID: text(n.ID), Spec: { Name: text(n.Spec?.Name) }, Description: { Hostname: hostname } } as Node),
    role: n.Spec?.Role === 'manager' ? 'manager' : 'worker',
    managerStatus: n.ManagerStatus
      ? managerStatus({ ManagerStatus: { Leader: n.ManagerStatus.Leader === true, Reachability: text(n.ManagerStatus.Reachability) as 'reachable', Addr: '' } })
      : '',
    availability: lower(n.Spec?.Availability),
    status: lower(n.Status?.State),
    self: self !== undefined && hostname === self,
  };
}

function deriveUpdate(s: Service): ViewUpdate | undefined {
  const u = s.UpdateStatus;
  if (!u || !u.State) return undefined;
  const out: ViewUpdate = { state: text(u.State), message: text(u.Message) };
  const started = ms(u.StartedAt);
  if (started !== undefined) out.startedAt = started;
  const completed = ms(u.CompletedAt);
  if (completed !== undefined) out.completedAt = completed;
  return out;
}

/**
 * ServiceStatus when the daemon sent it (listed with status=true: what `docker service ls`
 * prints); otherwise counted from the tasks as the daemon counts them: tasks running, and
 * for a global service every task not meant to shut down.
 */
function counts(s: Service, tasks: readonly Task[] | undefined): { running: number; desired: number } {
  const st = s.ServiceStatus;
  if (st && Number.isFinite(st.RunningTasks) && Number.isFinite(st.DesiredTasks)) {
    return { running: st.RunningTasks, desired: st.DesiredTasks };
  }
  let running = 0;
  let desiredGlobal = 0;
  for (const t of tasks ?? []) {
    if (t.Status?.State === 'running') running++;
    if (t.DesiredState !== 'shutdown' && t.DesiredState !== 'remove') desiredGlobal++;
  }
  const replicas = s.Spec?.Mode?.Replicated?.Replicas;
  return { running, desired: s.Spec?.Mode?.Global ? desiredGlobal : typeof replicas === 'number' ? replicas : 1 };
}

function deriveService(s: Service, ours: boolean, tasks: readonly Task[] | undefined): ViewService {
  const { running, desired } = counts(s, tasks);
  // service ls reads REPLICAS from ServiceStatus: give it the counts it would have had.
  const withStatus = { ...s, ServiceStatus: { RunningTasks: running, DesiredTasks: desired, CompletedTasks: 0 } } as Service;
  const view: ViewService = {
    id: text(s.ID),
    name: text(s.Spec?.Name),
    mode: s.Spec?.Mode ? serviceMode(s) : '',
    replicas: safe(() => serviceReplicas(withStatus), `${running}/${desired}`),
    running,
    desired,
    image: displayImage(text(s.Spec?.TaskTemplate?.ContainerSpec?.Image)),
    ours,
  };
  const update = deriveUpdate(s);
  if (update) view.update = update;
  return view;
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** The swarm as the view draws it, from the Engine API's node, service and task lists. */
export function deriveSwarmView(input: SwarmViewInput): SwarmViewModel {
  const isOurs = oursTest(input.ours);
  const wellFormed = <T>(list: readonly T[] | undefined): T[] =>
    Array.isArray(list) ? list.filter((x): x is T => typeof x === 'object' && x !== null) : [];
  const nodeList = wellFormed(input.nodes);
  const serviceList = wellFormed(input.services);
  const taskList = wellFormed(input.tasks).filter((t) => typeof t.ID === 'string').map(wellTyped);

  const nodes = nodeList.map((n) => deriveNode(n, input.self));
  nodes.sort((a, b) => naturalCompare(a.hostname, b.hostname));
  const nodeIds = new Set(nodes.map((n) => n.id));

  const tasksByService = new Map<string, Task[]>();
  for (const t of taskList) {
    let list = tasksByService.get(t.ServiceID);
    if (!list) tasksByService.set(t.ServiceID, (list = []));
    list.push(t);
  }
  const services = serviceList.map((s) => deriveService(s, isOurs(s), tasksByService.get(s.ID)));
  services.sort((a, b) => naturalCompare(a.name, b.name));
  const byId = new Map(services.map((s) => [s.id, s]));

  // idresolver: a service that is gone is printed by its ID.
  const serviceName = (id: string): string => byId.get(id)?.name ?? text(id);
  const withHistory = input.history !== false;
  const tasks: ViewTask[] = [];
  let historyOmitted = 0;
  const gone = new Map<string, ViewNode>();
  const ordered = orderTasks(taskList, serviceName);
  let newest: ViewTask | undefined;
  for (let i = 0; i < ordered.length; i++) {
    const { task, name, history } = ordered[i]!;
    if (history) {
      // The row under the current task: what it replaced (read before the row may be left out).
      if (newest && ordered[i - 1]?.history === false && ordered[i - 1]?.name === name) {
        const image = displayImage(text(task.Spec?.ContainerSpec?.Image));
        if (image !== newest.image) newest.previousImage = image;
      }
      if (!withHistory && STOPPED.has(lower(task.Status?.State))) {
        historyOmitted++;
        continue;
      }
    }
    const node = text(task.NodeID);
    if (node !== '' && !nodeIds.has(node) && !gone.has(node)) {
      // idresolver prints the ID of a node it cannot find; the view gives it a column of that name.
      gone.set(node, { id: node, hostname: node, name: node, role: 'worker', managerStatus: '', availability: '', status: '', self: false, gone: true });
    }
    const status = task.Status ?? ({} as Task['Status']);
    const view: ViewTask = {
      id: task.ID,
      name,
      service: text(task.ServiceID),
      slot: typeof task.Slot === 'number' ? task.Slot : 0,
      node,
      image: displayImage(text(task.Spec?.ContainerSpec?.Image)),
      desired: lower(task.DesiredState),
      state: lower(status.State),
      since: ms(status.Timestamp) ?? 0,
      err: text(status.Err),
      error: errorCell(text(status.Err), true),
      history,
      ours: byId.get(task.ServiceID)?.ours ?? true,
    };
    // A running container reports ExitCode 0 as well: only an exited one has an exit code to show.
    const exit = status.ContainerStatus?.ExitCode;
    if (typeof exit === 'number' && EXITED.has(view.state)) view.exitCode = exit;
    tasks.push(view);
    if (!history) newest = view;
  }
  return {
    version: VIEW_MODEL_VERSION,
    now: input.now,
    nodes: gone.size > 0 ? [...nodes, ...gone.values()] : nodes,
    services,
    tasks,
    historyOmitted,
  };
}

export { nodeNames } from './names.js';
