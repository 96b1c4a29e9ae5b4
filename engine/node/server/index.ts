// The local server of `swarm-lab local` (issue 4): public surface.
export { startLocalServer, MAX_BODY_BYTES, MAX_FRAME_BYTES, CLOSE_POLICY, CLOSE_UNAUTHORIZED, CLOSE_CONFLICT } from './server.js';
export type { LocalServer, LocalServerOptions } from './server.js';
export type { LocalBackend } from './backend.js';
export { GuardedApi, MANAGED_LABEL, MANAGED_LABEL_KEY, MAX_SERVICES, MAX_TOTAL_REPLICAS, REDACTED_TOKEN } from './guard.js';
export { LocalLedger } from './ledger.js';
export { checkCommandLine, NOT_AVAILABLE, MAX_LINE_LENGTH } from './command-policy.js';
export { serviceSpecProblem, DEFAULT_IMAGES } from './spec-policy.js';
export { recordCalls } from './call-log.js';
export type { EngineCall } from './call-log.js';
export type { ClientFrame, ServerFrame } from './protocol.js';
