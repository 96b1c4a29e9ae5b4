// Docker Engine API sections Swarm Lab does not simulate (images, networks, volumes…). The
// docker CLI reaching one gets a 404 like dockerd's unknown paths, so commands that probe
// several object types (docker inspect) go on to the next, but the message says why
// rather than dockerd's bare "page not found".
import { ApiError } from '../../api/swarm-api.js';

const SECTIONS = new Set([
  'auth', 'build', 'commit', 'configs', 'containers', 'events', 'exec', 'grpc', 'images', 'networks',
  'nodes', 'plugins', 'secrets', 'services', 'session', 'swarm', 'system', 'tasks', 'volumes',
]);

/** The error for `method path` (version prefix removed) that no route serves. */
export function unservedPath(method: string, path: string): ApiError {
  const section = path.split('/')[1] ?? '';
  if (!SECTIONS.has(section)) return new ApiError(404, 'page not found');
  return new ApiError(404, `not available in Swarm Lab: its simulated swarm serves the swarm tutorial's part of the Docker API, not ${method} ${path}`);
}
