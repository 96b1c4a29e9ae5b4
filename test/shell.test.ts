// The tiny shell: word splitting, builtins, moving between nodes, Ctrl-C, and the
// instant-mode watchdog.
import { describe, expect, test } from 'vitest';
import { Session } from '../engine/session.js';
import { parseSleep } from '../engine/shell/sleep.js';
import { logicalLines, splitWords } from '../engine/shell/words.js';

function run(session: Session, line: string, signal = new AbortController().signal) {
  let out = '';
  let err = '';
  const done = session.run(line, {
    stdout: { write: (s) => void (out += s) },
    stderr: { write: (s) => void (err += s) },
    tty: false,
    columns: 80,
    signal,
  });
  return done.then((code) => ({ code, out, err }));
}

describe('splitWords', () => {
  test.each([
    ['docker service ls', ['docker', 'service', 'ls']],
    ['  a   b\tc ', ['a', 'b', 'c']],
    [`echo 'a  b' "c d" e\\ f`, ['echo', 'a  b', 'c d', 'e f']],
    [`echo "say \\"hi\\" \\\\ \\$x \\n"`, ['echo', 'say "hi" \\ $x \\n']],
    [`echo 'it''s'`, ['echo', 'its']],
    ['echo a#b # comment', ['echo', 'a#b']],
    ['docker service create \\\n  --name redis redis', ['docker', 'service', 'create', '--name', 'redis', 'redis']],
    ['echo ""', ['echo', '']],
  ])('%j', (line, words) => {
    expect(splitWords(line)).toEqual({ kind: 'words', words });
  });

  test.each(['echo "abc', "echo 'abc", 'docker service create \\'])('%j is incomplete', (line) => {
    expect(splitWords(line).kind).toBe('incomplete');
  });

  test.each([
    ['docker service ps redis | grep Running', '|'],
    ['a && b', '&&'],
    ['a; b', ';'],
    ['echo x > f', '>'],
  ])('%j reports the operator', (line, operator) => {
    expect(splitWords(line)).toEqual({ kind: 'operator', operator });
  });

  test('logicalLines joins continuations and open quotes', () => {
    expect(logicalLines('a \\\n b\n"x\ny"\nc\r\nd')).toEqual(['a \\\n b', '"x\ny"', 'c', 'd']);
  });
});

describe('parseSleep', () => {
  test.each([
    [['5'], 5000],
    [['1.5'], 1500],
    [['2m'], 120_000],
    [['1m', '30s'], 90_000],
    [['.5'], 500],
    [['inf'], 3_600_000],
    [['99999999999'], 3_600_000],
  ])('%j -> %i ms', (args, ms) => expect(parseSleep(args)).toBe(ms));

  test('errors read like GNU sleep', () => {
    expect(parseSleep([])).toBe("sleep: missing operand\nTry 'sleep --help' for more information.\n");
    expect(parseSleep(['x'])).toBe("sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n");
  });
});

describe('shell', () => {
  test('the prompt names the node; ssh moves, exit comes back, workers get the daemon\'s refusal', async () => {
    const s = new Session({ seed: 3 });
    expect(s.shell.prompt()).toBe('docker@manager1:~$ ');
    expect(await run(s, 'ssh worker1')).toEqual({ code: 0, out: '', err: '' });
    expect(s.shell.prompt()).toBe('docker@worker1:~$ ');
    expect(await run(s, 'docker node ls')).toEqual({
      code: 1,
      out: '',
      err: "Error response from daemon: This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.\n",
    });
    expect(await run(s, 'exit')).toEqual({ code: 0, out: 'logout\nConnection to worker1 closed.\n', err: '' });
    expect(s.shell.prompt()).toBe('docker@manager1:~$ ');
    expect((await run(s, 'ssh nowhere')).err).toBe('ssh: Could not resolve hostname nowhere: Name or service not known\n');
    expect((await run(s, 'exit')).out).toContain('nowhere to exit to');
  });

  test('builtins: echo, hostname, history, clear, help; unknown commands', async () => {
    const s = new Session({ seed: 3 });
    expect(await run(s, 'echo "hello   world"')).toEqual({ code: 0, out: 'hello   world\n', err: '' });
    expect((await run(s, 'hostname')).out).toBe('manager1\n');
    expect((await run(s, 'history')).out).toBe('    1  echo "hello   world"\n    2  hostname\n    3  history\n');
    expect((await run(s, 'clear')).out).toBe('\x1b[H\x1b[2J\x1b[3J');
    const help = await run(s, 'help');
    expect(help.out).toContain('ssh <node>');
    expect(help.out).toContain('manager1, worker1, worker2');
    expect(await run(s, 'kubectl get pods')).toEqual({ code: 127, out: '', err: 'bash: kubectl: command not found\n' });
    expect((await run(s, 'echo "open')).code).toBe(2);
    expect((await run(s, 'docker service ls | grep x')).err).toContain("'|' is not supported");
    expect(await run(s, '   ')).toEqual({ code: 0, out: '', err: '' });
  });

  test('sleep moves simulated time', async () => {
    const s = new Session({ seed: 3 });
    const before = s.sim.clock.now;
    expect((await run(s, 'sleep 90')).code).toBe(0);
    expect(s.sim.clock.now - before).toBeCloseTo(90_000, 6);
    expect(await run(s, 'sleep x')).toEqual({ code: 1, out: '', err: "sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n" });
  });

  test('Ctrl-C during an attached create prints what docker prints and the service still converges', async () => {
    const s = new Session({ seed: 3, mode: 'realtime' });
    const ctrlC = new AbortController();
    const pending = run(s, 'docker service create --replicas 3 --name redis redis:7.4.0', ctrlC.signal);
    s.advance(600);
    await new Promise((r) => setTimeout(r, 0));
    ctrlC.abort();
    const { code, out } = await pending;
    expect(code).toBe(0);
    expect(out).toMatch(/^[0-9a-z]{25}\n/);
    expect(out).toContain('Operation continuing in background.\nUse `docker service ps ');
    s.advance(10_000);
    const ls = await run(s, 'docker service ls');
    expect(ls.out).toMatch(/redis +replicated +3\/3 +redis:7\.4\.0/);
  });

  test('instant mode interrupts a wait that can never end', async () => {
    const s = new Session({ seed: 3, topology: 'manager1' });
    await run(s, 'docker node update --availability drain manager1');
    const { code, out } = await run(s, 'docker service create --name stuck redis:7.4.0');
    expect(code).toBe(0);
    expect(out).toContain('Operation continuing in background.');
    const ps = await run(s, 'docker service ps stuck');
    expect(ps.out).toContain('Pending');
  });
});
