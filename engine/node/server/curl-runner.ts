// Runs the real curl for local mode: `nsenter` with an argv array (curl-policy.ts builds it),
// never a shell, with an empty environment but PATH (no proxy variables, no CURL_HOME), stdin
// closed, stdout bounded, and the request's AbortSignal killing it (Ctrl-C, the page gone).
// What curl printed and its exit code come back as they are.
import { spawn } from 'node:child_process';
import type { CurlResult } from '../../shell/curl-backend.js';
import { MAX_OUTPUT_BYTES } from './curl-policy.js';

/** Runs `nsenter ARGV`; the seam tests replace to count what would have been spawned. */
export type CurlRunner = (argv: readonly string[], signal: AbortSignal) => Promise<CurlResult>;

const ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };

/** curl's exit code when it was stopped: as a shell reports a process killed by SIGINT (128 + 2). */
const INTERRUPTED = 130;

export function spawnCurl(command = 'nsenter', maxBytes = MAX_OUTPUT_BYTES): CurlRunner {
  return (argv, signal) =>
    new Promise<CurlResult>((resolve) => {
      if (signal.aborted) return resolve({ stdout: '', stderr: '', exitCode: INTERRUPTED });
      const child = spawn(command, [...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: ENV, shell: false });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let outBytes = 0;
      let errBytes = 0;
      let cut = false;
      const kill = (): void => void child.kill('SIGKILL');
      signal.addEventListener('abort', kill, { once: true });
      child.stdout.on('data', (b: Buffer) => {
        if (outBytes + b.length > maxBytes) {
          out.push(b.subarray(0, maxBytes - outBytes));
          outBytes = maxBytes;
          cut = true;
          kill();
          return;
        }
        out.push(b);
        outBytes += b.length;
      });
      child.stderr.on('data', (b: Buffer) => {
        // curl's errors are a line or two; nsenter's too. Anything more is not kept.
        if (errBytes < 4096) err.push(b.subarray(0, 4096 - errBytes));
        errBytes += b.length;
      });
      let settled = false;
      const finish = (code: number | null, spawnError?: Error): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', kill);
        const stderr =
          Buffer.concat(err).toString('utf8') +
          (spawnError ? `swarm-lab: could not run ${command}: ${spawnError.message}\n` : '') +
          (cut ? `swarm-lab: curl's output was cut at ${maxBytes} bytes\n` : '');
        const exitCode = spawnError ? 1 : signal.aborted ? INTERRUPTED : cut ? 23 : (code ?? 1);
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr, exitCode });
      };
      child.on('error', (e) => finish(null, e));
      child.on('close', (code) => finish(code));
    });
}
