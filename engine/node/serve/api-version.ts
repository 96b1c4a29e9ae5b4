// Which Engine API versions `swarm-lab serve` answers, and the `/vX.Y` path prefix as dockerd
// reads it. The simulated daemon reports engine 28.2.2 / API 1.50, so the docker 28 CLI
// negotiates 1.50 and sends every request under /v1.50; unversioned paths mean "the newest".
import { ApiError } from '../../api/swarm-api.js';
import { API_VERSION } from '../../sim/views.js';

export const MAX_API_VERSION = API_VERSION;
/** dockerd 28's oldest supported API (its MinAPIVersion). */
export const MIN_API_VERSION = '1.24';

const compare = (a: string, b: string): number => {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am !== bm ? am - bm : an - bn;
};

export interface VersionedPath {
  /** The API version the client asked for (the newest when the path has none). */
  version: string;
  /** The path without its version prefix, e.g. `/services/redis`. */
  path: string;
}

/**
 * Splits `/v1.50/services` into version and path, refusing versions outside what we serve
 * with dockerd's own 400 texts. A malformed prefix (`/vx/…`) is left in the path, so it is
 * an unknown path (404), as dockerd's router treats it.
 */
export function splitVersion(path: string): VersionedPath {
  const m = /^\/v(\d+\.\d+)(\/.*)$/.exec(path);
  if (!m) return { version: MAX_API_VERSION, path };
  const version = m[1]!;
  if (compare(version, MAX_API_VERSION) > 0) {
    throw new ApiError(400, `client version ${version} is too new. Maximum supported API version is ${MAX_API_VERSION}`);
  }
  if (compare(version, MIN_API_VERSION) < 0) {
    throw new ApiError(400, `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
  }
  return { version, path: m[2]! };
}
