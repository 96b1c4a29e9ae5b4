// `swarm-lab serve` as a learner runs it: the command bundled as the package bundles it
// (esbuild, dynamic import of the serve module), started as a process; it prints the
// DOCKER_HOST to export, the real docker CLI works against it, SIGTERM stops it cleanly.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { realCliAvailable, runReal } from './serve-harness.js';

const root = new URL('../', import.meta.url).pathname;

describe.skipIf(!realCliAvailable())('the swarm-lab serve command', () => {
  let dir: string;
  beforeAll(async () => {
    // Inside the repository, so the bundle's external packages resolve from its node_modules.
    const cache = join(root, 'node_modules/.cache');
    if (!existsSync(cache)) throw new Error('node_modules/.cache is missing');
    dir = mkdtempSync(join(cache, 'swarm-lab-serve-'));
    await build({
      entryPoints: { 'swarm-lab': join(root, 'engine/node/main.ts') },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      splitting: true,
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      logLevel: 'error',
    });
  }, 60_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('prints DOCKER_HOST, serves the real CLI, stops on SIGTERM', async () => {
    const socket = join(dir, 'engine.sock');
    const child = spawn(process.execPath, ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(join(dir, 'swarm-lab.mjs'))}); process.exitCode = await main(process.argv.slice(1));`, 'serve', '--socket', socket, '--per-node', join(dir, 'nodes')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => void (stderr += c.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString('utf8');
        if (stdout.includes('worker2')) resolve();
      });
      child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
    });
    expect(stdout).toBe(
      `export DOCKER_HOST=unix://${socket}\n` +
        ['manager1', 'worker1', 'worker2'].map((h) => `# ${h}: DOCKER_HOST=unix://${join(dir, 'nodes', `${h}.sock`)}\n`).join(''),
    );
    const ls = await runReal(`unix://${socket}`, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'], { dir });
    expect(ls).toEqual({ stdout: 'manager1 Ready Leader\nworker1 Ready \nworker2 Ready \n', stderr: '', code: 0 });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(socket)).toBe(false);
  }, 60_000);

  test('a bad option is a usage error (exit 2)', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(join(dir, 'swarm-lab.mjs'))}); process.exitCode = await main(process.argv.slice(1));`, 'serve', '--speed', 'fast'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => void (stderr += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr.startsWith('swarm-lab serve: invalid value "fast" for --speed\n\nUsage:\n  swarm-lab serve [OPTIONS]')).toBe(true);
  });
});
