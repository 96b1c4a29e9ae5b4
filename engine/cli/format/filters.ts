// `-f key=value` flags (docker's opts.FilterOpt) into the Engine API's filter map; the daemon validates keys.
import type { Filters } from '../../api/types.js';

export function toFilters(values: readonly string[]): Filters {
  const out: Filters = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    const key = v.slice(0, eq).trim().toLowerCase();
    (out[key] ??= []).push(v.slice(eq + 1).trim());
  }
  return out;
}
