// Timestamps in the Engine API's form: RFC 3339 with up to nanosecond precision and
// trailing zeros trimmed, like Go's time.RFC3339Nano. Shared by both sides of the API.

/** Formats epoch milliseconds (fractional part = sub-millisecond precision) as RFC3339Nano UTC. */
export function rfc3339Nano(epochMs: number): string {
  const wholeSeconds = Math.floor(epochMs / 1000);
  const base = new Date(wholeSeconds * 1000).toISOString().slice(0, 19);
  const nanos = Math.min(999_999_999, Math.max(0, Math.round((epochMs - wholeSeconds * 1000) * 1e6)));
  if (nanos === 0) return `${base}Z`;
  return `${base}.${String(nanos).padStart(9, '0').replace(/0+$/, '')}Z`;
}
