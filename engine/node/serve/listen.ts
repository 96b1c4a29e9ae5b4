// Where an engine server listens: a unix socket (owner-only, like a rootless dockerd's) or a
// loopback TCP port. A stale socket file left by a crashed run is replaced; a live one, or
// any other file at that path, is refused.
import { chmod, lstat, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Server } from 'node:http';
import { allowedHosts } from '../server/http-policy.js';

export type ListenTarget = { socket: string } | { port: number };

/** Answers whether something accepts connections on the unix socket `path`. */
function socketIsLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(path);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

async function clearStaleSocket(path: string): Promise<void> {
  let st;
  try {
    st = await lstat(path);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new Error(`${path} exists and is not a socket`);
  if (await socketIsLive(path)) throw new Error(`${path} is in use by another server`);
  await unlink(path);
}

/** Starts listening; resolves with the DOCKER_HOST value that reaches the server. */
export async function listen(server: Server, target: ListenTarget, onPort?: (hosts: ReadonlySet<string>) => void): Promise<string> {
  if ('socket' in target) {
    await clearStaleSocket(target.socket);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(target.socket, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await chmod(target.socket, 0o600);
    return `unix://${target.socket}`;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(target.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : target.port;
  onPort?.(allowedHosts(port));
  return `tcp://127.0.0.1:${port}`;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
