// Getting hold of the 3-node sandbox from a test suite (or any Node caller): is it usable, and
// if it is not, why (root, dockerd, the sandbox itself). Under CI the caller asks for it to be
// brought up with scripts/sandbox/up.sh. Suites that use it hold a lock for their whole run, so
// two test files never run walkthroughs on the one swarm at the same time, and never run up.sh
// (which starts with down.sh) under each other.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerodeApi } from './dockerode-api.js';
import { dockerOptionsFor } from './docker-host.js';
import { SANDBOX_NODES, SANDBOX_RUN_DIR, sandboxIsUp, sandboxSocket } from './real-swarm.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SANDBOX_SCRIPTS = join(repoRoot, 'scripts', 'sandbox');
const LOCK_DIR = '/tmp/swarm-lab-sandbox.lock';
const NOT_UP = 'the sandbox is not up (run `sudo npm run sandbox:up`, or set CI=true to let the test bring it up)';

const onPath = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Every sandbox daemon answers and manager1 sees three Ready nodes. */
export async function sandboxHealthy(runDir = SANDBOX_RUN_DIR): Promise<boolean> {
  if (!sandboxIsUp(runDir)) return false;
  try {
    for (const n of SANDBOX_NODES) await new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: sandboxSocket(n, runDir) })).ping();
    const m = new DockerodeApi(dockerOptionsFor({ kind: 'unix', socketPath: sandboxSocket('manager1', runDir) }));
    const nodes = await m.nodeList();
    return nodes.length === 3 && nodes.every((x) => x.Status.State === 'ready');
  } catch {
    return false;
  }
}

/** Why the sandbox cannot be used here, or undefined when it can be brought up. */
export function sandboxBlocker(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root (the sandbox needs root: network namespaces and dockerd)';
  if (!onPath('dockerd')) return 'dockerd is not installed (apt-get install -y docker.io)';
  if (!onPath('docker')) return 'the docker CLI is not installed';
  return undefined;
}

/** Runs one of scripts/sandbox/*.sh; returns its last stdout line. */
export function runSandboxScript(script: string): string {
  const r = spawnSync('bash', [join(SANDBOX_SCRIPTS, script)], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}): ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  return r.stdout.trim().split('\n').at(-1) ?? '';
}

export type SandboxLease =
  | { ok: true; broughtUp: boolean; release: () => void }
  | { ok: false; reason: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the sandbox for a test suite: waits for the lock, then uses the running sandbox, or
 * brings it up when `bringUp` (CI) is set. `release` brings down what this lease brought up
 * and drops the lock. Without the sandbox and without `bringUp`, says what is missing.
 */
export async function leaseSandbox(opts: { bringUp: boolean; waitMs?: number }): Promise<SandboxLease> {
  const blocker = sandboxBlocker();
  const healthy = await sandboxHealthy();
  if (blocker && !healthy) return { ok: false, reason: blocker };
  // Not allowed to bring it up and it is not there: say so at once rather than wait for the lock.
  if (!opts.bringUp && !healthy) return { ok: false, reason: NOT_UP };
  if (!(await lock(opts.waitMs ?? 900_000))) return { ok: false, reason: `the sandbox lock ${LOCK_DIR} stayed taken` };
  let broughtUp = false;
  try {
    if (!(await sandboxHealthy())) {
      if (!opts.bringUp) {
        unlock();
        return { ok: false, reason: NOT_UP };
      }
      runSandboxScript('up.sh');
      broughtUp = true;
    }
  } catch (e) {
    unlock();
    throw e;
  }
  return {
    ok: true,
    broughtUp,
    release: () => {
      try {
        if (broughtUp) runSandboxScript('down.sh');
      } finally {
        unlock();
      }
    },
  };
}

async function lock(waitMs: number): Promise<boolean> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      return true;
    } catch {
      // A lock whose holder is gone (a killed test run) is taken over.
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
      } catch {
        /* being created right now, or left without a pid */
      }
      if (Number.isInteger(holder) && !alive(holder)) rmSync(LOCK_DIR, { recursive: true, force: true });
      if (Date.now() > until) return false;
      await sleep(250);
    }
  }
}

function unlock(): void {
  try {
    if (Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8')) === process.pid) rmSync(LOCK_DIR, { recursive: true, force: true });
  } catch {
    /* not ours or gone */
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
