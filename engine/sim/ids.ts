// Identifiers in the forms swarmkit and dockerd produce them.
import type { Rng } from './rng.js';

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';

/** Swarm object ID: 25 lowercase base36 characters. */
export const newObjectId = (rng: Rng): string => rng.chars(25, BASE36);

/** Container ID: 64 lowercase hex characters. */
export const newContainerId = (rng: Rng): string => rng.chars(64, HEX);

/** A sha256 digest string, `sha256:` + 64 hex. */
export const newDigest = (rng: Rng): string => 'sha256:' + rng.chars(64, HEX);

/** Join token `SWMTKN-1-<50 base36 CA digest>-<25 base36 secret>`; worker and manager share the middle part. */
export const newJoinToken = (rng: Rng, caDigest36: string): string =>
  `SWMTKN-1-${caDigest36}-${rng.chars(25, BASE36)}`;

export const newCaDigest36 = (rng: Rng): string => rng.chars(50, BASE36);

export const isObjectId = (s: string): boolean => /^[0-9a-z]{25}$/.test(s);

/** A random (version 4) UUID. */
export function newUuid(rng: Rng): string {
  const h = rng.chars(32, HEX);
  const variant = '89ab'[rng.int(4)]!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
