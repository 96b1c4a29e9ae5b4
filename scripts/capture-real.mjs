#!/usr/bin/env node
// Captures what the REAL docker CLI prints on a real 3-node swarm (scripts/sandbox/up.sh),
// as fixtures the simulator's output is compared with. Needs root and docker.io.
//
//   node scripts/capture-real.mjs test/fixtures/walkthroughs/rolling-update.sh [...]
//     For each walkthrough: down + up a fresh swarm, run each line in an 80x24 pty, write
//     test/fixtures/real/<name>.json (raw bytes, exit codes, timings) and <name>.transcript.
//   node scripts/capture-real.mjs --errors
//     Fresh swarm, then each command of scripts/capture/error-commands.mjs non-TTY from a
//     clean `redis` service; writes test/fixtures/real/errors.json.
//   --keep  leave the sandbox up at the end (default: tear it down).
//
// Walkthrough lines: `#` comments and blank lines are skipped; `sleep N` really sleeps;
// `ssh <node>` points later commands at that node's daemon (`exit` back); the simulator's failure
// injections are made for real (issue 17): `lab node stop|start <node>` stops or starts that
// node's dockerd (scripts/sandbox/node.sh, waiting until it has exited or answers), `lab task
// kill <service>.<slot>` runs `docker kill` on the node of that slot's running task;
// `curl ...` runs the machine's real curl inside the current node's network namespace
// (nsenter --net=/run/netns/<node>; hosts by address, the netns has no names for the nodes);
// everything else must be a `docker ...` command (both run without a shell, words split by
// shell-words.mjs, in an 80x24 pty). A `lab` line's output is empty: the real tools print nothing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellWords } from './capture/shell-words.mjs';
import { loadRenderer } from './capture/render.mjs';
import { errorCommands } from './capture/error-commands.mjs';
import { takeSandboxLock } from './capture/sandbox-lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test/fixtures/real');
const ptyRun = join(root, 'scripts/capture/pty-run.py');
const NODES = ['manager1', 'worker1', 'worker2'];
const socketOf = (node) => `unix:///run/sw3/${node}/docker.sock`;

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const wantErrors = args.includes('--errors');
const walkthroughs = args.filter((a) => !a.startsWith('--'));
if (!wantErrors && walkthroughs.length === 0) {
  console.error('usage: capture-real.mjs [--keep] [--errors] [walkthrough.sh ...]');
  process.exit(2);
}

// The CLI sees only what we set: no stray DOCKER_* from the caller, a private config dir.
function cliEnv(dockerHost) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('DOCKER_')) env[k] = v;
  return { ...env, DOCKER_HOST: dockerHost, DOCKER_CONFIG: '/run/sw3/cli', TERM: 'xterm', LANG: 'C.UTF-8' };
}

function sandbox(script) {
  const t0 = performance.now();
  const r = spawnSync('bash', [join(root, 'scripts/sandbox', script)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status})`);
  const secs = ((performance.now() - t0) / 1000).toFixed(2);
  console.error(`[capture] ${script} took ${secs}s`);
  return r.stdout.trim().split('\n').at(-1) ?? '';
}

function docker(node, argv) {
  return spawnSync('docker', argv, { env: cliEnv(socketOf(node)), encoding: 'utf8', timeout: 60_000 });
}

/** `lab node stop|start NODE` and `lab task kill TASK` on the real sandbox; returns a note for the log. */
function lab(words) {
  const [, what, action, target] = words;
  if (what === 'node' && (action === 'stop' || action === 'start') && NODES.includes(target)) {
    const r = spawnSync('bash', [join(root, 'scripts/sandbox/node.sh'), action, target], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`node.sh ${action} ${target} failed: ${r.stderr}`);
    return `${action} took ${r.stdout.trim()}s`;
  }
  if (what === 'task' && action === 'kill' && /^[\w-]+\.\d+$/.test(target ?? '')) {
    const service = target.slice(0, target.lastIndexOf('.'));
    // Any manager whose daemon answers will do.
    for (const m of NODES) {
      const ps = docker(m, ['service', 'ps', '--no-trunc', '-f', `name=${target}`, '--format', '{{.ID}} {{.Name}} {{.Node}} {{.CurrentState}}', service]);
      if (ps.status !== 0) continue;
      const row = ps.stdout.split('\n').map((l) => l.split(' ')).find((c) => c[1] === target && c[3] === 'Running');
      if (!row) throw new Error(`lab task kill ${target}: no running task`);
      const [id, , node] = row;
      const c = docker(node, ['ps', '-q', '-f', `label=com.docker.swarm.task.id=${id}`]);
      const cid = c.stdout.trim();
      if (!cid) throw new Error(`lab task kill ${target}: no container for task ${id} on ${node}`);
      const k = docker(node, ['kill', cid]);
      if (k.status !== 0) throw new Error(`docker kill on ${node} failed: ${k.stderr}`);
      return `killed ${cid.slice(0, 12)} (task ${id.slice(0, 12)}) on ${node}`;
    }
    throw new Error(`lab task kill ${target}: no manager answered`);
  }
  throw new Error(`cannot run on the real swarm: ${words.join(' ')}`);
}

/**
 * The argv that runs a walkthrough's `docker` or `curl` line as typed on `node`. docker talks to
 * that node's daemon (cliEnv's DOCKER_HOST); curl is the machine's own (Debian 12: 7.88.1), run
 * inside the node's network namespace, so a published port is reached as from that machine. The
 * netns resolves no node names: walkthroughs name hosts by address (198.18.0.10-12) or localhost.
 */
function commandOn(node, words) {
  if (words[0] === 'curl') return ['nsenter', `--net=/run/netns/${node}`, ...words];
  return words;
}

function versions() {
  const r = docker('manager1', ['version', '--format', '{{.Client.Version}}|{{.Server.Version}}']);
  const [dockerVersion, engineVersion] = r.stdout.trim().split('|');
  // The curl that `curl` lines ran (its error texts and headers are part of what is compared).
  const curlVersion = spawnSync('curl', ['--version'], { encoding: 'utf8' }).stdout?.split(' ')[1];
  return { dockerVersion, engineVersion, curlVersion };
}

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

function parseWalkthrough(text) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

async function runWalkthrough(file, render) {
  const name = basename(file).replace(/\.sh$/, '');
  const host = sandbox('up.sh');
  if (host !== `DOCKER_HOST=${socketOf('manager1')}`) throw new Error(`unexpected up.sh result: ${host}`);
  const meta = versions();
  const capturedAt = new Date().toISOString();
  let node = 'manager1';
  /** The nodes `ssh` left, for `exit` to go back to. */
  const came = [];
  const entries = [];
  const t0 = performance.now();
  for (const command of parseWalkthrough(readFileSync(file, 'utf8'))) {
    const words = shellWords(command);
    const startedAtMs = Math.round(performance.now() - t0);
    let output = '';
    let exitCode = 0;
    let note;
    if (words[0] === 'lab') {
      note = lab(words);
    } else if (words[0] === 'sleep' && words.length === 2) {
      await sleep(Number(words[1]) * 1000);
    } else if (words[0] === 'ssh' && words.length === 2 && NODES.includes(words[1])) {
      came.push(node);
      node = words[1];
    } else if (words[0] === 'exit' && words.length === 1 && came.length > 0) {
      node = came.pop();
    } else if (words[0] === 'docker' || words[0] === 'curl') {
      const r = spawnSync('python3', [ptyRun, '--cols', '80', '--rows', '24', '--timeout', '90', '--', ...commandOn(node, words)], {
        env: cliEnv(socketOf(node)),
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 64 << 20,
      });
      output = r.stdout.toString('utf8');
      exitCode = r.status ?? 128;
    } else {
      throw new Error(`${file}: cannot run on the real swarm: ${command}`);
    }
    const durationMs = Math.round(performance.now() - t0) - startedAtMs;
    console.error(`[capture] ${name} +${(startedAtMs / 1000).toFixed(1)}s (${durationMs} ms, exit ${exitCode}) ${command}${note ? ` (${note})` : ''}`);
    entries.push({ command, output, exitCode, startedAtMs, durationMs, ...(note ? { note } : {}) });
  }
  mkdirSync(outDir, { recursive: true });
  const fixture = { capturedAt, ...meta, node: 'manager1', tty: { cols: 80, rows: 24, onlcr: false }, entries };
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify(fixture, null, 2) + '\n');
  writeFileSync(join(outDir, `${name}.transcript`), await render(entries.map(({ command, output }) => ({ command, output }))));
  console.error(`[capture] wrote test/fixtures/real/${name}.json and .transcript`);
}

// Back to one `redis` service with 3 running tasks at spec version 1.
async function resetRedis() {
  docker('manager1', ['service', 'rm', 'redis']);
  const c = docker('manager1', ['service', 'create', '-d', '--replicas', '3', '--update-delay', '10s', '--name', 'redis', 'redis:7.4.0']);
  if (c.status !== 0) throw new Error(`reset: service create failed: ${c.stderr}`);
  for (let i = 0; i < 200; i++) {
    const ps = docker('manager1', ['service', 'ps', '-f', 'desired-state=running', '--format', '{{.CurrentState}}', 'redis']);
    if (ps.stdout.split('\n').filter((l) => l.startsWith('Running')).length === 3) return;
    await sleep(100);
  }
  throw new Error('reset: redis tasks did not reach Running');
}

async function runErrors() {
  sandbox('up.sh');
  const meta = versions();
  const capturedAt = new Date().toISOString();
  const cases = [];
  for (const { command, node } of errorCommands) {
    await resetRedis();
    const words = shellWords(command);
    const r = docker(node, words.slice(1));
    console.error(`[capture] errors (exit ${r.status}) ${node}: ${command}`);
    cases.push({ command, node, stdout: r.stdout, stderr: r.stderr, exitCode: r.status });
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'errors.json'), JSON.stringify({ capturedAt, ...meta, cases }, null, 2) + '\n');
  console.error('[capture] wrote test/fixtures/real/errors.json');
}

const render = await loadRenderer();
// The test suites' own lock on the sandbox, for the whole run (see capture/sandbox-lock.mjs).
const releaseLock = await takeSandboxLock();
try {
  for (const file of walkthroughs) await runWalkthrough(file, render);
  if (wantErrors) await runErrors();
} finally {
  try {
    if (!keep) sandbox('down.sh');
  } finally {
    releaseLock();
  }
}
