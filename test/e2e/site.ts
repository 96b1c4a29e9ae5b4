// One `astro build` of the site per test run, shared by the test files that read it
// (test/site-build.test.ts, test/e2e/lesson-page.test.ts): a build takes 15-30 s.
// Test files run in separate workers of one vitest process, so the build folder is named
// after that process; the first file to ask builds (holding a lock directory), the others
// wait for its `.done` marker. Folders of earlier runs whose process has exited are removed.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isMainThread } from 'node:worker_threads';

const PREFIX = 'swarm-lab-site-run-';
const root = new URL('../../', import.meta.url);
/**
 * Builds go inside the project: for an outDir outside the working directory astro writes its
 * intermediate server chunks to the project's shared `.astro/`, where two builds at once
 * (another test run, `npm run bench:site`) overwrite each other's files.
 */
const BUILDS = join(fileURLToPath(root), 'node_modules/.cache/swarm-lab-site');

/** The vitest process: the parent of a forks-pool worker, or this process for threads. */
const runPid = (): number => (isMainThread ? process.ppid : process.pid);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeStale(): void {
  mkdirSync(BUILDS, { recursive: true });
  for (const name of readdirSync(BUILDS)) {
    const pid = Number(/^swarm-lab-site-run-(\d+)/.exec(name)?.[1] ?? NaN);
    if (Number.isInteger(pid) && pid !== runPid() && !alive(pid)) {
      rmSync(join(BUILDS, name), { recursive: true, force: true });
    }
  }
}

/**
 * The environment for `astro build`: vitest puts NODE_ENV=test and Vite's import.meta.env keys
 * (DEV=1, MODE=test, ...) into process.env, and astro would build dev-mode pages from them
 * (Starlight then replaces site search with a "production builds only" notice).
 */
function buildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1' };
  for (const key of ['DEV', 'PROD', 'SSR', 'MODE', 'BASE_URL', 'TEST']) delete env[key];
  for (const key of Object.keys(env)) if (key.startsWith('VITEST')) delete env[key];
  return env;
}

/** What `astro build` printed (stdout, then stderr), in the build folder. */
export const BUILD_LOG = '.build-log';

let built: Promise<string> | undefined;

/** The folder holding this run's build of the site (built on first use). */
export function builtSite(): Promise<string> {
  built ??= buildOnce();
  return built;
}

async function buildOnce(): Promise<string> {
  removeStale();
  const outDir = join(BUILDS, `${PREFIX}${runPid()}`);
  const done = join(outDir, '.done');
  const failed = `${outDir}.failed`;
  const lock = `${outDir}.lock`;
  let owner = false;
  try {
    mkdirSync(lock);
    owner = true;
  } catch {
    /* another test file of this run is building */
  }
  if (owner) {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ['node_modules/astro/astro.js', 'build', '--outDir', outDir], {
        cwd: root,
        env: buildEnv(),
        maxBuffer: 64 * 1024 * 1024,
      });
      writeFileSync(join(outDir, BUILD_LOG), stdout + stderr);
      writeFileSync(done, '');
    } catch (e) {
      writeFileSync(failed, String(e));
      throw e;
    }
    return outDir;
  }
  for (;;) {
    if (existsSync(done)) return outDir;
    if (existsSync(failed)) throw new Error(`the shared site build failed:\n${readFileSync(failed, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
