// The dockerode backend for local mode: the engine's SwarmApi over a real Docker daemon.
//
// API (stable; the local server builds on it):
//
//   dockerOptionsFromEnv(env = process.env): DockerOptions
//     How the docker CLI reaches its daemon: DOCKER_HOST unix:// | tcp:// (TLS when
//     DOCKER_TLS_VERIFY is non-empty, as the CLI: certs from DOCKER_CERT_PATH, else DOCKER_CONFIG,
//     else ~/.docker) | ssh://user@host[:port] | unset -> /var/run/docker.sock.
//     DOCKER_HOST unset: the current docker context (DOCKER_CONTEXT / config.json), as the CLI.
//     Throws DockerHostError (message as the docker CLI words it) for an unsupported scheme.
//     The result also carries `url`, the endpoint as the CLI names it (for messages).
//
//   new DockerodeApi(docker: Dockerode | DockerOptions)  implements SwarmApi
//     One connection = one DOCKER_HOST. Returns Engine API shapes as the daemon returns them;
//     daemon errors are ApiError(status, daemon's exact message). distributionInspect never asks
//     a registry (local mode): it throws the error the CLI turns into its registry warning.
//     Connection failures (socket missing, permission denied) are DockerUnreachableError with
//     `code` (ENOENT, EACCES, ECONNREFUSED…) and the docker CLI's own wording in `message`.
//
//   wallClock(): CliClock            Date.now + setTimeout, abortable.
//
//   realSwarmHost(opts?): Promise<RealSwarm>
//     opts.sandbox (default: auto = the sandbox sockets exist under /run/sw3) picks the 3-node
//     sandbox: manager1/worker1/worker2 -> unix:///run/sw3/<node>/docker.sock. Otherwise the one
//     machine of dockerOptionsFromEnv(opts.env), named by its daemon's hostname (Info.Name).
//     RealSwarm implements the Shell's ShellHost { api(hostname), hostnames(), clock, canExit }
//     and adds { kind: 'sandbox' | 'docker', name /* first manager's hostname */, startNode }.
//
//   SANDBOX_NODES, sandboxSocket(node), sandboxIsUp(): helpers for the sandbox layout;
//   sandboxHealthy(): every sandbox daemon answers and manager1 sees 3 Ready nodes.
export { DockerodeApi, DockerUnreachableError, NO_REGISTRY_MESSAGE } from './dockerode-api.js';
export { dockerOptionsFromEnv, dockerOptionsFor, parseDockerHost, endpointUrl, currentContext, DockerHostError } from './docker-host.js';
export type { DockerOptions, DockerEndpoint } from './docker-host.js';
export { wallClock } from './wall-clock.js';
export { realSwarmHost, SANDBOX_NODES, sandboxSocket, sandboxIsUp } from './real-swarm.js';
export type { RealSwarm, RealSwarmOptions } from './real-swarm.js';
export { sandboxHealthy } from './sandbox.js';
export { LocalDockerBackend } from './local-backend.js';
export { englishFailure, failureOf, missingImages, probeDaemon, daemonConfigured, dockerdSearchPath, findDockerd } from './failures.js';
export type { DaemonSetting, LocalFailure, LocalFailureKind } from './failures.js';
