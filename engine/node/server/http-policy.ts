// Transport rules of the local server (local-mode-security.md, checklist items 1-7) as pure
// functions: which listen addresses, Host headers and Origins are accepted, the headers
// every response carries, and a token bucket for rate limits.

/** The only addresses the server may listen on. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1']);

/** Host header values accepted for a server on `port` (DNS rebinding arrives with another name). */
export function allowedHosts(port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/**
 * Origins accepted on the WebSocket upgrade and on every non-GET request: the server's own,
 * under each accepted Host name, plus any configured extra origin. Compared exactly.
 */
export function allowedOrigins(port: number, extra: readonly string[] = []): ReadonlySet<string> {
  return new Set([...[...allowedHosts(port)].map((h) => `http://${h}`), ...extra]);
}

/**
 * The Host header of a request given its raw header list: exactly one, or undefined
 * (none, as HTTP/1.0 allows, or two, which proxies and servers may read differently).
 */
export function singleHeader(rawHeaders: readonly string[], name: string): string | undefined {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === name) values.push(rawHeaders[i + 1]!);
  }
  return values.length === 1 ? values[0] : undefined;
}

/** Sent on every response, refusals included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** `application/json`, optionally with a charset parameter; nothing a form or a simple request can send. */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [type, ...params] = value.split(';').map((s) => s.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => p === '' || p === 'charset=utf-8');
}

/** A token bucket: `capacity` events at once, refilled at `perSecond`. */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** True if one more event is allowed now (and counts it). */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
