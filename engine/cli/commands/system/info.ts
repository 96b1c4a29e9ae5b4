// docker info: the Client block, then the server's details with the Swarm section.
import { DaemonUnreachableError } from '../../../api/swarm-api.js';
import type { Info } from '../../../api/types.js';
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { runFormat } from '../../format/templates.js';
import { humanDuration } from '../../format/human-duration.js';
import { bytesSize } from '../../format/units.js';
import { FORMAT_INSPECT_USAGE } from '../../format/usage-texts.js';
import { CLIENT_DETAILS, CLIENT_VERSION } from '../../version-info.js';

// What a stock Debian engine reports when the backend leaves a detail out (swarm-lab serve
// reports the same, so the real docker CLI prints what this one does).
export const FALLBACK = {
  DriverStatus: [
    ['Backing Filesystem', 'extfs'],
    ['Supports d_type', 'true'],
    ['Native Overlay Diff', 'true'],
    ['userxattr', 'false'],
  ] as [string, string][],
  LoggingDriver: 'json-file',
  CgroupDriver: 'cgroupfs',
  CgroupVersion: '1',
  Plugins: {
    Volume: ['local'],
    Network: ['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay'],
    Log: ['awslogs', 'fluentd', 'gcplogs', 'gelf', 'journald', 'json-file', 'local', 'logentries', 'splunk', 'syslog'],
  },
  Runtimes: ['io.containerd.runc.v2', 'runc'],
  DefaultRuntime: 'runc',
  InitBinary: 'docker-init',
  SecurityOptions: ['name=seccomp,profile=default'],
  DockerRootDir: '/var/lib/docker',
  InsecureRegistries: ['127.0.0.0/8'],
};

function swarmSection(info: Info): string[] {
  const s = info.Swarm;
  const out = [` Swarm: ${s.LocalNodeState}`];
  if (s.LocalNodeState === 'inactive' || s.LocalNodeState === 'locked') return out;
  out.push(`  NodeID: ${s.NodeID}`);
  if (s.Error) out.push(`  Error: ${s.Error}`);
  out.push(`  Is Manager: ${s.ControlAvailable}`);
  const c = s.Cluster;
  if (c && s.ControlAvailable && !s.Error && s.LocalNodeState !== 'error') {
    out.push(`  ClusterID: ${c.ID}`);
    out.push(`  Managers: ${s.Managers ?? 0}`);
    out.push(`  Nodes: ${s.Nodes ?? 0}`);
    if (c.DefaultAddrPool && c.DefaultAddrPool.length > 0) {
      // docker/cli writes each pool followed by two spaces, after Println's one.
      out.push(`  Default Address Pool: ${c.DefaultAddrPool.map((p) => p + '  ').join('')}`);
      out.push(`  SubnetSize: ${c.SubnetSize}`);
    }
    if (c.DataPathPort > 0) out.push(`  Data Path Port: ${c.DataPathPort}`);
    out.push('  Orchestration:');
    out.push(`   Task History Retention Limit: ${c.Spec.Orchestration.TaskHistoryRetentionLimit}`);
    out.push('  Raft:');
    out.push(`   Snapshot Interval: ${c.Spec.Raft.SnapshotInterval}`);
    out.push(`   Number of Old Snapshots to Retain: ${c.Spec.Raft.KeepOldSnapshots}`);
    out.push(`   Heartbeat Tick: ${c.Spec.Raft.HeartbeatTick}`);
    out.push(`   Election Tick: ${c.Spec.Raft.ElectionTick}`);
    out.push('  Dispatcher:');
    out.push(`   Heartbeat Period: ${humanDuration(c.Spec.Dispatcher.HeartbeatPeriod / 1e6)}`);
    out.push('  CA Configuration:');
    out.push(`   Expiry Duration: ${humanDuration(c.Spec.CAConfig.NodeCertExpiry / 1e6)}`);
    out.push('   Force Rotate: 0');
    out.push(`  Autolock Managers: ${c.Spec.EncryptionConfig.AutoLockManagers}`);
    out.push(`  Root Rotation In Progress: ${c.RootRotationInProgress}`);
  }
  out.push(`  Node Address: ${s.NodeAddr}`);
  const managers = (s.RemoteManagers ?? []).map((m) => m.Addr).sort();
  if (managers.length > 0) {
    out.push('  Manager Addresses:');
    for (const addr of managers) out.push(`   ${addr}`);
  }
  return out;
}

function securityOptions(options: string[]): string[] {
  const out = [' Security Options:'];
  for (const opt of options) {
    // "name=seccomp,profile=default" → "  seccomp" / "   Profile: default"
    const kv = Object.fromEntries(opt.split(',').map((p) => p.split('=') as [string, string]));
    out.push(`  ${kv.name ?? opt}`);
    for (const [k, v] of Object.entries(kv)) {
      if (k !== 'name') out.push(`   ${k[0]?.toUpperCase()}${k.slice(1)}: ${v}`);
    }
  }
  return out;
}

const CLIENT_BLOCK = ['Client:', ` Version:    ${CLIENT_VERSION}`, ' Context:    default', ' Debug Mode: false', '', 'Server:'];

export function renderInfo(info: Info): string {
  const lines = [...CLIENT_BLOCK];
  lines.push(` Containers: ${info.Containers}`);
  lines.push(`  Running: ${info.ContainersRunning}`);
  lines.push(`  Paused: ${info.ContainersPaused}`);
  lines.push(`  Stopped: ${info.ContainersStopped}`);
  lines.push(` Images: ${info.Images}`);
  lines.push(` Server Version: ${info.ServerVersion}`);
  lines.push(` Storage Driver: ${info.Driver}`);
  for (const [k, v] of info.DriverStatus ?? FALLBACK.DriverStatus) lines.push(`  ${k}: ${v}`);
  lines.push(` Logging Driver: ${info.LoggingDriver ?? FALLBACK.LoggingDriver}`);
  lines.push(` Cgroup Driver: ${info.CgroupDriver ?? FALLBACK.CgroupDriver}`);
  lines.push(` Cgroup Version: ${info.CgroupVersion ?? FALLBACK.CgroupVersion}`);
  const plugins = info.Plugins ?? FALLBACK.Plugins;
  lines.push(' Plugins:');
  lines.push(`  Volume: ${plugins.Volume.join(' ')}`);
  lines.push(`  Network: ${plugins.Network.join(' ')}`);
  lines.push(`  Log: ${plugins.Log.join(' ')}`);
  lines.push(...swarmSection(info));
  const runtimes = info.Runtimes ? Object.keys(info.Runtimes).sort() : FALLBACK.Runtimes;
  lines.push(` Runtimes: ${runtimes.join(' ')}`);
  lines.push(` Default Runtime: ${info.DefaultRuntime ?? FALLBACK.DefaultRuntime}`);
  lines.push(` Init Binary: ${info.InitBinary ?? FALLBACK.InitBinary}`);
  lines.push(` containerd version: ${info.ContainerdCommit?.ID ?? ''}`);
  lines.push(` runc version: ${info.RuncCommit?.ID ?? ''}`);
  lines.push(` init version: ${info.InitCommit?.ID ?? ''}`);
  lines.push(...securityOptions(info.SecurityOptions ?? FALLBACK.SecurityOptions));
  lines.push(` Kernel Version: ${info.KernelVersion}`);
  lines.push(` Operating System: ${info.OperatingSystem}`);
  lines.push(` OSType: ${info.OSType}`);
  lines.push(` Architecture: ${info.Architecture}`);
  lines.push(` CPUs: ${info.NCPU}`);
  lines.push(` Total Memory: ${bytesSize(info.MemTotal)}`);
  lines.push(` Name: ${info.Name}`);
  lines.push(` ID: ${info.ID}`);
  lines.push(` Docker Root Dir: ${info.DockerRootDir ?? FALLBACK.DockerRootDir}`);
  lines.push(` Debug Mode: ${info.Debug ?? false}`);
  lines.push(` Experimental: ${info.ExperimentalBuild ?? false}`);
  lines.push(' Insecure Registries:');
  for (const cidr of info.RegistryConfig?.InsecureRegistryCIDRs ?? FALLBACK.InsecureRegistries) lines.push(`  ${cidr}`);
  lines.push(` Live Restore Enabled: ${info.LiveRestoreEnabled ?? false}`);
  return lines.join('\n') + '\n\n';
}

export const infoCommand: CommandDef = {
  name: 'info',
  usage: '[OPTIONS]',
  short: 'Display system-wide information',
  aliasesText: 'docker system info, docker info',
  args: { max: 0 },
  flags: [{ name: 'format', short: 'f', kind: 'string', usage: FORMAT_INSPECT_USAGE }],
  async run(ctx, inv) {
    const format = inv.flags.string('format');
    let info: Info;
    try {
      info = await ctx.api.info();
    } catch (e) {
      // docker/cli prints its client section, then the connection error (addServerInfo).
      if (format === '' && e instanceof DaemonUnreachableError) ctx.stdout.write(CLIENT_BLOCK.join('\n') + '\n');
      throw e;
    }
    if (format === '') {
      ctx.stdout.write(renderInfo(info));
      // Only the pretty form prints the daemon's warnings (prettyPrintInfo); formatInfo does not.
      for (const w of info.Warnings ?? []) ctx.stderr.write(`${w}\n`);
      return 0;
    }
    // docker info's template sees this client too (no CLI plugins installed). formatInfo parses
    // with templates.Parse, whose template is named "" (so errors read `template: :1: ...`),
    // and writes straight to stdout: no tabwriter, unlike docker version.
    const data = { ...info, ClientInfo: { Debug: false, ...CLIENT_DETAILS, Plugins: [], Warnings: null } };
    const out = runFormat(format === 'json' ? '{{json .}}' : format, data, { name: '', rootType: 'system.Info' });
    ctx.stdout.write(out.text + '\n');
    if (out.error) throw new CliError(out.error);
    return 0;
  },
};
