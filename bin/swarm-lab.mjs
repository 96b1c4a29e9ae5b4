#!/usr/bin/env node
// The swarm-lab command. The engine is TypeScript; `npm install` bundles it into dist/
// (scripts/build-cli.mjs, run by the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/swarm-lab.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write('swarm-lab: dist/swarm-lab.mjs is missing; run `npm install` (or `npm run build:cli`) first.\n');
  process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
