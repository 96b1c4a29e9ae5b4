// Where the daemon is, read from the environment exactly as the docker CLI 28 reads it, turned
// into dockerode connection options. The CLI's rules (checked against /usr/local/bin/docker):
//  - DOCKER_HOST unset or blank: unix:///var/run/docker.sock, or tcp://localhost:2376 when
//    DOCKER_TLS_VERIFY is set (the CLI's DefaultTLSHost);
//  - "host:port" without a scheme is tcp; tcp:// without a port is 2375, without a host localhost;
//  - TLS is on only when DOCKER_TLS_VERIFY is non-empty; the certs are ca.pem/cert.pem/key.pem in
//    DOCKER_CERT_PATH, else in DOCKER_CONFIG, else ~/.docker (DOCKER_CERT_PATH alone does not
//    turn TLS on);
//  - ssh://[user@]host[:port] runs `docker system dial-stdio` over ssh;
//  - any other scheme: "invalid bind address format: <value>";
//  - DOCKER_HOST unset: the current context (DOCKER_CONTEXT, else config.json's currentContext)
//    when it is not "default": its endpoint from contexts/meta/<sha256(name)>/meta.json and
//    its TLS files from contexts/tls/<sha256(name)>/docker/ (Docker Desktop, rootless docker).
// Pure parsing (`parseDockerHost`) is separate from reading the cert files so it can be unit-tested.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** An unusable DOCKER_HOST; `message` is what the docker CLI prints after "Failed to initialize: ". */
export class DockerHostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerHostError';
  }
}

export type DockerEndpoint =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls: boolean }
  | { kind: 'ssh'; host: string; port: number; username?: string };

export const DEFAULT_SOCKET = '/var/run/docker.sock';
const DEFAULT_TCP_PORT = 2375;
const DEFAULT_TLS_PORT = 2376;

type Env = Record<string, string | undefined>;

/** The endpoint the docker CLI would use for this environment (no file access). */
export function parseDockerHost(env: Env): DockerEndpoint {
  const tls = (env['DOCKER_TLS_VERIFY'] ?? '') !== '';
  const raw = (env['DOCKER_HOST'] ?? '').trim();
  if (raw === '') {
    return tls ? { kind: 'tcp', host: 'localhost', port: DEFAULT_TLS_PORT, tls } : { kind: 'unix', socketPath: DEFAULT_SOCKET };
  }
  const sep = raw.indexOf('://');
  const proto = sep < 0 ? 'tcp' : raw.slice(0, sep);
  const rest = sep < 0 ? raw : raw.slice(sep + 3);
  switch (proto) {
    case 'unix':
      return { kind: 'unix', socketPath: rest === '' ? DEFAULT_SOCKET : rest };
    case 'tcp':
      return { kind: 'tcp', ...tcpAddress(raw, rest), tls };
    case 'ssh':
      return sshAddress(raw);
    default:
      throw new DockerHostError(`unable to resolve docker endpoint: invalid bind address format: ${raw}`);
  }
}

function tcpAddress(raw: string, rest: string): { host: string; port: number } {
  // Only host[:port]; a path after it is the CLI's (rarely used) base path, not supported here.
  const hostPort = rest.replace(/\/+$/, '');
  if (hostPort.includes('/')) throw new DockerHostError(`unable to resolve docker endpoint: invalid bind address format: ${raw}`);
  let host = hostPort;
  let port = DEFAULT_TCP_PORT;
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(hostPort);
  if (bracket) {
    host = bracket[1]!;
    if (bracket[2] !== undefined) port = parsePort(raw, bracket[2]);
  } else {
    const colon = hostPort.lastIndexOf(':');
    if (colon >= 0) {
      host = hostPort.slice(0, colon);
      port = parsePort(raw, hostPort.slice(colon + 1));
    }
  }
  return { host: host === '' ? 'localhost' : host, port };
}

function parsePort(raw: string, p: string): number {
  if (p === '') return DEFAULT_TCP_PORT;
  const n = Number(p);
  if (!/^\d+$/.test(p) || n < 0 || n > 65535) throw new DockerHostError(`unable to resolve docker endpoint: invalid bind address format: ${raw}`);
  return n;
}

function sshAddress(raw: string): DockerEndpoint {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DockerHostError('ssh host connection is not valid: invalid SSH URL: hostname is empty');
  }
  if (url.hostname === '') throw new DockerHostError('ssh host connection is not valid: invalid SSH URL: hostname is empty');
  // docker 28 would run `docker --host unix://<path> system dial-stdio`; dockerode only runs the
  // plain form, so a remote socket path would silently be ignored: refuse it instead.
  if (url.pathname !== '' && url.pathname !== '/') {
    throw new DockerHostError(`ssh host connection is not valid: a remote socket path (${url.pathname}) is not supported by Swarm Lab`);
  }
  return {
    kind: 'ssh',
    host: url.hostname,
    port: url.port === '' ? 22 : Number(url.port),
    ...(url.username !== '' ? { username: decodeURIComponent(url.username) } : {}),
  };
}

/** The DOCKER_HOST string the CLI would show for this endpoint ("Cannot connect to the Docker daemon at …"). */
export function endpointUrl(e: DockerEndpoint): string {
  switch (e.kind) {
    case 'unix':
      return `unix://${e.socketPath}`;
    case 'tcp':
      return `tcp://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
    case 'ssh':
      return `ssh://${e.username !== undefined ? `${e.username}@` : ''}${e.host}${e.port !== 22 ? `:${e.port}` : ''}`;
  }
}

/** dockerode's constructor options, every connection field set so docker-modem's own env defaults never leak in. */
export interface DockerOptions {
  socketPath?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
  protocol?: 'http' | 'https' | 'ssh' | undefined;
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  username?: string | undefined;
  sshOptions?: { agent?: string; privateKey?: Buffer };
  /** Where this connection goes, as the docker CLI would name it (for messages). */
  url: string;
}

/** Where the TLS certificates are looked for. */
export function certDir(env: Env): string {
  return env['DOCKER_CERT_PATH'] || env['DOCKER_CONFIG'] || join(env['HOME'] ?? homedir(), '.docker');
}

/** The docker CLI's config dir. */
const configDir = (env: Env): string => env['DOCKER_CONFIG'] || join(env['HOME'] ?? homedir(), '.docker');

/** The context the docker CLI would use when DOCKER_HOST is unset ("default" = no context). */
export function currentContext(env: Env): string {
  if ((env['DOCKER_HOST'] ?? '').trim() !== '') return 'default';
  if (env['DOCKER_CONTEXT']) return env['DOCKER_CONTEXT'];
  try {
    const cfg = JSON.parse(readFileSync(join(configDir(env), 'config.json'), 'utf8')) as { currentContext?: unknown };
    if (typeof cfg.currentContext === 'string' && cfg.currentContext !== '') return cfg.currentContext;
  } catch {
    /* no config file: the default context */
  }
  return 'default';
}

/** dockerode options for the daemon the docker CLI would talk to in this environment. */
export function dockerOptionsFromEnv(env: Env = process.env): DockerOptions {
  const context = currentContext(env);
  if (context === 'default') return dockerOptionsFor(parseDockerHost(env), env);
  const id = createHash('sha256').update(context).digest('hex');
  let host: unknown;
  let skipTls = false;
  const metaFile = join(configDir(env), 'contexts', 'meta', id, 'meta.json');
  try {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as {
      Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } };
    };
    host = meta.Endpoints?.docker?.Host;
    skipTls = meta.Endpoints?.docker?.SkipTLSVerify === true;
  } catch {
    throw new DockerHostError(`unable to resolve docker endpoint: context "${context}": context not found: open ${metaFile}: no such file or directory`);
  }
  if (typeof host !== 'string' || host === '') throw new DockerHostError(`context "${context}": no docker endpoint`);
  const tlsDir = join(configDir(env), 'contexts', 'tls', id, 'docker');
  const tls = existsSync(join(tlsDir, 'ca.pem')) || existsSync(join(tlsDir, 'cert.pem'));
  const endpoint = parseDockerHost({ DOCKER_HOST: host, DOCKER_TLS_VERIFY: tls && !skipTls ? '1' : '' });
  return dockerOptionsFor(endpoint, { ...env, DOCKER_CERT_PATH: tlsDir });
}

export function dockerOptionsFor(e: DockerEndpoint, env: Env = process.env): DockerOptions {
  // docker-modem merges defaults read from process.env (DOCKER_HOST, DOCKER_CERT_PATH) under
  // these options: naming every field, even as undefined, keeps them out.
  const none = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined, ca: undefined, cert: undefined, key: undefined, username: undefined };
  const url = endpointUrl(e);
  switch (e.kind) {
    case 'unix':
      return { ...none, socketPath: e.socketPath, url };
    case 'tcp': {
      if (!e.tls) return { ...none, host: e.host, port: e.port, protocol: 'http', url };
      const dir = certDir(env);
      const read = (f: string): Buffer => {
        try {
          return readFileSync(join(dir, f));
        } catch {
          throw new DockerHostError(`unable to resolve docker endpoint: open ${join(dir, f)}: no such file or directory`);
        }
      };
      return { ...none, host: e.host, port: e.port, protocol: 'https', ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem'), url };
    }
    case 'ssh': {
      const sshOptions: { agent?: string; privateKey?: Buffer } = {};
      const agent = env['SSH_AUTH_SOCK'];
      if (agent) sshOptions.agent = agent;
      else {
        // Without an agent, ssh would try the default identities; take the first that exists.
        const home = env['HOME'] ?? homedir();
        const key = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((k) => join(home, '.ssh', k)).find((p) => existsSync(p));
        if (key) sshOptions.privateKey = readFileSync(key);
      }
      return {
        ...none,
        protocol: 'ssh',
        host: e.host,
        port: e.port,
        username: e.username ?? env['USER'] ?? 'root',
        sshOptions,
        url,
      };
    }
  }
}
