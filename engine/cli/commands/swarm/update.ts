// docker swarm update: cluster-wide settings such as the task history limit.
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';

export const swarmUpdateCommand: CommandDef = {
  name: 'update',
  usage: '[OPTIONS]',
  short: 'Update the swarm',
  args: { max: 0 },
  flags: [
    { name: 'autolock', kind: 'bool', usage: 'Change manager autolocking setting (true|false)' },
    { name: 'cert-expiry', kind: 'duration', usage: 'Validity period for node certificates (ns|us|ms|s|m|h)', default: '2160h', defaultText: '2160h0m0s' },
    { name: 'dispatcher-heartbeat', kind: 'duration', usage: 'Dispatcher heartbeat period (ns|us|ms|s|m|h)', default: '5s', defaultText: '5s' },
    { name: 'external-ca', kind: 'list', valueName: 'external-ca', usage: 'Specifications of one or more certificate signing endpoints' },
    { name: 'max-snapshots', kind: 'uint', usage: 'Number of additional Raft snapshots to retain' },
    { name: 'snapshot-interval', kind: 'uint', usage: 'Number of log entries between Raft snapshots', default: 10000, defaultText: '10000' },
    { name: 'task-history-limit', kind: 'int', usage: 'Task history retention limit', default: 5, defaultText: '5' },
  ],
  async run(ctx, inv) {
    const swarm = await ctx.api.swarmInspect();
    const f = inv.flags;
    // Only changed flags touch the spec, as docker's swarmOptions.mergeSwarmSpec does.
    const spec = JSON.parse(JSON.stringify(swarm.Spec)) as typeof swarm.Spec;
    if (f.changed('task-history-limit')) spec.Orchestration.TaskHistoryRetentionLimit = f.int('task-history-limit');
    if (f.changed('dispatcher-heartbeat')) spec.Dispatcher.HeartbeatPeriod = f.duration('dispatcher-heartbeat');
    if (f.changed('cert-expiry')) spec.CAConfig.NodeCertExpiry = f.duration('cert-expiry');
    if (f.changed('snapshot-interval')) spec.Raft.SnapshotInterval = f.uint('snapshot-interval');
    if (f.changed('max-snapshots')) spec.Raft.KeepOldSnapshots = f.uint('max-snapshots');
    if (f.changed('autolock')) spec.EncryptionConfig.AutoLockManagers = f.bool('autolock');
    await ctx.api.swarmUpdate(swarm.Version.Index, spec);
    ctx.stdout.write('Swarm updated.\n');
    return 0;
  },
};
