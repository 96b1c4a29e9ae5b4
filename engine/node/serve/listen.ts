// Where an engine server listens: a unix socket (owner-only, like a rootless dockerd's) or a
// loopback TCP port. A stale socket file left by a crashed run is replaced; a live one, or
// any other file at that path, is refused.
//
// The socket is private from the moment it can be reached: it is bound inside a fresh 0700
// directory (mkdtemp, whatever the umask), made 0600 there, and only then hard-linked to
// its path (link() never replaces a file that appeared meanwhile). Binding at the path and
// chmod-ing afterwards left it open to every user, under umask 000, until the chmod ran.
import { chmod, link, lstat, mkdtemp, rename, rmdir, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { allowedHosts } from '../server/http-policy.js';

export type ListenTarget = { socket: string } | { port: number };

/** The socket files servers were linked to (libuv only unlinks the path it bound, in the temporary directory). */
const linked = new WeakMap<Server, { path: string; dev: number; ino: number }>();

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

function listenOn(server: Server, where: string | { port: number; host: string }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve();
    };
    if (typeof where === 'string') server.listen(where, done);
    else server.listen(where.port, where.host, done);
  });
}

/** Binds `server` to the unix socket `path`, never reachable by others (see the top of the file). */
async function listenPrivately(server: Server, path: string): Promise<void> {
  await clearStaleSocket(path);
  // Next to the target, so the link stays on one filesystem; a short name, as socket paths
  // are limited to 107 bytes.
  const dir = await mkdtemp(join(dirname(path), '.sl-'));
  const inner = join(dir, 's');
  try {
    await listenOn(server, inner);
    await chmod(inner, 0o600);
    try {
      await link(inner, path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new Error(`${path} appeared while the server was starting: another server uses it`);
      // A filesystem without hard links: rename does the same, but would replace a file
      // that appeared since the check above, so check once more.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
      if (await lstat(path).then(() => true, () => false)) throw new Error(`${path} appeared while the server was starting: another server uses it`);
      await rename(inner, path);
    }
    const st = await lstat(path);
    linked.set(server, { path, dev: st.dev, ino: st.ino });
  } catch (e) {
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    throw e;
  } finally {
    await unlink(inner).catch(() => undefined);
    await rmdir(dir).catch(() => undefined);
  }
}

/** Starts listening; resolves with the DOCKER_HOST value that reaches the server. */
export async function listen(server: Server, target: ListenTarget, onPort?: (hosts: ReadonlySet<string>) => void): Promise<string> {
  if ('socket' in target) {
    await listenPrivately(server, target.socket);
    return `unix://${target.socket}`;
  }
  await listenOn(server, { port: target.port, host: '127.0.0.1' });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : target.port;
  onPort?.(allowedHosts(port));
  return `tcp://127.0.0.1:${port}`;
}

export async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  const sock = linked.get(server);
  if (!sock) return;
  linked.delete(server);
  // Only our own socket file: another server may have taken the path since.
  const st = await lstat(sock.path).catch(() => undefined);
  if (st && st.isSocket() && st.dev === sock.dev && st.ino === sock.ino) await unlink(sock.path).catch(() => undefined);
}
