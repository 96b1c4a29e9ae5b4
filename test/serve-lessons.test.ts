// Every lesson, command by command, done with the REAL docker CLI against `swarm-lab serve`
// (per-node sockets; `ssh NODE` / `exit` switch the socket as they switch the shell). Each
// read command is also run by Swarm Lab's CLI on the same frozen swarm: same stdout, stderr
// and exit code. Changing commands run attached with the swarm's clock running and must
// succeed (the lesson's bad image must pause).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { lessons } from '../content/lessons/index.js';
import { expandVars, lessonVars } from '../content/lessons/run.js';
import { RealtimeDriver } from '../engine/session.js';
import { splitWords } from '../engine/shell/words.js';
import { realCliAvailable, runOurs, runReal, serveFrozen } from './serve-harness.js';

const root = new URL('../', import.meta.url);
const mdxCommands = (id: string): string[] =>
  [...readFileSync(new URL(`content/docs/lessons/${id}.mdx`, root), 'utf8').matchAll(/^```sh[^\n]*\n([\s\S]*?)\n```$/gm)].flatMap((m) => m[1]!.split('\n'));

/** Commands that only read: compared byte for byte. */
const READ = /^docker (node (ls|inspect|ps)|service (ls|ps|inspect|logs)|network (ls|inspect)|info|version|ps|swarm join-token (worker|manager))\b/;
/** Lines whose attached output ends in failure by design. */
const FAILS = new Set(['docker service update --image redis:9.9.9 redis']);
/** The real CLI lists `docker info`'s runtimes in Go's random map order; ours sorts them. */
const normalise = (r: { stdout: string; stderr: string; code: number }): string =>
  JSON.stringify({ ...r, stdout: r.stdout.replace(/^ Runtimes: (.*)$/m, (_l, names: string) => ` Runtimes: ${names.split(' ').sort().join(' ')}`) });

/** Simulated seconds per real second while a changing command runs. */
const SPEED = 20;

describe.skipIf(!realCliAvailable())('every lesson through the real docker CLI on swarm-lab serve', () => {
  const changes = new Map<string, number>();
  test.each(lessons.map((l) => [l.id, l] as const))('%s', async (_id, lesson) => {
    // Two hours back, and kept behind the wall clock: sped-up commands never reach the future.
    const served = await serveFrozen(lesson.setup, {
      pastMs: 2 * 3_600_000,
      keepBehindMs: 3_600_000,
      perNode: true,
      ...(lesson.swarm !== undefined ? { swarm: lesson.swarm } : {}),
      ...(lesson.topology !== undefined ? { topology: lesson.topology } : {}),
    });
    const { session } = served;
    const first = session.sim.hostnames()[0]!;
    const lines = mdxCommands(lesson.id);
    for (const step of lesson.steps) for (const l of step.solution) if (!lines.includes(l)) lines.push(l);
    let host = first;
    const mismatches: string[] = [];
    let compared = 0;
    let changed = 0;
    try {
      for (const raw of lines) {
        const line = expandVars(raw, await lessonVars(lesson, session.sim.api(first)));
        if (line.startsWith('ssh ')) {
          host = line.slice(4).trim();
          continue;
        }
        if (line === 'exit') {
          host = first;
          continue;
        }
        if (line.startsWith('lab ')) {
          // Swarm Lab's own failure builtin (no docker command): injected into the served
          // swarm through its shell, as the page's terminal does; then let it settle.
          const sink = { write: (): void => undefined };
          expect(await session.run(line, { stdout: sink, stderr: sink, tty: false, columns: 80, signal: new AbortController().signal }), line).toBe(0);
          session.advance(15_000);
          continue;
        }
        // curl is the node's own program, not docker's: the real CLI has nothing to do with it
        // (the mesh's answers are compared in shell-curl, curl-real and local-routing-mesh).
        if (line.startsWith('curl ')) continue;
        // Words as a shell splits them (a --format template keeps its quoted spaces).
        const split = splitWords(line);
        if (split.kind !== 'words') throw new Error(`not a simple command: ${line}`);
        const args = split.words.slice(1);
        const url = served.running.nodes[host]!;
        if (READ.test(line)) {
          let real = await runReal(url, args, { dir: served.dir });
          let ours = await runOurs(session, host, args);
          if (normalise(real) !== normalise(ours)) {
            real = await runReal(url, args, { dir: served.dir });
            ours = await runOurs(session, host, args);
          }
          compared++;
          if (normalise(real) !== normalise(ours)) mismatches.push(`${host}$ ${line}\n--- real\n${JSON.stringify(real, null, 1)}\n--- ours\n${JSON.stringify(ours, null, 1)}`);
          // A read may fail only where the lesson says so (inspect after rm).
          if (real.code !== 0) expect(line, real.stderr).toBe('docker service inspect helloworld');
        } else {
          const driver = new RealtimeDriver(session, SPEED);
          driver.start();
          const real = await runReal(url, args, { dir: served.dir, timeoutMs: 60_000 });
          driver.stop();
          changed++;
          expect({ line, code: real.code, stderr: FAILS.has(line) ? '' : real.stderr }).toEqual({ line, code: FAILS.has(line) ? 1 : 0, stderr: '' });
          if (FAILS.has(line)) expect(real.stderr).toMatch(/service update paused: update paused due to failure or early termination of task [0-9a-z]{25}\n$/);
          // Let what the command started settle a little before the next read.
          session.advance(15_000);
        }
      }
    } finally {
      await served.close();
    }
    expect(mismatches).toEqual([]);
    // Every lesson reads something; the walk as a whole changes the swarm through the real CLI.
    expect(compared).toBeGreaterThan(0);
    changes.set(lesson.id, changed);
  }, 240_000);

  test('the lessons that change the swarm did so through the real CLI', () => {
    for (const id of ['create-swarm', 'add-nodes', 'deploy-service', 'scale-service', 'delete-service', 'rolling-update', 'drain-node']) {
      expect(changes.get(id), id).toBeGreaterThan(0);
    }
  });
});
