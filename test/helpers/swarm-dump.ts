// Running lines on a Session as the hosts do, and everything the Engine API shows about its
// swarm, for tests that compare two swarms (a restored one, an undone one) with each other.
import type { Session } from '../../engine/session.js';

const sink = () => {
  let text = '';
  return { write: (t: string) => void (text += t), text: () => text };
};

/** Runs a line on a realtime session, moving its clock in `ticks` (ms, cycled) until it ends. */
export async function runRealtime(session: Session, line: string, ticks: number[], abortAfterMs?: number): Promise<string> {
  const out = sink();
  const controller = new AbortController();
  let done = false;
  const finished = session.run(line, { stdout: out, stderr: out, tty: true, columns: 120, signal: controller.signal }).finally(() => (done = true));
  const started = session.sim.clock.now;
  for (let i = 0; !done; i++) {
    await new Promise<void>((r) => setTimeout(r, 0));
    if (done) break;
    if (abortAfterMs !== undefined && session.sim.clock.now - started >= abortAfterMs) controller.abort();
    session.advance(ticks[i % ticks.length]!);
    if (session.sim.clock.now - started > 600_000) controller.abort(); // a wait that never ends
  }
  await finished;
  return out.text();
}

/** Runs a line on an instant-mode session (its waits move the clock themselves). */
export async function runInstant(session: Session, line: string): Promise<string> {
  const out = sink();
  await session.run(line, { stdout: out, stderr: out, tty: false, columns: 120, signal: new AbortController().signal });
  return out.text();
}

/** Everything the Engine API shows about the swarm, from every machine. */
export async function dump(session: Session, opts: { shell?: boolean } = {}): Promise<unknown> {
  const out: Record<string, unknown> = { now: session.sim.clock.now, ...(opts.shell === false ? {} : { shell: session.shell.state() }) };
  for (const h of session.sim.hostnames()) {
    const api = session.sim.api(h);
    const read = <T>(p: Promise<T>): Promise<T | string> => p.catch((e: Error) => `error: ${e.message}`);
    out[h] = {
      info: await read(api.info()),
      swarm: await read(api.swarmInspect()),
      nodes: await read(api.nodeList()),
      services: await read(api.serviceList({ status: true })),
      tasks: await read(api.taskList()),
      containers: await read(api.containerList({ all: true })),
    };
  }
  return out;
}

