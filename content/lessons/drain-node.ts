// Drain a node: redis runs three tasks; draining worker1 moves its task elsewhere, and
// making it active again lets it take new tasks (nothing moves back by itself).
import { all, noTasksOn, nodeAvailability, serviceRunning } from './checks.js';
import type { Lesson } from './types.js';

export const drainNode: Lesson = {
  id: 'drain-node',
  setup: ['docker service create --detach --replicas 3 --name redis --update-delay 10s redis:7.4.0'],
  steps: [
    {
      id: 'drain',
      solution: ['docker node update --availability drain worker1'],
      check: all(
        nodeAvailability('worker1', 'drain'),
        noTasksOn('redis', 'worker1'),
        serviceRunning('redis', { replicas: 3, image: 'redis:7.4.0' }),
      ),
    },
    {
      id: 'activate',
      solution: ['docker node update --availability active worker1'],
      check: nodeAvailability('worker1', 'active'),
    },
  ],
};
