// JSON as docker prints it: Go's encoding/json text (HTML-safe escapes for inspect,
// 4-space indent) and the compact form the `json` template function produces.

/** Go's string escaping: \u0008/\u000c instead of \b/\f, U+2028/2029 escaped, optional HTML escapes. */
function goEscape(jsonText: string, escapeHtml: boolean): string {
  let out = jsonText
    .replaceAll('\\b', '\\u0008')
    .replaceAll('\\f', '\\u000c')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
  if (escapeHtml) out = out.replaceAll('<', '\\u003c').replaceAll('>', '\\u003e').replaceAll('&', '\\u0026');
  return out;
}

/** json.MarshalIndent(v, "", "    ") — used by inspect, which prints an array of objects. */
export function goJsonIndent(value: unknown, escapeHtml = true): string {
  // JSON.stringify's layout for 4 spaces matches Go's, including `[]` and `{}` for empty values.
  // A `\\b` in the text could only come from an escaped backslash followed by b, so protect those first.
  const text = JSON.stringify(value, null, 4) ?? 'null';
  return goEscapeSafe(text, escapeHtml);
}

/**
 * The rows of ls/ps tables: docker/cli's formatter contexts, whose MarshalJSON is
 * json.Marshal of a map (keys sorted, HTML escaped), whatever encoder prints them.
 */
const formatterContexts = new WeakSet<object>();

/** Marks `row` as a formatter context (see formatterContexts). */
export function asFormatterContext<T extends object>(row: T): T {
  formatterContexts.add(row);
  return row;
}

/**
 * Compact JSON as the `json` template function prints it: no HTML escaping, except inside a
 * formatter context, which marshals itself with escaping (`*:8080->80/tcp` prints as
 * `*:8080-\u003e80/tcp` in `service ls --format '{{json .}}'`, seen with the real CLI).
 */
export function goJsonCompact(value: unknown): string {
  if (value !== null && typeof value === 'object' && formatterContexts.has(value)) {
    const sorted = Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return goEscapeSafe(JSON.stringify(sorted) ?? 'null', true);
  }
  return goEscapeSafe(JSON.stringify(value) ?? 'null', false);
}

/** Applies goEscape without touching `\\b`/`\\f` sequences that are escaped backslashes. */
function goEscapeSafe(text: string, escapeHtml: boolean): string {
  return text
    .split('\\\\')
    .map((part) => goEscape(part, escapeHtml))
    .join('\\\\');
}

/**
 * The text `docker ... inspect` prints for a list of objects, ending in a newline. `escapeHtml`
 * false for a daemon reply encoded without it (networks: `"VIP": "<nil>"` in the real capture).
 */
export function inspectJson(items: readonly unknown[], escapeHtml = true): string {
  return goJsonIndent(items, escapeHtml) + '\n';
}
