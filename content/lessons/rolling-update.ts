// Rolling update (the flagship): redis 7.4.0 with a 10 s update delay, rolled to 7.4.1
// one task at a time, then an update to a tag that does not exist pauses, and a rollback
// brings back 7.4.1. Optional: a node dies mid-update (`lab node stop worker2`, Swarm Lab's
// own builtin): the update goes on around it and completes on the other nodes, and the node
// comes back empty. The checks read only the swarm as it is, so they ask for end states
// (worker2 Down, three tasks running elsewhere while the spec says 7.4.0; then worker2 Ready
// with none of its old containers running), not for the moment it died.
import { all, nodeReady, nodeState, noTasksOn, nothingRunningOn, serviceAbsent, serviceRunning, specImage, tasksRunning, threeNodes, updateState } from './checks.js';
import type { Lesson } from './types.js';

export const rollingUpdate: Lesson = {
  id: 'rolling-update',
  setup: [],
  requires: all(threeNodes, serviceAbsent('redis')),
  steps: [
    {
      id: 'create',
      solution: ['docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0'],
      check: serviceRunning('redis', { replicas: 3, image: 'redis:7.4.0', updateDelaySeconds: 10 }),
    },
    {
      id: 'update',
      // Detached, so the learner can watch `docker service ps redis` while it rolls.
      solution: ['docker service update --detach --image redis:7.4.1 redis'],
      check: all(serviceRunning('redis', { replicas: 3, image: 'redis:7.4.1' }), updateState('redis', 'completed')),
    },
    {
      id: 'break',
      solution: ['docker service update --image redis:9.9.9 redis'],
      check: all(specImage('redis', 'redis:9.9.9'), updateState('redis', 'paused')),
    },
    {
      id: 'rollback',
      solution: ['docker service rollback redis'],
      check: all(
        specImage('redis', 'redis:7.4.1'),
        updateState('redis', 'rollback_completed'),
        serviceRunning('redis', { replicas: 3, image: 'redis:7.4.1' }),
      ),
    },
    {
      // The swarm healed around the dead node: whatever the update could do meanwhile (it
      // waits if worker2 held the new task it was starting), three tasks run, none on worker2.
      id: 'node-down',
      optional: true,
      solution: ['docker service update --detach --image redis:7.4.0 redis', 'lab node stop worker2'],
      check: all(specImage('redis', 'redis:7.4.0'), nodeState('worker2', 'down'), noTasksOn('redis', 'worker2'), tasksRunning('redis', 3)),
    },
    {
      // Back and Ready, none of its old containers running, the service whole. Not "7.4.0
      // everywhere": an update that waited on worker2's task pauses once that task reports
      // Shutdown, and resuming it is the page's suggestion, not what the step is about.
      id: 'node-back',
      optional: true,
      solution: ['lab node start worker2'],
      check: all(nodeReady('worker2'), nothingRunningOn('redis', 'worker2'), tasksRunning('redis', 3)),
    },
  ],
};
