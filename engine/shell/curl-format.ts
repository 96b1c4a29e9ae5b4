// curl 7.88.1's own words for what can go wrong, byte for byte as Debian 12's curl prints them
// (checked against the real curl on 127.0.0.1 ports, a real redis-server and an address on a LAN
// nobody answers for). Shared by the shell's parser (usage errors) and whoever answers a request
// (the simulated mesh, engine/sim/curl-sim.ts), so both say the same thing.
import type { CurlResult } from './curl-backend.js';

const TRY = "curl: try 'curl --help' or 'curl --manual' for more information\n";

/** A usage error: curl prints it even with -s, and exits 2. */
export const usageError = (line: string): CurlResult => ({ stdout: '', stderr: `curl: ${line}\n${TRY}`, exitCode: 2 });

export const unknownOption = (option: string): CurlResult => usageError(`option ${option}: is unknown`);
export const missingParameter = (option: string): CurlResult => usageError(`option ${option}: requires parameter`);
export const notANumber = (option: string): CurlResult => usageError(`option ${option}: expected a proper numerical parameter`);
export const notPositive = (option: string): CurlResult => usageError(`option ${option}: expected a positive numerical parameter`);
export const noUrl = (): CurlResult => usageError('no URL specified!');
/** `curl` alone: only the hint. */
export const bareCurl = (): CurlResult => ({ stdout: '', stderr: TRY, exitCode: 2 });

/** A transfer's error: `curl: (N) text`, hidden by -s (the exit code stays). */
export function transferError(code: number, text: string, silent: boolean): CurlResult {
  return { stdout: '', stderr: silent ? '' : `curl: (${code}) ${text}\n`, exitCode: code };
}

export const badUrl = (silent: boolean): CurlResult => transferError(3, 'URL using bad/illegal format or missing URL', silent);
export const unsupportedProtocol = (scheme: string, silent: boolean): CurlResult =>
  transferError(1, `Protocol "${scheme}" not supported or disabled in libcurl`, silent);
export const couldNotResolve = (host: string, silent: boolean): CurlResult => transferError(6, `Could not resolve host: ${host}`, silent);
/** Refused (a RST or an ICMP port unreachable) or no route (nobody answered ARP): curl 7.88 says the same. */
export const couldNotConnect = (host: string, port: number, afterMs: number, silent: boolean): CurlResult =>
  transferError(7, `Failed to connect to ${host} port ${port} after ${afterMs} ms: Couldn't connect to server`, silent);
/** -m ran out while connecting. */
export const connectTimedOut = (afterMs: number, silent: boolean): CurlResult =>
  transferError(28, `Connection timed out after ${afterMs} milliseconds`, silent);
/** The server closed the connection without a byte of answer (redis, which drops "Host:" lines). */
export const emptyReply = (silent: boolean): CurlResult => transferError(52, 'Empty reply from server', silent);
