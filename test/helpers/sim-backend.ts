// The local server's backend over the simulator, for the tests that run the server (or its
// terminal) without Docker: the simulator's machines, its clock moved by the test, and,
// when `calls` is given, every Engine call recorded (so "no Engine call was made" is assertable).
import type { EngineCall } from '../../engine/node/server/call-log.js';
import { recordCalls } from '../../engine/node/server/call-log.js';
import type { LocalBackend } from '../../engine/node/server/backend.js';
import { realtimeCliClock } from '../../engine/session.js';
import type { Simulator } from '../../engine/sim/simulator.js';

export function simBackend(sim: Simulator, opts: { calls?: EngineCall[]; kind?: LocalBackend['kind'] } = {}): LocalBackend {
  const calls = opts.calls;
  return {
    kind: opts.kind ?? 'sandbox',
    name: 'manager1',
    startNode: 'manager1',
    hostnames: () => sim.hostnames(),
    api: (h) => (sim.hostnames().includes(h) ? (calls ? recordCalls(sim.api(h), calls) : sim.api(h)) : undefined),
    clock: realtimeCliClock(sim.clock),
  };
}
