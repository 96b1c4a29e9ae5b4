// The lock the test suites take before they use the 3-node sandbox (engine/node/docker/sandbox.ts:
// a directory holding the holder's pid, taken over when that process is gone). The capture scripts
// take it too: a suite that finds the sandbox up would otherwise run its own commands (and clean
// up services) on the swarm in the middle of a capture.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SANDBOX_LOCK_DIR = '/tmp/swarm-lab-sandbox.lock';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Waits (up to waitMs) for the lock; returns a function that releases it. */
export async function takeSandboxLock(waitMs = 900_000, dir = SANDBOX_LOCK_DIR) {
  const until = Date.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      return () => {
        try {
          if (Number(readFileSync(join(dir, 'pid'), 'utf8')) === process.pid) rmSync(dir, { recursive: true, force: true });
        } catch {
          /* gone already */
        }
      };
    } catch {
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(dir, 'pid'), 'utf8'));
      } catch {
        /* being created, or left without a pid */
      }
      if (Number.isInteger(holder) && !alive(holder)) rmSync(dir, { recursive: true, force: true });
      if (Date.now() > until) throw new Error(`the sandbox lock ${dir} stayed taken`);
      if (!told) console.error(`[lock] waiting for ${dir} (held by pid ${holder})`);
      told = true;
      await sleep(250);
    }
  }
}
