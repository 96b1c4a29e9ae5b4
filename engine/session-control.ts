// The shell's handle on the session's time and history (the `pause`, `play`, `step`, `undo`
// and `redo` builtins) and on injected failures (`lab`). A host without one (local mode's server-side shell, on a real swarm)
// gets none, and those builtins say they are not available there.
import type { Session } from './session.js';
import type { SwarmControl } from './shell/shell.js';
import { changesSince, observe } from './step.js';

export function sessionControl(session: Session): SwarmControl {
  return {
    get realtime() {
      return session.mode === 'realtime';
    },
    paused: () => session.paused,
    pause: () => void (session.paused = true),
    play: () => void (session.paused = false),
    step: () => {
      const before = observe(session.sim);
      const moved = session.step();
      return { moved, changes: moved ? changesSince(session.sim, before) : [] };
    },
    now: () => session.sim.clock.now,
    undo: () => session.undoLast(),
    redo: () => session.redoLast(),
    inject: (kind, ref) => session.inject(kind, ref),
  };
}
