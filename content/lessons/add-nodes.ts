// Add nodes: manager1 has a one-node swarm; worker1 and worker2 join it with the worker
// token. The token is random per swarm, so commands say $WORKER_TOKEN (see types.ts).
import { all, nodeNotJoined, nodeReady, swarmActive } from './checks.js';
import type { Lesson } from './types.js';

export const addNodes: Lesson = {
  id: 'add-nodes',
  swarm: false,
  setup: ['docker swarm init --advertise-addr 192.168.99.100'],
  requires: all(swarmActive, nodeReady('manager1'), nodeNotJoined('worker1'), nodeNotJoined('worker2')),
  vars: async (api) => {
    const swarm = await api.swarmInspect();
    return { WORKER_TOKEN: swarm.JoinTokens.Worker };
  },
  steps: [
    {
      id: 'join-worker1',
      solution: ['ssh worker1', 'docker swarm join --token $WORKER_TOKEN 192.168.99.100:2377', 'exit'],
      check: nodeReady('worker1'),
    },
    {
      id: 'join-worker2',
      solution: ['ssh worker2', 'docker swarm join --token $WORKER_TOKEN 192.168.99.100:2377', 'exit'],
      check: nodeReady('worker2'),
    },
  ],
};
