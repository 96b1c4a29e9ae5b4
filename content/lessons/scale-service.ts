// Scale a service: helloworld goes from one task to five, spread over the three nodes.
import { all, serviceExists, serviceRunning, threeNodes } from './checks.js';
import type { Lesson } from './types.js';

export const scaleService: Lesson = {
  id: 'scale-service',
  setup: ['docker service create --detach --replicas 1 --name helloworld redis:7.4.0'],
  requires: all(threeNodes, serviceExists('helloworld')),
  steps: [
    {
      id: 'scale',
      solution: ['docker service scale helloworld=5'],
      check: serviceRunning('helloworld', { replicas: 5, image: 'redis:7.4.0' }),
    },
  ],
};
