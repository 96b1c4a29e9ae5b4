// Overview: what a swarm is and how the lab works. The learner looks around a ready-made
// three-node swarm; nothing to change yet, so no checked steps.
import { threeNodes } from './checks.js';
import type { Lesson } from './types.js';

export const overview: Lesson = {
  id: 'overview',
  setup: [],
  requires: threeNodes,
  steps: [],
};
