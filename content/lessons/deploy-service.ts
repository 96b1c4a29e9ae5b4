// Deploy a service: one replica of a small Redis server (redis:7.4.0, the image's own
// command) on the three-node swarm. Redis rather than alpine pinging docker.com because the
// real swarm of local mode has only redis:7.4.0 and redis:7.4.1 and runs no other command.
import { all, serviceAbsent, serviceRunning, threeNodes } from './checks.js';
import type { Lesson } from './types.js';

export const deployService: Lesson = {
  id: 'deploy-service',
  setup: [],
  requires: all(threeNodes, serviceAbsent('helloworld')),
  steps: [
    {
      id: 'create',
      solution: ['docker service create --replicas 1 --name helloworld redis:7.4.0'],
      // No command of its own (args []): the image's redis-server runs, as on the real swarm.
      check: serviceRunning('helloworld', { replicas: 1, image: 'redis:7.4.0', args: [] }),
    },
  ],
};
