// The engine under pathological input (issue 15): a swarm that only churns (20,000 replicas of
// an image no node can pull, each rejected and replaced after the restart delay), long waits
// over it, and `docker service logs -f` on many tasks. Instant mode (what `swarm-lab run` does)
// and the realtime driver the browser's worker runs, at 20x.
import { performance } from 'node:perf_hooks';
import { runScript } from '../../engine/node/main.js';
import type { ShellIo } from '../../engine/shell/shell.js';
import { RealtimeDriver, Session } from '../../engine/session.js';
import { yieldToEventLoop } from '../../engine/worker/terminal-engine.js';
import type { Timing } from './measure.js';
import { measure, median } from './measure.js';

const CREATE_20K = 'docker service create -d --replicas 20000 --name x redis:9.9.9';

export interface ScriptFigure {
  label: string;
  timing: Timing;
  /** What the longest line said last (the busy notice, when the wait was stopped). */
  said: string;
}

/** A `swarm-lab run` script through runScript (transcript rendering excluded). */
export async function scriptFigure(label: string, script: string, runs: number): Promise<ScriptFigure> {
  let said = '';
  const timing = await measure({ warmup: 0, runs }, () => script, async (s) => {
    const entries = await runScript(s, { seed: 1, cols: 80 });
    said = entries[1]?.output.trim().split('\n').pop() ?? '';
  });
  return { label, timing, said };
}

function sink(): { io: ShellIo; bytes: () => number } {
  let n = 0;
  const w = { write: (s: string) => void (n += s.length) };
  return { io: { stdout: w, stderr: w, tty: false, columns: 80, signal: new AbortController().signal }, bytes: () => n };
}

export interface FollowFigure {
  label: string;
  timing: Timing;
  lines: number;
  /** Times a task's lines were made during the follow (each once is the least possible). */
  made: number;
}

/** `docker service logs -f` on `replicas` running redis tasks, until the idle swarm ends it. */
export async function followFigure(replicas: number, runs: number): Promise<FollowFigure> {
  let lines = 0;
  let made = 0;
  const timing = await measure(
    { warmup: 0, runs },
    async () => {
      const session = new Session({ seed: 1, mode: 'instant' });
      const { io } = sink();
      await session.run(`docker service create -d --replicas ${replicas} --name web redis:7.4.0`, io);
      await session.run('sleep 30', io);
      return session;
    },
    async (session) => {
      let out = '';
      const w = { write: (s: string) => void (out += s) };
      const before = session.sim.logs.made;
      await session.run('docker service logs -f web', { stdout: w, stderr: w, tty: false, columns: 80, signal: new AbortController().signal });
      lines = out.split('\n').length - 1;
      made = session.sim.logs.made - before;
    },
  );
  return { label: `docker service logs -f, ${replicas.toLocaleString('en-US')} running replicas`, timing, lines, made };
}

export interface RealtimeFigure {
  wallMs: number;
  /** How late a 10 ms timer set again and again fires: how long a message to the worker would wait. */
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** Wall time of the driver's ticks. */
  tickP99Ms: number;
  tickMaxMs: number;
  /** Virtual seconds simulated per wall second (20 = kept up with 20x). */
  virtualPerWall: number;
  /** Commands typed meanwhile (docker service ls, node ls): their wall times. */
  commandMaxMs: number;
  events: number;
}

/**
 * The browser's case in Node: a realtime session at 20x driven by RealtimeDriver on a real
 * setInterval, 20,000 replicas of an image that never starts, for `wallMs` of wall time, while
 * a probe measures how long the event loop keeps a message waiting and (with the detached
 * create) a command is typed every second.
 */
export async function realtimeFigure(wallMs: number, command = CREATE_20K): Promise<RealtimeFigure> {
  const session = new Session({ seed: 1, mode: 'realtime' });
  // As the browser's worker sets it (TerminalEngine.use).
  session.sim.yieldToHost = yieldToEventLoop;
  const { io } = sink();
  // Detached: it returns at once. Attached: it polls the service every 200 ms of swarm time
  // while the rest runs (and is still waiting when the measure ends).
  const created = session.run(command, io);
  if (command.includes(' -d ')) await created;
  const driver = new RealtimeDriver(session, 20);
  const ticks: number[] = [];
  const tick = driver.tick.bind(driver);
  driver.tick = () => {
    const t0 = performance.now();
    tick();
    ticks.push(performance.now() - t0);
  };
  const lags: number[] = [];
  const commands: number[] = [];
  const v0 = session.sim.clock.now;
  const f0 = session.sim.clock.fired;
  const started = performance.now();
  driver.start();
  await new Promise<void>((resolve) => {
    // A 10 ms timer, again and again: how late each one fires is how long the event loop
    // was busy when it came due (what a message from the page would have waited).
    const probe = (): void => {
      const due = performance.now() + 10;
      setTimeout(() => {
        lags.push(Math.max(0, performance.now() - due));
        if (performance.now() - started < wallMs) probe();
        else resolve();
      }, 10);
    };
    probe();
    let n = 0;
    const typing = setInterval(() => {
      if (!command.includes(' -d ')) return clearInterval(typing);
      const t0 = performance.now();
      void session.run(n++ % 2 === 0 ? 'docker service ls' : 'docker node ls', io).then(() => commands.push(performance.now() - t0));
      if (performance.now() - started >= wallMs) clearInterval(typing);
    }, 1000);
  });
  driver.stop();
  const elapsed = performance.now() - started;
  const sorted = [...lags].sort((a, b) => a - b);
  const sortedTicks = [...ticks].sort((a, b) => a - b);
  const p = (xs: number[], q: number): number => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
  return {
    wallMs: elapsed,
    lagP50Ms: median(lags),
    lagP99Ms: p(sorted, 0.99),
    lagMaxMs: sorted[sorted.length - 1]!,
    tickP99Ms: p(sortedTicks, 0.99),
    tickMaxMs: sortedTicks[sortedTicks.length - 1]!,
    virtualPerWall: (session.sim.clock.now - v0) / elapsed,
    commandMaxMs: commands.length > 0 ? Math.max(...commands) : 0,
    events: session.sim.clock.fired - f0,
  };
}

export const CREATE_20K_ATTACHED = 'docker service create --replicas 20000 --name x redis:9.9.9';
export const CHURN_SCRIPT_20K = `${CREATE_20K}\nsleep 1e9\ndocker service ls\n`;
export const CHURN_SCRIPT_100 = 'docker service create -d --replicas 100 --name x redis:9.9.9\nsleep 1e9\ndocker service ls\n';
