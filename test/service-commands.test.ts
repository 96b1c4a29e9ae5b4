import { describe, expect, test } from 'vitest';
import { FakeApi, FakeClock, iso, makeService, makeTask, run, T0 } from './service-fake.js';

const detached = (api: FakeApi, argv: string[]) => run(api, argv);

describe('service create / update spec building', () => {
  test('create sends defaults only for groups that were touched; --update-delay fills a full UpdateConfig', async () => {
    const api = new FakeApi();
    api.digests.set('redis:7.4.0', 'sha256:' + 'a'.repeat(64));
    const r = await detached(api, ['service', 'create', '-d', '--replicas', '3', '--name', 'redis', '--update-delay', '10s', 'redis:7.4.0']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const spec = api.created[0]!;
    expect(spec.TaskTemplate.ContainerSpec.Image).toBe('redis:7.4.0@sha256:' + 'a'.repeat(64));
    expect(spec.TaskTemplate.Placement?.Platforms).toEqual([{ Architecture: 'amd64', OS: 'linux' }]);
    expect(spec.Mode).toEqual({ Replicated: { Replicas: 3 } });
    expect(spec.UpdateConfig).toEqual({ Parallelism: 1, Delay: 10e9, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' });
    expect(spec.RollbackConfig).toBeUndefined();
    expect(spec.TaskTemplate.RestartPolicy).toBeUndefined();
    expect(spec.EndpointSpec).toEqual({ Mode: 'vip' });
  });

  test('an unreachable registry keeps the tag (":latest" added) and prints the 4-line warning + blank line', async () => {
    const api = new FakeApi();
    const r = await detached(api, ['service', 'create', '-d', 'redis', 'redis-server', '--port', '7000']);
    expect(api.created[0]!.TaskTemplate.ContainerSpec.Image).toBe('redis:latest');
    expect(api.created[0]!.TaskTemplate.ContainerSpec.Args).toEqual(['redis-server', '--port', '7000']);
    expect(r.stderr).toBe(
      'image redis:latest could not be accessed on a registry to record\n' +
        'its digest. Each node will access redis:latest independently,\n' +
        'possibly leading to different nodes running different\n' +
        'versions of the image.\n\n',
    );
    expect(r.stdout).toBe('svc1'.padEnd(25, 'x') + '\n');
    const n = await detached(api, ['service', 'create', '-d', '--no-resolve-image', 'redis']);
    expect(n.stderr).toBe('');
  });

  test('bad mode', async () => {
    const r = await detached(new FakeApi(), ['service', 'create', '--mode', 'foo', 'redis']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'Unknown mode: foo, only replicated and global supported\n' });
  });

  test('update merges flags into the current spec and sends its version', async () => {
    const api = new FakeApi();
    api.services.push(makeService('redisidxxxxxxxxxxxxxxxxxx', 'redis', { UpdateConfig: { Parallelism: 2, MaxFailureRatio: 0, Order: 'start-first' } }));
    const r = await detached(api, ['service', 'update', '-d', '--update-delay', '5s', '--force', '--image', 'redis:7.4.1', '--no-resolve-image', 'redis']);
    expect(r.stdout).toBe('redis\n');
    const u = api.updates[0]!;
    expect(u.version).toBe(10);
    expect(u.spec.UpdateConfig).toEqual({ Parallelism: 2, Delay: 5e9, MaxFailureRatio: 0, Order: 'start-first' });
    expect(u.spec.TaskTemplate.ForceUpdate).toBe(1);
    expect(u.spec.TaskTemplate.ContainerSpec.Image).toBe('redis:7.4.1');
    expect(u.spec.Mode).toEqual({ Replicated: { Replicas: 3 } });
    // The real CLI's update asks for registryAuthFrom=spec (scale and rollback do not).
    expect(u.opts).toEqual({ registryAuthFrom: 'spec' });
  });

  test('--rollback cannot be combined with other flags except -d/-q', async () => {
    const api = new FakeApi();
    api.services.push(makeService('redisidxxxxxxxxxxxxxxxxxx', 'redis'));
    const bad = await detached(api, ['service', 'update', '--rollback', '--image', 'x', 'redis']);
    expect(bad).toEqual({ code: 1, stdout: '', stderr: 'other flags may not be combined with --rollback\n' });
    const noPrev = await detached(api, ['service', 'update', '--rollback', '-d', 'redis']);
    expect(noPrev.stderr).toBe(
      'Error response from daemon: rpc error: code = FailedPrecondition desc = service redisidxxxxxxxxxxxxxxxxxx does not have a previous spec\n',
    );
  });

  test('unknown service', async () => {
    const r = await detached(new FakeApi(), ['service', 'update', '--image', 'x', 'nosuch']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: service nosuch not found\n' });
  });
});

describe('service ls / ps', () => {
  function swarm() {
    const api = new FakeApi();
    const redis = makeService('4f5u7zdbkqn2izfj7b2ia8aht', 'redis', { TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0@sha256:' + 'b'.repeat(64) }, ForceUpdate: 0 } });
    redis.ServiceStatus = { RunningTasks: 2, DesiredTasks: 3, CompletedTasks: 0 };
    const web = makeService('p1nmh0k3a2shxxxxxxxxxxxxx', 'my-web');
    web.Endpoint.Ports = [{ Protocol: 'tcp', TargetPort: 6379, PublishedPort: 8080, PublishMode: 'ingress' }];
    web.ServiceStatus = { RunningTasks: 2, DesiredTasks: 2, CompletedTasks: 0 };
    api.services.push(redis, web);
    return { api, redis };
  }

  test('ls: sorted by name, digest stripped, ports, REPLICAS from ServiceStatus', async () => {
    const { api } = swarm();
    const r = await detached(api, ['service', 'ls']);
    expect(r.stdout).toBe(
      'ID             NAME      MODE         REPLICAS   IMAGE         PORTS\n' +
        'p1nmh0k3a2sh   my-web    replicated   2/2        redis:7.4.0   *:8080->6379/tcp\n' +
        '4f5u7zdbkqn2   redis     replicated   2/3        redis:7.4.0   \n',
    );
    expect((await detached(api, ['service', 'ls', '-q'])).stdout).toBe('p1nmh0k3a2sh\n4f5u7zdbkqn2\n');
    expect((await detached(new FakeApi(), ['service', 'ls'])).stdout).toBe('ID        NAME      MODE      REPLICAS   IMAGE     PORTS\n');
  });

  test('ps: natural name order, newest first in a slot, \\_ history, quoted truncated error, lowercase ages', async () => {
    const { api, redis } = swarm();
    const at = (s: number) => iso(T0 + s * 1000);
    const t = (slot: number, created: number, state: 'running' | 'shutdown' | 'rejected', desired: 'running' | 'shutdown' | 'ready', err?: string) =>
      makeTask(redis.ID, slot, state, {
        CreatedAt: at(created),
        DesiredState: desired,
        Status: { Timestamp: at(created), State: state, Message: '', ...(err ? { Err: err } : {}), PortStatus: {} },
      });
    api.tasks.push(t(10, 0, 'running', 'running'), t(2, 0, 'shutdown', 'shutdown'), t(2, 50, 'running', 'running'));
    api.tasks.push(t(3, 99, 'rejected', 'ready', 'no suitable node (1 node not available for new tasks)'));
    const clock = new FakeClock(T0 + 100_000);
    const r = await run(api, ['service', 'ps', 'redis'], { clock });
    const ids = api.tasks.map((x) => x.ID.slice(0, 12));
    const row = (cells: string[]) => cells.map((c, i) => (i < 7 ? c.padEnd([15, 14, 14, 11, 16, 30, 35][i] ?? 0) : c)).join('') + '\n';
    expect(r.stdout).toBe(
      row(['ID', 'NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR', 'PORTS']).replace(/ +\n$/, '\n').replace('ERROR                              PORTS', 'ERROR                              PORTS') +
        row([ids[2]!, 'redis.2', 'redis:7.4.0', 'manager1', 'Running', 'Running 50 seconds ago', '', '']) +
        row([ids[1]!, ' \\_ redis.2', 'redis:7.4.0', 'manager1', 'Shutdown', 'Shutdown about a minute ago', '', '']) +
        row([ids[3]!, 'redis.3', 'redis:7.4.0', 'manager1', 'Ready', 'Rejected 1 second ago', '"no suitable node (1 node not …"', '']) +
        row([ids[0]!, 'redis.10', 'redis:7.4.0', 'manager1', 'Running', 'Running about a minute ago', '', '']),
    );
    const q = await run(api, ['service', 'ps', '-q', 'redis'], { clock });
    expect(q.stdout.split('\n')[0]).toBe(api.tasks[2]!.ID);
  });

  test('ps: unknown service', async () => {
    const { api } = swarm();
    expect(await detached(api, ['service', 'ps', 'nosuch'])).toEqual({ code: 1, stdout: '', stderr: 'no such service: nosuch\n' });
  });
});

describe('service inspect', () => {
  test('unknown: [] on stdout, the error on stderr, exit 1', async () => {
    expect(await detached(new FakeApi(), ['service', 'inspect', 'nosuch'])).toEqual({
      code: 1,
      stdout: '[]\n',
      stderr: 'Error: no such service: nosuch\n',
    });
    expect(await detached(new FakeApi(), ['service', 'inspect', '--pretty', 'nosuch'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: no such service: nosuch\n',
    });
  });

  test('--pretty with raw tabs, UpdateStatus block, Args trailing space, space-aligned lines', async () => {
    const api = new FakeApi();
    const cfg = { Parallelism: 1, Delay: 10e9, FailureAction: 'pause' as const, Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' as const };
    const s = makeService('4f5u7zdbkqn2izfj7b2ia8aht', 'redis', {
      TaskTemplate: { ContainerSpec: { Image: 'redis:9.9.9', Args: ['redis-server', '--port', '7000'], Init: false }, Resources: { Limits: {}, Reservations: {} }, ForceUpdate: 0 },
      UpdateConfig: cfg,
      RollbackConfig: { ...cfg, Delay: 0 },
      EndpointSpec: { Mode: 'vip' },
    });
    s.UpdateStatus = { State: 'paused', StartedAt: iso(T0), Message: 'update paused due to failure or early termination of task cupweok7py7eznbfaphfe6anq' };
    s.Endpoint.Ports = [{ Protocol: 'tcp', TargetPort: 6379, PublishedPort: 8080, PublishMode: 'ingress' }];
    api.services.push(s);
    const r = await run(api, ['service', 'inspect', '--pretty', 'redis'], { clock: new FakeClock(T0 + 3000) });
    expect(r.stdout).toBe(
      '\nID:\t\t4f5u7zdbkqn2izfj7b2ia8aht\nName:\t\tredis\nService Mode:\tReplicated\n Replicas:\t3\n' +
        'UpdateStatus:\n State:\t\tpaused\n Started:\t3 seconds ago\n Message:\tupdate paused due to failure or early termination of task cupweok7py7eznbfaphfe6anq\n' +
        'Placement:\nUpdateConfig:\n Parallelism:\t1\n Delay:\t\t10s\n On failure:\tpause\n Monitoring Period: 5s\n Max failure ratio: 0\n Update order:      stop-first\n' +
        'RollbackConfig:\n Parallelism:\t1\n On failure:\tpause\n Monitoring Period: 5s\n Max failure ratio: 0\n Rollback order:    stop-first\n' +
        'ContainerSpec:\n Image:\t\tredis:9.9.9\n Args:\t\tredis-server --port 7000 \n Init:\t\tfalse\nResources:\nEndpoint Mode:\tvip\n' +
        'Ports:\n PublishedPort = 8080\n  Protocol = tcp\n  TargetPort = 6379\n  PublishMode = ingress \n\n',
    );
  });

  test('JSON is the raw API object, 4-space indented', async () => {
    const api = new FakeApi();
    api.services.push(makeService('4f5u7zdbkqn2izfj7b2ia8aht', 'redis'));
    const r = await detached(api, ['service', 'inspect', 'redis']);
    expect(JSON.parse(r.stdout)).toEqual([api.services[0]]);
    expect(r.stdout.startsWith('[\n    {\n        "ID": "4f5u7zdbkqn2izfj7b2ia8aht",\n        "Version": {')).toBe(true);
  });
});

describe('service rm / scale / logs', () => {
  test('rm prints each name and continues past errors', async () => {
    const api = new FakeApi();
    api.services.push(makeService('aaaaaaaaaaaaaaaaaaaaaaaaa', 'a'), makeService('bbbbbbbbbbbbbbbbbbbbbbbbb', 'b'));
    expect(await detached(api, ['service', 'rm', 'a', 'nosuch', 'b'])).toEqual({
      code: 1,
      stdout: 'a\nb\n',
      stderr: 'Error response from daemon: service nosuch not found\n',
    });
  });

  test('scale: per-argument errors, bad specifier, global services', async () => {
    const api = new FakeApi();
    api.services.push(makeService('aaaaaaaaaaaaaaaaaaaaaaaaa', 'redis'), makeService('ggggggggggggggggggggggggg', 'g1', { Mode: { Global: {} } }));
    const r = await detached(api, ['service', 'scale', '-d', 'redis=5', 'nosuch=3', 'redis=abc', 'g1=2']);
    expect(r.stdout).toBe('redis scaled to 5\n');
    expect(r.stderr).toBe(
      'nosuch: Error response from daemon: service nosuch not found\n' +
        'redis: invalid replicas value abc: strconv.ParseUint: parsing "abc": invalid syntax\n' +
        'g1: scale can only be used with replicated or replicated-job mode\n',
    );
    expect(r.code).toBe(1);
    expect(api.updates[0]!.spec.Mode).toEqual({ Replicated: { Replicas: 5 } });
    expect(api.updates[0]!.opts).toBeUndefined();
    expect(await detached(api, ['service', 'scale', 'redis'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "invalid scale specifier 'redis'.\nSee 'docker service scale --help'.\n\nUsage:  docker service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]\n\nScale one or multiple replicated services\n",
    });
  });

  test('logs: prefix padded to the replica count width; unknown target', async () => {
    const api = new FakeApi();
    const s = makeService('aaaaaaaaaaaaaaaaaaaaaaaaa', 'redis', { Mode: { Replicated: { Replicas: 10 } } });
    api.services.push(s);
    const t1 = makeTask(s.ID, 1, 'running');
    const t10 = makeTask(s.ID, 10, 'running');
    api.tasks.push(t1, t10);
    const line = (taskId: string, text: string) => ({ time: iso(T0), stream: 'stdout' as const, text, taskId, nodeId: 'node1aaaaaaaaaaaaaaaaaaaa', serviceId: s.ID });
    api.logs.push(line(t1.ID, 'hello'), line(t10.ID, 'world'));
    const r = await detached(api, ['service', 'logs', 'redis']);
    expect(r.stdout).toBe(`redis.1.${t1.ID.slice(0, 12)}@manager1     | hello\nredis.10.${t10.ID.slice(0, 12)}@manager1    | world\n`);
    expect((await detached(api, ['service', 'logs', '--no-task-ids', 'redis'])).stdout).toBe('redis.1@manager1     | hello\nredis.10@manager1    | world\n');
    expect(await detached(api, ['service', 'logs', 'nosuch'])).toEqual({ code: 1, stdout: '', stderr: 'no such task or service: nosuch\n' });
  });
});
