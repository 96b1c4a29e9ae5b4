// Loads engine/node/transcript.ts from plain node (no tsx here): esbuild bundles it, with
// @xterm/headless inside, into a temporary ES module that is then imported.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function loadRenderer() {
  const dir = mkdtempSync(join(tmpdir(), 'transcript-'));
  const outfile = join(dir, 'transcript.mjs');
  try {
    await build({
      entryPoints: [join(root, 'engine/node/transcript.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'warning',
    });
    const mod = await import(pathToFileURL(outfile).href);
    return mod.renderTranscript;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
