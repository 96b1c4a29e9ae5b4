// `-f key=value` flags into the Engine API's filter map (docker's opts.FilterOpt).
import type { Filters } from '../../api/types.js';

export function toFilters(values: readonly string[]): Filters | undefined {
  if (values.length === 0) return undefined;
  const out: Filters = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    const key = v.slice(0, eq).trim().toLowerCase();
    (out[key] ??= []).push(v.slice(eq + 1).trim());
  }
  return out;
}
