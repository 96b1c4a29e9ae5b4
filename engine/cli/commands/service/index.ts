// `docker service`: the command group and its subcommands.
import type { CommandDef } from '../../command.js';
import { createCommand } from './create.js';
import { inspectCommand } from './inspect.js';
import { logsCommand } from './logs.js';
import { lsCommand } from './ls.js';
import { psCommand } from './ps.js';
import { rmCommand } from './rm.js';
import { rollbackCommand } from './rollback.js';
import { scaleCommand } from './scale.js';
import { updateCommand } from './update.js';

export const serviceCommand: CommandDef = {
  name: 'service',
  usage: 'COMMAND',
  short: 'Manage Swarm services',
  subcommands: [
    createCommand,
    inspectCommand,
    logsCommand,
    lsCommand,
    psCommand,
    rmCommand,
    rollbackCommand,
    scaleCommand,
    updateCommand,
  ],
};
