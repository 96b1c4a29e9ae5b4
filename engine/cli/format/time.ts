// Timestamps as the Engine API carries them (RFC3339 with nanoseconds) and as docker prints them.

export interface Timestamp {
  /** Milliseconds since the epoch (the whole milliseconds of the instant). */
  ms: number;
  /** Nanoseconds within the second, 0..999999999 (full precision). */
  nanos: number;
}

/** Parses RFC3339 / RFC3339Nano (`2026-11-27T14:23:00.26534309Z`, offsets allowed). */
export function parseTimestamp(s: string): Timestamp {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) {
    const ms = Date.parse(s);
    if (Number.isNaN(ms)) throw new Error(`invalid timestamp: ${s}`);
    return { ms, nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000 };
  }
  const nanos = Number((m[2] ?? '').padEnd(9, '0'));
  const whole = Date.parse(`${m[1]}${m[3]}`);
  return { ms: whole + Math.floor(nanos / 1_000_000), nanos };
}

/** Milliseconds since the epoch of an API timestamp. */
export const timestampMs = (s: string): number => parseTimestamp(s).ms;

const fractionTrimmed = (nanos: number) => {
  if (nanos === 0) return '';
  return '.' + String(nanos).padStart(9, '0').replace(/0+$/, '');
};

/** RFC3339Nano in UTC with trailing zeros trimmed, as Go's json marshals time.Time. */
export function formatRfc3339Nano(ms: number, nanos?: number): string {
  const base = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
  const ns = nanos ?? (((ms % 1000) + 1000) % 1000) * 1_000_000;
  return `${base}${fractionTrimmed(ns)}Z`;
}

/** Go's time.Time.String() of a UTC instant: `2026-11-27 14:19:20.796952432 +0000 UTC`. */
export function goTimeString(s: string): string {
  const t = parseTimestamp(s);
  const base = new Date(Math.floor(t.ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return `${base}${fractionTrimmed(t.nanos)} +0000 UTC`;
}

/** docker's command.PrettyPrint: first letter upper-cased, the rest lower-cased. */
export function capitalizeFirst(s: string): string {
  const first = [...s][0];
  if (first === undefined) return '';
  return first.toUpperCase() + s.slice(first.length).toLowerCase();
}
