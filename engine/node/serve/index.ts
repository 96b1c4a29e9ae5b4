// `swarm-lab serve`: the Docker Engine API over the simulator (Node only).
export { serveCommand, parseServeArgs, defaultSocketPath, SERVE_USAGE, wallClockSession } from './command.js';
export { serveSwarm } from './serve.js';
export type { RunningServe, ServeOptions } from './serve.js';
export { createEngineServer } from './server.js';
