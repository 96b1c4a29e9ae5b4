// What the lesson page's scripts use of <lesson-terminal> (src/client/terminal/lesson-terminal.ts),
// typed here so this folder does not import the terminal module itself: the element's
// script is loaded by Terminal.astro, and importing it twice would bundle it twice.

/** A lesson's start state, as the worker's reset() takes it. */
export interface StartState {
  topology?: string;
  swarm?: boolean;
  setup: string[];
}

/** A localized failure reason: a lesson.reason.* key and its {placeholders}. */
export interface CheckReason {
  key: string;
  params?: Record<string, string | number>;
}

/** One step's check result as the worker's check() returns it. */
export interface StepResultLike {
  stepId: string;
  ok: boolean;
  reason?: CheckReason;
}

/** How the page asks before a start state removes anything from the real swarm (terminal-session.ts LocalReset). */
export interface LocalResetLike {
  confirm(names: string[]): Promise<boolean>;
  kept?(): void;
  force?: boolean;
  skippedText?: string;
  failedText?: string;
}

export interface LessonTerminalElement extends HTMLElement {
  /** Which swarm is live: 'simulated', 'local' (the real one, through swarm-lab local) or 'lost'. */
  readonly backend: string;
  /** The terminal's width in columns now. */
  readonly columns: number;
  typeText(text: string): void;
  screenText(): string;
  /**
   * A fresh swarm in the given start state: the worker's reset(), then banner and prompt
   * redrawn. On the real swarm: planned by the server, `local.confirm` asked before removals.
   */
  resetSwarm(start: StartState, local?: LocalResetLike): Promise<void>;
  /** Every step's check of the lesson on the swarm as it is now. */
  check(lessonId: string): Promise<StepResultLike[]>;
  /** Whether the swarm meets what the lesson starts from; its reason says what differs. */
  precondition(lessonId: string): Promise<{ ok: true } | { ok: false; reason: CheckReason }>;
  /** A dim line in the terminal marking where a lesson begins. */
  writeDivider(title: string): void;
  /** The lesson's `$NAME` values on the current swarm. */
  vars(lessonId: string): Promise<Record<string, string>>;
  /** Notes kept with the swarm itself (they survive page loads and worker restarts with it). */
  getSwarmMeta(key: string): string | undefined;
  setSwarmMeta(key: string, value: string | undefined): void;
}

/**
 * Resolves once the terminal is ready for a command (at once if it is; never if `signal`
 * aborts first). The start state and the progress chunk both wait for this.
 */
export function terminalReady(terminal: HTMLElement, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): boolean => {
      if (terminal.dataset.state !== 'ready' || signal.aborted) return false;
      observer.disconnect();
      resolve();
      return true;
    };
    const observer = new MutationObserver(done);
    if (done()) return;
    observer.observe(terminal, { attributes: true, attributeFilter: ['data-state'] });
    signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  });
}

export function lessonTerminal(): LessonTerminalElement | null {
  return document.querySelector<LessonTerminalElement>('lesson-terminal');
}

/** Parses the JSON LessonColumns.astro writes; anything malformed means "no start state". */
export function parseStartState(json: string | undefined): StartState | undefined {
  if (json === undefined) return undefined;
  try {
    const v = JSON.parse(json) as Partial<StartState>;
    if (!Array.isArray(v.setup) || !v.setup.every((l) => typeof l === 'string')) return undefined;
    return {
      setup: v.setup,
      ...(typeof v.topology === 'string' ? { topology: v.topology } : {}),
      ...(typeof v.swarm === 'boolean' ? { swarm: v.swarm } : {}),
    };
  } catch {
    return undefined;
  }
}

/** A fresh page's swarm is the default one: three machines, a swarm, nothing run. */
export function isDefaultStart(s: StartState): boolean {
  return s.topology === undefined && s.swarm !== false && s.setup.length === 0;
}
