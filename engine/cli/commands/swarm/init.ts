// docker swarm init: make this node the first manager and print how others join.
import type { CommandDef } from '../../command.js';
import { joinCommandText } from './join-command.js';

export const swarmInitCommand: CommandDef = {
  name: 'init',
  usage: '[OPTIONS]',
  short: 'Initialize a swarm',
  args: { max: 0 },
  flags: [
    { name: 'advertise-addr', kind: 'string', usage: 'Advertised address (format: "<ip|interface>[:port]")' },
    { name: 'autolock', kind: 'bool', usage: 'Enable manager autolocking (requiring an unlock key to start a stopped manager)' },
    { name: 'availability', kind: 'string', usage: 'Availability of the node ("active", "pause", "drain")', default: 'active', defaultText: '"active"' },
    { name: 'cert-expiry', kind: 'duration', usage: 'Validity period for node certificates (ns|us|ms|s|m|h)', default: '2160h', defaultText: '2160h0m0s' },
    { name: 'data-path-addr', kind: 'string', usage: 'Address or interface to use for data path traffic (format: "<ip|interface>")' },
    { name: 'data-path-port', kind: 'uint', bits: 32, valueName: 'uint32', usage: 'Port number to use for data path traffic (1024 - 49151). If no value is set or is set to 0, the default port (4789) is used.' },
    { name: 'default-addr-pool', kind: 'list', valueName: 'ipNetSlice', usage: 'default address pool in CIDR format', defaultText: '[]' },
    { name: 'default-addr-pool-mask-length', kind: 'uint', bits: 32, valueName: 'uint32', usage: 'default address pool subnet mask length', default: 24, defaultText: '24' },
    { name: 'dispatcher-heartbeat', kind: 'duration', usage: 'Dispatcher heartbeat period (ns|us|ms|s|m|h)', default: '5s', defaultText: '5s' },
    { name: 'external-ca', kind: 'list', valueName: 'external-ca', usage: 'Specifications of one or more certificate signing endpoints' },
    { name: 'force-new-cluster', kind: 'bool', usage: 'Force create a new cluster from current state' },
    { name: 'listen-addr', kind: 'string', valueName: 'node-addr', usage: 'Listen address (format: "<ip|interface>[:port]")', default: '0.0.0.0:2377', defaultText: '0.0.0.0:2377' },
    { name: 'max-snapshots', kind: 'uint', usage: 'Number of additional Raft snapshots to retain' },
    { name: 'snapshot-interval', kind: 'uint', usage: 'Number of log entries between Raft snapshots', default: 10000, defaultText: '10000' },
    { name: 'task-history-limit', kind: 'int', usage: 'Task history retention limit', default: 5, defaultText: '5' },
  ],
  async run(ctx, inv) {
    const advertise = inv.flags.string('advertise-addr');
    const nodeId = await ctx.api.swarmInit({
      ListenAddr: inv.flags.string('listen-addr'),
      ...(advertise !== '' ? { AdvertiseAddr: advertise } : {}),
      ForceNewCluster: inv.flags.bool('force-new-cluster'),
    });
    ctx.stdout.write(`Swarm initialized: current node (${nodeId}) is now a manager.\n\n`);
    ctx.stdout.write(await joinCommandText(ctx.api, 'worker'));
    ctx.stdout.write("To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.\n");
    return 0;
  },
};
