// Timing and heap helpers for the benchmarks: warm up, then time several runs with
// performance.now() and report the median with the spread, so one GC pause or JIT tier-up
// does not decide a pass or a fail.
import { performance } from 'node:perf_hooks';

export interface Timing {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median CPU time (user + system) of the process over the same runs: on a busy machine it stays close to the idle wall time. */
  cpuMedianMs: number;
}

export interface MeasureOptions {
  warmup: number;
  runs: number;
}

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly number[], cpuSamples: readonly number[] = samples): Timing {
  return { runs: samples.length, medianMs: median(samples), minMs: Math.min(...samples), maxMs: Math.max(...samples), cpuMedianMs: median(cpuSamples) };
}

/**
 * Times `run` `opts.runs` times after `opts.warmup` untimed calls. `prepare` builds each run's
 * input outside the timed region (a fresh swarm, say) and its result is passed to `run`.
 */
export async function measure<T>(
  opts: MeasureOptions,
  prepare: () => T | Promise<T>,
  run: (input: T) => unknown | Promise<unknown>,
): Promise<Timing> {
  for (let i = 0; i < opts.warmup; i++) await run(await prepare());
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const input = await prepare();
    // Start each timed run from a collected heap so earlier runs' garbage is not billed to it.
    collectGarbage();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run(input);
    samples.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuSamples.push((c.user + c.system) / 1000);
  }
  return summarize(samples, cpuSamples);
}

type GcFn = () => void;

/** A full, synchronous GC. Needs node --expose-gc (main.ts re-executes itself with it). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: GcFn }).gc;
  if (!gc) throw new Error('global gc() is missing: run node with --expose-gc');
  // Twice: the first pass can leave objects that only become unreachable after finalization.
  gc();
  gc();
}

/** Used heap in bytes after a forced full GC. */
export function heapUsedAfterGc(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

export const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
export const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
export const fmt = (t: Timing): string =>
  `${ms(t.medianMs)} ms (min ${ms(t.minMs)}, max ${ms(t.maxMs)}, ${t.runs} runs; CPU ${ms(t.cpuMedianMs)} ms)`;
