// Inspect a service: helloworld runs; the learner reads it with inspect, ps and docker ps.
// Reading changes nothing in the swarm, so there is no checked step. Where the task runs
// is the scheduler's choice, so the page says $TASK_NODE (see types.ts).
import { all, serviceRunning, threeNodes } from './checks.js';
import type { Lesson } from './types.js';

export const inspectService: Lesson = {
  id: 'inspect-service',
  setup: ['docker service create --detach --replicas 1 --name helloworld redis:7.4.0'],
  // One task, as the outputs the lesson shows (a helloworld scaled already reads differently).
  requires: all(threeNodes, serviceRunning('helloworld', { replicas: 1 })),
  vars: async (api): Promise<Record<string, string>> => {
    const [task] = await api.taskList({ service: ['helloworld'], 'desired-state': ['running'] });
    const node = task?.NodeID ? await api.nodeInspect(task.NodeID) : undefined;
    return node ? { TASK_NODE: node.Description.Hostname } : {};
  },
  steps: [],
};
