// All lessons, in the order of the sidebar.
import { addNodes } from './add-nodes.js';
import { createSwarm } from './create-swarm.js';
import { deleteService } from './delete-service.js';
import { deployService } from './deploy-service.js';
import { drainNode } from './drain-node.js';
import { inspectService } from './inspect-service.js';
import { overview } from './overview.js';
import { rollingUpdate } from './rolling-update.js';
import { routingMesh } from './routing-mesh.js';
import { scaleService } from './scale-service.js';
import type { Lesson, LessonId } from './types.js';

export const lessons: readonly Lesson[] = [
  overview,
  createSwarm,
  addNodes,
  deployService,
  inspectService,
  scaleService,
  deleteService,
  rollingUpdate,
  drainNode,
  routingMesh,
];

export function lessonById(id: string): Lesson | undefined {
  return lessons.find((l) => l.id === id);
}

export type { Lesson, LessonId };
