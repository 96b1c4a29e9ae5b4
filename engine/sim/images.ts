// The images the simulated registry and nodes know. The simulator behaves like Docker
// with Docker Hub reachable: a catalog image resolves to a digest (so the CLI pins it),
// any other reference fails to resolve and its tasks are rejected with "No such image".

/** What a container of this image does once started. */
export type Behaviour =
  | { kind: 'runs' } // a long-running server (redis, nginx, ping ...)
  | { kind: 'exits'; code: number; afterMs: number }; // a one-shot command

export type LogStyle = 'redis' | 'nginx' | 'ping' | 'hello' | 'none';

export interface CatalogImage {
  /** Familiar repository name: `redis`, `alpine`. */
  repo: string;
  tags: string[];
  digest: string;
  /** The image's default CMD. */
  cmd: string[];
  entrypoint?: string[];
  ports: number[];
  logStyle: LogStyle;
  /** Version string used in log lines. */
  version?: string;
}

const d = (hex: string): string => `sha256:${hex}`;

export const CATALOG: readonly CatalogImage[] = [
  { repo: 'redis', tags: ['7.4.0'], digest: d('b8f2c3586f5b4a919c888952ce8da5a93edf043ee05c27b1b9dc635c5b41bcee'), cmd: ['redis-server'], entrypoint: ['docker-entrypoint.sh'], ports: [6379], logStyle: 'redis', version: '7.4.0' },
  { repo: 'redis', tags: ['7.4.1'], digest: d('736fff3adc63855f6b54e58d4a7424fc32a273c7dc9f719e680066f967f7df76'), cmd: ['redis-server'], entrypoint: ['docker-entrypoint.sh'], ports: [6379], logStyle: 'redis', version: '7.4.1' },
  { repo: 'redis', tags: ['7.4.2', '7.4', '7', 'latest'], digest: d('f92b73e7353c2521d3d0ce239186ca84cef2b4a705d96c155c70e677095acbca'), cmd: ['redis-server'], entrypoint: ['docker-entrypoint.sh'], ports: [6379], logStyle: 'redis', version: '7.4.2' },
  { repo: 'redis', tags: ['7.2'], digest: d('36c858e9a042ba112486d177c201a341f8e02bc8c50a256eea7cf11d1b6bf525'), cmd: ['redis-server'], entrypoint: ['docker-entrypoint.sh'], ports: [6379], logStyle: 'redis', version: '7.2.7' },
  { repo: 'alpine', tags: ['3.21', 'latest'], digest: d('13a750173195ca650d0b7af3ea22f645affdd25254680f28858db02d7eabecc9'), cmd: ['/bin/sh'], ports: [], logStyle: 'none' },
  { repo: 'alpine', tags: ['3.20'], digest: d('38feb0e7e143aa3707edc1c120e60b7ccc103318790b605a661f437b0f99b193'), cmd: ['/bin/sh'], ports: [], logStyle: 'none' },
  { repo: 'nginx', tags: ['1.27.3', '1.27', 'latest'], digest: d('44191917b53a0b5a0564f7bd3df3124a54759b1559b97676289430c9a6f0e3fc'), cmd: ['nginx', '-g', 'daemon off;'], entrypoint: ['/docker-entrypoint.sh'], ports: [80], logStyle: 'nginx', version: '1.27.3' },
  { repo: 'nginx', tags: ['1.26'], digest: d('2844e88e9e14ffb5b8568bc093f37b4989b4b609f782a789654b25f078830766'), cmd: ['nginx', '-g', 'daemon off;'], entrypoint: ['/docker-entrypoint.sh'], ports: [80], logStyle: 'nginx', version: '1.26.2' },
  { repo: 'busybox', tags: ['1.37', 'latest'], digest: d('2e9d4d322e6908508082a8992b555d7ef41037772ee82158460f5f7524d7aca1'), cmd: ['sh'], ports: [], logStyle: 'none' },
  { repo: 'ubuntu', tags: ['24.04', 'latest'], digest: d('88c9253a7867d6ddfedbceeaddc390ef48236954115ab02cbae8c042587e2253'), cmd: ['/bin/bash'], ports: [], logStyle: 'none' },
  { repo: 'hello-world', tags: ['latest'], digest: d('39a8a4a4c9397f4b74acddf1fbd37a00cf5df1f0ad32f08f937c39bd6d3cfdde'), cmd: ['/hello'], ports: [], logStyle: 'hello' },
];

export interface ImageRef {
  /** Familiar repository (`redis`, `myorg/app`, `ghcr.io/x/y`). */
  repo: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REF_RE = new RegExp(
  `^(?:([a-zA-Z0-9.-]+(?::\\d+)?)/)?(${COMPONENT}(?:/${COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$`,
);

/** Splits an image reference; returns undefined for strings no registry would accept. */
export function parseImageRef(ref: string): ImageRef | undefined {
  const m = REF_RE.exec(ref);
  if (!m) return undefined;
  const [, host, path, tag, digest] = m;
  // A first component is a registry host only if it looks like one (has a dot or port, or is localhost).
  const isHost = host !== undefined && (host.includes('.') || host.includes(':') || host === 'localhost');
  let repo = host !== undefined && !isHost ? `${host}/${path!}` : path!;
  if (host !== undefined && !/^[a-z0-9]/.test(host)) return undefined;
  if (isHost && host !== 'docker.io' && host !== 'index.docker.io') repo = `${host}/${repo}`;
  repo = repo.replace(/^library\//, '');
  return { repo, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** `redis:7.4.0`, the way Docker names an image in "No such image" errors (tag defaults to latest). */
export function familiarWithTag(ref: string): string {
  const p = parseImageRef(ref);
  if (!p) return ref;
  if (p.digest && !p.tag) return `${p.repo}@${p.digest}`;
  return `${p.repo}:${p.tag ?? 'latest'}`;
}

/** The catalog entry a reference names, or undefined when no registry would have it. */
export function findImage(ref: string): CatalogImage | undefined {
  // The agent asks for every task at every step: remember the last answers (a bounded memo,
  // since hostile input can name any number of references).
  const known = FOUND.get(ref);
  if (known !== undefined) return known === NOT_FOUND ? undefined : known;
  const found = lookUp(ref);
  if (FOUND.size >= 256) FOUND.clear();
  FOUND.set(ref, found ?? NOT_FOUND);
  return found;
}

const NOT_FOUND = 'none';
const FOUND = new Map<string, CatalogImage | typeof NOT_FOUND>();

function lookUp(ref: string): CatalogImage | undefined {
  const p = parseImageRef(ref);
  if (!p) return undefined;
  const tag = p.tag ?? (p.digest ? undefined : 'latest');
  return CATALOG.find(
    (img) =>
      img.repo === p.repo &&
      (tag === undefined || img.tags.includes(tag)) &&
      (p.digest === undefined || img.digest === p.digest),
  );
}

/** What a container started from `image` with the given command/args does. */
export function behaviourOf(image: CatalogImage, command: string[] | undefined, args: string[] | undefined): Behaviour {
  const argv = command && command.length > 0 ? [...command, ...(args ?? [])] : args && args.length > 0 ? args : image.cmd;
  const prog = (argv[0] ?? '').split('/').pop() ?? '';
  switch (prog) {
    case 'redis-server':
    case 'nginx':
    case 'ping':
    case 'top':
    case 'httpd':
      return { kind: 'runs' };
    case 'tail':
      return argv.includes('-f') || argv.includes('-F') ? { kind: 'runs' } : { kind: 'exits', code: 0, afterMs: 20 };
    case 'sleep': {
      const secs = Number(argv[1]);
      if (argv[1] === 'infinity' || !Number.isFinite(secs)) return argv[1] === 'infinity' ? { kind: 'runs' } : { kind: 'exits', code: 1, afterMs: 20 };
      return { kind: 'exits', code: 0, afterMs: secs * 1000 };
    }
    case 'false':
      return { kind: 'exits', code: 1, afterMs: 10 };
    case 'true':
      return { kind: 'exits', code: 0, afterMs: 10 };
    case 'sh':
    case 'bash': {
      // `sh -c "exit 3"` exits with 3; a shell with no script reads an empty stdin and ends.
      const script = argv[1] === '-c' ? (argv[2] ?? '') : '';
      const m = /^\s*exit\s+(\d+)\s*$/.exec(script);
      if (m) return { kind: 'exits', code: Number(m[1]) % 256, afterMs: 10 };
      if (/\bwhile\s+true\b|\bsleep\s+infinity\b|\btail\s+-f\b/.test(script)) return { kind: 'runs' };
      return { kind: 'exits', code: 0, afterMs: 10 };
    }
    case 'hello':
      return { kind: 'exits', code: 0, afterMs: 30 };
    default:
      return { kind: 'runs' };
  }
}
