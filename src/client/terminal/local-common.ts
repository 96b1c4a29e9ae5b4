// What the page needs about local mode before (and whether or not) it connects: the token
// `swarm-lab local` handed over, the failures a real Docker can have and their localized
// texts, and the errors a connection ends with. Small and loaded with the terminal; the
// WebSocket client itself (remote-engine.ts) is loaded only when the learner switches.

// The failure types are the server's own (a type import: nothing of engine/node reaches the page).
import type { LocalFailure, LocalFailureKind } from '../../../engine/node/docker/failures.js';

export type { LocalFailure, LocalFailureKind } from '../../../engine/node/docker/failures.js';

/** The connection is gone (server stopped, refused the token, another terminal holds it). */
export class RemoteClosed extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`local server connection closed (${code}${reason ? `: ${reason}` : ''})`);
  }
}

/** The server answered a request with an error frame. */
export class RemoteError extends Error {}


/** The localized text of each failure ({docker}, {node}, {image}), and `stays` ({failure}) when the switch gave up. */
export interface LocalFailureStrings {
  noDocker: string;
  daemonDown: string;
  permission: string;
  notSwarm: string;
  notManager: string;
  imageMissing: string;
  stays: string;
}

export const ENGLISH_FAILURE_STRINGS: LocalFailureStrings = {
  noDocker: "Docker is not installed on this computer: there is no Docker daemon program (dockerd) and no daemon socket, and DOCKER_HOST is not set. Docker says: {docker} Install Docker Engine (on Debian or Ubuntu: sudo apt-get install docker.io), then run npm run sandbox:up as root for the practice swarm.",
  daemonDown: "Docker is installed, but its daemon is not running. Docker says: {docker} Start it with sudo systemctl start docker (if DOCKER_HOST is set, start the daemon it names), or run npm run sandbox:up as root for the practice swarm.",
  permission: "Swarm Lab may not use the Docker daemon's socket. Docker says: {docker} Start swarm-lab local as root or as a user in the docker group.",
  notSwarm: "This Docker is not in swarm mode. Docker says: {docker} Run npm run sandbox:up as root for the three-node practice swarm (or docker swarm init for a one-node swarm).",
  notManager: "This Docker is a swarm worker, not a manager. Docker says: {docker} Point DOCKER_HOST at a manager node, or run npm run sandbox:up as root.",
  imageMissing: "Node {node} does not have the image {image}, and local mode never pulls images. Docker says: {docker} Load the image on that node (docker save {image} | docker -H <node> load), or run npm run sandbox:up as root: it builds redis:7.4.0 and redis:7.4.1 on every node.",
  stays: "{failure} The simulated swarm stays.",
};

const FAILURE_KEYS: Record<LocalFailureKind, keyof LocalFailureStrings> = {
  'no-docker': 'noDocker',
  'daemon-down': 'daemonDown',
  permission: 'permission',
  'not-swarm': 'notSwarm',
  'not-manager': 'notManager',
  'image-missing': 'imageMissing',
};

/** The page's failure texts (a JSON data attribute), English for any missing. */
export function localFailureStrings(json: string | undefined): LocalFailureStrings {
  let v: unknown;
  try {
    v = JSON.parse(json ?? '{}');
  } catch {
    v = {};
  }
  const out = { ...ENGLISH_FAILURE_STRINGS };
  if (typeof v === 'object' && v !== null) {
    for (const k of Object.keys(out) as (keyof LocalFailureStrings)[]) {
      const s = (v as Record<string, unknown>)[k];
      if (typeof s === 'string' && s !== '') out[k] = s;
    }
  }
  return out;
}

/** A failure in the page's language, Docker's own words kept as they are. */
export function failureText(f: LocalFailure, s: LocalFailureStrings): string {
  const template = s[FAILURE_KEYS[f.kind]] ?? f.docker;
  // One pass, so a {…} inside Docker's text or a name is never replaced again.
  const values: Record<string, string> = { docker: f.docker, node: f.node ?? '?', image: f.image ?? '?' };
  return template.replace(/\{(docker|node|image)\}/g, (_m, k: string) => values[k]!);
}

/** The local server's Docker cannot run the lessons now; `failure` says why. */
export class RemoteUnavailable extends Error {
  constructor(readonly failure: LocalFailure) {
    super(failure.docker);
  }
}

const FAILURE_KINDS = new Set<string>(Object.keys(FAILURE_KEYS));
/** Whether a frame's `failure` field is one (the server's word is checked, not trusted). */
export const isFailure = (v: unknown): v is LocalFailure =>
  typeof v === 'object' &&
  v !== null &&
  FAILURE_KINDS.has(String((v as LocalFailure).kind)) &&
  typeof (v as LocalFailure).docker === 'string' &&
  ['node', 'image'].every((k) => (v as Record<string, unknown>)[k] === undefined || typeof (v as Record<string, unknown>)[k] === 'string');

/** The session token `swarm-lab local` printed in its URL (`#t=`), kept for the tab. */
export const LOCAL_TOKEN_KEY = 'swarm-lab:local-token';

export function localToken(): string | undefined {
  try {
    return sessionStorage.getItem(LOCAL_TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
