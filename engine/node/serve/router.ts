// Method + path patterns to handlers, like dockerd's mux: `{name}` matches one path segment,
// `{name*}` the rest up to the pattern's next literal (the distribution endpoint's image
// names contain slashes). A path no route knows is 404 "page not found"; a known path with
// another method is 405, as gorilla/mux answers dockerd's callers.
import { ApiError } from '../../api/swarm-api.js';

export type Params = Record<string, string>;

export interface Route<H> {
  method: string;
  pattern: string;
  handler: H;
}

interface Compiled<H> extends Route<H> {
  regex: RegExp;
  names: string[];
}

export class Router<H> {
  private readonly routes: Compiled<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    const names: string[] = [];
    const source = pattern
      .split('/')
      .map((seg) => {
        const m = /^\{(\w+)(\*?)\}$/.exec(seg);
        if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1]!);
        return m[2] ? '(.+)' : '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, pattern, handler, regex: new RegExp(`^${source}/?$`), names });
    return this;
  }

  /** The handler and its path parameters (decoded), or dockerd's 404/405. */
  match(method: string, path: string): { handler: H; params: Params } {
    let pathKnown = false;
    for (const r of this.routes) {
      const m = r.regex.exec(path);
      if (!m) continue;
      pathKnown = true;
      // HEAD is served by the GET route where there is no HEAD route of its own.
      if (r.method !== method && !(method === 'HEAD' && r.method === 'GET' && !this.routes.some((x) => x.method === 'HEAD' && x.regex.test(path)))) continue;
      const params: Params = {};
      r.names.forEach((n, i) => {
        const raw = m[i + 1]!;
        try {
          params[n] = decodeURIComponent(raw);
        } catch {
          params[n] = raw;
        }
      });
      return { handler: r.handler, params };
    }
    if (pathKnown) throw new ApiError(405, 'Method Not Allowed');
    throw new ApiError(404, 'page not found');
  }
}
