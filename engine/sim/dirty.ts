// swarmkit's IsTaskDirty (manager/orchestrator/task.go): whether a task no longer matches its
// service and so has to be replaced by the updater (and is left out of the CLI's `_up-to-date`
// poll). Kept apart from spec.ts because it reads the node the task runs on.
import type { ServiceSpec } from '../api/types.js';
import type { NodeRecord, TaskRecord } from './model.js';
import { constraintHolds } from './scheduler.js';
import { differsInPlacementOnly, endpointKey, sameTaskSpec } from './spec.js';

/**
 * Dirty when the task spec differs from the service's, unless only the placement differs and
 * the task's node meets the service's constraints (a new preference or a constraint its node
 * already meets moves nothing); or when the endpoint it was made with (published ports,
 * endpoint mode) differs from the service's, so `--publish-add` alone replaces every task.
 */
export function isTaskDirty(task: Pick<TaskRecord, 'spec' | 'endpoint'>, service: ServiceSpec, node: NodeRecord | undefined): boolean {
  const wanted = service.TaskTemplate;
  if (!sameTaskSpec(task.spec, wanted)) {
    const placementOnly = differsInPlacementOnly(task.spec, wanted);
    const fits = node !== undefined && (wanted.Placement?.Constraints ?? []).every((c) => constraintHolds(c, node));
    if (!(placementOnly && fits)) return true;
  }
  return task.endpoint !== service.EndpointSpec && endpointKey(task.endpoint) !== endpointKey(service.EndpointSpec);
}
