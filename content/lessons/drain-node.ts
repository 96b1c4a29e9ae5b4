// Drain a node: redis runs three tasks; draining worker1 moves its task elsewhere, and
// making it active again lets it take new tasks (nothing moves back by itself). The checks
// are about the drain, not the image: after rolling-update, redis runs 7.4.1, which is fine,
// and so is an update that rolling-update's optional section left paused (three tasks of
// redis running, of whichever image, is what the drain needs).
// Optional: the same node work lost without warning (`lab node stop worker2`, Swarm Lab's own
// builtin): the node turns Down after the heartbeat grace period while its availability stays
// Active, its task is replaced elsewhere, and once it is back its old task reports Shutdown.
// worker2, not worker1: after the drain and activate, worker1 runs nothing (nothing moves back).
import { all, noTasksOn, nodeAvailability, nodeReady, nodeState, nothingRunningOn, tasksRunning, threeNodes } from './checks.js';
import type { Lesson } from './types.js';

export const drainNode: Lesson = {
  id: 'drain-node',
  setup: ['docker service create --detach --replicas 3 --name redis --update-delay 10s redis:7.4.0'],
  requires: all(threeNodes, nodeAvailability('worker1', 'active'), tasksRunning('redis', 3)),
  steps: [
    {
      id: 'drain',
      solution: ['docker node update --availability drain worker1'],
      check: all(
        nodeAvailability('worker1', 'drain'),
        noTasksOn('redis', 'worker1'),
        tasksRunning('redis', 3),
      ),
    },
    {
      id: 'activate',
      solution: ['docker node update --availability active worker1'],
      check: nodeAvailability('worker1', 'active'),
    },
    {
      id: 'node-down',
      optional: true,
      solution: ['lab node stop worker2'],
      check: all(
        nodeState('worker2', 'down'),
        nodeAvailability('worker2', 'active'),
        noTasksOn('redis', 'worker2'),
        tasksRunning('redis', 3),
      ),
    },
    {
      id: 'node-back',
      optional: true,
      solution: ['lab node start worker2'],
      check: all(nodeReady('worker2'), nothingRunningOn('redis', 'worker2'), tasksRunning('redis', 3)),
    },
  ],
};
