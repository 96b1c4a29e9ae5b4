// Query parameters as dockerd reads them: booleans by httputils.BoolValue, integers by
// strconv, and `filters` in both of its JSON forms.
import { ApiError } from '../../api/swarm-api.js';
import type { Filters } from '../../api/types.js';

/** httputils.BoolValue: anything but "", "0", "no", "false", "none" is true. */
export function boolValue(q: URLSearchParams, key: string): boolean {
  const v = (q.get(key) ?? '').trim().toLowerCase();
  return !['', '0', 'no', 'false', 'none'].includes(v);
}

/** A `version` query parameter (the object version an update is based on). */
export function versionParam(q: URLSearchParams): number {
  const raw = q.get('version') ?? '';
  if (!/^\d+$/.test(raw)) throw new ApiError(400, `invalid swarm object version '${raw}': strconv.ParseUint: parsing "${raw}": invalid syntax`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new ApiError(400, `invalid swarm object version '${raw}': strconv.ParseUint: parsing "${raw}": value out of range`);
  return n;
}

/**
 * `filters` as the CLI sends it ({"name":{"redis":true}}) or in the older list form
 * ({"name":["redis"]}); anything else is dockerd's 400.
 */
export function filtersParam(q: URLSearchParams): Filters | undefined {
  const raw = q.get('filters');
  if (raw === null || raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new ApiError(400, `invalid filter: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ApiError(400, 'invalid filter: expected a JSON object');
  const out: Filters = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      out[key] = value as string[];
    } else if (value !== null && typeof value === 'object' && Object.values(value).every((v) => typeof v === 'boolean')) {
      out[key] = Object.entries(value as Record<string, boolean>).filter(([, on]) => on).map(([k]) => k);
    } else {
      throw new ApiError(400, `invalid filter '${key}'`);
    }
  }
  return out;
}
