// docker swarm: creating, joining and leaving the swarm.
import type { CommandDef } from '../../command.js';
import { unsupported } from '../../unsupported.js';
import { swarmInitCommand } from './init.js';
import { swarmJoinCommand } from './join.js';
import { swarmJoinTokenCommand } from './join-token.js';
import { swarmLeaveCommand } from './leave.js';
import { swarmUpdateCommand } from './update.js';

export const swarmCommand: CommandDef = {
  name: 'swarm',
  usage: '',
  short: 'Manage Swarm',
  subcommands: [
    unsupported('ca', 'Display and rotate the root CA', 'docker swarm ca'),
    swarmInitCommand,
    swarmJoinCommand,
    swarmJoinTokenCommand,
    swarmLeaveCommand,
    unsupported('unlock', 'Unlock swarm', 'docker swarm unlock'),
    unsupported('unlock-key', 'Manage the unlock key', 'docker swarm unlock-key'),
    swarmUpdateCommand,
  ],
};
