// A minimal in-memory SwarmApi for the CLI tests: one manager "vm" (plus optional workers),
// enough to drive node/swarm/info/version/ps. The simulator replaces it in integration tests.
import { ApiError } from '../engine/api/swarm-api.js';
import type { SwarmApi } from '../engine/api/swarm-api.js';
import type { ContainerSummary, Info, Node, NodeSpec, Swarm, Task, VersionInfo } from '../engine/api/types.js';
import type { CliContext } from '../engine/cli/context.js';

export const NOW = Date.parse('2026-11-27T15:30:00Z');

export function makeNode(id: string, hostname: string, manager: boolean, leader = false): Node {
  return {
    ID: id,
    Version: { Index: 9 },
    CreatedAt: '2026-11-27T15:21:28.436789978Z',
    UpdatedAt: '2026-11-27T15:21:29.042374585Z',
    Spec: { Labels: {}, Role: manager ? 'manager' : 'worker', Availability: 'active' },
    Description: {
      Hostname: hostname,
      Platform: { Architecture: 'x86_64', OS: 'linux' },
      Resources: { NanoCPUs: 2_000_000_000, MemoryBytes: 25276026880 },
      Engine: {
        EngineVersion: '20.10.24+dfsg1',
        Plugins: [
          ...['awslogs', 'fluentd', 'gcplogs', 'gelf', 'journald', 'json-file', 'local', 'logentries', 'splunk', 'syslog'].map((Name) => ({ Type: 'Log', Name })),
          ...['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay'].map((Name) => ({ Type: 'Network', Name })),
          { Type: 'Volume', Name: 'local' },
        ],
      },
      TLSInfo: { TrustRoot: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', CertIssuerSubject: 'MBMx', CertIssuerPublicKey: 'MFkw' },
    },
    Status: { State: 'ready', Addr: '127.0.0.1' },
    ...(manager ? { ManagerStatus: { Leader: leader, Reachability: 'reachable' as const, Addr: '127.0.0.1:2377' } } : {}),
  };
}

export class FakeApi implements SwarmApi {
  nodes: Node[] = [makeNode('ssilekqfve4nf2peyh49do1mk', 'vm', true, true)];
  selfId = 'ssilekqfve4nf2peyh49do1mk';
  inSwarm = true;
  tasks: Task[] = [];
  containers: ContainerSummary[] = [];
  services: { ID: string; Spec: { Name: string } }[] = [];
  calls: string[] = [];
  swarm: Swarm = {
    ID: 'q3ytml35tg8kh6kflv5h9fxbd',
    Version: { Index: 10 },
    CreatedAt: '2026-11-27T15:21:28Z',
    UpdatedAt: '2026-11-27T15:21:28Z',
    Spec: {
      Name: 'default',
      Labels: {},
      Orchestration: { TaskHistoryRetentionLimit: 5 },
      Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
      Dispatcher: { HeartbeatPeriod: 5_000_000_000 },
      CAConfig: { NodeCertExpiry: 7_776_000_000_000_000 },
      TaskDefaults: {},
      EncryptionConfig: { AutoLockManagers: false },
    },
    TLSInfo: { TrustRoot: '', CertIssuerSubject: '', CertIssuerPublicKey: '' },
    RootRotationInProgress: false,
    DefaultAddrPool: [],
    SubnetSize: 24,
    DataPathPort: 4789,
    JoinTokens: { Worker: 'SWMTKN-1-worker', Manager: 'SWMTKN-1-manager' },
  };

  private requireManager(): void {
    if (!this.inSwarm) {
      throw new ApiError(503, 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');
    }
  }
  private find(ref: string): Node {
    const n = this.nodes.find((x) => x.ID === ref || x.Description.Hostname === ref || x.ID.startsWith(ref));
    if (!n) throw new ApiError(404, `node ${ref} not found`);
    return n;
  }

  async ping() {
    return 'OK';
  }
  async version(): Promise<VersionInfo> {
    return {
      Version: '20.10.24+dfsg1', ApiVersion: '1.41', MinAPIVersion: '1.12', GitCommit: '5d6db84', GoVersion: 'go1.19.8',
      Os: 'linux', Arch: 'amd64', KernelVersion: '6.18.44-fc-v782', BuildTime: '2026-05-07T21:09:36.000000000+00:00',
      Components: [
        { Name: 'Engine', Version: '20.10.24+dfsg1' },
        { Name: 'containerd', Version: '1.6.20~ds1', Details: { GitCommit: '1.6.20~ds1-1+deb12u3' } },
        { Name: 'runc', Version: '1.1.5+ds1', Details: { GitCommit: '1.1.5+ds1-1+deb12u1' } },
        { Name: 'docker-init', Version: '0.19.0', Details: { GitCommit: '' } },
      ],
    };
  }
  async info(): Promise<Info> {
    const { JoinTokens: _tokens, ...cluster } = this.swarm;
    return {
      ID: 'S3JB:SI6P:6ALT:MGXH:2IN4:GEFB:AZJP:NUKI:PI64:HGYQ:6C4O:TRZZ', Containers: 0, ContainersRunning: 0, ContainersPaused: 0,
      ContainersStopped: 0, Images: 0, Driver: 'overlay2', Name: 'vm', ServerVersion: '20.10.24+dfsg1',
      OperatingSystem: 'Debian GNU/Linux 12 (bookworm)', OSType: 'linux', Architecture: 'x86_64', KernelVersion: '6.18.44-fc-v782',
      NCPU: 2, MemTotal: 25276026880,
      Runtimes: { runc: {}, 'io.containerd.runc.v2': {}, 'io.containerd.runtime.v1.linux': {} },
      ContainerdCommit: { ID: '1.6.20~ds1-1+deb12u3' }, RuncCommit: { ID: '1.1.5+ds1-1+deb12u1' }, InitCommit: { ID: '' },
      DockerRootDir: '/tmp/hd/data',
      Swarm: this.inSwarm
        ? {
            NodeID: this.selfId, NodeAddr: '127.0.0.1', LocalNodeState: 'active', ControlAvailable: true, Error: '',
            RemoteManagers: [{ NodeID: this.selfId, Addr: '127.0.0.1:2377' }], Nodes: this.nodes.length,
            Managers: this.nodes.filter((n) => n.ManagerStatus).length, Cluster: { ...cluster, DefaultAddrPool: null as unknown as string[] },
          }
        : { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    };
  }
  async swarmInspect() {
    this.requireManager();
    return this.swarm;
  }
  async swarmInit() {
    if (this.inSwarm) throw new ApiError(503, 'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.');
    this.inSwarm = true;
    return this.selfId;
  }
  async swarmJoin() {
    if (this.inSwarm) throw new ApiError(503, 'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.');
    this.inSwarm = true;
  }
  async nodeRemove(id: string) {
    this.nodes = this.nodes.filter((n) => n.ID !== id);
  }

  async swarmLeave(force: boolean) {
    if (!this.inSwarm) throw new ApiError(503, 'This node is not part of a swarm');
    if (!force) throw new ApiError(503, 'You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.');
    this.inSwarm = false;
  }
  async swarmUpdate(_version: number, spec: Swarm['Spec']) {
    this.swarm = { ...this.swarm, Spec: spec };
  }
  async nodeList() {
    this.requireManager();
    return this.nodes;
  }
  async nodeInspect(ref: string) {
    this.requireManager();
    return this.find(ref);
  }
  async nodeUpdate(id: string, _version: number, spec: NodeSpec) {
    if (!['active', 'pause', 'drain'].includes(spec.Availability)) throw new ApiError(400, `invalid Availability: "${spec.Availability}"`);
    const n = this.find(id);
    n.Spec = spec;
    this.calls.push(`nodeUpdate ${id} ${JSON.stringify(spec)}`);
  }
  async serviceCreate(): Promise<never> {
    throw new Error('not in fake');
  }
  async serviceList() {
    return this.services as never;
  }
  async serviceInspect(): Promise<never> {
    throw new Error('not in fake');
  }
  async serviceUpdate(): Promise<never> {
    throw new Error('not in fake');
  }
  async serviceDelete(): Promise<never> {
    throw new Error('not in fake');
  }
  async serviceLogs(): Promise<never> {
    throw new Error('not in fake');
  }
  async taskList(filters?: Record<string, string[]>) {
    return this.tasks.filter((t) => !filters?.node || filters.node.includes(t.NodeID ?? ''));
  }
  async taskInspect(): Promise<never> {
    throw new Error('not in fake');
  }
  async containerList() {
    return this.containers;
  }
  async networkList(): Promise<never> {
    throw new Error('not in fake');
  }
  async networkInspect(): Promise<never> {
    throw new Error('not in fake');
  }
  async distributionInspect(): Promise<never> {
    throw new Error('not in fake');
  }
}

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** A CliContext over the fake, capturing both streams. */
export function fakeContext(api: SwarmApi, columns = 80): { ctx: CliContext; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const ctx: CliContext = {
    api,
    stdout: { write: (t) => void (out += t) },
    stderr: { write: (t) => void (err += t) },
    tty: false,
    columns,
    clock: { now: () => NOW, sleep: async () => {} },
    signal: new AbortController().signal,
  };
  return { ctx, out: () => out, err: () => err };
}
