// The `docker service ls` columns for one service (docker/cli service/formatter.go serviceContext);
// the swarm view (engine/view/) takes its mode and replica counts from here too.
import type { PortConfig, Service } from '../../api/types.js';
import { displayImage } from './image-ref.js';
import { truncateId } from './ids.js';

export function serviceMode(s: Service): string {
  if (s.Spec.Mode.Global) return 'global';
  if (s.Spec.Mode.Replicated) return 'replicated';
  return '';
}

export function serviceReplicas(s: Service): string {
  const running = s.ServiceStatus?.RunningTasks ?? 0;
  const desired = s.ServiceStatus?.DesiredTasks ?? 0;
  const max = serviceMode(s) === 'replicated' ? (s.Spec.TaskTemplate.Placement?.MaxReplicas ?? 0) : 0;
  return max > 0 ? `${running}/${desired} (max ${max} per node)` : `${running}/${desired}`;
}

/** uint32 subtraction as Go does it (wraps instead of going negative). */
const u32sub = (a: number, b: number) => (a - b) >>> 0;

/** Ingress-published ports, consecutive ones merged into ranges. */
export function servicePorts(s: Service): string {
  const ports = s.Endpoint.Ports;
  if (!ports) return '';
  const sorted = [...ports].sort((a, b) => {
    const pa = a.Protocol ?? '';
    const pb = b.Protocol ?? '';
    if (pa === pb) return (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0);
    return pa < pb ? -1 : 1;
  });
  const out: string[] = [];
  let pr = { pStart: 0, pEnd: 0, tStart: 0, tEnd: 0, protocol: '' };
  const text = () => {
    const pub = pr.pEnd > pr.pStart ? `${pr.pStart}-${pr.pEnd}` : `${pr.pStart}`;
    const tgt = pr.tEnd > pr.tStart ? `${pr.tStart}-${pr.tEnd}` : `${pr.tStart}`;
    return `*:${pub}->${tgt}/${pr.protocol}`;
  };
  for (const p of sorted as PortConfig[]) {
    if (p.PublishMode !== 'ingress') continue;
    const published = p.PublishedPort ?? 0;
    const target = p.TargetPort ?? 0;
    const protocol = p.Protocol ?? '';
    const isRange = pr.tEnd !== pr.tStart;
    const overlaps = target <= pr.tEnd;
    if (protocol !== pr.protocol || u32sub(published, pr.pEnd) > 1 || u32sub(target, pr.tEnd) > 1 || (isRange && overlaps)) {
      if (pr.pStart > 0) out.push(text());
      pr = { pStart: published, pEnd: published, tStart: target, tEnd: target, protocol };
      continue;
    }
    pr.pEnd = published;
    pr.tEnd = target;
  }
  if (pr.pStart > 0) out.push(text());
  return out.join(', ');
}

/** The values the list template sees ({{.ID}}, {{.Name}}, ...). */
export function serviceListContext(s: Service): Record<string, string> {
  return {
    ID: truncateId(s.ID),
    Image: displayImage(s.Spec.TaskTemplate.ContainerSpec.Image),
    Mode: serviceMode(s),
    Name: s.Spec.Name,
    Ports: servicePorts(s),
    Replicas: serviceReplicas(s),
  };
}
