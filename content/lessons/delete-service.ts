// Delete a service: the five helloworld tasks from the scale lesson go away with the service.
import { serviceAbsent, serviceExists } from './checks.js';
import type { Lesson } from './types.js';

export const deleteService: Lesson = {
  id: 'delete-service',
  setup: ['docker service create --detach --replicas 5 --name helloworld redis:7.4.0'],
  requires: serviceExists('helloworld'),
  steps: [
    {
      id: 'remove',
      solution: ['docker service rm helloworld'],
      check: serviceAbsent('helloworld'),
    },
  ],
};
