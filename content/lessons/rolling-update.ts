// Rolling update (the flagship): redis 7.4.0 with a 10 s update delay, rolled to 7.4.1
// one task at a time, then an update to a tag that does not exist pauses, and a rollback
// brings back 7.4.1.
import { all, serviceAbsent, serviceRunning, specImage, threeNodes, updateState } from './checks.js';
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
  ],
};
