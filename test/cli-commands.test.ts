// node/swarm/info/version/ps commands over the in-test fake API, compared with what the real
// CLI printed against a live dockerd (test/fixtures/docker-real/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Task } from '../engine/api/types.js';
import { runDocker } from '../engine/cli/index.js';
import { FakeApi, NOW, fakeContext, makeNode } from './cli-fake-api.js';

const real = (f: string) => readFileSync(join(import.meta.dirname, 'fixtures/docker-real', f), 'utf8');

async function run(argv: string[], api = new FakeApi()) {
  const { ctx, out, err } = fakeContext(api);
  const code = await runDocker(argv, ctx);
  return { code, out: out(), err: err() };
}

function threeNodes(): FakeApi {
  const api = new FakeApi();
  api.nodes = [
    makeNode('03g1y59jwfg7cf99w4lt0f662', 'worker2', false),
    makeNode('dxn1zf6l61qsb1josjja83ngz', 'manager1', true, true),
    makeNode('9j68exjopxe7wfl6yuxml7a7j', 'worker1', false),
  ];
  api.selfId = 'dxn1zf6l61qsb1josjja83ngz';
  return api;
}

describe('docker node', () => {
  it('ls matches the live capture', async () => {
    expect(await run(['node', 'ls'])).toEqual({ code: 0, out: real('node-ls.txt'), err: '' });
  });
  it('ls sorts by hostname and marks only the connected node', async () => {
    const r = await run(['node', 'ls'], threeNodes());
    expect(r.out).toBe(
      'ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n' +
        'dxn1zf6l61qsb1josjja83ngz *   manager1   Ready     Active         Leader           20.10.24+dfsg1\n' +
        '9j68exjopxe7wfl6yuxml7a7j     worker1    Ready     Active                          20.10.24+dfsg1\n' +
        '03g1y59jwfg7cf99w4lt0f662     worker2    Ready     Active                          20.10.24+dfsg1\n',
    );
  });
  it('ls --format json and template match the live capture', async () => {
    expect((await run(['node', 'ls', '--format', 'json'])).out).toBe(
      '{"Availability":"Active","EngineVersion":"20.10.24+dfsg1","Hostname":"vm","ID":"ssilekqfve4nf2peyh49do1mk","ManagerStatus":"Leader","Self":true,"Status":"Ready","TLSStatus":"Ready"}\n',
    );
    expect((await run(['node', 'ls', '--format', '{{.ID}} {{.Hostname}} {{.Self}} {{.Status}} {{.ManagerStatus}}'])).out).toBe(
      'ssilekqfve4nf2peyh49do1mk vm true Ready Leader\n',
    );
  });
  it('inspect --pretty has the live layout', async () => {
    const r = await run(['node', 'inspect', '--pretty', 'self']);
    expect(r.code).toBe(0);
    const expected = real('node-pretty.txt');
    // The fake's certificate and keys are shorter; everything before "TLS Info" is byte-identical.
    expect(r.out.split('TLS Info:')[0]).toBe(expected.split('TLS Info:')[0]!.replace('15:21:28.436789978', '15:21:28.436789978'));
    expect(r.out).toContain('TLS Info:\n TrustRoot:\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n\n Issuer Subject:\tMBMx\n Issuer Public Key:\tMFkw\n');
  });
  it('inspect prints JSON, then the errors of missing nodes', async () => {
    const r = await run(['node', 'inspect', 'nosuch']);
    expect(r).toEqual({ code: 1, out: '[]\n', err: 'Error response from daemon: node nosuch not found\n' });
    const ok = await run(['node', 'inspect', 'vm']);
    expect(ok.out.startsWith('[\n    {\n        "ID": "ssilekqfve4nf2peyh49do1mk",\n        "Version": {\n            "Index": 9\n        },')).toBe(true);
    const f = await run(['node', 'inspect', '--format', '{{json .Spec.Labels}} {{.Spec.Role}} {{.Description.Hostname}}', 'self', 'vm']);
    expect(f.out).toBe('{} manager vm\n{} manager vm\n');
    const bad = await run(['node', 'inspect', '--format', '{{.Nope}}', 'self']);
    expect(bad.err).toBe("template parsing error: template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type swarm.Node\n");
    expect(bad.code).toBe(1);
  });
  it('update changes availability and labels and echoes the name', async () => {
    const api = new FakeApi();
    expect(await run(['node', 'update', '--availability', 'drain', '--label-add', 'a=b', '--label-add', 'c', 'vm'], api)).toEqual({ code: 0, out: 'vm\n', err: '' });
    expect(api.nodes[0]!.Spec).toEqual({ Labels: { a: 'b', c: '' }, Role: 'manager', Availability: 'drain' });
    expect(await run(['node', 'update', '--label-rm', 'zz', 'vm'], api)).toEqual({ code: 1, out: '', err: "key zz doesn't exist in node's labels\n" });
    expect(await run(['node', 'update', '--availability', 'foo', 'vm'], api)).toEqual({ code: 1, out: '', err: 'Error response from daemon: invalid Availability: "foo"\n' });
  });
  it('promote and demote', async () => {
    const api = threeNodes();
    expect((await run(['node', 'promote', 'worker1'], api)).out).toBe('Node worker1 promoted to a manager in the swarm.\n');
    expect((await run(['node', 'promote', 'worker1'], api)).out).toBe('Node worker1 is already a manager.\n');
    expect((await run(['node', 'demote', 'worker1'], api)).out).toBe('Manager worker1 demoted in the swarm.\n');
  });
  it('ps lists the tasks on the node with history rows', async () => {
    const api = threeNodes();
    api.services = [{ ID: 'svc1', Spec: { Name: 'redis' } }];
    const task = (id: string, slot: number, created: string, state: Task['Status']['State'], desired: Task['DesiredState'], err?: string): Task => ({
      ID: id, Version: { Index: 1 }, CreatedAt: created, UpdatedAt: created, Labels: {}, ServiceID: 'svc1', Slot: slot,
      NodeID: 'dxn1zf6l61qsb1josjja83ngz', DesiredState: desired,
      Spec: { ContainerSpec: { Image: 'redis:7.4.1@sha256:' + 'a'.repeat(64) }, ForceUpdate: 0 },
      Status: { Timestamp: new Date(NOW - 24_000).toISOString(), State: state, Message: '', PortStatus: {}, ...(err ? { Err: err } : {}) },
    });
    api.tasks = [
      task('rou4wzjql5da0000000000000', 1, '2026-11-27T15:00:00Z', 'shutdown', 'shutdown'),
      task('3cbb7m2eyehf0000000000000', 1, '2026-11-27T15:10:00Z', 'running', 'running'),
      task('9b1d5lbn5kef0000000000000', 10, '2026-11-27T15:10:00Z', 'rejected', 'ready', 'No such image: redis:9.9.9'),
    ];
    const r = await run(['node', 'ps'], api);
    expect(r.out).toBe(
      'ID             NAME          IMAGE         NODE       DESIRED STATE   CURRENT STATE             ERROR                          PORTS\n' +
        '3cbb7m2eyehf   redis.1       redis:7.4.1   manager1   Running         Running 24 seconds ago                                   \n' +
        'rou4wzjql5da    \\_ redis.1   redis:7.4.1   manager1   Shutdown        Shutdown 24 seconds ago                                  \n' +
        '9b1d5lbn5kef   redis.10      redis:7.4.1   manager1   Ready           Rejected 24 seconds ago   "No such image: redis:9.9.9"   \n',
    );
    // Unlike service ps, node ps -q keeps IDs truncated (checked against CLI 28.2.2).
    expect((await run(['node', 'ps', '-q'], api)).out).toBe('3cbb7m2eyehf\nrou4wzjql5da\n9b1d5lbn5kef\n');
  });
});

describe('docker swarm', () => {
  it('init prints the banner with the join command', async () => {
    const api = new FakeApi();
    api.inSwarm = false;
    expect(await run(['swarm', 'init', '--advertise-addr', '127.0.0.1'], api)).toEqual({
      code: 0,
      err: '',
      out:
        'Swarm initialized: current node (ssilekqfve4nf2peyh49do1mk) is now a manager.\n\nTo add a worker to this swarm, run the following command:\n\n' +
        '    docker swarm join --token SWMTKN-1-worker 127.0.0.1:2377\n\n' +
        "To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.\n",
    });
    expect((await run(['swarm', 'init'], api)).err).toBe(
      'Error response from daemon: This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.\n',
    );
  });
  it('join-token, leave and update', async () => {
    const api = new FakeApi();
    expect((await run(['swarm', 'join-token', 'manager'], api)).out).toBe(
      'To add a manager to this swarm, run the following command:\n\n    docker swarm join --token SWMTKN-1-manager 127.0.0.1:2377\n\n',
    );
    expect((await run(['swarm', 'join-token', '-q', 'worker'], api)).out).toBe('SWMTKN-1-worker\n');
    expect(await run(['swarm', 'join-token', 'foo'], api)).toEqual({ code: 1, out: '', err: 'unknown role foo\n' });
    expect(await run(['swarm', 'update', '--task-history-limit', '7'], api)).toEqual({ code: 0, out: 'Swarm updated.\n', err: '' });
    expect(api.swarm.Spec.Orchestration.TaskHistoryRetentionLimit).toBe(7);
    expect((await run(['swarm', 'leave'], api)).code).toBe(1);
    expect(await run(['swarm', 'leave', '--force'], api)).toEqual({ code: 0, out: 'Node left the swarm.\n', err: '' });
  });
});

describe('docker info / version / ps', () => {
  it('info matches the live capture in and out of a swarm', async () => {
    expect(await run(['info'])).toEqual({ code: 0, out: real('info-swarm.txt'), err: '' });
    const api = new FakeApi();
    api.inSwarm = false;
    expect((await run(['info'], api)).out).toBe(real('info-inactive.txt'));
    expect((await run(['info', '--format', '{{.Swarm.LocalNodeState}}'])).out).toBe('active\n');
  });
  it('version matches the live capture', async () => {
    expect(await run(['version'])).toEqual({ code: 0, out: real('version.txt'), err: '' });
    expect((await run(['version', '--format', '{{.Server.Version}} {{.Client.Version}}'])).out).toBe('20.10.24+dfsg1 28.2.2\n');
    const bad = await run(['version', '--format', '{{.Nope}}']);
    expect(bad).toEqual({ code: 1, out: '\n', err: "template: version:1:2: executing \"version\" at <.Nope>: can't evaluate field Nope in type system.versionInfo\n" });
  });
  it('ps shows task containers with docker truncation and quoting', async () => {
    const api = new FakeApi();
    api.containers = [
      {
        Id: '0123456789ab' + 'c'.repeat(52), Names: ['/helloworld.1.40kwaxyco8swnca99iylguc3x'], Image: 'alpine:latest@sha256:' + 'b'.repeat(64),
        ImageID: 'sha256:x', Command: 'ping docker.com -c 1000', Created: (NOW - 70_000) / 1000, Ports: [], Labels: {}, State: 'running', Status: 'Up About a minute',
      },
    ];
    const r = await run(['ps'], api);
    expect(r.out).toBe(
      'CONTAINER ID   IMAGE           COMMAND                  CREATED              STATUS              PORTS     NAMES\n' +
        '0123456789ab   alpine:latest   "ping docker.com -c …"   About a minute ago   Up About a minute             helloworld.1.40kwaxyco8swnca99iylguc3x\n',
    );
    expect((await run(['container', 'ls', '-q'], api)).out).toBe('0123456789ab\n');
  });
});
