// Fuzz: 10,000 random and hostile lines through the shell's entry point. Whatever comes
// in, the engine must not throw, must answer every failing line on stderr, must print
// nothing that betrays a bug (undefined, NaN, [object Object], an internal error), and the
// swarm's invariants must still hold at the end. A second fuzz runs random Go templates
// (--format) on every command that takes one: they print Go's output or Go's error, never a
// JavaScript value.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { executeTemplate, TemplateError } from '../engine/cli/format/go-template.js';
import { Session } from '../engine/session.js';
import { Rng } from '../engine/sim/rng.js';
import { goTemplate } from './helpers/hostile-lines.js';
import { InvariantWatcher } from './helpers/invariants.js';

const LINES = Number(process.env.FUZZ_LINES ?? 10_000);

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[r.int(xs.length)]!;

const HOSTILE_VALUES = [
  '', ' ', '-1', '0', '1', '3', '99999999999999999999999', '18446744073709551616', '1e309', 'NaN', 'Infinity', '0x10',
  '10s', '10', '10x', '-5s', '1h2m3.5s', 'abc', '"', "'", '\\', '$HOME', '`id`', '$(id)', 'ü', '日本語', '🙂',
  '\u0000', '\u0007', '\u001b[2J', '\u007f', 'redis', 'redis:7.4.0', 'redis:7.4.1', 'redis:9.9.9', 'nginx', 'a'.repeat(300),
  'worker1', 'manager1', 'self', 'drain', 'active', 'pause', 'foo=bar', 'desired-state=running', 'name=redis.1', 'redis=2',
  'redis=-1', 'redis=abc', 'published=8080,target=6379', '8080:6379', 'node.role==manager', '{{json .}}', '{{.ID', '{{range}}',
];

const WORDS = [
  'docker', 'service', 'node', 'swarm', 'create', 'ls', 'ps', 'inspect', 'update', 'scale', 'rollback', 'rm', 'logs',
  'promote', 'demote', 'init', 'join', 'join-token', 'leave', 'info', 'version', 'ssh', 'exit', 'sleep', 'echo', 'help',
  'history', 'clear', '--pretty', '--replicas', '--name', '--image', '--update-delay', '--update-parallelism', '--update-order',
  '--update-failure-action', '--update-max-failure-ratio', '--availability', '--format', '-f', '-q', '-d', '--no-trunc',
  '--rollback', '--force', '--mode', '--publish', '--constraint', '--help', '-h', '--', '-', '--foo', '-z', 'worker', 'manager',
];

const TEMPLATES: ((r: Rng, v: () => string) => string)[] = [
  (_r, v) => `docker service create --replicas ${v()} --name redis --update-delay ${v()} redis:7.4.0`,
  (_r, v) => `docker service create -d --name ${v()} ${v()}`,
  (_r, v) => `docker service create -d --replicas ${v()} --name web nginx`,
  (_r, v) => `docker service update --image ${v()} redis`,
  (_r, v) => `docker service update -d --image ${v()} ${v()}`,
  (_r, v) => `docker service update --update-parallelism ${v()} --update-order ${v()} --update-failure-action ${v()} redis`,
  (_r, v) => `docker service update -d --update-max-failure-ratio ${v()} redis`,
  (_r, v) => `docker service scale ${v()}`,
  (_r, v) => `docker service scale -d redis=${v()}`,
  (_r, v) => `docker service ps ${v()}`,
  (_r, v) => `docker service ps -f ${v()} redis`,
  (_r, v) => `docker service inspect ${v()}`,
  (_r, v) => `docker service inspect --pretty ${v()}`,
  (_r, v) => `docker service inspect --format '${v()}' redis`,
  (r) => `docker ${pick(r, ['node ls', 'service ls', 'service ps redis', 'version', 'info', 'node inspect self', 'ps'])} --format ${shellQuote(pick(r, SAMPLED_TEMPLATES))}`,
  (_r, v) => `docker service ls ${v()}`,
  (_r, v) => `docker service rollback ${v()}`,
  (_r, v) => `docker service rm ${v()}`,
  (_r, v) => `docker service logs ${v()}`,
  (_r, v) => `docker node update --availability ${v()} ${v()}`,
  (_r, v) => `docker node inspect ${v()}`,
  (_r, v) => `docker node inspect --pretty ${v()}`,
  (_r, v) => `docker node ps ${v()}`,
  (_r, v) => `docker node ${pick(_r, ['promote', 'demote'])} ${v()}`,
  (_r, v) => `docker swarm join-token ${v()}`,
  (_r, v) => `docker swarm ${v()}`,
  (_r, v) => `ssh ${v()}`,
  () => 'exit',
  (_r, v) => `sleep ${v()}`,
  // Long waits: an hour of whatever the swarm does, or a follow that ends only when it idles.
  (r, v) => pick(r, ['sleep 1e9', `docker service logs -f ${v()}`, `docker service logs -f --tail ${v()} redis`]),
  (_r, v) => `echo ${v()}`,
  () => 'docker service ls',
  () => 'docker node ls',
  () => 'docker ps',
  () => 'docker info',
  () => 'history',
  () => 'help',
];

/**
 * The engine under pathological input (issue 15): huge replica counts of an image that never
 * starts, `logs -f` on many tasks, long waits over a swarm that only churns. Each is a short
 * script that ends by removing its service and letting the removal run (it goes a batch at a
 * time), so the swarm the random lines see stays small; every waiting line in it is bounded
 * by the session's work budget, so a scenario costs a few seconds at most.
 */
const SCENARIOS: ((r: Rng) => string[])[] = [
  () => ['docker service create -d --replicas 20000 --name web redis:9.9.9', 'sleep 1e9', 'docker service ls', 'docker service rm web', 'sleep 2'],
  () => ['docker service create -d --replicas 20000 --name web redis:9.9.9', 'docker service logs -f web', 'docker service rm web', 'sleep 2'],
  (r) => [`docker service create -d --replicas ${pick(r, ['1000', '2000'])} --name web redis:7.4.0`, 'docker service logs -f --tail 5 web', 'docker service rm web', 'sleep 2'],
  () => ['docker service create --replicas 20000 --name web redis:9.9.9', 'docker service scale -d web=3', 'sleep 5', 'docker service rm web', 'sleep 2'],
  (r) => [`docker service create -d --replicas ${pick(r, ['20001', '99999', '20000'])} --name web redis:9.9.9`, 'docker service update --image redis:7.4.0 web', 'docker service rm web', 'sleep 2'],
  () => ['docker service create -d --replicas 5000 --name web redis:9.9.9', 'sleep inf', 'docker service ps -f desired-state=running web', 'docker service rm web', 'sleep 2'],
];

/** Every this many lines, one scenario runs (its lines are not counted in LINES). */
const SCENARIO_EVERY = 1_500;

/** The session's work budget per command: lower than the default so a scenario takes about a second. */
const WORK_PER_COMMAND = 100_000;

/** POSIX single quoting, as a learner would type a template containing quotes. */
const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** Templates the main fuzz draws from (the template fuzz below generates its own). */
const SAMPLED_TEMPLATES = fc.sample(goTemplate, { seed: 15, numRuns: 300 });

/**
 * What a JavaScript value looks like in output. Go's own texts may say `undefined variable`,
 * `function "x" not defined` or `non-function`; a JS function's source or `NaN` never.
 */
const LEAK = /\bundefined\b(?! variable)|\bNaN\b|\[object |Infinity|\bfunction\s*\w*\s*\(|=>|internal error/;

/** A random line: mostly shaped like tutorial commands, some pure noise. */
function line(r: Rng): string {
  const v = (): string => pick(r, HOSTILE_VALUES);
  const kind = r.int(100);
  if (kind < 55) return pick(r, TEMPLATES)(r, v);
  if (kind < 75) return Array.from({ length: 1 + r.int(8) }, () => (r.int(3) === 0 ? v() : pick(r, WORDS))).join(' ');
  if (kind < 80) return '';
  if (kind < 83) return 'docker service create --name ' + 'x'.repeat(100_000) + ' redis';
  if (kind < 86) return 'a'.repeat(100 * 1024);
  if (kind < 92) {
    // Unbalanced quotes, stray operators, continuations.
    return pick(r, ['docker service ps "redis', "echo 'abc", 'docker service ls |', 'docker node ls; ls', 'docker service \\', 'echo "a\\"b"', 'docker > x', 'a && b']);
  }
  // Control characters and arbitrary code points.
  return Array.from({ length: 1 + r.int(40) }, () => String.fromCodePoint(r.int(4) === 0 ? r.int(32) : r.int(0x2fff))).join('');
}

describe('fuzz', () => {
  test(`${LINES} random and hostile lines never break the engine`, async () => {
    const r = new Rng(20261127);
    // Scenarios draw from their own generator, so the random lines stay what they were.
    const rs = new Rng(15);
    const session = new Session({ seed: 7, mode: 'instant', maxEventsPerCommand: WORK_PER_COMMAND });
    const watcher = new InvariantWatcher(session.sim);
    const signal = new AbortController().signal;
    const problems: string[] = [];
    let failures = 0;
    for (let i = 0; i < LINES; i++) {
      if (i % SCENARIO_EVERY === SCENARIO_EVERY / 2) {
        const scenario = SCENARIOS[Math.floor(i / SCENARIO_EVERY) % SCENARIOS.length]!(rs);
        for (const text of scenario) {
          let said = '';
          const began = performance.now();
          const code = await session.run(text, { stdout: { write: (s) => void (said += s) }, stderr: { write: (s) => void (said += s) }, tty: rs.int(2) === 0, columns: 80, signal });
          const shown = `scenario line ${JSON.stringify(text)}`;
          if (process.env.FUZZ_TRACE && performance.now() - began > Number(process.env.FUZZ_TRACE)) console.log(`slow ${Math.round(performance.now() - began)} ms ${shown}`);
          if (!Number.isInteger(code) || code < 0 || code > 255) problems.push(`${shown}: exit code ${code}`);
          // As for the random lines: a name an earlier line gave (a service called NaN) may be listed.
          const leaked = LEAK.exec(said)?.[0];
          if (leaked && !session.shell.history.some((h) => h.includes(leaked))) problems.push(`${shown}: suspicious output ${JSON.stringify(said.slice(0, 200))}`);
        }
        problems.push(...watcher.check());
      }
      const text = line(r);
      let out = '';
      let err = '';
      const began = performance.now();
      const code = await session.run(text, {
        stdout: { write: (s) => void (out += s) },
        stderr: { write: (s) => void (err += s) },
        tty: r.int(2) === 0,
        columns: 80,
        signal,
      });
      const shown = `line ${i}: ${JSON.stringify(text.slice(0, 120))}`;
      if (process.env.FUZZ_TRACE && performance.now() - began > Number(process.env.FUZZ_TRACE)) console.log(`slow ${Math.round(performance.now() - began)} ms ${shown}`);
      if (!Number.isInteger(code) || code < 0 || code > 255) problems.push(`${shown}: exit code ${code}`);
      if (code !== 0) {
        failures++;
        if (err === '' && text.trim() !== 'false') problems.push(`${shown}: exit ${code} with nothing on stderr`);
      }
      const leaked = LEAK.exec(out + err)?.[0];
      // Words the line itself contained may legitimately be echoed back (a name, history).
      if (leaked && !session.shell.history.some((h) => h.includes(leaked))) problems.push(`${shown}: suspicious output ${JSON.stringify((out + err).slice(0, 200))}`);
      if (i % 100 === 0) problems.push(...watcher.check());
      // Keep the swarm from filling up with services the lines cannot reach any more.
      if (i % 500 === 499) await session.run('docker service rm web redis', { stdout: { write: () => {} }, stderr: { write: () => {} }, tty: false, columns: 80, signal });
    }
    problems.push(...watcher.check());
    expect(problems.slice(0, 20)).toEqual([]);
    // The lines really did exercise the error paths as well as the happy ones.
    expect(failures).toBeGreaterThan(LINES / 10);
    expect(failures).toBeLessThan(LINES);
  }, 600_000);
});

describe('Go template fuzz', () => {
  // Every command that takes a Go template, on a swarm with something in every field the
  // templates reach: a rolled-out update (PreviousSpec, UpdateStatus), a global service, a
  // published port, a drained worker.
  const COMMANDS: ((t: string) => string)[] = [
    (t) => `docker node ls --format ${t}`,
    (t) => `docker node ls --format ${shellQuote('table ')}${t}`,
    (t) => `docker service ls --format ${t}`,
    (t) => `docker service ls --format ${shellQuote('table ')}${t}`,
    (t) => `docker service ps redis --format ${t}`,
    (t) => `docker node ps self --format ${t}`,
    (t) => `docker ps --format ${t}`,
    (t) => `docker version --format ${t}`,
    (t) => `docker info --format ${t}`,
    (t) => `docker node inspect --format ${t} self worker1`,
    (t) => `docker service inspect --format ${t} redis web`,
  ];

  async function newSession(): Promise<(line: string) => Promise<{ code: number; out: string; err: string }>> {
    const session = new Session({ seed: 11, mode: 'instant' });
    const signal = new AbortController().signal;
    const run = async (line: string) => {
      let out = '';
      let err = '';
      const code = await session.run(line, { stdout: { write: (x) => void (out += x) }, stderr: { write: (x) => void (err += x) }, tty: false, columns: 80, signal });
      return { code, out, err };
    };
    for (const line of [
      'docker service create -d --name redis --replicas 3 --update-delay 1s redis:7.4.0',
      'docker service create -d --name web --mode global --publish published=8080,target=80 nginx',
      'sleep 10',
      'docker service update -d --image redis:7.4.1 redis',
      'docker node update --availability drain worker2',
      'sleep 60',
    ]) {
      expect((await run(line)).code).toBe(0);
    }
    return run;
  }

  /** Problems with one command's answer, if any. */
  function check(template: string, r: { code: number; out: string; err: string }): string | undefined {
    const all = r.out + r.err;
    // docker version and docker info exit 64 on a parse error (cli.StatusError{StatusCode: 64}).
    const parseError = r.code === 64 && /^template parsing error: /.test(r.err);
    if (r.code !== 0 && r.code !== 1 && !parseError) return `exit ${r.code}`;
    if (r.code !== 0 && r.err === '') return 'failed without a word on stderr';
    for (const line of r.err.split('\n').filter(Boolean)) {
      if (!/^(template parsing error: )?template: /.test(line)) return `stderr is not a template error: ${JSON.stringify(line)}`;
    }
    const leaked = LEAK.exec(all)?.[0];
    if (leaked) return `leaked ${JSON.stringify(leaked)}`;
    // json prints null for nil values; everything else prints Go's <nil> (the engine's "null"
    // network driver is a name, not a value).
    const out = r.out.replace(/\b(Network|macvlan) null\b/g, '');
    if (template !== '' && !template.includes('json') && /\bnull\b/.test(out)) return 'printed null where Go prints <nil>';
    return undefined;
  }

  test('random templates on real command contexts print Go output or Go errors', async () => {
    const run = await newSession();
    const began = performance.now();
    let errors = 0;
    await fc.assert(
      fc.asyncProperty(goTemplate, fc.nat(COMMANDS.length - 1), async (template, k) => {
        const line = COMMANDS[k]!(shellQuote(template));
        const r = await run(line);
        if (r.code !== 0) errors++;
        const problem = check(template, r);
        if (problem) throw new Error(`${problem}\n  line: ${line}\n  out: ${JSON.stringify(r.out.slice(0, 300))}\n  err: ${JSON.stringify(r.err.slice(0, 300))}`);
      }),
      { seed: 20261203, numRuns: 1500 },
    );
    // The templates exercised both the error paths and the printing ones.
    expect(errors).toBeGreaterThan(150);
    expect(errors).toBeLessThan(1400);
    expect(performance.now() - began).toBeLessThan(30_000);
  }, 60_000);

  test('the engine on every root type returns text or a TemplateError, never anything else', async () => {
    const session = new Session({ seed: 11, mode: 'instant' });
    const api = session.sim.api(session.sim.hostnames()[0]!);
    await api.serviceCreate({
      Name: 'redis',
      Labels: { a: 'b' },
      TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0', Args: ['--port', '7000'] }, ForceUpdate: 0 },
      Mode: { Replicated: { Replicas: 2 } },
    });
    const roots: [string, unknown][] = [
      ['swarm.Node', (await api.nodeList())[0]],
      ['swarm.Service', await api.serviceInspect('redis')],
      ['system.Info', await api.info()],
      ['system.versionInfo', { Client: { Version: '28.2.2' }, Server: await api.version() }],
      ['*node.nodeContext', { ID: 'x', Self: true, Hostname: 'h', Status: 'Ready' }],
      ['*service.serviceContext', { ID: 'x', Name: 'redis', Replicas: '1/1' }],
      ['*task.taskContext', { ID: 'x', Name: 'redis.1' }],
      ['*formatter.ContainerContext', { ID: 'x', Labels: 'a=b,c=d' }],
      ['struct', { A: 1, B: 'two', C: [1, 'x', null], D: { E: true }, F: null, G: 1.5 }],
    ];
    fc.assert(
      fc.property(goTemplate, fc.nat(roots.length - 1), fc.boolean(), (template, k, newline) => {
        const [rootType, data] = roots[k]!;
        const src = newline ? template.replaceAll('\\n', '\n') : template;
        let text: string;
        try {
          text = executeTemplate(src, data, { rootType });
        } catch (e) {
          if (!(e instanceof TemplateError)) throw new Error(`${rootType} ${JSON.stringify(src)}: threw ${String(e)}`);
          text = e.message + e.partial;
          if (!/^template: [^:]*:\d+(:\d+: executing "[^"]*" at <.*>)?: /s.test(e.message)) throw new Error(`not a Go error: ${e.message}`);
        }
        const leaked = LEAK.exec(text)?.[0];
        if (leaked) throw new Error(`${rootType} ${JSON.stringify(src)}: leaked ${leaked} in ${JSON.stringify(text.slice(0, 300))}`);
      }),
      { seed: 15, numRuns: 3000 },
    );
  }, 60_000);
});
