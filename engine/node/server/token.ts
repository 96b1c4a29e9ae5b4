// The per-launch secret: 256 bits from the CSPRNG, new at every start, handed to the
// browser only in the launch URL's fragment (never a cookie, never logged).
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_BYTES = 32;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Constant-time comparison; a candidate of another length is refused before timingSafeEqual (which throws on it). */
export function tokenMatches(expected: string, candidate: unknown): boolean {
  if (typeof candidate !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(candidate, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** The token from `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer ([A-Za-z0-9_-]{1,256})$/.exec(header);
  return m?.[1];
}
