// Deploy a service: one replica of alpine pinging docker.com on the three-node swarm.
import { serviceRunning } from './checks.js';
import type { Lesson } from './types.js';

export const deployService: Lesson = {
  id: 'deploy-service',
  setup: [],
  steps: [
    {
      id: 'create',
      solution: ['docker service create --replicas 1 --name helloworld alpine ping docker.com'],
      check: serviceRunning('helloworld', { replicas: 1, image: 'alpine:latest', args: ['ping', 'docker.com'] }),
    },
  ],
};
