// Building a swarm by hand, as the create-swarm and add-nodes lessons do: machines start
// outside any swarm, init on manager1, join the workers with the printed command.
import { describe, expect, test } from 'vitest';
import { Session } from '../engine/session.js';

async function run(s: Session, line: string) {
  let out = '';
  let err = '';
  const code = await s.run(line, {
    stdout: { write: (x) => void (out += x) },
    stderr: { write: (x) => void (err += x) },
    tty: false,
    columns: 80,
    signal: new AbortController().signal,
  });
  return { code, out, err };
}

describe('swarm membership', () => {
  test('init, join two workers with the printed command, leave, remove', async () => {
    const s = new Session({ seed: 5, swarm: false });
    expect((await run(s, 'docker node ls')).err).toContain('This node is not a swarm manager. Use "docker swarm init"');
    expect((await run(s, 'docker info')).out).toContain(' Swarm: inactive\n');

    const init = await run(s, 'docker swarm init --advertise-addr 192.168.99.100');
    expect(init.code).toBe(0);
    expect(init.out).toMatch(
      /^Swarm initialized: current node \([0-9a-z]{25}\) is now a manager\.\n\nTo add a worker to this swarm, run the following command:\n\n {4}docker swarm join --token SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25} 192\.168\.99\.100:2377\n\nTo add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions\.\n$/,
    );
    const join = /docker swarm join --token \S+ \S+/.exec(init.out)![0];
    expect((await run(s, 'docker swarm join-token worker')).out).toContain(join);

    for (const worker of ['worker1', 'worker2']) {
      await run(s, `ssh ${worker}`);
      expect(await run(s, join)).toEqual({ code: 0, out: 'This node joined a swarm as a worker.\n', err: '' });
      const info = (await run(s, 'docker info')).out;
      expect(info).toContain(' Swarm: active\n');
      expect(info).toContain('  Is Manager: false\n');
      expect((await run(s, join)).err).toBe(
        'Error response from daemon: This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.\n',
      );
      await run(s, 'exit');
    }
    const ls = (await run(s, 'docker node ls')).out.split('\n');
    expect(ls[0]).toBe('ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION');
    expect(ls.slice(1, 4).map((l) => l.split(/\s+/).slice(1).join(' '))).toEqual([
      '* manager1 Ready Active Leader 28.2.2',
      'worker1 Ready Active 28.2.2',
      'worker2 Ready Active 28.2.2',
    ]);

    // A worker leaves: the manager keeps it as Down until it is removed.
    await run(s, 'ssh worker2');
    expect((await run(s, 'docker swarm leave')).out).toBe('Node left the swarm.\n');
    await run(s, 'exit');
    expect((await run(s, 'docker node ls')).out).toMatch(/worker2 +Down +Active/);
    expect((await run(s, 'docker node rm worker1')).err).toMatch(/node [0-9a-z]{25} is not down and can't be removed/);
    expect(await run(s, 'docker node rm worker2')).toEqual({ code: 0, out: 'worker2\n', err: '' });
    expect((await run(s, 'docker node ls')).out).not.toContain('worker2');

    // A manager must be demoted before removal; the last manager cannot be demoted.
    expect((await run(s, 'docker node rm manager1')).err).toContain('must be demoted to worker before removal');
    expect((await run(s, 'docker node demote manager1')).err).toContain('attempting to demote the last manager of the swarm');
    expect((await run(s, 'docker node promote worker1')).out).toBe('Node worker1 promoted to a manager in the swarm.\n');
  });

  test('a wrong token or address is refused with the daemon\'s words', async () => {
    const s = new Session({ seed: 5, swarm: false });
    await run(s, 'docker swarm init --advertise-addr 192.168.99.100');
    await run(s, 'ssh worker1');
    expect((await run(s, 'docker swarm join --token nope 192.168.99.100:2377')).err).toBe('Error response from daemon: invalid join token\n');
    const fake = `SWMTKN-1-${'a'.repeat(50)}-${'b'.repeat(25)}`;
    expect((await run(s, `docker swarm join --token ${fake} 192.168.99.100:2377`)).err).toBe(
      'Error response from daemon: rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster\n',
    );
    expect((await run(s, 'docker swarm leave')).err).toBe('Error response from daemon: This node is not part of a swarm\n');
  });

  test('a second swarm is not simulated: init says what to do instead, with or without a manager left', async () => {
    const s = new Session({ seed: 5 }); // manager1, worker1, worker2 in one swarm
    await run(s, 'ssh worker1');
    expect(await run(s, 'docker swarm leave')).toEqual({ code: 0, out: 'Node left the swarm.\n', err: '' });
    // manager1 still leads the swarm: joining it again is the way.
    expect((await run(s, 'docker swarm init --advertise-addr 192.168.99.101')).err).toBe(
      'Error response from daemon: Swarm Lab simulates one swarm: join it with "docker swarm join" instead.\n',
    );
    await run(s, 'exit');
    expect((await run(s, 'docker swarm leave --force')).code).toBe(0);
    // No manager left: nothing to join, so the learner is told how to start over.
    const again = await run(s, 'docker swarm init --advertise-addr 192.168.99.100');
    expect(again.code).toBe(1);
    expect(again.err).toBe(
      "Error response from daemon: Swarm Lab simulates one swarm, and its last manager has left it: start a new simulated swarm to init again (the lesson's Reset button, or restart swarm-lab).\n",
    );
  });
});
