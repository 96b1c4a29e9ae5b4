// How docker prints an error that came back from an API call. Commands that collect several
// errors (node/service rm, node ps/inspect, service scale) or prefix them (scale's "<name>: ")
// need the text before throwing.
import { isApiError } from '../api/swarm-api.js';
import { CliError } from './command.js';

/** The line docker prints for `e`: daemon errors get the client's "Error response from daemon: " prefix. */
export function errorText(e: unknown): string {
  if (isApiError(e)) return `Error response from daemon: ${e.message}`;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** errdefs.IsNotFound for daemon errors. */
export const isNotFound = (e: unknown): boolean => isApiError(e) && e.statusCode === 404;

/** errors.Join of several failures, as one CliError (exit 1), or nothing when there were none. */
export function joinedError(errors: string[]): CliError | undefined {
  return errors.length === 0 ? undefined : new CliError(errors.join('\n'));
}
