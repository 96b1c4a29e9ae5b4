// Bundles the Node entry points (the swarm-lab command, the benchmarks) with esbuild so
// they run on plain Node 20 without a TypeScript loader.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // Code behind a dynamic import (local mode: dockerode, ws, the server) goes into its own
  // chunk, so `swarm-lab run` and the interactive shell do not load it at start-up.
  splitting: true,
  sourcemap: 'linked',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { 'swarm-lab': 'engine/node/main.ts', bench: 'scripts/bench/main.ts', 'bench-site': 'scripts/bench/site.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
});
