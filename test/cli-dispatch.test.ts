// Errors, streams and exit codes of the dispatcher, with the texts the real docker 28.2.2 printed.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../engine/api/swarm-api.js';
import { runDocker } from '../engine/cli/index.js';
import { FakeApi, fakeContext } from './cli-fake-api.js';

async function run(argv: string[], api = new FakeApi()) {
  const { ctx, out, err } = fakeContext(api);
  const code = await runDocker(argv, ctx);
  return { code, out: out(), err: err() };
}

describe('runDocker errors', () => {
  it('unknown top-level command', async () => {
    expect(await run(['servic'])).toEqual({
      code: 1,
      out: '',
      err: "docker: unknown command: docker servic\n\nRun 'docker --help' for more information\n",
    });
  });
  it('unknown subcommand', async () => {
    expect(await run(['node', 'foo'])).toEqual({
      code: 1,
      out: '',
      err: "docker: unknown command: docker node foo\n\nUsage:  docker node\n\nRun 'docker node --help' for more information\n",
    });
  });
  it('exact-count and minimum-count argument errors', async () => {
    expect((await run(['node', 'update'])).err).toBe(
      "docker: 'docker node update' requires 1 argument\n\nUsage:  docker node update [OPTIONS] NODE\n\nRun 'docker node update --help' for more information\n",
    );
    const r = await run(['node', 'inspect']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "docker: 'docker node inspect' requires at least 1 argument\n\nUsage:  docker node inspect [OPTIONS] self|NODE [NODE...]\n\nSee 'docker node inspect --help' for more information\n",
    );
    expect((await run(['swarm', 'join-token', 'a', 'b'])).err).toContain("'docker swarm join-token' requires 1 argument");
    expect((await run(['node', 'ls', 'extra'])).err).toBe(
      "docker: 'docker node ls' accepts no arguments\n\nUsage:  docker node ls [OPTIONS]\n\nRun 'docker node ls --help' for more information\n",
    );
  });
  it('flag errors exit 125 with the usage block', async () => {
    expect(await run(['node', 'ls', '--foo'])).toEqual({
      code: 125,
      out: '',
      err: "unknown flag: --foo\n\nUsage:  docker node ls [OPTIONS]\n\nRun 'docker node ls --help' for more information\n",
    });
    const r = await run(['swarm', 'init', '--cert-expiry', '10']);
    expect(r.code).toBe(125);
    expect(r.err).toBe(
      'invalid argument "10" for "--cert-expiry" flag: time: missing unit in duration "10"\n\nUsage:  docker swarm init [OPTIONS]\n\nRun \'docker swarm init --help\' for more information\n',
    );
    expect((await run(['node', '--foo'])).err).toBe("unknown flag: --foo\n\nUsage:  docker node\n\nRun 'docker node --help' for more information\n");
    expect(await run(['--foo', 'node', 'ls'])).toEqual({
      code: 125,
      out: '',
      err: "unknown flag: --foo\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n",
    });
    expect((await run(['-H'])).err).toContain("flag needs an argument: 'H' in -H\n");
  });
  it('help anywhere after the command, bare groups print help on stderr', async () => {
    const h = await run(['node', 'ls', 'extra', '--help']);
    expect(h.code).toBe(0);
    expect(h.out.startsWith('Usage:  docker node ls [OPTIONS]\n')).toBe(true);
    const g = await run(['node']);
    expect(g.code).toBe(0);
    expect(g.out).toBe('');
    expect(g.err.startsWith('Usage:  docker node COMMAND\n\nManage Swarm nodes\n')).toBe(true);
    const root = await run([]);
    expect(root.code).toBe(0);
    expect(root.err.startsWith('Usage:  docker [OPTIONS] COMMAND\n')).toBe(true);
    expect((await run(['help', 'nosuch'])).err).toBe('unknown help topic: nosuch\n');
  });
  it('global options', async () => {
    expect(await run(['-v'])).toEqual({ code: 0, out: 'Docker version 28.2.2, build e6534b4\n', err: '' });
    expect(await run(['--version', 'extra'])).toEqual({ code: 0, out: 'Docker version 28.2.2, build e6534b4\n', err: '' });
    expect(await run(['--log-level', 'foo', 'node', 'ls'])).toEqual({ code: 1, out: '', err: 'Unable to parse logging level: foo\n' });
    const r = await run(['-H', 'tcp://x:2375', '-D', '--context', 'default', 'node', 'ls', '-q']);
    expect(r).toEqual({ code: 0, out: 'ssilekqfve4nf2peyh49do1mk\n', err: '' });
  });
  it('daemon errors, CLI errors and unexpected errors', async () => {
    const api = new FakeApi();
    api.inSwarm = false;
    expect(await run(['node', 'ls'], api)).toEqual({
      code: 1,
      out: '',
      err: 'Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.\n',
    });
    const broken = new FakeApi();
    broken.nodeList = async () => {
      throw new TypeError('boom');
    };
    expect(await run(['node', 'ls'], broken)).toEqual({ code: 1, out: '', err: 'boom\n' });
    const api2 = new FakeApi();
    api2.nodeInspect = async () => {
      throw new ApiError(404, 'node nosuch not found');
    };
    expect(await run(['node', 'update', 'nosuch'], api2)).toEqual({ code: 1, out: '', err: 'Error response from daemon: node nosuch not found\n' });
  });
  it('commands Swarm Lab does not simulate explain themselves', async () => {
    const r = await run(['run', '-it', 'alpine']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^docker run: not available in Swarm Lab\..*swarm commands only/);
    expect((await run(['container', 'exec', 'x'])).err).toMatch(/^docker container exec: not available/);
  });
});
