// docker node promote / demote: a role change per node, each reported on its own line.
import type { NodeRole } from '../../../api/types.js';
import type { CommandDef } from '../../command.js';

function roleCommand(name: 'promote' | 'demote', role: NodeRole, short: string): CommandDef {
  return {
    name,
    usage: 'NODE [NODE...]',
    short,
    args: { min: 1 },
    async run(ctx, inv) {
      for (const ref of inv.args) {
        const node = await ctx.api.nodeInspect(ref);
        if (node.Spec.Role === role) {
          ctx.stdout.write(role === 'manager' ? `Node ${ref} is already a manager.\n` : `Node ${ref} is already a worker.\n`);
          continue;
        }
        await ctx.api.nodeUpdate(node.ID, node.Version.Index, { ...node.Spec, Role: role });
        ctx.stdout.write(
          role === 'manager' ? `Node ${ref} promoted to a manager in the swarm.\n` : `Manager ${ref} demoted in the swarm.\n`,
        );
      }
      return 0;
    },
  };
}

export const nodePromoteCommand = roleCommand('promote', 'manager', 'Promote one or more nodes to manager in the swarm');
export const nodeDemoteCommand = roleCommand('demote', 'worker', 'Demote one or more nodes from manager in the swarm');
