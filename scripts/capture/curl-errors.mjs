#!/usr/bin/env node
// curl's own error texts and exit codes on this machine (Debian 12: curl 7.88.1), for the
// shell's `curl` to be held against: refused ports, names that do not resolve, a timeout to an
// address nobody answers on, malformed URLs, unsupported schemes, bad options.
//
//   node scripts/capture/curl-errors.mjs      (root; the sandbox's netns must exist: up.sh)
//     writes test/fixtures/real/curl-errors.json
//
// Each case runs inside manager1's network namespace (nsenter --net, as capture-real.mjs runs a
// walkthrough's curl lines), where nothing listens but the swarm's own ports and no name
// resolves but localhost: what a learner's curl on a node meets. Twice: in an 80x24 pty (`tty`:
// what a terminal shows; curl prints no progress meter when stdout is a terminal) and with
// separate pipes (`stdout`, `stderr`: the meter is on stderr then, unless -s).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellWords } from './shell-words.mjs';
import { takeSandboxLock } from './sandbox-lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ptyRun = join(root, 'scripts/capture/pty-run.py');
const NODE = 'manager1';

/** Each a line as a learner types it; `why` says what it shows. */
export const curlCases = [
  { command: 'curl http://127.0.0.1:1', why: 'nothing listens: refused' },
  { command: 'curl -s http://127.0.0.1:1', why: '-s hides the error text, keeps the exit code' },
  { command: 'curl -sS http://127.0.0.1:1', why: '-S brings the error back' },
  { command: 'curl -i http://127.0.0.1:1/', why: '-i changes nothing on an error' },
  { command: 'curl http://localhost:1', why: 'localhost: ::1 then 127.0.0.1' },
  { command: 'curl http://198.18.0.10:8080', why: "the node's own address, no listener" },
  { command: 'curl http://198.18.0.11:8080', why: "another node's address, no listener" },
  { command: 'curl 198.18.0.10:8080', why: 'no scheme: http is assumed' },
  { command: 'curl http://worker1:8080', why: 'node names do not resolve in the netns' },
  { command: 'curl http://nosuchhost:8080', why: 'unknown host' },
  { command: 'curl -s http://nosuchhost:8080', why: 'unknown host, silent' },
  { command: 'curl -m 1 http://198.18.0.99:8080', why: 'nobody has that address: timeout' },
  { command: 'curl -s -m 1 http://198.18.0.99:8080', why: 'timeout, silent' },
  { command: 'curl -m 0.5 http://198.18.0.99:8080/', why: 'fractional seconds' },
  { command: 'curl http://', why: 'malformed URL: no host' },
  { command: 'curl http://198.18.0.10:99999', why: 'port out of range' },
  { command: 'curl http://198.18.0.10:80a', why: 'port not a number' },
  { command: "curl 'http://[::1'", why: 'unbalanced bracket' },
  { command: 'curl ftpx://198.18.0.10:8080', why: 'unsupported scheme' },
  { command: 'curl gopher://198.18.0.10:8080', why: 'gopher: built in (it connects), unlike ftpx' },
  { command: 'curl https://127.0.0.1:1', why: 'https: refused the same way' },
  { command: 'curl', why: 'no URL' },
  { command: 'curl -m', why: 'option missing its value' },
  { command: 'curl -m abc http://127.0.0.1:1', why: 'option value not a number' },
  { command: 'curl -m -1 http://127.0.0.1:1', why: 'negative timeout' },
  { command: 'curl --bogus http://127.0.0.1:1', why: 'unknown long option' },
  { command: 'curl -Z http://127.0.0.1:1', why: 'a short option outside the subset (parallel)' },
  { command: 'curl -q http://127.0.0.1:1', why: 'an option valid only first' },
  { command: 'curl http://127.0.0.1:1 http://127.0.0.1:2', why: 'two URLs: each error, last exit code' },
];

function runCase(command) {
  const words = shellWords(command);
  const argv = ['nsenter', `--net=/run/netns/${NODE}`, ...words];
  const env = { ...process.env, LANG: 'C.UTF-8', TERM: 'xterm' };
  const t0 = performance.now();
  const piped = spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8', timeout: 30_000 });
  const pipedMs = Math.round(performance.now() - t0);
  const tty = spawnSync('python3', [ptyRun, '--cols', '80', '--rows', '24', '--timeout', '30', '--', ...argv], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return {
    stdout: piped.stdout,
    stderr: piped.stderr,
    exitCode: piped.status,
    durationMs: pipedMs,
    tty: { output: tty.stdout.toString('utf8'), exitCode: tty.status },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(`/run/netns/${NODE}`)) {
    console.error(`no /run/netns/${NODE}: bring the sandbox up first (scripts/sandbox/up.sh, as root)`);
    process.exit(1);
  }
  const curlVersion = spawnSync('curl', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  // No suite may publish a port in the middle of these (the refusals depend on nothing listening).
  const releaseLock = await takeSandboxLock();
  let cases;
  try {
    cases = curlCases.map(({ command, why }) => {
      const r = runCase(command);
      console.error(`[curl-errors] exit ${r.exitCode} (tty ${r.tty.exitCode}) ${command}`);
      return { command, why, node: NODE, ...r };
    });
  } finally {
    releaseLock();
  }
  const out = join(root, 'test/fixtures/real/curl-errors.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ capturedAt: new Date().toISOString(), curlVersion, cases }, null, 2) + '\n');
  console.error('[curl-errors] wrote test/fixtures/real/curl-errors.json');
}
