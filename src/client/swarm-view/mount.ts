// The swarm view's chunk entry: <lesson-terminal> imports it once its prompt is ready, and
// mounts the panel into its `[data-swarm-view-slot]`. The slot's owner (the dock's layout)
// collapses the view by setting `data-collapsed` on the slot (or hiding it): the panel is
// closed then, and does no work. The element is persisted across lesson pages (ClientRouter),
// and so is the panel: mounting again re-attaches the same one.
import './swarm-view.css';
import type { TerminalSession } from '../terminal/terminal-session.js';
import { SwarmViewPanel } from './panel.js';
import { LocalViewSource } from './local-source.js';
import type { SwarmViewSource } from './source.js';
import { WorkerViewSource } from './source.js';
import { readStrings } from './strings.js';
import type { InjectState } from './failures.js';

export interface ViewHost {
  /** Types text into the terminal as the learner would. */
  typeText(text: string): void;
}

/** The failure menus' state: only the simulated swarm's terminal, at its prompt. */
const injectState = (session: TerminalSession): InjectState =>
  session.backend !== 'simulated' ? 'local' : session.state === 'ready' ? 'ok' : 'busy';

const panels = new WeakMap<HTMLElement, SwarmViewPanel>();

/** Mounts (or re-attaches) the panel in `slot`; the returned function detaches it (no more work). */
export function mountSwarmView(slot: HTMLElement, session: TerminalSession, host: ViewHost): () => void {
  let panel = panels.get(slot);
  if (!panel) {
    panel = new SwarmViewPanel(readStrings(slot), {
      run: (command) => host.typeText(`${command}\n`),
      inject: (kind, target, line) => session.inject(kind, target, line),
    });
    panels.set(slot, panel);
    slot.append(panel.root);
  }
  const p = panel;
  const worker = new WorkerViewSource(session);
  const local = new LocalViewSource();
  // The simulated swarm's view comes from the worker; the real swarm's (local mode) from the
  // local server over the terminal's socket (a reconnect brings a new one); none while the
  // local server is lost.
  const pickSource = (): SwarmViewSource | undefined => {
    if (session.backend === 'simulated') return worker;
    local.attach(session.backend === 'local' ? session.remoteEngine : undefined);
    return session.backend === 'local' ? local : undefined;
  };
  const sync = (): void => {
    p.setSource(pickSource());
    p.setInjectState(injectState(session));
    p.setOpen(slot.isConnected && !slot.hidden && !slot.hasAttribute('data-collapsed'));
  };
  const observer = new MutationObserver(sync);
  observer.observe(slot, { attributes: true, attributeFilter: ['data-collapsed', 'hidden'] });
  const unlisten = session.onChange(sync);
  sync();
  return () => {
    observer.disconnect();
    unlisten();
    p.setOpen(false);
    p.setSource(undefined);
  };
}
