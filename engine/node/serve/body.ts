// Request bodies as dockerd reads them: JSON only, bounded in size, with dockerd's 400 texts
// for a missing body, a wrong Content-Type and JSON that does not parse.
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api/swarm-api.js';

/**
 * Far above any body the docker CLI sends (a service spec is a few KB), and small enough
 * that a client cannot make the server hold much with one request; a bigger body is refused
 * with a 413 before it is buffered whole. dockerd sets no limit of its own.
 */
export const MAX_BODY_BYTES = 256 << 10;

/** encoding/json's maxNestingDepth: deeper JSON is a syntax error to dockerd. */
export const MAX_JSON_DEPTH = 10_000;

/**
 * The first bracket that opens a level past `max`, or undefined. JSON.parse copes with any
 * depth, but everything recursive after it (copying the arguments for the journal, the
 * simulator's spec handling) would overflow the stack.
 */
function tooDeep(text: string, max = MAX_JSON_DEPTH): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return text[i];
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return undefined;
}

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
    // Node's 'aborted' error comes first: the same hang-up, not a failure of ours.
    req.on('error', () => {
      if (!done) reject(new ApiError(400, 'request body incomplete: the client closed the connection'));
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
  const text = body.toString('utf8');
  if (text.trim() === '') throw new ApiError(400, 'got EOF while reading request body');
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    throw new ApiError(400, `invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const deep = tooDeep(text);
  // Go's scanner text for it.
  if (deep !== undefined) throw new ApiError(400, `invalid JSON: invalid character '${deep}' exceeded max depth`);
  return value;
}
