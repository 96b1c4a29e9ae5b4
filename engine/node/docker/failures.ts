// The failures a learner meets in local mode, found out the way the docker CLI finds them
// (a request to the daemon) and kept with Docker's own words. The server sends them to the
// page, which wraps Docker's text in a localized explanation and a hint; the console of
// `swarm-lab local` prints the English one (`englishFailure`).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { SwarmApi } from '../../api/swarm-api.js';
import { ApiError } from '../../api/swarm-api.js';
import { DockerUnreachableError } from './dockerode-api.js';

export type LocalFailureKind = 'no-docker' | 'daemon-down' | 'permission' | 'not-swarm' | 'not-manager' | 'image-missing';

export interface LocalFailure {
  kind: LocalFailureKind;
  /** What the docker CLI prints for it, verbatim (never translated). */
  docker: string;
  /** image-missing: the node that has not got the image, and the image. */
  node?: string;
  image?: string;
}

/** The socket the docker CLI uses when neither DOCKER_HOST nor a context says otherwise. */
export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** The daemon's 503 for manager-only requests, by the node's swarm state (moby daemon/cluster errors). */
const NOT_IN_SWARM = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join"';
const WORKER = "This node is not a swarm manager. Worker nodes can't be used";

/** How the daemon was looked for, which tells "not installed" from "not running". */
export interface DaemonSetting {
  /** DOCKER_HOST or a context named the daemon (not the built-in default socket). */
  configured: boolean;
  /** Where the Docker daemon's program (dockerd) is on this computer, or undefined: not installed. */
  dockerd: string | undefined;
}

/**
 * The folders looked in for dockerd: the PATH, then the sbin folders a non-root user's PATH
 * lacks (Debian's docker.io installs /usr/sbin/dockerd, Docker's own packages /usr/bin/dockerd).
 */
export function dockerdSearchPath(env: Record<string, string | undefined>): string {
  return [env['PATH'] ?? '', '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].filter((d) => d !== '').join(delimiter);
}

/** The first executable file named dockerd in `searchPath` (PATH syntax), or undefined. */
export function findDockerd(searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, 'dockerd');
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not there, or not executable
    }
  }
  return undefined;
}

/**
 * The failure an Engine request ended in, or undefined for an ordinary error (a daemon
 * refusal the CLI prints as it is). Nothing at the default socket (ENOENT), no DOCKER_HOST or
 * context, and no dockerd program: Docker is not installed. Any other socket that is missing
 * or refuses (a dockerd that is installed but stopped, a stale socket, the daemon DOCKER_HOST
 * names): the daemon is not running.
 */
export function failureOf(e: unknown, setting: DaemonSetting): LocalFailure | undefined {
  if (e instanceof DockerUnreachableError) {
    if (e.code === 'EACCES') return { kind: 'permission', docker: e.message };
    const defaultSocket = e.url === `unix://${DEFAULT_SOCKET}`;
    if (e.code === 'ENOENT' && defaultSocket && !setting.configured && setting.dockerd === undefined) return { kind: 'no-docker', docker: e.message };
    return { kind: 'daemon-down', docker: e.message };
  }
  if (e instanceof ApiError) {
    if (e.message.startsWith(NOT_IN_SWARM)) return { kind: 'not-swarm', docker: `Error response from daemon: ${e.message}` };
    if (e.message.startsWith(WORKER)) return { kind: 'not-manager', docker: `Error response from daemon: ${e.message}` };
  }
  return undefined;
}

/**
 * Whether the daemon behind `api` can run the lessons: it answers, and it is a swarm manager.
 * Asks for the node list, a manager-only request, so the daemon itself says what is wrong.
 */
export async function probeDaemon(api: SwarmApi, setting: DaemonSetting): Promise<LocalFailure | undefined> {
  try {
    await api.nodeList();
    return undefined;
  } catch (e) {
    const f = failureOf(e, setting);
    if (f) return f;
    throw e;
  }
}

/** DOCKER_HOST or a docker context names the daemon (not the built-in default). */
export function daemonConfigured(env: Record<string, string | undefined>): boolean {
  return Boolean(env['DOCKER_HOST'] || (env['DOCKER_CONTEXT'] && env['DOCKER_CONTEXT'] !== 'default'));
}

/** A task's error for an image its node has not got (the daemon could not pull it either). */
const NO_SUCH_IMAGE = /^No such image: (\S+)$/;

/**
 * The images a service's tasks were rejected for because their node has not got them (local
 * mode never pulls), one per node and image, with the node's hostname; only tasks whose
 * status changed since `sinceMs` (epoch ms), and only images of `preloaded`: the ones the
 * swarm is meant to have, so loading them on that node is the remedy. (Any other image a
 * service may name, the rolling-update lesson's tag that exists nowhere, fails on purpose.)
 */
export async function missingImages(api: SwarmApi, service: string, preloaded: ReadonlySet<string>, sinceMs = 0): Promise<LocalFailure[]> {
  const tasks = await api.taskList({ service: [service] });
  const nodes = new Map<string, string>();
  const out = new Map<string, LocalFailure>();
  for (const t of tasks) {
    const m = NO_SUCH_IMAGE.exec(t.Status.Err ?? '');
    // Rejections from before the command (kept in the task history) were reported then.
    if (!m || t.Status.State !== 'rejected' || Date.parse(t.Status.Timestamp) < sinceMs - 1000) continue;
    if (!preloaded.has(m[1]!)) continue;
    if (nodes.size === 0) for (const n of await api.nodeList()) nodes.set(n.ID, n.Description.Hostname);
    const node = nodes.get(t.NodeID ?? '') ?? t.NodeID ?? '';
    const key = `${node}\n${m[1]}`;
    if (!out.has(key)) out.set(key, { kind: 'image-missing', docker: t.Status.Err!, node, image: m[1]! });
  }
  return [...out.values()];
}

/** The images the sandbox builds on every node (scripts/sandbox/build-redis-image.sh). */
export const SANDBOX_IMAGES = 'redis:7.4.0 and redis:7.4.1';

/** English, for the console of `swarm-lab local` (the page has its own, localized, in content/i18n). */
export function englishFailure(f: LocalFailure): string {
  switch (f.kind) {
    case 'no-docker':
      return `Docker is not installed on this computer (no dockerd program, no daemon socket at ${DEFAULT_SOCKET}, DOCKER_HOST not set). Docker says: ${f.docker} Install it (on Debian or Ubuntu: sudo apt-get install docker.io), then run npm run sandbox:up as root for the practice swarm.`;
    case 'daemon-down':
      return `Docker is installed, but its daemon is not running. Docker says: ${f.docker} Start it (sudo systemctl start docker; if DOCKER_HOST is set, start the daemon it names), or run npm run sandbox:up as root for the practice swarm.`;
    case 'permission':
      return `Permission denied on the Docker daemon socket. Docker says: ${f.docker} Run swarm-lab local as root or as a user in the docker group.`;
    case 'not-swarm':
      return `This Docker is not in swarm mode. Docker says: ${f.docker} Run npm run sandbox:up as root for the three-node practice swarm (or docker swarm init for a one-node swarm).`;
    case 'not-manager':
      return `This Docker is a swarm worker, not a manager. Docker says: ${f.docker} Set DOCKER_HOST to a manager node, or run npm run sandbox:up as root.`;
    case 'image-missing':
      return `Node ${f.node ?? '?'} has not got the image ${f.image ?? '?'}, and local mode never pulls images. Docker says: ${f.docker} Load it on that node (docker save ${f.image ?? 'IMAGE'} | docker -H <node> load), or run npm run sandbox:up as root, which builds ${SANDBOX_IMAGES} on every node.`;
  }
}
