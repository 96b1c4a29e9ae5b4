// What the catalog's servers answer to curl's `GET PATH HTTP/1.1`, byte for byte as the real
// images do: nginx's default site (its welcome page at / and /index.html, its 404 page for any
// other path, headers in nginx's order, CRLF line ends in the head and in nginx's own error
// page), redis closing the connection on an HTTP request. The welcome page is nginx's upstream
// html/index.html (615 bytes, as Debian's nginx-common ships it too); the 404 page and the header
// order are what nginx serves on 127.0.0.1 (checked with Debian's nginx 1.22.1, which differs only
// in its version); Last-Modified and ETag are those of nginx:1.27.3's index.html.
import type { CatalogImage } from './images.js';
import { redisTime } from './logs.js';

export const NGINX_WELCOME =
  '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\n' +
  'body { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n' +
  '<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\n' +
  'working. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n' +
  '<a href="http://nginx.org/">nginx.org</a>.<br/>\nCommercial support is available at\n' +
  '<a href="http://nginx.com/">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n';

/** nginx's own error page (ngx_http_special_response.c), CRLF-terminated. */
export const nginxErrorPage = (status: string, version: string): string =>
  `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n` +
  `<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;

/** index.html's mtime in each nginx image we know it of (Last-Modified; the ETag is its hex). */
const INDEX_MTIME: Record<string, number> = {
  // nginx:1.27.3 (nginx.org's package build): Tue, 26 Nov 2024 15:55:00 GMT, ETag "6745ef54-267".
  '1.27.3': Date.UTC(2024, 10, 26, 15, 55, 0),
};

export interface WebAnswer {
  /** HTTP status code (for the access log). */
  status: number;
  /** Status line and headers, CRLF each, and the blank line: what -i prints before the body. */
  head: string;
  body: string;
}

/** What the server of `image` on `port` does with a GET: an answer, or it closes without one, or nothing listens. */
export type WebOutcome = { answer: WebAnswer } | { emptyReply: true } | { refused: true };

/** The answer of a task of `image` to `GET path` on its container port, at `epochMs` (its Date). */
export function serve(image: CatalogImage | undefined, port: number, path: string, epochMs: number): WebOutcome {
  if (!image || !image.ports.includes(port)) return { refused: true };
  if (image.logStyle === 'redis') return { emptyReply: true };
  if (image.logStyle !== 'nginx') return { refused: true };
  const version = image.version ?? '1.27.3';
  const date = httpDate(epochMs);
  const file = lookedFor(path);
  const mtime = INDEX_MTIME[version];
  if (file === '/' || file === '/index.html') {
    // An image whose index.html date we do not know (nginx:1.26) leaves Last-Modified and
    // ETag out rather than inventing them.
    const validators =
      mtime === undefined ? '' : `Last-Modified: ${httpDate(mtime)}\r\n`;
    const etag = mtime === undefined ? '' : `ETag: "${(mtime / 1000).toString(16)}-${NGINX_WELCOME.length.toString(16)}"\r\n`;
    const head =
      'HTTP/1.1 200 OK\r\n' +
      `Server: nginx/${version}\r\nDate: ${date}\r\nContent-Type: text/html\r\nContent-Length: ${NGINX_WELCOME.length}\r\n` +
      `${validators}Connection: keep-alive\r\n${etag}Accept-Ranges: bytes\r\n\r\n`;
    return { answer: { status: 200, head, body: NGINX_WELCOME } };
  }
  const body = nginxErrorPage('404 Not Found', version);
  const head =
    'HTTP/1.1 404 Not Found\r\n' +
    `Server: nginx/${version}\r\nDate: ${date}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`;
  return { answer: { status: 404, head, body } };
}

/** The file nginx looks for: the path without its query, slashes merged, %XX decoded. */
function lookedFor(path: string): string {
  return decoded(path.split('?')[0]!.replace(/\/{2,}/g, '/'));
}

function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** RFC 7231's IMF-fixdate, as nginx writes Date and Last-Modified. */
export const httpDate = (epochMs: number): string => new Date(epochMs).toUTCString();

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The lines a request leaves in the server's log: nginx's access line in the official image's
 * `main` format (`$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
 * "$http_referer" "$http_user_agent" "$http_x_forwarded_for"`), and for a file it cannot find its
 * error line after it (the order the real capture's `service logs` shows; nginx's own words, as
 * Debian's nginx wrote them on 127.0.0.1); redis's warning about a cross-protocol request.
 * `request` counts the task's requests (nginx's connection number `*N`: curl opens one per
 * request). The worker's pid, 29, is the official image's first worker on a 2-CPU machine as
 * its logs commonly show it (the entrypoint's scripts take the pids before it): not measured here.
 */
export function logLines(
  image: CatalogImage | undefined,
  req: { source: string; path: string; host: string },
  outcome: WebOutcome,
  epochMs: number,
  request: number,
): string[] {
  if ('answer' in outcome && image?.logStyle === 'nginx') {
    const d = new Date(epochMs);
    const p = (n: number): string => String(n).padStart(2, '0');
    const local = `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
    const lines = [`${req.source} - - [${local}] "GET ${req.path} HTTP/1.1" ${outcome.answer.status} ${outcome.answer.body.length} "-" "curl/7.88.1" "-"`];
    if (outcome.answer.status === 404) {
      const file = `/usr/share/nginx/html${lookedFor(req.path)}`;
      const what = file.endsWith('/') ? `"${file}index.html" is not found` : `open() "${file}" failed`;
      const when = `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
      lines.push(`${when} [error] 29#29: *${request} ${what} (2: No such file or directory), client: ${req.source}, server: localhost, request: "GET ${req.path} HTTP/1.1", host: "${req.host}"`);
    }
    return lines;
  }
  if ('emptyReply' in outcome && image?.logStyle === 'redis') {
    return [`1:M ${redisTime(epochMs)} # Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.`];
  }
  return [];
}
