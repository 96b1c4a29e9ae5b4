// Commands docker lists in its help that Swarm Lab does not simulate. They exist so that
// `docker --help` looks real and running one explains itself instead of "unknown command".
import type { CommandDef } from './command.js';
import { CliError } from './command.js';

const stubs = new WeakSet<CommandDef>();

export function unsupported(name: string, short: string, path: string): CommandDef {
  const def: CommandDef = {
    name,
    usage: '',
    short,
    run: () => {
      throw new CliError(
        `${path}: not available in Swarm Lab. Its simulated swarm supports the swarm commands only ` +
          `(docker swarm, node, service, network ls and inspect, info, version, ps).`,
      );
    },
  };
  stubs.add(def);
  return def;
}

/** Stubs take any arguments unparsed: `docker run -it alpine` must reach the explanation. */
export const isUnsupported = (def: CommandDef): boolean => stubs.has(def);
