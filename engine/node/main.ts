// The `swarm-lab` command (Node only):
//   swarm-lab                      an interactive shell on a simulated swarm, in real time
//   swarm-lab run FILE [options]   run a script on a fresh simulated swarm, instantly, and
//                                  print the transcript an 80-column terminal would show
//   swarm-lab local [--port N]     the lessons' terminal on a real swarm (the sandbox when it
//                                  is up, else DOCKER_HOST), served on 127.0.0.1
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { RealtimeDriver, Session } from '../session.js';
import { CLEAR_SCREEN } from '../shell/shell.js';
import { logicalLines, splitWords } from '../shell/words.js';
import { TopologyError } from '../sim/topology.js';
import type { TranscriptEntry } from './transcript.js';
import { renderTranscript } from './transcript.js';
import type { LocalBackend } from './server/backend.js';

const USAGE = `Usage:
  swarm-lab                       interactive shell on a simulated swarm (real time)
  swarm-lab run FILE [OPTIONS]    run FILE's commands (- for standard input) on a fresh
                                  simulated swarm and print the terminal transcript
  swarm-lab local [--port N]      serve the lessons on 127.0.0.1 with their terminal on a
                                  real swarm: the sandbox (npm run sandbox:up) when it is
                                  up, else DOCKER_HOST or the default socket
  swarm-lab serve [OPTIONS]       the Docker Engine API of a simulated swarm for your own
                                  docker CLI (swarm-lab serve --help for its options)

Options:
  --seed N          random seed (default 1): same seed and commands, same output
  --cols N          terminal width for the transcript (default 80)
  --topology SPEC   nodes, e.g. "manager1,worker1,worker2" (default) or "3m5w"
  --speed X         interactive only: simulated seconds per real second (default 1)
  --raw             run: print the raw output bytes instead of the rendered screen
  --port N          local: port on 127.0.0.1 (default: a free one)
`;

interface Options {
  seed: number;
  cols: number;
  topology?: string;
  speed: number;
  raw: boolean;
  port?: number;
  positional: string[];
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options {
  const o: Options = { seed: 1, cols: 80, speed: 1, raw: false, positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`swarm-lab: ${name} needs a value`);
      return v;
    };
    const num = (min: number, max: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`swarm-lab: invalid value "${v}" for ${name}`);
      return n;
    };
    switch (name) {
      case '--seed':
        o.seed = Math.trunc(num(0, 2 ** 32 - 1));
        break;
      case '--cols':
        o.cols = Math.trunc(num(20, 1000));
        break;
      case '--topology':
        o.topology = value();
        break;
      case '--speed':
        o.speed = num(0.01, 1000);
        break;
      case '--raw':
        o.raw = true;
        break;
      case '--port':
        o.port = Math.trunc(num(0, 65535));
        break;
      default:
        if (name.startsWith('-') && name !== '-') throw new UsageError(`swarm-lab: unknown option ${name}`);
        o.positional.push(a);
    }
  }
  return o;
}

/** Runs a script instantly and returns what each command printed (stdout and stderr interleaved). */
export async function runScript(script: string, opts: { seed: number; cols: number; topology?: string }): Promise<TranscriptEntry[]> {
  const session = new Session({ seed: opts.seed, ...(opts.topology ? { topology: opts.topology } : {}), mode: 'instant' });
  const entries: TranscriptEntry[] = [];
  const signal = new AbortController().signal;
  for (const line of logicalLines(script)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    let output = '';
    const sink = { write: (s: string) => void (output += s) };
    await session.run(line, { stdout: sink, stderr: sink, tty: true, columns: opts.cols, signal });
    entries.push({ command: line.replace(/\\\n/g, '\\\n> '), output: output.split(CLEAR_SCREEN).join('') });
  }
  return entries;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function runFile(o: Options): Promise<number> {
  const file = o.positional[1];
  if (!file) throw new UsageError('swarm-lab: run needs a FILE');
  let script: string;
  try {
    script = file === '-' ? await readStdin() : readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`swarm-lab: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return 1;
  }
  const entries = await runScript(script, { seed: o.seed, cols: o.cols, ...(o.topology ? { topology: o.topology } : {}) });
  if (o.raw) {
    for (const e of entries) process.stdout.write(`$ ${e.command}\n${e.output}`);
  } else {
    process.stdout.write(await renderTranscript(entries, { cols: o.cols }));
  }
  return entries.some((e) => e.output.includes('swarm-lab: internal error')) ? 1 : 0;
}

async function interactive(o: Options): Promise<number> {
  const session = new Session({ seed: o.seed, ...(o.topology ? { topology: o.topology } : {}), mode: 'realtime', startEpochMs: Date.now(), canExit: true });
  const driver = new RealtimeDriver(session, o.speed);
  driver.start();
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: !!process.stdin.isTTY, historySize: 1000 });
  let running: AbortController | undefined;
  let pending = '';
  const prompt = (): void => {
    rl.setPrompt(pending ? '> ' : session.shell.prompt());
    rl.prompt();
  };
  rl.on('SIGINT', () => {
    if (running) {
      // The terminal echoes ^C where the cursor is; docker's own message follows on that line.
      process.stdout.write('^C');
      running.abort();
      return;
    }
    pending = '';
    process.stdout.write('^C\n');
    prompt();
  });
  process.stdout.write(`Swarm Lab: a simulated Docker swarm (${session.sim.hostnames().join(', ')}). Type "help" to start; "exit" or Ctrl-D quits.\n`);
  prompt();
  for await (const input of rl) {
    const line = pending ? `${pending}\n${input}` : input;
    if (splitWords(line).kind === 'incomplete') {
      pending = line;
      prompt();
      continue;
    }
    pending = '';
    running = new AbortController();
    const out = { write: (s: string) => void process.stdout.write(s) };
    const err = { write: (s: string) => void process.stderr.write(s) };
    await session.run(line, { stdout: out, stderr: err, tty: !!process.stdout.isTTY, columns: process.stdout.columns ?? 80, signal: running.signal });
    running = undefined;
    if (session.shell.exited) break;
    prompt();
  }
  rl.close();
  driver.stop();
  process.stdout.write('\n');
  return 0;
}

/** The built site next to the bundle (dist/site) or in the repository (dist/site). */
function siteDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return process.env.SWARM_LAB_SITE ?? join(here, here.endsWith('dist') ? 'site' : '../../dist/site');
}

async function local(o: Options): Promise<number> {
  if (o.positional.length > 1) throw new UsageError(`swarm-lab: local takes no arguments`);
  // The real swarm: the sandbox when manager1's daemon answers, else the daemon the docker CLI
  // would use (then Swarm Lab may change only the services it created). When Docker cannot run
  // the lessons yet, the server starts anyway: the console and the page say why, and the page
  // finds the swarm again when it connects, once the learner has fixed it.
  const { LocalDockerBackend, englishFailure } = await import('./docker/index.js');
  const backend: LocalBackend = new LocalDockerBackend();
  let failure;
  try {
    failure = await backend.probe!({ reopen: true });
  } catch (e) {
    process.stderr.write(`swarm-lab local: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (failure) {
    process.stderr.write(`swarm-lab local: ${englishFailure(failure)}\n`);
    process.stderr.write('swarm-lab local: the page says so too, and finds Docker again when it connects; the simulated swarm works meanwhile.\n');
  }
  const { startLocalServer } = await import('./server/index.js');
  const server = await startLocalServer({
    ...(o.port !== undefined ? { port: o.port } : {}),
    siteDir: siteDir(),
    backend,
    log: (line) => void process.stderr.write(`swarm-lab local: ${line}\n`),
  });
  // The one line to open; the token lives in the fragment, so it never reaches a log or a Referer.
  process.stdout.write(`${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  try {
    // serve has its own options (engine/node/serve/command.ts); loaded only when used.
    if (argv[0] === 'serve') return await (await import('./serve/command.js')).serveCommand(argv.slice(1));
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(USAGE);
      return 0;
    }
    const o = parseArgs(argv);
    const sub = o.positional[0];
    if (sub === undefined) return await interactive(o);
    if (sub === 'run') return await runFile(o);
    if (sub === 'local') return await local(o);
    throw new UsageError(`swarm-lab: unknown command "${sub}"`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof TopologyError) {
      process.stderr.write(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
