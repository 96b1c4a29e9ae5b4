// `docker service inspect --pretty`: docker/cli's serviceInspectPrettyTemplate rendered for
// the fields this engine models. Raw tabs and the odd space-aligned lines are as Docker
// prints them; the block starts with an empty line and each service is followed by one.
import type { Service } from '../../../api/types.js';
import type { UpdateConfig } from '../../../api/types.js';
import { goDuration } from '../../format/go-duration.js';
import { agoCapitalised } from '../../format/human-duration.js';
import { timestampMs } from '../../format/time.js';
import { bytesSize, nanoCpus } from '../../format/units.js';

/** Go's %v of a float32 ratio: shortest form that round-trips as float32. */
function float32Text(v: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === Math.fround(v)) return String(s);
  }
  return String(v);
}

function configBlock(title: string, orderLabel: string, c: UpdateConfig): string {
  let out = `\n${title}:\n Parallelism:\t${c.Parallelism}`;
  if ((c.Delay ?? 0) > 0) out += `\n Delay:\t\t${goDuration(c.Delay ?? 0)}`;
  out += `\n On failure:\t${c.FailureAction ?? ''}`;
  if ((c.Monitor ?? 0) > 0) out += `\n Monitoring Period: ${goDuration(c.Monitor ?? 0)}`;
  out += `\n Max failure ratio: ${float32Text(c.MaxFailureRatio)}`;
  out += `\n ${orderLabel}${c.Order ?? ''}`;
  return out;
}

export function prettyService(s: Service, nowMs: number): string {
  const spec = s.Spec;
  const task = spec.TaskTemplate;
  const cs = task.ContainerSpec;
  let out = `\nID:\t\t${s.ID}\nName:\t\t${spec.Name}`;
  const labels = Object.keys(spec.Labels ?? {}).sort();
  if (labels.length > 0) {
    out += '\nLabels:';
    for (const k of labels) {
      const v = spec.Labels[k] ?? '';
      out += `\n ${k}${v !== '' ? '=' + v : ''}`;
    }
  }
  out += '\nService Mode:';
  if (spec.Mode.Global) out += '\tGlobal';
  else if (spec.Mode.Replicated) {
    out += '\tReplicated';
    if (spec.Mode.Replicated.Replicas !== undefined) out += `\n Replicas:\t${spec.Mode.Replicated.Replicas}`;
  }
  const st = s.UpdateStatus;
  if (st && st.State) {
    out += `\nUpdateStatus:\n State:\t\t${st.State}`;
    if (st.StartedAt) out += `\n Started:\t${agoCapitalised(nowMs - timestampMs(st.StartedAt))}`;
    if (st.State === 'completed' && st.CompletedAt) {
      out += `\n Completed:\t${agoCapitalised(nowMs - timestampMs(st.CompletedAt))}`;
    }
    out += `\n Message:\t${st.Message}`;
  }
  out += '\nPlacement:';
  const constraints = task.Placement?.Constraints ?? [];
  if (constraints.length > 0) out += `\n Constraints:\t[${constraints.join(' ')}]`;
  const prefs = (task.Placement?.Preferences ?? []).flatMap((p) => (p.Spread ? [`spread=${p.Spread.SpreadDescriptor}`] : []));
  if (prefs.length > 0) out += `\n Preferences:   [${prefs.join(' ')}]`;
  const maxReplicas = task.Placement?.MaxReplicas ?? 0;
  if (maxReplicas > 0) out += `\n Max Replicas Per Node:   ${maxReplicas}`;
  if (spec.UpdateConfig) out += configBlock('UpdateConfig', 'Update order:      ', spec.UpdateConfig);
  if (spec.RollbackConfig) out += configBlock('RollbackConfig', 'Rollback order:    ', spec.RollbackConfig);
  out += `\nContainerSpec:\n Image:\t\t${cs.Image}`;
  if (cs.Args && cs.Args.length > 0) out += `\n Args:\t\t${cs.Args.map((a) => a + ' ').join('')}`;
  if (cs.Env && cs.Env.length > 0) out += `\n Env:\t\t${cs.Env.map((e) => e + ' ').join('')}`;
  if (cs.Init !== undefined) out += `\n Init:\t\t${cs.Init}`;
  const res = task.Resources;
  if (res) {
    out += '\nResources:';
    const r = res.Reservations ?? {};
    if ((r['NanoCPUs'] ?? 0) > 0 || (r['MemoryBytes'] ?? 0) > 0) {
      out += '\n Reservations:';
      if ((r['NanoCPUs'] ?? 0) > 0) out += `\n  CPU:\t\t${nanoCpus(r['NanoCPUs'] ?? 0)}`;
      if (r['MemoryBytes']) out += `\n  Memory:\t${bytesSize(r['MemoryBytes'])}`;
    }
    const l = res.Limits ?? {};
    if ((l['NanoCPUs'] ?? 0) > 0 || (l['MemoryBytes'] ?? 0) > 0 || (l['Pids'] ?? 0) > 0) {
      out += '\n Limits:';
      if ((l['NanoCPUs'] ?? 0) > 0) out += `\n  CPU:\t\t${nanoCpus(l['NanoCPUs'] ?? 0)}`;
      if (l['MemoryBytes']) out += `\n  Memory:\t${bytesSize(l['MemoryBytes'])}`;
    }
    if ((l['Pids'] ?? 0) > 0) out += `\n  PIDs:\t\t${l['Pids']}`;
  }
  out += `\nEndpoint Mode:\t${spec.EndpointSpec?.Mode ?? ''}`;
  const ports = s.Endpoint.Ports ?? [];
  if (ports.length > 0) {
    out += '\nPorts:';
    for (const p of ports) {
      out += `\n PublishedPort = ${p.PublishedPort ?? 0}\n  Protocol = ${p.Protocol ?? ''}\n  TargetPort = ${p.TargetPort ?? 0}\n  PublishMode = ${p.PublishMode ?? ''}`;
    }
    out += ' ';
  }
  const hc = cs.Healthcheck;
  if (hc) {
    // Durations print as Go's time.Duration (0s when unset); the Tests lines start with a tab.
    out += `\n Healthcheck:\n  Interval = ${goDuration(hc.Interval ?? 0)}\n  Retries = ${hc.Retries ?? 0}`;
    out += `\n  StartPeriod =\t${goDuration(hc.StartPeriod ?? 0)}\n  Timeout =\t${goDuration(hc.Timeout ?? 0)}`;
    if (hc.Test && hc.Test.length > 0) out += `\n  Tests:${hc.Test.map((t) => `\n\t Test = ${t}`).join('')} `;
  }
  // Template's own trailing newline, then the formatter's newline after each object.
  return out + '\n\n';
}
