// The built site the browser benchmarks load (dist/site): reused while it is newer than every
// source that goes into it, otherwise built with `astro build` (NODE_ENV=production).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What goes into the site build: newer than dist/site means the build is stale. */
const INPUTS = ['content', 'src', 'engine', 'public', 'astro.config.mjs', 'package-lock.json'];

/** Newest modification time under `path` (a file or a folder, walked). */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** Builds `site` (the project's dist/site) unless it is up to date; exits 2 if the build fails. */
export function ensureBuilt(site: string, rebuild: boolean, say: (line: string) => void, root = process.cwd()): void {
  const built = join(site, 'index.html');
  const sources = Math.max(...INPUTS.map((p) => newest(join(root, p))));
  if (!rebuild && existsSync(built) && statSync(built).mtimeMs > sources) {
    say(`site: reusing dist/site (built ${statSync(built).mtime.toISOString()}, newer than its sources)`);
    return;
  }
  say('site: building dist/site (astro build) ...');
  try {
    execFileSync(process.execPath, ['node_modules/astro/astro.js', 'build'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1' },
      stdio: 'pipe',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: Buffer; stderr?: Buffer };
    process.stderr.write(`${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}bench: astro build failed\n`);
    process.exit(2);
  }
}
