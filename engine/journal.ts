// The swarm's write log. The simulator holds closures on a timer heap, so it cannot be
// serialised; but it is deterministic: the same seed, topology and start instant, plus the
// same state-changing Engine API calls made at the same virtual times, give the same swarm
// (reads never touch its state or its random stream). So a learner's swarm is saved as
// that recipe and restored by replaying it — after a worker crash, or across a full page
// load such as a language switch. Failures the learner injects (a node's dockerd stopped
// or started, a container killed: engine/sim/faults.ts) are not API calls but are part of
// the recipe all the same, as entries of their own kind.
import type { SwarmApi } from './api/swarm-api.js';
import { ApiError, DaemonUnreachableError, isApiError } from './api/swarm-api.js';
import type { Injection, InjectionKind } from './sim/faults.js';
import { applyInjection, INJECTION_KINDS } from './sim/faults.js';
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

/** A state-changing Engine API call. */
export interface CallEntry {
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

/** An injected failure, resolved (a hostname or a task ID), made at its virtual time. */
export interface InjectionEntry {
  at: number;
  inject: InjectionKind;
  target: string;
}

export type JournalEntry = CallEntry | InjectionEntry;

export const isInjectionEntry = (e: JournalEntry): e is InjectionEntry => 'inject' in e;

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
    const entry: CallEntry = { at: this.now(), host, method, args: JSON.parse(json) as unknown[] };
    this.entries.push(entry);
    this.held += cost;
    const stamp = this.stamp;
    const before = stamp?.();
    const forgetIfUnchanged = (e: unknown): void => {
      // Refused by the daemon, or no daemon answered (a stopped dockerd).
      const refused = isApiError(e) || e instanceof DaemonUnreachableError;
      if (before === undefined || !refused || stamp!() !== before) return;
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

  /**
   * Makes an injected failure with `make` and keeps it when it was made (true). As with
   * writes, without a stamp it is kept even when it could not be made (a replay keeps every
   * entry as saved). A journal at its limits refuses it first, with the same error as a write.
   */
  inject(injection: Injection, make: () => boolean): boolean {
    const entry: InjectionEntry = { at: this.now(), inject: injection.kind, target: injection.target };
    const cost = JSON.stringify(entry).length + ENTRY_OVERHEAD;
    const refusal = this.refusal(cost);
    if (refusal) throw refusal;
    const made = make();
    if (!made && this.stamp !== undefined) return false;
    this.entries.push(entry);
    this.held += cost;
    return made;
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

/**
 * Makes again what `e` records: the call on the daemon `api` gives for its host (arguments
 * left out are passed as undefined again), or the injection on `sim`. Rejects, or resolves
 * false for an injection, when it fails now as it failed then (or does not fit this swarm).
 */
export function replayEntry(sim: Simulator, api: (host: string) => SwarmApi | undefined, e: JournalEntry): Promise<unknown> {
  if (isInjectionEntry(e)) return Promise.resolve(applyInjection(sim, { kind: e.inject, target: e.target }));
  const daemon = api(e.host);
  if (!daemon) return Promise.reject(new Error(`no machine named ${e.host}`));
  const method = daemon[e.method] as (...args: unknown[]) => Promise<unknown>;
  return method.apply(daemon, e.args.map((a) => a ?? undefined));
}

/** Longest target an injection entry may name (hostnames are at most 63, task IDs 25). */
const MAX_TARGET = 253;

/** Checks that a value read back from storage is a journal entry (it may be stale or tampered with). */
export function isJournalEntry(v: unknown): v is JournalEntry {
  if (!v || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  if (typeof e['at'] !== 'number' || !Number.isFinite(e['at']) || e['at'] < 0) return false;
  if ('inject' in e) {
    return (
      (INJECTION_KINDS as readonly unknown[]).includes(e['inject']) &&
      typeof e['target'] === 'string' &&
      e['target'].length > 0 &&
      e['target'].length <= MAX_TARGET &&
      Object.keys(e).length === 3
    );
  }
  return (
    typeof e['host'] === 'string' &&
    typeof e['method'] === 'string' &&
    isWrite(e['method']) &&
    Array.isArray(e['args'])
  );
}
