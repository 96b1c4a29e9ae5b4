// Drain a node: redis runs three tasks; draining worker1 moves its task elsewhere, and
// making it active again lets it take new tasks (nothing moves back by itself). The checks
// are about the drain, not the image: after rolling-update, redis runs 7.4.1, which is fine.
import { all, noTasksOn, nodeAvailability, serviceRunning, threeNodes } from './checks.js';
import type { Lesson } from './types.js';

export const drainNode: Lesson = {
  id: 'drain-node',
  setup: ['docker service create --detach --replicas 3 --name redis --update-delay 10s redis:7.4.0'],
  requires: all(threeNodes, nodeAvailability('worker1', 'active'), serviceRunning('redis', { replicas: 3 })),
  steps: [
    {
      id: 'drain',
      solution: ['docker node update --availability drain worker1'],
      check: all(
        nodeAvailability('worker1', 'drain'),
        noTasksOn('redis', 'worker1'),
        serviceRunning('redis', { replicas: 3 }),
      ),
    },
    {
      id: 'activate',
      solution: ['docker node update --availability active worker1'],
      check: nodeAvailability('worker1', 'active'),
    },
  ],
};
