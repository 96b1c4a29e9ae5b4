// Starts `swarm-lab <args>` as a learner does (node bin/swarm-lab.mjs) and resolves to the
// first match of `line` in what it prints, with a way to stop it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export function startSwarmLab(root: string, args: string[], line: RegExp): Promise<{ match: string; stop(): void }> {
  const child = spawn(process.execPath, [join(root, 'bin/swarm-lab.mjs'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = line.exec(out)?.[1];
      if (match) resolve({ match, stop: () => void child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`swarm-lab ${args.join(' ')} exited (${code}): ${err}`)));
  });
}
