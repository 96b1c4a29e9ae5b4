// The shell's `curl`: a small, honest subset of curl 7.88.1 (Debian 12's), for the routing-mesh
// lesson: `curl [-s|--silent] [-i|--include] [-m N|--max-time N] [http://]HOST[:PORT][/path]`,
// flags in any order and combined (`-si`, `-sm5`), one or more URLs. Whatever lies outside it
// gets curl's own words and exit codes (curl-format.ts). The request itself goes to the host's
// CurlBackend (curl-backend.ts): the simulated mesh or, in local mode, the real curl.
// Loaded on the first `curl` (shell.ts), like the docker CLI, so the worker's first chunk does
// not carry it.
import type { CurlBackend, CurlHooks, CurlRequest, CurlResult } from './curl-backend.js';
import {
  badUrl,
  bareCurl,
  missingParameter,
  noUrl,
  notANumber,
  notPositive,
  unknownOption,
  unsupportedProtocol,
} from './curl-format.js';

export interface CurlOptions {
  silent: boolean;
  include: boolean;
  maxTimeSeconds?: number;
  urls: string[];
}

/** curl's command line: the options of the subset, or the usage error curl prints (exit 2). */
export function parseCurlArgs(args: readonly string[]): CurlOptions | CurlResult {
  if (args.length === 0) return bareCurl();
  const opts: CurlOptions = { silent: false, include: false, urls: [] };
  let onlyUrls = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (onlyUrls || !arg.startsWith('-') || arg === '-') {
      if (arg === '-' && !onlyUrls) return unknownOption(arg);
      opts.urls.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyUrls = true;
      continue;
    }
    if (arg.startsWith('--')) {
      // curl has no `--opt=value`: `--max-time=5` is an unknown option, as curl says.
      if (arg === '--silent') opts.silent = true;
      else if (arg === '--include') opts.include = true;
      else if (arg === '--max-time') {
        const value = args[++i];
        if (value === undefined) return missingParameter(arg);
        const seconds = parseSeconds(value, arg);
        if (typeof seconds !== 'number') return seconds;
        opts.maxTimeSeconds = seconds;
      } else return unknownOption(arg);
      continue;
    }
    // Short options, combined: the letters up to one that takes a value, which takes the
    // rest of the word or the next word. curl names the whole word in its errors.
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j]!;
      if (letter === 's') opts.silent = true;
      else if (letter === 'i') opts.include = true;
      else if (letter === 'm') {
        const rest = arg.slice(j + 1);
        const value = rest !== '' ? rest : args[++i];
        if (value === undefined) return missingParameter(arg);
        const seconds = parseSeconds(value, arg);
        if (typeof seconds !== 'number') return seconds;
        opts.maxTimeSeconds = seconds;
        break;
      } else return unknownOption(arg);
    }
  }
  if (opts.urls.length === 0) return noUrl();
  return opts;
}

/** -m's seconds as curl reads them (a decimal number, 0 for none). */
function parseSeconds(value: string, option: string): number | CurlResult {
  const text = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return notANumber(option);
  const n = Number(text);
  if (n < 0) return notPositive(option);
  return Number.isFinite(n) ? n : notANumber(option);
}

export interface ParsedUrl {
  /** The host as typed (curl prints it so in its errors). */
  host: string;
  port: number;
  path: string;
}

/**
 * A URL as curl 7.88 reads it: an optional scheme (http only here: this curl's libcurl has no
 * TLS), slashes after the colon taken leniently (`http:/x`, `http:///x`), user info dropped,
 * a port of digits up to 65535 (80 when empty), the fragment dropped, the query kept.
 */
export function parseCurlUrl(url: string, silent: boolean): ParsedUrl | CurlResult {
  let rest = url;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  if (scheme && /^[A-Za-z][A-Za-z0-9+.-]*:\//.test(url)) {
    if (scheme[1]!.toLowerCase() !== 'http') return unsupportedProtocol(scheme[1]!, silent);
    rest = url.slice(scheme[0].length).replace(/^\/+/, '');
  } else if (url.startsWith('://')) return badUrl(silent);
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const end = rest.search(/[/?]/);
  let authority = end < 0 ? rest : rest.slice(0, end);
  let path = end < 0 ? '/' : rest.slice(end);
  if (path.startsWith('?')) path = `/${path}`;
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  let host: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) return badUrl(silent);
    host = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return badUrl(silent);
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = authority.indexOf(':');
    host = colon < 0 ? authority : authority.slice(0, colon);
    portText = colon < 0 ? undefined : authority.slice(colon + 1);
  }
  if (host === '') return badUrl(silent);
  let port = 80;
  if (portText !== undefined && portText !== '') {
    if (!/^\d+$/.test(portText)) return badUrl(silent);
    port = Number(portText);
    if (port > 65535) return badUrl(silent);
  }
  return { host, port, path: withoutDotSegments(path) };
}

/** curl sends the path with `.` and `..` segments resolved (RFC 3986's remove_dot_segments); the query as is. */
function withoutDotSegments(path: string): string {
  const q = path.indexOf('?');
  const [p, query] = q < 0 ? [path, ''] : [path.slice(0, q), path.slice(q)];
  if (!/(^|\/)\.\.?(\/|$)/.test(p)) return path;
  const out: string[] = [];
  const parts = p.split('/').slice(1);
  parts.forEach((seg, i) => {
    const last = i === parts.length - 1;
    if (seg === '.' || seg === '..') {
      if (seg === '..' && out.length > 0) out.pop();
      if (last) out.push('');
    } else out.push(seg);
  });
  return `/${out.join('/')}${query}`;
}

/**
 * Runs `curl ARGS` from `fromNode` through the backend: each URL in turn, as curl does, its
 * output written as it comes; the exit code is the last transfer's (or the usage error's).
 */
export async function runCurl(
  args: readonly string[],
  fromNode: string,
  backend: CurlBackend,
  out: CurlOut,
  signal: AbortSignal,
  hooks: CurlHooks = {},
): Promise<number> {
  const parsed = parseCurlArgs(args);
  if ('exitCode' in parsed) return emit(parsed, out);
  let code = 0;
  for (const url of parsed.urls) {
    if (signal.aborted) return 130;
    const target = parseCurlUrl(url, parsed.silent);
    if ('exitCode' in target) {
      code = emit(target, out);
      continue;
    }
    const req: CurlRequest = {
      fromNode,
      url,
      host: target.host.toLowerCase(),
      port: target.port,
      path: target.path,
      include: parsed.include,
      silent: parsed.silent,
      ...(parsed.maxTimeSeconds !== undefined && parsed.maxTimeSeconds > 0 ? { maxTimeSeconds: parsed.maxTimeSeconds } : {}),
    };
    const result = await backend.curl(req, signal, hooks);
    // On a terminal curl writes the header names of -i in bold (the real capture shows it).
    code = emit(out.tty && parsed.include ? { ...result, stdout: boldHeaderNames(result.stdout) } : result, out);
  }
  return code;
}

interface CurlOut {
  stdout: { write(s: string): void };
  stderr: { write(s: string): void };
  /** stdout is a terminal. */
  tty?: boolean;
}

/** `Name: value` lines of the response head with the name in bold, as curl 7.88 prints them on a tty. */
export function boldHeaderNames(output: string): string {
  if (!output.startsWith('HTTP/')) return output;
  const end = output.indexOf('\r\n\r\n');
  const head = end < 0 ? output : output.slice(0, end);
  const lines = head.split('\r\n').map((line, i) => (i === 0 ? line : line.replace(/^([^:\x1b]+):/, '\x1b[1m$1\x1b[0m:')));
  return lines.join('\r\n') + (end < 0 ? '' : output.slice(end));
}

function emit(result: CurlResult, out: CurlOut): number {
  if (result.stdout !== '') out.stdout.write(result.stdout);
  if (result.stderr !== '') out.stderr.write(result.stderr);
  return result.exitCode;
}

/** The host as typed in a request's URL (curl's errors print it so, `LOCALHOST` included). */
export function typedHost(req: CurlRequest): string {
  const parsed = parseCurlUrl(req.url, true);
  return 'exitCode' in parsed ? req.host : parsed.host;
}
