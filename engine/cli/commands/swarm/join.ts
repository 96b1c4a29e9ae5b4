// docker swarm join: join through a manager's address with a token.
import type { CommandDef } from '../../command.js';

export const swarmJoinCommand: CommandDef = {
  name: 'join',
  usage: '[OPTIONS] HOST:PORT',
  short: 'Join a swarm as a node and/or manager',
  args: { min: 1, max: 1 },
  flags: [
    { name: 'advertise-addr', kind: 'string', usage: 'Advertised address (format: "<ip|interface>[:port]")' },
    { name: 'availability', kind: 'string', usage: 'Availability of the node ("active", "pause", "drain")', default: 'active', defaultText: '"active"' },
    { name: 'data-path-addr', kind: 'string', usage: 'Address or interface to use for data path traffic (format: "<ip|interface>")' },
    { name: 'listen-addr', kind: 'string', valueName: 'node-addr', usage: 'Listen address (format: "<ip|interface>[:port]")', default: '0.0.0.0:2377', defaultText: '0.0.0.0:2377' },
    { name: 'token', kind: 'string', usage: 'Token for entry into the swarm' },
  ],
  async run(ctx, inv) {
    const advertise = inv.flags.string('advertise-addr');
    await ctx.api.swarmJoin({
      ListenAddr: inv.flags.string('listen-addr'),
      ...(advertise !== '' ? { AdvertiseAddr: advertise } : {}),
      RemoteAddrs: [inv.args[0] as string],
      JoinToken: inv.flags.string('token'),
    });
    const info = await ctx.api.info();
    ctx.stdout.write(`This node joined a swarm as a ${info.Swarm.ControlAvailable ? 'manager' : 'worker'}.\n`);
    return 0;
  },
};
