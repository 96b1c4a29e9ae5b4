// The contract between the shell's `curl` (issue 18: the routing-mesh lesson) and whoever can
// reach the swarm's published ports. The shell parses what the learner typed (a small, honest
// subset of curl: `curl [-s] [-i] [-m N] [http://]HOST[:PORT][/path]`) and refuses the rest with
// curl's own words; a backend then answers the request as curl would print it:
//  - on the simulated swarm, the routing mesh and the tasks' web servers of the simulator
//    (curl's output and errors are made by the engine, byte for byte as curl 7.88 prints them);
//  - in local mode, the real curl, run inside the chosen node's network namespace on the sandbox,
//    after the server's policy allowed the request (engine/node/).
// A host without a backend has no `curl` (the shell says so).

export interface CurlRequest {
  /** The machine the shell is on (the top of the ssh stack): where the request starts. */
  fromNode: string;
  /** The URL as the learner typed it (`localhost:8080`, `http://worker1:8080/index.html`). */
  url: string;
  /** The host part as typed, lowercased: a node's name or address, `localhost` or `127.0.0.1`. */
  host: string;
  /** The port: 80 when the URL gives none. */
  port: number;
  /** The path with its query, always starting with `/`. */
  path: string;
  /** `-i`/`--include`: the response's status line and headers before its body. */
  include: boolean;
  /** `-s`/`--silent`: no progress meter (only printed when stdout is not a terminal) and no error text. */
  silent: boolean;
  /** `-m N`/`--max-time N`: give up after N seconds (curl exit code 28). */
  maxTimeSeconds?: number;
}

/** What curl would have printed, and its exit code (0, 6, 7, 28, ... as curl's own). */
export interface CurlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** What the shell offers a backend while a request runs (optional: a backend may ignore it). */
export interface CurlHooks {
  /**
   * Called before the backend waits on the swarm's clock (a connect nobody answers): the shell
   * then says so if the learner has paused the swarm, as `sleep` does.
   */
  waiting?(): void;
}

export interface CurlBackend {
  curl(req: CurlRequest, signal: AbortSignal, hooks?: CurlHooks): Promise<CurlResult>;
}
