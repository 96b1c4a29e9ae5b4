// docker network: the group as docker CLI 28 lists it. On a swarm node only its reads are
// simulated (ls, inspect: the lesson on the routing mesh names the ingress network); the
// others explain that they are not.
import type { CommandDef } from '../../command.js';
import { unsupported } from '../../unsupported.js';
import { networkInspectCommand } from './inspect.js';
import { networkLsCommand } from './ls.js';

export const networkCommand: CommandDef = {
  name: 'network',
  usage: '',
  short: 'Manage networks',
  subcommands: [
    unsupported('connect', 'Connect a container to a network', 'docker network connect'),
    unsupported('create', 'Create a network', 'docker network create'),
    unsupported('disconnect', 'Disconnect a container from a network', 'docker network disconnect'),
    networkInspectCommand,
    networkLsCommand,
    unsupported('prune', 'Remove all unused networks', 'docker network prune'),
    unsupported('rm', 'Remove one or more networks', 'docker network rm'),
  ],
};
