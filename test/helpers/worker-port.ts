// The worker entry (engine/worker.ts) driven through comlink over a MessageChannel, as the
// page drives it: the test file's globals stand in for the worker's (addEventListener,
// postMessage), so engine/worker.ts exposes its TerminalEngine on one port and the test holds
// the other. Call in the file's top level: it registers its own beforeAll/afterAll.
import * as Comlink from 'comlink';
import { afterAll, beforeAll, vi } from 'vitest';
import type { TerminalEngine } from '../../engine/worker.js';

export interface WorkerPort {
  /** The engine behind comlink (set once beforeAll ran). */
  readonly engine: Comlink.Remote<TerminalEngine>;
  /** Runs a line at `columns`; its exit code and every output chunk in arrival order. */
  run(line: string, columns?: number): Promise<{ code: number; chunks: string[]; out: string }>;
}

export function workerPort(): WorkerPort {
  let engine: Comlink.Remote<TerminalEngine> | undefined;
  let port1: InstanceType<typeof MessagePort>;
  let port2: InstanceType<typeof MessagePort>;
  beforeAll(async () => {
    ({ port1, port2 } = new MessageChannel());
    vi.stubGlobal('addEventListener', port1.addEventListener.bind(port1));
    vi.stubGlobal('removeEventListener', port1.removeEventListener.bind(port1));
    vi.stubGlobal('postMessage', port1.postMessage.bind(port1));
    port1.start();
    await import('../../engine/worker.js');
    engine = Comlink.wrap<TerminalEngine>(port2 as unknown as Comlink.Endpoint);
  });
  afterAll(() => {
    engine?.[Comlink.releaseProxy]();
    port1.close();
    port2.close();
    vi.unstubAllGlobals();
  });
  const port: WorkerPort = {
    get engine() {
      if (!engine) throw new Error('workerPort: the engine is there once beforeAll has run');
      return engine;
    },
    async run(line, columns = 100) {
      const chunks: string[] = [];
      const code = await port.engine.run(line, columns, Comlink.proxy((t: string) => void chunks.push(t)));
      return { code, chunks, out: chunks.join('') };
    },
  };
  return port;
}
