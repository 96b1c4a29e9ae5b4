// The request target as dockerd's router reads it. Go's net/http percent-decodes the path
// (URL.Path) and gorilla/mux, in front of every route, cleans it: a path with `//`, `.` or
// `..` segments is answered `301 Moved Permanently` with `Location:` the cleaned path (the
// query kept), before any handler or middleware runs. So `GET //v1.41//info` is a 301 to
// `/v1.41/info`; the docker client does not follow it (its CheckRedirect).

export interface RequestTarget {
  /** The path as sent (still percent-encoded), which the router matches. */
  path: string;
  /** The query string without its `?` ('' when there is none). */
  query: string;
  /** Whether the target had a `?` at all (Go keeps an empty one: ForceQuery). */
  hasQuery: boolean;
}

/**
 * Splits a request target. An absolute-form target (`http://host/path`, which Go's server
 * accepts) contributes only its path and query.
 */
export function splitTarget(raw: string): RequestTarget {
  let rest = raw;
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/?]*/i.exec(rest);
  if (abs) rest = rest.slice(abs[0].length) || '/';
  const q = rest.indexOf('?');
  return q < 0 ? { path: rest, query: '', hasQuery: false } : { path: rest.slice(0, q), query: rest.slice(q + 1), hasQuery: true };
}

/**
 * Go's url.PathUnescape, as bytes in a latin1 string (one char per byte, so nothing is
 * lost whatever the bytes are); undefined for a malformed escape (Go's server refuses the
 * request; here the path is left to the router, which finds nothing there).
 */
export function unescapePath(path: string): string | undefined {
  if (!path.includes('%')) return Buffer.from(path, 'utf8').toString('latin1');
  const bytes: number[] = [];
  const raw = Buffer.from(path, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b !== 0x25) {
      bytes.push(b);
      continue;
    }
    const hex = raw.subarray(i + 1, i + 3).toString('latin1');
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  return Buffer.from(bytes).toString('latin1');
}

/** Go's path.Clean for a rooted path. */
function goClean(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** gorilla/mux's cleanPath: rooted, Go-cleaned, the trailing slash kept. */
export function cleanPath(p: string): string {
  if (p === '') return '/';
  const rooted = p.startsWith('/') ? p : `/${p}`;
  const np = goClean(rooted);
  return rooted.endsWith('/') && np !== '/' ? `${np}/` : np;
}

/** Go's url.PathEscape rules for URL.EscapedPath (bytes of a latin1 string). */
function escapePath(p: string): string {
  let out = '';
  for (const b of Buffer.from(p, 'latin1')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Where gorilla/mux redirects this target, or undefined when its path is already clean
 * (or cannot be decoded).
 */
export function muxRedirect(t: RequestTarget): string | undefined {
  const decoded = unescapePath(t.path);
  if (decoded === undefined) return undefined;
  const clean = cleanPath(decoded);
  if (clean === decoded) return undefined;
  return `${escapePath(clean)}${t.hasQuery ? `?${t.query}` : ''}`;
}
