// docker node: the node management group.
import type { CommandDef } from '../../command.js';
import { nodeInspectCommand } from './inspect.js';
import { nodeLsCommand } from './ls.js';
import { nodePsCommand } from './ps.js';
import { nodeDemoteCommand, nodePromoteCommand } from './role.js';
import { nodeRmCommand } from './rm.js';
import { nodeUpdateCommand } from './update.js';

export const nodeCommand: CommandDef = {
  name: 'node',
  usage: '',
  short: 'Manage Swarm nodes',
  subcommands: [
    nodeDemoteCommand,
    nodeInspectCommand,
    nodeLsCommand,
    nodePromoteCommand,
    nodePsCommand,
    nodeRmCommand,
    nodeUpdateCommand,
  ],
};
