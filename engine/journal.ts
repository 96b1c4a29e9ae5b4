// The swarm's write log. The simulator holds closures on a timer heap, so it cannot be
// serialised; but it is deterministic: the same seed, topology and start instant, plus the
// same state-changing Engine API calls made at the same virtual times, give the same swarm
// (reads never touch its state or its random stream). So a learner's swarm is saved as
// that recipe and restored by replaying it — after a worker crash, or across a full page
// load such as a language switch.
import type { SwarmApi } from './api/swarm-api.js';

/** The SwarmApi methods that change the swarm; every other method only reads it. */
export const WRITE_METHODS = [
  'swarmInit',
  'swarmJoin',
  'swarmLeave',
  'swarmUpdate',
  'nodeUpdate',
  'nodeRemove',
  'serviceCreate',
  'serviceUpdate',
  'serviceDelete',
] as const satisfies readonly (keyof SwarmApi)[];

export type WriteMethod = (typeof WRITE_METHODS)[number];

export interface JournalEntry {
  /** Virtual time of the call (ms since the simulation started). */
  at: number;
  /** The machine whose daemon was called (as DOCKER_HOST would name it). */
  host: string;
  method: WriteMethod;
  /**
   * The call's arguments as JSON has them (copied when the call was made: the caller may
   * reuse its objects). An argument left out is null here.
   */
  args: unknown[];
}

const isWrite = (name: PropertyKey): name is WriteMethod => (WRITE_METHODS as readonly PropertyKey[]).includes(name);

export class Journal {
  readonly entries: JournalEntry[] = [];
  private readonly wrapped = new Map<string, SwarmApi>();

  constructor(private readonly now: () => number) {}

  /**
   * `api` as seen through the journal: write calls are logged (failed ones too: replaying
   * them fails the same way, and a call that throws half-way must not be lost) and then
   * made; reads pass straight through.
   */
  wrap(host: string, api: SwarmApi): SwarmApi {
    const known = this.wrapped.get(host);
    if (known) return known;
    const entries = this.entries;
    const now = this.now;
    const proxy = new Proxy(api, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (!isWrite(prop)) return method.bind(target);
        return (...args: unknown[]) => {
          // Through JSON now, so a replay from memory (worker restart) and one from storage
          // (page load) see the very same arguments.
          entries.push({ at: now(), host, method: prop, args: JSON.parse(JSON.stringify(args.map((a) => a ?? null))) as unknown[] });
          return method.apply(target, args);
        };
      },
    });
    this.wrapped.set(host, proxy);
    return proxy;
  }
}

/** Makes the call `e` records on `api` (arguments left out are passed as undefined again). */
export function replayEntry(api: SwarmApi, e: JournalEntry): Promise<unknown> {
  const method = api[e.method] as (...args: unknown[]) => Promise<unknown>;
  return method.apply(api, e.args.map((a) => a ?? undefined));
}

/** Checks that a value read back from storage is a journal entry (it may be stale or tampered with). */
export function isJournalEntry(v: unknown): v is JournalEntry {
  if (!v || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e['at'] === 'number' &&
    Number.isFinite(e['at']) &&
    e['at'] >= 0 &&
    typeof e['host'] === 'string' &&
    typeof e['method'] === 'string' &&
    isWrite(e['method']) &&
    Array.isArray(e['args'])
  );
}
