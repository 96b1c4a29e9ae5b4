// docker node update: change availability, role or labels, then echo the node as typed.
import type { NodeAvailability, NodeRole } from '../../../api/types.js';
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';

export const nodeUpdateCommand: CommandDef = {
  name: 'update',
  usage: '[OPTIONS] NODE',
  short: 'Update a node',
  args: { min: 1, max: 1 },
  flags: [
    { name: 'availability', kind: 'string', usage: 'Availability of the node ("active", "pause", "drain")' },
    { name: 'label-add', kind: 'list', usage: 'Add or update a node label ("key=value")' },
    { name: 'label-rm', kind: 'list', usage: 'Remove a node label if exists' },
    { name: 'role', kind: 'string', usage: 'Role of the node ("worker", "manager")' },
  ],
  async run(ctx, inv) {
    const ref = inv.args[0] as string;
    const node = await ctx.api.nodeInspect(ref);
    const spec = { ...node.Spec, Labels: { ...node.Spec.Labels } };
    // The daemon validates the values ("invalid Availability: \"foo\""), as with the real CLI.
    if (inv.flags.changed('role')) spec.Role = inv.flags.string('role') as NodeRole;
    if (inv.flags.changed('availability')) spec.Availability = inv.flags.string('availability') as NodeAvailability;
    for (const label of inv.flags.list('label-add')) {
      const eq = label.indexOf('=');
      if (eq < 0) spec.Labels[label] = '';
      else spec.Labels[label.slice(0, eq)] = label.slice(eq + 1);
    }
    for (const key of inv.flags.list('label-rm')) {
      if (!(key in spec.Labels)) throw new CliError(`key ${key} doesn't exist in node's labels`);
      delete spec.Labels[key];
    }
    await ctx.api.nodeUpdate(node.ID, node.Version.Index, spec);
    ctx.stdout.write(`${ref}\n`);
    return 0;
  },
};
