#!/usr/bin/env node
// Captures how the REAL docker CLI prints `docker version --format` and `docker info --format`
// output and template errors, for templates that read only the client's own fields, so no
// daemon is needed (DOCKER_HOST points at a socket that does not exist; the CLI prints the
// template's output anyway and adds "Cannot connect ..." to stderr). What it pins: version's
// tabwriter (minwidth 20, padding 1) against info's raw output, exit 64 and "template parsing
// error:" on a parse error, the partial output before an execution error, info's template
// named "" in error texts.
//
//   node scripts/capture/format-client.mjs   → test/fixtures/real/format-client.json
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const cases = [
  ['version', '{{.Client.Version}}\tx\ty\n{{.Client.GoVersion}}\t\tz'],
  ['version', 'a\tb\nc\ndddddddddddddddddddddddddd\te\tf\ng\th'],
  ['version', '{{.Client.Version}}\t{{.Client.Os}}'],
  ['version', '中文\tx\nab\ty'],
  ['version', 'a\tb\tc\t\naaaaaaaaaaaaaaaaaaaaaaaaaaaa\tbb\tcc'],
  ['version', 'a\tb\vc\fd\te\nlonger cell here\tf'],
  ['version', 'x\t'],
  ['version', '{{.Client.Version}'],
  ['version', '{{.Client.Version}}\t{{.Nope}}'],
  ['version', '{{range .Client.Components}}{{end}}{{template "x"}}'],
  ['info', '{{.ClientInfo.Version}}\tx'],
  ['info', '{{.Name}'],
  ['info', '{{.ClientInfo.Version}} {{.Nope}}'],
];
const config = mkdtempSync(join(tmpdir(), 'swarm-lab-capture-'));
const env = { PATH: process.env.PATH, HOME: config, DOCKER_CONFIG: config, DOCKER_HOST: `unix://${config}/none.sock` };
const version = spawnSync('docker', ['--version'], { encoding: 'utf8', env }).stdout.trim();
const out = {
  capturedAt: new Date().toISOString(),
  dockerVersion: /version ([\d.]+)/.exec(version)?.[1] ?? version,
  note: 'no daemon: stderr also carries "Cannot connect to the Docker daemon ..." lines',
  cases: cases.map(([command, format]) => {
    const r = spawnSync('docker', [command, '--format', format], { encoding: 'utf8', env });
    return { command, format, stdout: r.stdout, stderr: r.stderr, exitCode: r.status };
  }),
};
writeFileSync(join(root, 'test/fixtures/real/format-client.json'), JSON.stringify(out, null, 2) + '\n');
console.log(`${out.cases.length} cases, docker ${out.dockerVersion}`);
