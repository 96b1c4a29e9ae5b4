// `-f key=value` flags (opts.FilterOpt) into the Engine's filter map; the daemon validates keys.
import type { Filters } from '../../../api/types.js';

export function filtersFromFlags(values: string[]): Filters {
  const out: Filters = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    const key = v.slice(0, eq).trim().toLowerCase();
    const value = v.slice(eq + 1).trim();
    (out[key] ??= []).push(value);
  }
  return out;
}
