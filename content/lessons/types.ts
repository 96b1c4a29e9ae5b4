// What a lesson is, independent of its language. The prose lives in MDX, one file per
// locale (content/docs/lessons/<id>.mdx, content/docs/zh-cn/lessons/<id>.mdx); this metadata
// is shared by both, so progress kept per lesson id is the same in either language.
//
// Conventions the MDX follows (test/lessons.test.ts reads them):
//  - A step starts where the MDX has `<Step id="<step id>" />` (src/components/Step.astro).
//    Both languages list the same step ids in the same order as `Lesson.steps`.
//  - Every command the learner types is alone in a ```sh block (one command per block, so a
//    Run button can type it). Every block of output is a ```text block and is never run.
//  - A command may contain `$NAME` placeholders for values only the running swarm knows
//    (the join token). `Lesson.vars` gives their values; hosts substitute them with
//    `expandVars` (content/lessons/run.ts) before typing a command or a solution line. The
//    simulated shell itself has no variables or `$(...)`.
import type { SwarmApi } from '../../engine/api/swarm-api.js';

export const LESSON_IDS = [
  'overview',
  'create-swarm',
  'add-nodes',
  'deploy-service',
  'inspect-service',
  'scale-service',
  'delete-service',
  'rolling-update',
  'drain-node',
  'routing-mesh',
] as const;

export type LessonId = (typeof LESSON_IDS)[number];

/** A reason key is localized in content/i18n/en.json and zh-CN.json; params fill its {placeholders}. */
export interface CheckReason {
  key: string;
  params?: Record<string, string | number>;
}

export type CheckResult = { ok: true } | { ok: false; reason: CheckReason };

/**
 * A check asserts cluster state. `api` is a connection to the lesson's first manager (the
 * leader, manager1 in the default topology), whichever node the learner's shell is on.
 */
export type Check = (api: SwarmApi) => Promise<CheckResult>;

export interface LessonStep {
  id: string;
  /** Shell lines that complete the step from the state the previous steps left (may use `$NAME` vars). */
  solution: string[];
  check: Check;
  /**
   * An optional step (a section that goes further, e.g. a node failing mid-update): its marker
   * shows done or not and its hints work, but the lesson is complete without it, and progress
   * counts it apart ("2 of 2 steps done · optional 0 of 1"). Optional steps come after the
   * required ones they build on; one left undone never holds back a later step.
   */
  optional?: boolean;
}

export interface Lesson {
  id: LessonId;
  /** Topology spec (engine/sim/topology.ts); default manager1,worker1,worker2. */
  topology?: string;
  /** false: the machines exist but no swarm has been created yet. Default true. */
  swarm?: boolean;
  /**
   * Shell lines run silently on a fresh simulated swarm (on the first manager) to reach the
   * lesson's start state. They may leave the swarm converging (`--detach`): hosts let the
   * clock run (realtime) or advance it (instant mode, see `settle` in run.ts) before the learner starts.
   */
  setup: string[];
  /**
   * What the lesson needs from the swarm it starts on, as an assertion like the checks. A
   * learner arriving with a swarm of their own (the terminal used in an earlier lesson) keeps
   * it when it meets this; otherwise the page says what differs and offers the lesson's start
   * state. The lesson's own start state always meets it (test/lessons.test.ts).
   */
  requires: Check;
  /** Values for `$NAME` placeholders in commands and solutions, read from the running swarm. */
  vars?: (api: SwarmApi) => Promise<Record<string, string>>;
  steps: LessonStep[];
}
