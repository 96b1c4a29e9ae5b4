// The course's state from stored progress (src/client/course/course-state.ts), as the sidebar
// marks and the home page's course map show it: lessons finished, started, read, and where
// "continue" goes.
import { describe, expect, it } from 'vitest';
import { continueTarget, fill, lessonStates, stepCounts } from '../src/client/course/course-state.js';
import { lessons as allLessons } from '../content/lessons/index.js';

const lessons = allLessons.map((l) => ({ id: l.id, steps: l.steps.map((s) => s.id), optional: l.steps.filter((s) => s.optional).map((s) => s.id) }));
const at = (id: string): number => lessons.findIndex((l) => l.id === id);

function course(done: Record<string, string[]>, last?: string) {
  const states = lessonStates(lessons, (id) => new Set(done[id] ?? []), last);
  return { states, target: continueTarget(lessons, states, last) };
}

describe('lessonStates', () => {
  it('counts only the lesson\'s own steps; all of them done is finished', () => {
    const { states } = course({ 'add-nodes': ['join-worker1', 'gone-step'], 'create-swarm': ['init'] });
    expect(states[at('add-nodes')]).toEqual({ kind: 'started', done: 1, total: 2 });
    expect(states[at('create-swarm')]).toEqual({ kind: 'finished', total: 1 });
    expect(states[at('drain-node')]).toEqual({ kind: 'new', total: 2 });
  });

  it('a lesson without steps is read once it is the last opened or the learner went past it', () => {
    expect(course({}).states[at('overview')]!.kind).toBe('new');
    expect(course({}, 'overview').states[at('overview')]!.kind).toBe('read');
    expect(course({}, 'create-swarm').states[at('overview')]!.kind).toBe('read');
    // inspect-service: a later lesson with steps done counts, an earlier one does not.
    expect(course({ 'scale-service': ['scale'] }).states[at('inspect-service')]!.kind).toBe('read');
    expect(course({ 'deploy-service': ['create'] }, 'deploy-service').states[at('inspect-service')]!.kind).toBe('new');
  });
});

describe('optional steps', () => {
  // A made-up course, so the rule is tested whatever the real lessons mark optional.
  const course2 = [
    { id: 'a', steps: ['one', 'two', 'extra'], optional: ['extra'] },
    { id: 'b', steps: ['only'] },
  ];
  const states = (done: Record<string, string[]>) => lessonStates(course2, (id) => new Set(done[id] ?? []), undefined);

  it('stepCounts counts the optional steps apart, ignoring ids the lesson does not have', () => {
    expect(stepCounts(['one', 'two', 'extra'], ['extra'], new Set(['one', 'extra', 'gone']))).toEqual({ done: 1, total: 2, optionalDone: 1, optionalTotal: 1 });
    expect(stepCounts(['one'], undefined, new Set())).toEqual({ done: 0, total: 1, optionalDone: 0, optionalTotal: 0 });
  });

  it('a lesson is finished with its required steps done, its optional one not done', () => {
    expect(states({ a: ['one', 'two'] })[0]).toEqual({ kind: 'finished', total: 2 });
    expect(continueTarget(course2, states({ a: ['one', 'two'] }), 'a')).toEqual({ kind: 'continue', index: 1 });
  });

  it('an optional step done does not stand in for a required one, nor count in the total', () => {
    expect(states({ a: ['one', 'extra'] })[0]).toEqual({ kind: 'started', done: 1, total: 2 });
    expect(states({ a: ['one', 'two', 'extra'] })[0]).toEqual({ kind: 'finished', total: 2 });
  });

  it('the real lessons: rolling-update and drain-node are finished without their optional sections', () => {
    const rolling = lessons[at('rolling-update')]!;
    const drain = lessons[at('drain-node')]!;
    expect(rolling.optional.length).toBeGreaterThan(0);
    expect(drain.optional.length).toBeGreaterThan(0);
    const required = (l: typeof rolling): string[] => l.steps.filter((s) => !l.optional.includes(s));
    const { states: s } = course({ 'rolling-update': required(rolling), 'drain-node': required(drain) });
    expect(s[at('rolling-update')]).toEqual({ kind: 'finished', total: required(rolling).length });
    expect(s[at('drain-node')]).toEqual({ kind: 'finished', total: required(drain).length });
  });
});

describe('continueTarget', () => {
  it('nothing stored: start at the first lesson', () => {
    expect(course({}).target).toEqual({ kind: 'start', index: 0 });
  });

  it('the last lesson opened while it is not complete', () => {
    expect(course({ 'rolling-update': ['create'] }, 'rolling-update').target).toEqual({ kind: 'continue', index: at('rolling-update') });
    expect(course({}, 'drain-node').target).toEqual({ kind: 'continue', index: at('drain-node') });
  });

  it('once the last lesson is complete, the next incomplete one after it, else the first incomplete one', () => {
    expect(course({ 'create-swarm': ['init'] }, 'create-swarm').target).toEqual({ kind: 'continue', index: at('add-nodes') });
    // Progress without a last lesson (an older file, storage cleared in part): the first
    // incomplete one (the overview counts as read, the learner went past it).
    expect(course({ 'create-swarm': ['init'], 'scale-service': ['scale'] }).target).toEqual({ kind: 'continue', index: at('add-nodes') });
    const allButAddNodes = Object.fromEntries(lessons.filter((l) => l.id !== 'add-nodes').map((l) => [l.id, l.steps]));
    expect(course(allButAddNodes, 'drain-node').target).toEqual({ kind: 'continue', index: at('add-nodes') });
  });

  it('everything complete: review from the first lesson', () => {
    const all = Object.fromEntries(lessons.map((l) => [l.id, l.steps]));
    const { states, target } = course(all, 'drain-node');
    expect(states.every((s) => s.kind === 'finished' || s.kind === 'read')).toBe(true);
    expect(target).toEqual({ kind: 'review', index: 0 });
  });
});

it('fill leaves unknown placeholders as they are', () => {
  expect(fill('{done} of {total} steps done {x}', { done: 1, total: 4 })).toBe('1 of 4 steps done {x}');
});
