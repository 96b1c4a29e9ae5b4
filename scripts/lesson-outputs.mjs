// Runs scripts/lesson-outputs/main.ts (see there) on plain Node: bundles it with esbuild
// into a temporary file first, as scripts/build-cli.mjs does for the swarm-lab command.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// Inside node_modules so the bundle's package imports (@xterm/headless) resolve.
mkdirSync('node_modules/.cache', { recursive: true });
const dir = mkdtempSync(join('node_modules', '.cache', 'lesson-outputs-'));
const outfile = join(dir, 'main.mjs');
try {
  await build({ entryPoints: ['scripts/lesson-outputs/main.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'warning' });
  await import(pathToFileURL(join(process.cwd(), outfile)).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
