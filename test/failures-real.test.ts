// Injected failures on the simulated swarm against captures of the same failures on a real
// 3-node swarm (test/fixtures/real/<name>.json, made by scripts/capture-real.mjs from
// test/fixtures/walkthroughs/<name>.sh: a node's dockerd stopped and started, `docker kill`
// of a task's container, managers stopped). As in walkthrough-real.test.ts, the simulation
// replays the capture's timeline — each line starts at the offset it started at on the real
// swarm — and every docker command must print what real docker printed once IDs, ages and
// the registry warning are masked (test/helpers/normalize.ts). On top of that: the sandbox's
// socket path is the default one, `docker info` is compared on its client part and its Swarm
// section (the rest describes the sandbox's machine), and where a real swarm's outcome is
// chance (which manager wins an election) the table says "a manager" for either.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { wideScreen } from './helpers/wide-screen.js';
import { Session } from '../engine/session.js';
import { logicalLines } from '../engine/shell/words.js';
import { normaliser } from './helpers/normalize.js';

interface Captured {
  entries: { command: string; output: string; exitCode: number; startedAtMs: number; durationMs: number }[];
}

const CAPTURES = ['node-failure', 'task-kill', 'update-kill', 'manager-failure', 'leader-failure', 'quorum-loss', 'update-node-down'] as const;

const load = (name: string): Captured => JSON.parse(readFileSync(new URL(`./fixtures/real/${name}.json`, import.meta.url), 'utf8')) as Captured;
/**
 * Another capture of the same walkthrough, where the real swarm's outcome is chance: in
 * quorum-loss the leader steps down 10-20 s after losing its quorum (CheckQuorum), so the
 * `docker node ls` 24 s after it either waited 20 s and timed out (the request came within
 * 10 s of the step-down) or was refused at once. Each command must print what one of them did.
 */
const ALTERNATIVES: Record<string, string> = { 'quorum-loss': 'quorum-loss.alt' };
const script = (name: string): string[] =>
  logicalLines(readFileSync(new URL(`./fixtures/walkthroughs/${name}.sh`, import.meta.url), 'utf8')).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));

const screen = wideScreen;

async function simulate(name: string, real: Captured, seed: number) {
  const session = new Session({ seed, mode: 'instant' });
  const t0 = session.sim.clock.now;
  const signal = new AbortController().signal;
  const out: { command: string; output: string; exitCode: number }[] = [];
  for (const [i, line] of script(name).entries()) {
    const r = real.entries[i];
    // The capture's `lab task kill` looked the task up first: its docker kill came at the end.
    const target = t0 + (r ? r.startedAtMs + (line.startsWith('lab task kill') ? r.durationMs : 0) : 0);
    if (session.sim.clock.now < target) session.advance(target - session.sim.clock.now);
    let output = '';
    const sink = { write: (s: string) => void (output += s) };
    const exitCode = await session.run(line, { stdout: sink, stderr: sink, tty: true, columns: 80, signal });
    out.push({ command: line, output, exitCode });
  }
  return out;
}

/** The sandbox runs each node's dockerd on a socket of its own; a node's default is /var/run/docker.sock. */
const defaultSocket = (raw: string): string => raw.replace(/unix:\/\/\/run\/sw3\/[a-z0-9]+\/docker\.sock/g, 'unix:///var/run/docker.sock');

/** `docker info`: the client part, then the Swarm section only (the rest is the machine's). */
function infoParts(text: string): string {
  const lines = text.split('\n');
  const swarm = lines.findIndex((l) => l.startsWith(' Swarm: '));
  if (swarm < 0) return text;
  const end = lines.findIndex((l, i) => i > swarm && /^ \S/.test(l));
  const server = lines.indexOf('Server:');
  return [...lines.slice(0, server + 1), ...lines.slice(swarm, end < 0 ? undefined : end)].join('\n');
}

/**
 * A replacement waiting out its restart delay (desired Ready) is somewhere between New and Ready
 * in its first second, on the scheduler's and the agent's sub-second steps, which two swarms
 * never take in the same time: in task tables it reads "<starting>", wherever it is.
 */
const startingRows = (raw: string): string =>
  raw.replace(/^(\S+ +(?:\\_ )?\S+ +\S+ +)(?:(?!Ready\b)\S+ +)?Ready( +)(?:New|Pending|Assigned|Accepted|Preparing|Ready) .*?ago/gm, '$1-   Ready$2<starting>');

/**
 * update-node-down: the updater hands worker2 its new task a few hundred ms before the node's
 * dockerd is stopped, and which starting state that task last reported before its node went
 * silent (Assigned, Preparing, Ready...) is the same sub-second race as in startingRows: the dead
 * node's row keeps it for good. Such a row (desired Shutdown, never run) reads "<not started>".
 */
const neverStarted = (raw: string): string =>
  raw.replace(/^(\S+ +(?:\\_ )?\S+ +\S+ +\S+ +Shutdown +)(?:New|Pending|Assigned|Accepted|Preparing|Ready|Starting)( +)(?=\S.*?ago)/gm, '$1<not started>$2');

/**
 * Tables where which node a task went to is chance on both swarms: every node was as good
 * (the scheduler's spread tie: a one-replica service restarted, or all slots of a service
 * placed at once by a parallelism-0 update), so node names read "<node>" there.
 */
const PARALLEL_UPDATE = 'docker service update -d --update-parallelism 0 --image redis:7.4.1 redis';
const PLACEMENT_TIES: Record<string, { line: string; after?: string }[]> = {
  'task-kill': [{ line: 'docker service ps twice' }, { line: 'docker service ps once' }, { line: 'docker service ps redis', after: PARALLEL_UPDATE }],
  'update-kill': [{ line: 'docker service ps redis' }, { line: 'docker service ps web' }],
};
const placementTie = (name: string, lines: readonly string[], i: number): boolean =>
  (PLACEMENT_TIES[name] ?? []).some((t) => t.line === lines[i] && (t.after === undefined || lines.slice(0, i).includes(t.after)));
function anyNode(text: string): string {
  // With the node names gone, the slot groups are sorted again (they were sorted with them).
  const [header = '', ...rows] = text.replace(/<node\d+>/g, '<node>').split('\n');
  const groups: string[][] = [];
  for (const row of rows.filter((r) => r !== '')) {
    if (!row.includes(' \\_ ') || groups.length === 0) groups.push([]);
    groups[groups.length - 1]!.push(row);
  }
  return [header, ...groups.map((g) => g.join('\n')).sort()].join('\n') + '\n';
}

/**
 * `docker ps`: the sandbox's redis image is a small one of its own whose command is
 * redis-server itself (the catalog's is the official image's entrypoint), and which slot's
 * task a node runs is the scheduler's choice.
 */
const containers = (text: string): string => text.replace(/"(?:redis-server --prot|docker-entrypoint\.s)…"/g, '<command>').replace(/\b(redis)\.\d+\./g, '$1.<slot>.');

/** A container name in an error, cut by the table: its slot and task ID are the swarm's own. */
const containerErrors = (text: string): string => text.replace(/(No such container: [\w-]+)\.\d+\.[0-9a-z]*…/g, '$1.<slot>.<id>…');

/** Which of the two promoted workers won the election is chance: either reads as "<manager>". */
const eitherManager = (text: string): string => text.replace(/^(\S+(?: \*)? +worker[12] +\w+ +\w+ +)(Leader|Reachable)\b/gm, '$1<manager>');

/**
 * update-node-down: the updater takes a service's slots in an order that is chance on both
 * swarms, so whether worker2's slot is the one being handed out when worker2 stops depends on
 * it. A seed is compared line by line only if its table just before the stop is the capture's
 * (the same slots updated, worker2's new task handed out); the others must show the other
 * outcome (worker2's slot already done, or not begun), and enough seeds must follow the capture.
 */
const BEFORE_STOP = 'docker service ps redis';
const sameOrder = new Set<number>();

describe.each(CAPTURES)('%s: simulated vs real docker', (name) => {
  const real = load(name);
  const alt = ALTERNATIVES[name] ? load(ALTERNATIVES[name]) : undefined;

  test('runs the same lines as the capture', () => {
    expect(script(name)).toEqual(real.entries.map((e) => e.command));
  });

  test.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('every docker command prints what real docker printed, seed %i', async (seed) => {
    const ours = await simulate(name, real, seed);
    const normReal = normaliser();
    const normOurs = normaliser();
    const leaders: [number, number][] = [];
    for (const [i, r] of real.entries.entries()) {
      const o = ours[i]!;
      // `lab` lines: the real tools print nothing; ours say what they did (test/failures.test.ts).
      if (!r.command.startsWith('docker ')) continue;
      const table = /^docker (service|node) ps\b/.test(r.command);
      const settle = (t: string): string => (table ? (name === 'update-node-down' ? neverStarted(startingRows(t)) : startingRows(t)) : t);
      let expected = normReal(r.command, settle(await screen(defaultSocket(r.output))));
      let actual = normOurs(o.command, settle(await screen(o.output)));
      if (r.command === 'docker info') [expected, actual] = [infoParts(expected), infoParts(actual)];
      if (/^docker ps\b/.test(r.command)) [expected, actual] = [containers(expected), containers(actual)];
      if (table) [expected, actual] = [containerErrors(expected), containerErrors(actual)];
      if (placementTie(name, script(name), i)) [expected, actual] = [anyNode(expected), anyNode(actual)];
      if (name === 'leader-failure' && r.command === 'docker node ls') {
        leaders.push([(expected.match(/ Leader\b/g) ?? []).length, (actual.match(/ Leader\b/g) ?? []).length]);
        [expected, actual] = [eitherManager(expected), eitherManager(actual)];
      }
      const a = alt?.entries[i];
      if (a && !r.command.startsWith('docker info') && a.command === r.command) {
        const other = normaliser()(a.command, settle(await screen(defaultSocket(a.output))));
        if (actual === other && o.exitCode === a.exitCode) continue;
      }
      if (name === 'update-node-down' && r.command === BEFORE_STOP && i < real.entries.findIndex((e) => e.command.startsWith('lab node stop'))) {
        // The capture's moment: the update is replacing worker2's task (the old one told to shut
        // down, still running; its 7.4.1 successor not started, wherever the scheduler is with it).
        const inHand = (text: string): boolean => /redis:7\.4\.0 +worker2 +Shutdown +Running/.test(text) && /redis:7\.4\.1 +(?:worker2 +)?Ready +/.test(text);
        expect(inHand(await screen(defaultSocket(r.output)))).toBe(true);
        if (!inHand(await screen(o.output))) {
          // Another order: worker2's slot is done already, or not begun; the update is elsewhere.
          expect(await screen(o.output)).toMatch(/redis:7\.4\.[01] +worker2 +Running +Running/);
          return;
        }
        sameOrder.add(seed);
      }
      expect({ command: o.command, exitCode: o.exitCode, screen: actual }).toEqual({ command: r.command, exitCode: r.exitCode, screen: expected });
    }
    // Whoever it is, there is one leader in each table.
    for (const [r, o] of leaders) expect(o).toBe(r);
  });

  if (name === 'update-node-down') {
    test('two seeds or more (of a likely third) take the slots in the capture\'s order and were compared line by line', () => {
      console.log(`update-node-down: seeds in the capture's order: ${[...sameOrder].join(', ')}`);
      expect(sameOrder.size).toBeGreaterThanOrEqual(2);
    });
  }
});
