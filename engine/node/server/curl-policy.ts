// What `curl` may reach in local mode (the routing-mesh lesson on the real sandbox). The real
// curl runs on the server as root, inside a node's network namespace: whatever it may connect
// to, a page (or whoever got hold of it) may connect to. So a request is made only if ALL hold:
//  - the server drives the sandbox, never the learner's own daemon (nothing of ours publishes
//    ports there: a port answering there is the learner's);
//  - the host is one of the swarm's own nodes: its name, its sandbox address, or
//    localhost/127.0.0.1 (the node the shell is on);
//  - the port is published (ingress or host mode) by one of Swarm Lab's labelled services,
//    read from the daemon at the time of the request, and lies in the range spec-policy lets
//    services publish at all;
//  - it is a plain GET of http://HOST:PORT/path: the options are -s, -i and -m only, the path is
//    printable ASCII and bounded, -m is bounded.
// The words are checked before the shell runs the line (checkCurlWords, from the command table:
// no daemon call, no process) and the parsed request again before curl is spawned (curlTarget),
// so neither check relies on the other. Pure (no Node built-ins).
import type { Node, PortConfig, Service } from '../../api/types.js';
import type { CurlRequest } from '../../shell/curl-backend.js';
import { PUBLISHED_PORTS } from './spec-policy.js';

/** -m bound: a lesson's curl answers at once or is refused; a dropped packet needs no more to show. */
export const MAX_TIME_SECONDS = 30;
/** -m when none is given: curl's own default would wait 5 minutes for a silent address. */
export const DEFAULT_MAX_TIME_SECONDS = 10;
/** Longest path with its query (nginx's welcome page is at `/`; lessons use nothing longer than `/index.html`). */
export const MAX_PATH_LENGTH = 256;
/** Most bytes of curl's stdout passed back (the welcome page with its headers is under 1 KiB). */
export const MAX_OUTPUT_BYTES = 256 * 1024;

/** Why a curl line or request is not made. Rendered in the page's language by curl-text.ts. */
export type CurlRefusal =
  /** The learner's own daemon: Swarm Lab publishes no ports there. */
  | { kind: 'own-daemon' }
  /** An option outside the subset (-X, -d, -o, -K, --unix-socket, ...). */
  | { kind: 'option'; option: string }
  /** An argument naming a file (`@file`) or more than one URL. */
  | { kind: 'argument'; word: string }
  | { kind: 'max-time'; value: string }
  /** A scheme other than http:// (file://, https://, gopher://, ...). */
  | { kind: 'scheme'; scheme: string }
  /** A URL that is not HOST:PORT/path (user info, no port, an IPv6 literal, a strange host). */
  | { kind: 'url'; url: string }
  | { kind: 'path' }
  /** Not a node of the swarm (another address, the host machine, a name no node has). */
  | { kind: 'host'; host: string; nodes: string[] }
  /** A port no Swarm Lab service publishes (now), or outside the range they may publish. */
  | { kind: 'port'; port: number; published: number[] }
  /** The shell's machine is not a sandbox node with a network namespace. */
  | { kind: 'node'; node: string };

export type CurlVerdict = { ok: true } | { ok: false; refusal: CurlRefusal };

const no = (refusal: CurlRefusal): { ok: false; refusal: CurlRefusal } => ({ ok: false, refusal });

/** Path and query: RFC 3986's path and query characters, %-escapes as two hex digits, nothing else. */
const PATH = /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
/** A host as the shell hands it: a name or an IPv4 literal (lowercase; no IPv6, no user info). */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const MAX_TIME = /^\d{1,6}(?:\.\d{1,3})?$/;

/** -m's value: a number of seconds, more than 0 (0 means "no limit" to curl) and at most MAX_TIME_SECONDS. */
export function maxTimeOk(value: string): boolean {
  if (!MAX_TIME.test(value)) return false;
  const n = Number(value);
  return n > 0 && n <= MAX_TIME_SECONDS;
}

/** Whether a path (with its query) may be sent: printable ASCII of URL characters, bounded. */
export const pathOk = (path: string): boolean => path.length <= MAX_PATH_LENGTH && PATH.test(path);

/** The URL as typed, split: `[http://]HOST[:PORT][/path]`. Undefined when it is none of that. */
export function splitUrl(url: string): { scheme: string | undefined; host: string; port: number; path: string } | { scheme: string } | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  const scheme = m?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http') return { scheme };
  const rest = m ? url.slice(m[0].length) : url;
  const slash = rest.search(/[/?#]/);
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  let path = slash < 0 ? '/' : rest.slice(slash);
  if (path.startsWith('?')) path = `/${path}`;
  const a = /^([^:@]*)(?::(\d{1,5}))?$/.exec(authority);
  if (!a) return undefined;
  const host = a[1]!.toLowerCase();
  const port = a[2] === undefined ? 80 : Number(a[2]);
  if (!HOST.test(host) || port < 1 || port > 65535) return undefined;
  return { scheme, host, port, path };
}

/** A port local mode's services may publish at all (the static check: no daemon asked). */
const inRange = (port: number): boolean => port >= PUBLISHED_PORTS.min && port <= PUBLISHED_PORTS.max;

/**
 * The words after `curl`, before the shell parses them: only `-s`, `-i`, `-m N` (also
 * `--silent`, `--include`, `--max-time N`, combined as `-si`, `-sim 5`, `-m5`) and one URL of
 * http://HOST:PORT/path with PORT in the published range. `scoped`: the learner's own daemon.
 */
export function checkCurlWords(args: readonly string[], scoped: boolean): CurlVerdict {
  if (scoped) return no({ kind: 'own-daemon' });
  const urls: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '--silent' || w === '--include') continue;
    if (w === '--max-time' || /^-[si]*m$/.test(w)) {
      const v = args[++i];
      if (v === undefined) continue; // curl's own "option -m: requires parameter", from the shell
      if (!maxTimeOk(v)) return no({ kind: 'max-time', value: v });
      continue;
    }
    const joined = /^-[si]*m(.+)$/.exec(w);
    if (joined) {
      if (!maxTimeOk(joined[1]!)) return no({ kind: 'max-time', value: joined[1]! });
      continue;
    }
    if (/^-[si]+$/.test(w)) continue;
    if (w.startsWith('-') && w !== '-') {
      // In a cluster (-sX), the first letter that is not ours names the option.
      const letter = w.startsWith('--') ? undefined : [...w.slice(1)].find((c) => c !== 's' && c !== 'i');
      return no({ kind: 'option', option: w.startsWith('--') ? w.split('=')[0]! : `-${letter ?? w[1]}` });
    }
    if (w.startsWith('@')) return no({ kind: 'argument', word: w });
    urls.push(w);
  }
  if (urls.length > 1) return no({ kind: 'argument', word: urls[1]! });
  const url = urls[0];
  if (url === undefined) return { ok: true }; // curl's "no URL specified", from the shell
  const parts = splitUrl(url);
  if (parts === undefined) return no({ kind: 'url', url });
  if (!('host' in parts)) return no({ kind: 'scheme', scheme: parts.scheme });
  if (!pathOk(parts.path)) return no({ kind: 'path' });
  if (!inRange(parts.port)) return no({ kind: 'port', port: parts.port, published: [] });
  return { ok: true };
}

/** What the daemon says the swarm is, read at the time of the request. */
export interface SwarmPorts {
  /** The swarm's nodes (hostname and address). */
  nodes: readonly Pick<Node, 'Description' | 'Status'>[];
  /** Swarm Lab's own services (the caller lists them with MANAGED_LABEL; they are checked again). */
  services: readonly Pick<Service, 'Spec' | 'Endpoint'>[];
}

/** Where the request goes: the node whose namespace curl runs in, and how names resolve there. */
export interface CurlTarget {
  /** `NAME:PORT:ADDR` for curl's --resolve when HOST is a node's name (its sandbox address). */
  resolve?: string;
  /** The port is published in ingress mode (the routing mesh), where no IPVS means no answer. */
  ingress: boolean;
}

const isManagedSpec = (s: Pick<Service, 'Spec'>): boolean => s.Spec.Labels?.['io.swarm-lab.managed'] === 'true';

/** The ports a service publishes: the daemon's Endpoint (assigned ports), else its spec's. */
const portsOf = (s: Pick<Service, 'Spec' | 'Endpoint'>): PortConfig[] => s.Endpoint?.Ports ?? s.Spec.EndpointSpec?.Ports ?? [];

/**
 * Checks a parsed request against the swarm as the daemon shows it now. `fromNode`'s namespace
 * is where curl runs; `localhost` and `127.0.0.1` are that node. Everything the words check is
 * checked again here: the request may come from a shell whose parse differs from ours.
 */
export function curlTarget(req: CurlRequest, swarm: SwarmPorts, sandboxNodes: readonly string[]): { ok: true; target: CurlTarget } | { ok: false; refusal: CurlRefusal } {
  if (!sandboxNodes.includes(req.fromNode)) return no({ kind: 'node', node: req.fromNode });
  if (req.maxTimeSeconds !== undefined && !(Number.isFinite(req.maxTimeSeconds) && req.maxTimeSeconds > 0 && req.maxTimeSeconds <= MAX_TIME_SECONDS)) {
    return no({ kind: 'max-time', value: String(req.maxTimeSeconds) });
  }
  if (!pathOk(req.path)) return no({ kind: 'path' });
  const host = req.host.toLowerCase();
  if (!HOST.test(host)) return no({ kind: 'url', url: req.url });
  if (!Number.isInteger(req.port) || !inRange(req.port)) return no({ kind: 'port', port: req.port, published: publishedPorts(swarm) });

  const nodes = swarm.nodes.filter((n) => sandboxNodes.includes(n.Description.Hostname));
  const names = nodes.map((n) => n.Description.Hostname);
  const byName = nodes.find((n) => n.Description.Hostname === host);
  const byAddr = nodes.find((n) => n.Status.Addr === host);
  const self = host === 'localhost' || host === '127.0.0.1';
  if (!byName && !byAddr && !self) return no({ kind: 'host', host, nodes: names });
  if (byName && !/^\d{1,3}(\.\d{1,3}){3}$/.test(byName.Status.Addr)) return no({ kind: 'host', host, nodes: names });

  const ours = swarm.services.filter(isManagedSpec).flatMap(portsOf);
  const matching = ours.filter((p) => p.PublishedPort === req.port);
  if (matching.length === 0) return no({ kind: 'port', port: req.port, published: publishedPorts(swarm) });
  const ingress = matching.some((p) => (p.PublishMode ?? 'ingress') === 'ingress');
  return { ok: true, target: { ingress, ...(byName ? { resolve: `${host}:${req.port}:${byName.Status.Addr}` } : {}) } };
}

/** The ports Swarm Lab's services publish now (in range), sorted, for the refusal's text. */
export function publishedPorts(swarm: Pick<SwarmPorts, 'services'>): number[] {
  const ports = swarm.services
    .filter(isManagedSpec)
    .flatMap(portsOf)
    .map((p) => p.PublishedPort)
    .filter((p): p is number => typeof p === 'number' && inRange(p));
  return [...new Set(ports)].sort((a, b) => a - b);
}

/**
 * The command that makes the request: the real curl inside the node's network namespace, as an
 * argv array (spawned without a shell). `-q` first: no ~/.curlrc; `--proto =http`: no other
 * protocol, whatever curl is told; `--globoff`: brackets and braces in the path are sent, not
 * expanded into many requests; `--noproxy '*'`: the server's proxy settings never apply. No -s:
 * `-sS`, so curl prints no progress meter into the pipe (the learner's terminal is a tty, where
 * curl prints none) but still its errors, as on a terminal.
 */
export function curlArgv(req: CurlRequest, target: CurlTarget, netnsDir = '/run/netns'): string[] {
  const maxTime = req.maxTimeSeconds ?? DEFAULT_MAX_TIME_SECONDS;
  return [
    `--net=${netnsDir}/${req.fromNode}`,
    '--',
    'curl',
    '-q',
    '--proto',
    '=http',
    '--globoff',
    '--noproxy',
    '*',
    req.silent ? '-s' : '-sS',
    ...(req.include ? ['-i'] : []),
    '-m',
    String(maxTime),
    ...(target.resolve ? ['--resolve', target.resolve] : []),
    '--',
    `http://${req.host.toLowerCase()}:${req.port}${req.path}`,
  ];
}
