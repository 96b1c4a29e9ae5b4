// Request bodies as dockerd reads them: JSON only, bounded in size, with dockerd's 400 texts
// for a missing body, a wrong Content-Type and JSON that does not parse.
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api/swarm-api.js';

/** Far above any spec the CLI sends (a few KB); a bigger body is refused before it is buffered whole. */
export const MAX_BODY_BYTES = 1 << 20;

/** The raw body, or a 413 once it passes `limit` bytes (the rest is not read). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      done = true;
      req.resume();
      reject(new ApiError(413, `request body too large (limit ${limit} bytes)`));
      return;
    }
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        reject(new ApiError(413, `request body too large (limit ${limit} bytes)`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
      done = true;
    });
    // A client that hangs up mid-body: nothing to answer, but nothing may wait forever either.
    req.on('close', () => {
      if (!done) reject(new ApiError(400, 'request body incomplete: the client closed the connection'));
      done = true;
    });
    req.on('error', (e) => {
      if (!done) reject(e);
      done = true;
    });
  });
}

/** dockerd's CheckForJSON: a body with another Content-Type is refused. */
function checkContentType(req: IncomingMessage, body: Buffer): void {
  const ct = req.headers['content-type'];
  if (body.length === 0 || ct === undefined) return;
  const type = ct.split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new ApiError(400, `unsupported Content-Type header (${ct}): must be 'application/json'`);
}

/**
 * The body as JSON. An empty body is dockerd's "got EOF while reading request body"; JSON
 * that does not parse is a 400 with the parser's complaint (the wording differs from Go's).
 */
export async function readJson(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const body = await readBody(req, limit);
  checkContentType(req, body);
  if (body.toString('utf8').trim() === '') throw new ApiError(400, 'got EOF while reading request body');
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (e) {
    throw new ApiError(400, `invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}
