// The swarm's write log. The simulator holds closures on a timer heap, so it cannot be
// serialised; but it is deterministic: the same seed, topology and start instant, plus the
// same state-changing Engine API calls made at the same virtual times, give the same swarm
// (reads never touch its state or its random stream). So a learner's swarm is saved as
// that recipe and restored by replaying it — after a worker crash, or across a full page
// load such as a language switch.
import type { SwarmApi } from './api/swarm-api.js';
import { ApiError, isApiError } from './api/swarm-api.js';
import type { Simulator } from './sim/simulator.js';

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

/** How much a journal may hold; a write past either bound is refused before it is made. */
export interface JournalLimits {
  /** Entries (successful writes, and refused ones that changed something). */
  maxEntries: number;
  /** Characters of argument JSON over all entries (each entry counts at least 100). */
  maxBytes: number;
  /** Said after the refusal: what the learner can do (e.g. start a new swarm). */
  hint?: string;
}

/** Fixed cost counted per entry besides its arguments, so small entries are bounded too. */
const ENTRY_OVERHEAD = 100;

const isWrite = (name: PropertyKey): name is WriteMethod => (WRITE_METHODS as readonly PropertyKey[]).includes(name);

/**
 * A fingerprint of everything a write call can change in `sim`: its random stream (every
 * ID, name and version draws from it), its timers, and how many nodes, services and tasks
 * it holds. Equal before and after a refused call means the call changed nothing, so
 * replay does not need it (see Journal.stamp). The Rng keeps its state in its own fields,
 * which JSON reads (test/serve-journal.test.ts checks that a draw changes the stamp).
 */
export function simulatorStamp(sim: Simulator): () => string {
  return () =>
    `${JSON.stringify(sim.rng)}|${sim.clock.pending}|${sim.cluster.nodes.size}|${sim.cluster.services.size}|${sim.cluster.tasks.size}|${sim.cluster.swarm?.version ?? '-'}`;
}

export class Journal {
  readonly entries: JournalEntry[] = [];
  /**
   * When set: a write the daemon refuses (an ApiError) whose stamp is the same after the
   * call as before changed nothing, so it is not kept. Refused writes can change something:
   * a service created without a name draws its random name before the spec is checked,
   * and a replay without that call would draw every later ID differently. Without a stamp
   * every write is kept, refused ones too (replaying them fails the same way).
   */
  stamp: (() => string) | undefined;
  /** When set, bounds what the journal holds (a client must not grow it without end). */
  limits: JournalLimits | undefined;
  /** Characters of argument JSON held (plus the per-entry overhead). */
  private held = 0;
  private readonly wrapped = new Map<string, SwarmApi>();

  constructor(private readonly now: () => number) {}

  /** What the entries hold, as counted against `limits.maxBytes`. */
  get size(): number {
    return this.held;
  }

  /**
   * `api` as seen through the journal: write calls are logged (failed ones too, unless the
   * stamp shows they changed nothing: a call that throws half-way must not be lost) and
   * then made; reads pass straight through.
   */
  wrap(host: string, api: SwarmApi): SwarmApi {
    const known = this.wrapped.get(host);
    if (known) return known;
    const proxy = new Proxy(api, {
      get: (target, prop, receiver) => {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (!isWrite(prop)) return method.bind(target);
        return (...args: unknown[]) => this.call(host, prop, () => method.apply(target, args), args);
      },
    });
    this.wrapped.set(host, proxy);
    return proxy;
  }

  private call(host: string, method: WriteMethod, make: () => unknown, args: unknown[]): unknown {
    // Through JSON now, so a replay from memory (worker restart) and one from storage
    // (page load) see the very same arguments.
    const json = JSON.stringify(args.map((a) => a ?? null));
    const cost = json.length + ENTRY_OVERHEAD;
    const refusal = this.refusal(cost);
    if (refusal) return Promise.reject(refusal);
    const entry: JournalEntry = { at: this.now(), host, method, args: JSON.parse(json) as unknown[] };
    this.entries.push(entry);
    this.held += cost;
    const stamp = this.stamp;
    const before = stamp?.();
    const forgetIfUnchanged = (e: unknown): void => {
      if (before === undefined || !isApiError(e) || stamp!() !== before) return;
      const i = this.entries.lastIndexOf(entry);
      if (i < 0) return;
      this.entries.splice(i, 1);
      this.held -= cost;
    };
    let result: unknown;
    try {
      result = make();
    } catch (e) {
      forgetIfUnchanged(e);
      throw e;
    }
    if (before === undefined || !(result instanceof Promise)) return result;
    return result.catch((e: unknown) => {
      forgetIfUnchanged(e);
      throw e;
    });
  }

  /** The error for a write that would take the journal past its limits. */
  private refusal(cost: number): ApiError | undefined {
    const l = this.limits;
    if (!l) return undefined;
    const hint = l.hint ? `: ${l.hint}` : '';
    if (this.entries.length >= l.maxEntries) {
      return new ApiError(507, `Swarm Lab keeps at most ${l.maxEntries} changes to a simulated swarm (it replays them to restore the swarm), and this swarm has made that many${hint}`);
    }
    if (this.held + cost > l.maxBytes) {
      const size = (n: number): string => (n >= 1 << 20 ? `${Math.round((n / (1 << 20)) * 10) / 10} MB` : `${Math.ceil(n / 1024)} KB`);
      return new ApiError(
        507,
        `Swarm Lab keeps at most ${size(l.maxBytes)} of changes to a simulated swarm (it replays them to restore the swarm); this swarm holds ${size(this.held)} and this change is ${size(cost)}${hint}`,
      );
    }
    return undefined;
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
