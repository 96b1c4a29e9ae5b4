// Local mode's round trip (issue 4's speed target): `docker service ps redis` typed in the
// browser terminal while it drives the real sandbox swarm through `swarm-lab local`, against
// the docker CLI run directly on the same swarm. The server is started as a learner starts it
// (node bin/swarm-lab.mjs local); the page is the built site it serves, in Debian's chromium.
import { spawnSync } from 'node:child_process';
import { startSwarmLab } from './child.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../../test/e2e/browser.js';
import type { Timing } from './measure.js';
import { summarize } from './measure.js';
import { ensureBuilt } from './site-build.js';
import { sandboxSocket } from '../../engine/node/docker/sandbox-paths.js';

const MANAGER_SOCKET = sandboxSocket('manager1');
const DOCKER_HOST = `unix://${MANAGER_SOCKET}`;
const LINE = 'docker service ps redis';

export interface LocalRoundTrip {
  browser: Timing;
  cli: Timing;
  /** What the browser's terminal printed for the last timed run (checked against the CLI's rows). */
  rows: number;
}

/** Why the local-mode bench cannot run here, or undefined. */
export function localBenchBlocker(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium)`;
  if (!existsSync(MANAGER_SOCKET)) return `the sandbox swarm is not up (${MANAGER_SOCKET} missing: npm run sandbox:up, as root)`;
  if (spawnSync('docker', ['--version'], { encoding: 'utf8' }).status !== 0) return 'the docker CLI is missing';
  return undefined;
}

const docker = (args: string[]): { code: number; out: string } => {
  const r = spawnSync('docker', args, { env: { ...process.env, DOCKER_HOST }, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
};

/** Types a line in the page's terminal; resolves to ms from the keystrokes to the prompt being back. */
async function typed(page: Page, line: string): Promise<number> {
  return page.evaluate(
    (text) =>
      new Promise<number>((resolve, reject) => {
        const t = document.querySelector('lesson-terminal') as HTMLElement & { typeText(s: string): void };
        let sawBusy = false;
        const start = performance.now();
        const obs = new MutationObserver(() => {
          if (t.dataset.state === 'busy') sawBusy = true;
          else if (sawBusy && t.dataset.state === 'ready') {
            obs.disconnect();
            resolve(performance.now() - start);
          }
        });
        obs.observe(t, { attributes: true, attributeFilter: ['data-state'] });
        setTimeout(() => reject(new Error(`no prompt after: ${text}`)), 120_000);
        t.typeText(`${text}\n`);
      }),
    line,
  );
}

const screen = (page: Page): Promise<string> => page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { screenText(): string }).screenText());

export async function localRoundTrip(root: string, runs: number, say: (line: string) => void): Promise<LocalRoundTrip> {
  ensureBuilt(join(root, 'dist/site'), false, say, root);
  // A redis service like the lesson's, made by the real CLI (removed at the end).
  docker(['service', 'rm', 'redis']);
  const created = docker(['service', 'create', '--quiet', '--replicas', '3', '--name', 'redis', '--update-delay', '10s', 'redis:7.4.0']);
  if (created.code !== 0) throw new Error(`docker service create failed: ${created.out}`);
  const server = await startSwarmLab(root, ['local'], /^(http:\/\/127\.0\.0\.1:\d+\/#t=\S+)$/m).then((s) => ({ url: s.match, stop: s.stop }));
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => location.hash === '');
    await page.goto(`${new URL(server.url).origin}/lessons/rolling-update/`);
    await page.waitForSelector('lesson-terminal[data-state="ready"]', { timeout: 30_000 });
    await page.click('lesson-terminal [data-backend-switch]');
    await page.waitForSelector('lesson-terminal[data-backend="local"][data-state="ready"]', { timeout: 30_000 });

    const browserMs: number[] = [];
    const cliMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      await typed(page, LINE);
      docker(['service', 'ps', 'redis']);
    }
    // Interleaved, so a busy moment of the machine falls on both.
    for (let i = 0; i < runs; i++) {
      browserMs.push(await typed(page, LINE));
      const t0 = performance.now();
      const r = docker(['service', 'ps', 'redis']);
      cliMs.push(performance.now() - t0);
      if (r.code !== 0) throw new Error(`docker service ps redis failed: ${r.out}`);
    }
    const cliRows = docker(['service', 'ps', '--format', '{{.Name}}', 'redis']).out.trim().split('\n').length;
    const text = await screen(page);
    const lastRun = text.slice(text.lastIndexOf(LINE));
    const rows = lastRun.split('\n').filter((l) => /\sredis\.\d+\s/.test(l)).length;
    if (rows !== cliRows) throw new Error(`the browser terminal showed ${rows} task rows, the CLI ${cliRows}:\n${lastRun}`);
    return { browser: summarize(browserMs), cli: summarize(cliMs), rows };
  } finally {
    await browser.close();
    server.stop();
    docker(['service', 'rm', 'redis']);
  }
}
