// The docker CLI, loaded when it is first needed. It is over half of the engine's code, and
// a lesson page's worker needs none of it to restore the tab's swarm and show the prompt: in
// the browser's worker bundle this dynamic import becomes a chunk of its own, so the worker
// starts by compiling only the simulator (docs/benchmarks.md "Site"). In Node the import is
// just a module load.
import type * as Cli from './index.js';

export interface DockerCli {
  runDocker: typeof Cli.runDocker;
  commandTree: typeof Cli.commandTree;
  globalFlags: typeof Cli.globalFlags;
}

let loaded: DockerCli | undefined;
let loading: Promise<DockerCli> | undefined;

/**
 * The CLI: the module itself once it has loaded (so a caller can go on without yielding), a
 * promise of it before. A failed load (the chunk could not be fetched) is tried again next time.
 */
export function dockerCli(): DockerCli | Promise<DockerCli> {
  if (loaded) return loaded;
  loading ??= import('./cli.js').then(
    (cli) => (loaded = { runDocker: cli.runDocker, commandTree: cli.commandTree, globalFlags: cli.globalFlags }),
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}

/** The CLI, loaded if it is not yet. */
export const loadDockerCli = async (): Promise<DockerCli> => dockerCli();
