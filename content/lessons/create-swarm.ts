// Create a swarm: three machines with Docker and no swarm; manager1 initialises one.
import { all, noSwarmYet, nodeReady, swarmActive } from './checks.js';
import type { Lesson } from './types.js';

export const createSwarm: Lesson = {
  id: 'create-swarm',
  swarm: false,
  setup: [],
  requires: noSwarmYet,
  steps: [
    {
      id: 'init',
      solution: ['docker swarm init --advertise-addr 192.168.99.100'],
      check: all(swarmActive, nodeReady('manager1')),
    },
  ],
};
