// Every lesson, in both languages, done as a learner does it on the BUILT site: open the page
// directly, set the simulation to 20x, press each Run button in order, and wait for each
// step's marker to turn done before going on. Key commands must print what docker prints
// (services created and converged, `service ps` rows on the new image, the join accepted),
// and the rolling-update lesson's broken update must pause, show as paused in
// `inspect --pretty`, and come back with the rollback. Pages run three at a time.
// Also: the docked terminal is wide enough for `docker service ps` at 1600x900.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { LESSON_IDS } from '../../content/lessons/types.js';
import { chromiumAvailable } from './browser.js';
import {
  limiter,
  outputOf,
  promptCount,
  runBlocks,
  screenRows,
  setSpeed,
  siteInChromium,
  stepIds,
  waitNextPrompt,
  waitSettled,
  waitStepDone,
} from './lesson-site.js';

const run = chromiumAvailable('test/e2e/lessons-all.test.ts');

const site = siteInChromium({ browser: run });

/** What a command must print: checked right after it runs, or (`again`) when run once more after its step is done. */
interface Expectation {
  command: string;
  /** Only for the runs under this step marker (a command may come back in a later step). */
  step?: string;
  output: RegExp[];
  again?: boolean;
}

const converged = (name: string): RegExp => new RegExp(`verify: Service ${name} converged`);
const psRow = (task: string, image: string, node = '\\S+'): RegExp => new RegExp(`${task}\\s+${image.replace(/\./g, '\\.')}\\s+${node}\\s+Running\\s+Running`);

const EXPECT: Record<(typeof LESSON_IDS)[number], Expectation[]> = {
  overview: [{ command: 'docker node ls', output: [/manager1\s+Ready\s+Active\s+Leader\s+28\.2\.2/, /worker1\s+Ready\s+Active\s+28\.2\.2/, /worker2\s+Ready\s+Active/] }],
  'create-swarm': [
    { command: 'docker swarm init --advertise-addr 192.168.99.100', output: [/Swarm initialized: current node \(\w{25}\) is now a manager\./, /docker swarm join --token SWMTKN-1-\w+-\w+ 192\.168\.99\.100:2377/] },
    { command: 'docker info', output: [/Swarm: active/, /Is Manager: true/] },
    { command: 'docker node ls', output: [/\*\s+manager1\s+Ready\s+Active\s+Leader/] },
  ],
  'add-nodes': [
    { command: 'docker swarm join-token worker', output: [/docker swarm join --token SWMTKN-1-\w+-\w+ 192\.168\.99\.100:2377/] },
    { command: 'docker swarm join --token $WORKER_TOKEN 192.168.99.100:2377', output: [/This node joined a swarm as a worker\./] },
    { command: 'exit', output: [/logout/, /Connection to worker\d closed\./] },
    { command: 'docker node ls', output: [/manager1\s+Ready\s+Active\s+Leader/, /worker1\s+Ready\s+Active/, /worker2\s+Ready\s+Active/] },
  ],
  'deploy-service': [
    { command: 'docker service create --replicas 1 --name helloworld redis:7.4.0', output: [/^\w{25}/, /overall progress: 1 out of 1 tasks/, /verify: Service \w{25} converged/] },
    { command: 'docker service ls', output: [/helloworld\s+replicated\s+1\/1\s+redis:7\.4\.0/] },
  ],
  'inspect-service': [
    // The image's own command: Init follows Image directly, no Args line.
    { command: 'docker service inspect --pretty helloworld', output: [/Name:\s+helloworld/, /Image:\s+redis:7\.4\.0@sha256:[0-9a-f]{64}\s+Init:\s+false/] },
    { command: 'docker service ps helloworld', output: [psRow('helloworld\\.1', 'redis:7.4.0')] },
    { command: 'docker ps', output: [/redis:7\.4\.0\s+"docker-entrypoint\.s…"/, /helloworld\.1\.\w+/] },
  ],
  'scale-service': [
    { command: 'docker service scale helloworld=5', output: [/helloworld scaled to 5/, /overall progress: 5 out of 5 tasks/, converged('helloworld')] },
    { command: 'docker service ps helloworld', output: [1, 2, 3, 4, 5].map((n) => psRow(`helloworld\\.${n}`, 'redis:7.4.0')) },
  ],
  'delete-service': [
    { command: 'docker service rm helloworld', output: [/^helloworld$/] },
    { command: 'docker service inspect helloworld', output: [/Error: no such service: helloworld/] },
  ],
  'rolling-update': [
    { command: 'docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0', output: [/overall progress: 3 out of 3 tasks/, /verify: Service \w{25} converged/] },
    { command: 'docker service update --detach --image redis:7.4.1 redis', output: [/^redis$/] },
    // Run again once the update is done: every slot on the new image, the old tasks shut down.
    { command: 'docker service ps redis', step: 'update', again: true, output: [1, 2, 3].map((n) => psRow(`redis\\.${n}`, 'redis:7.4.1')).concat([/\\_ redis\.\d\s+redis:7\.4\.0\s+\S+\s+Shutdown\s+Shutdown/]) },
    // The failure path: the update to a tag that does not exist pauses...
    { command: 'docker service update --image redis:9.9.9 redis', output: [/image redis:9\.9\.9 could not be accessed on a registry/, /service update paused: update paused due to failure or early termination of task \w+/] },
    // ...pretty inspect shows it paused...
    { command: 'docker service inspect --pretty redis', step: 'break', output: [/UpdateStatus:\s*State:\s+paused/, /Message:\s+update paused due to failure/, /Image:\s+redis:9\.9\.9/] },
    { command: 'docker service ps redis', step: 'break', output: [/"No such image: redis:9\.9\.9"/] },
    // ...and the rollback brings back 7.4.1.
    { command: 'docker service rollback redis', output: [/rollback: manually requested rollback/, /overall progress: rolling back update: 3 out of 3 tasks/, converged('redis')] },
  ],
  'drain-node': [
    { command: 'docker service ps redis', output: [psRow('redis\\.1', 'redis:7.4.0')] },
    { command: 'docker node update --availability drain worker1', output: [/^worker1$/] },
    { command: 'docker node inspect --pretty worker1', step: 'drain', output: [/Availability:\s+Drain/] },
    { command: 'docker node inspect --pretty worker1', step: 'activate', output: [/Availability:\s+Active/] },
    { command: 'docker node update --availability active worker1', output: [/^worker1$/] },
  ],
  // The ports as docker prints them at each step, and nginx answering through the mesh.
  'routing-mesh': [
    { command: 'docker service create --name my-web --publish published=8080,target=80 --replicas 2 nginx:1.27.3', output: [/overall progress: 2 out of 2 tasks/, /verify: Service \w{25} converged/] },
    { command: 'docker service ls', step: 'create', output: [/my-web\s+replicated\s+2\/2\s+nginx:1\.27\.3\s+\*:8080->80\/tcp/] },
    { command: `docker service inspect --format '{{json .Endpoint.Spec.Ports}}' my-web`, step: 'create', output: [/^\[\{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"\}\]$/m] },
    // Every node answers on the ingress port, whichever runs no task (outputOf joins the rows).
    { command: 'curl -s http://localhost:8080', output: [/^<!DOCTYPE html><html><head><title>Welcome to nginx!<\/title>/, /<\/body><\/html>$/] },
    { command: 'curl -s -i http://localhost:8080', output: [/^HTTP\/1\.1 200 OKServer: nginx\/1\.27\.3Date: /, /Content-Length: 615/, /Welcome to nginx!/] },
    { command: 'docker service ls', step: 'publish-add', output: [/\*:8080-8081->80\/tcp/] },
    { command: `docker service inspect --format '{{json .Endpoint.Spec.Ports}}' my-web`, step: 'publish-udp', output: [/"Protocol":"udp","TargetPort":80,"PublishedPort":8082/] },
    { command: 'docker service ls', step: 'publish-rm', output: [/my-web\s+replicated\s+2\/2\s+nginx:1\.27\.3\s+\*:8080-8081->80\/tcp\s*$/m] },
    { command: 'docker service ps my-web-host', output: [psRow('my-web-host\\.1', 'nginx:1.27.3'), psRow('my-web-host\\.2', 'nginx:1.27.3')] },
    // One row per service removed (outputOf joins the rows).
    { command: 'docker service rm my-web my-web-host', output: [/^my-webmy-web-host$/] },
  ],
};

/** Every step done: the required ones, and the optional ones counted apart when there are any. */
const SUMMARY = {
  '': (n: number, o: number) => `${n} of ${n} steps done${o > 0 ? ` · optional: ${o} of ${o}` : ''}`,
  '/zh-cn': (n: number, o: number) => `已完成 ${n}/${n} 个步骤${o > 0 ? `，选做 ${o}/${o}` : ''}`,
};
const COMPLETE = { '': 'Lesson complete', '/zh-cn': '本课完成' };

const slot = limiter(3);

/**
 * Progress is kept per lesson id, the same for both languages, in the one browser context's
 * localStorage: a lesson's English and Chinese runs must not overlap, or one page sees the
 * other's steps done. Each id's runs are chained; different lessons still run side by side.
 */
const byLesson = new Map<string, Promise<unknown>>();
function oneLessonAtATime<T>(id: string, run: () => Promise<T>): Promise<T> {
  const next = (byLesson.get(id) ?? Promise.resolve()).catch(() => undefined).then(run);
  byLesson.set(id, next);
  return next;
}

/** The rows the last run of `command` printed, unjoined (a ps row that fits is one row). */
async function outputRows(page: Page, command: string): Promise<string[]> {
  const rows = await screenRows(page);
  let at = -1;
  rows.forEach((r, i) => {
    if (/^docker@[\w-]+:~\$ /.test(r) && r.includes(command)) at = i;
  });
  const out: string[] = [];
  for (let i = at + 1; at >= 0 && i < rows.length && !/^docker@[\w-]+:~\$( |$)/.test(rows[i]!); i++) out.push(rows[i]!);
  return out;
}

async function clickRun(page: Page, index: number): Promise<void> {
  const before = await promptCount(page);
  await page.locator('.lesson-cmd-actions button[data-command="run"]').nth(index).click();
  await waitNextPrompt(page, before);
}

async function expectOutput(page: Page, e: Expectation, where: string): Promise<void> {
  const out = await outputOf(page, e.command);
  for (const re of e.output) expect(out, `${where}: ${e.command}`).toMatch(re);
}

async function doLesson(prefix: '' | '/zh-cn', id: (typeof LESSON_IDS)[number]): Promise<void> {
  const page = await site.browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const where = `${prefix}/lessons/${id}/`;
  try {
    await page.setViewportSize({ width: 1600, height: 900 });
    // Progress is per lesson id, shared by both languages: each run starts with none.
    await page.addInitScript((key) => localStorage.removeItem(key), `swarm-lab:progress:${id}`);
    await page.goto(`${site.server.url}${where}`);
    await waitSettled(page);
    await setSpeed(page, 20);

    const blocks = await runBlocks(page);
    const steps = await stepIds(page);
    expect(blocks.length, where).toBeGreaterThan(0);
    for (const s of steps) expect(await page.getAttribute(`span.lesson-step[data-step="${s}"]`, 'data-done'), `${where} ${s}`).toBe('false');
    const expectations = EXPECT[id];

    const finishStep = async (step: string): Promise<void> => {
      await waitStepDone(page, step);
      for (const e of expectations.filter((x) => x.again && x.step === step)) {
        const block = blocks.filter((b) => b.step === step && b.command === e.command).pop();
        if (!block) continue;
        await clickRun(page, block.index);
        await expectOutput(page, e, where);
      }
    };

    // Recovered after the rollback: the three current tasks run 7.4.1 again (the learner looks
    // for themselves), before the optional section moves the service on.
    const recovered = async (): Promise<void> => {
      await page.locator('lesson-terminal .xterm-helper-textarea').focus();
      const before = await promptCount(page);
      await page.keyboard.type('docker service ps redis\n');
      await waitNextPrompt(page, before);
      const rows = (await outputRows(page, 'docker service ps redis')).filter((r) => /^\w{12} {3}redis\.\d/.test(r));
      expect(rows, where).toHaveLength(3);
      for (const row of rows) expect(row, where).toMatch(/redis:7\.4\.1\s+\S+\s+Running\s+Running/);
    };
    let checkedRecovery = false;
    let current: string | undefined;
    for (const block of blocks) {
      if (block.step !== current && current !== undefined) {
        await finishStep(current);
        if (id === 'rolling-update' && current === 'rollback') {
          await recovered();
          checkedRecovery = true;
        }
      }
      current = block.step;
      await clickRun(page, block.index);
      const apply = expectations.filter((x) => !x.again && x.command === block.command && (x.step === undefined || x.step === block.step));
      for (const e of apply) await expectOutput(page, e, where);
    }
    if (current !== undefined) await finishStep(current);
    // Every expectation names a command of the page (a renamed command must not pass silently).
    for (const e of expectations) expect(blocks.map((b) => b.command), where).toContain(e.command);

    if (id === 'rolling-update') {
      if (!checkedRecovery) await recovered();
    }

    for (const s of steps) expect(await page.getAttribute(`span.lesson-step[data-step="${s}"]`, 'data-done'), `${where} ${s}`).toBe('true');
    if (steps.length > 0) {
      const optional = await page.locator('.lesson-main span.lesson-step[data-optional="true"]').count();
      expect(await page.locator('.lesson-progress-summary').textContent()).toBe(SUMMARY[prefix](steps.length - optional, optional));
      await page.waitForSelector('.lesson-complete[data-shown="true"]', { timeout: 10_000 });
      expect(await page.locator('.lesson-complete').textContent()).toContain(COMPLETE[prefix]);
    }
    expect(errors, where).toEqual([]);
  } finally {
    await page.close();
  }
}

describe.skipIf(!run)('every lesson, run from its Run buttons in chromium', () => {
  const cases = (['', '/zh-cn'] as const).flatMap((prefix) => LESSON_IDS.map((id) => ({ prefix, id, path: `${prefix}/lessons/${id}/` })));
  test.concurrent.each(cases)('$path: every Run, every step done, docker output', ({ prefix, id }) => oneLessonAtATime(id, () => slot(() => doLesson(prefix, id))), 600_000);
});

describe.skipIf(!run)('terminal width', () => {
  test('at 1600x900 the docked terminal has room for docker service ps (>= 100 columns), in both languages', async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.setViewportSize({ width: 1600, height: 900 });
      for (const path of ['/lessons/rolling-update/', '/zh-cn/lessons/rolling-update/']) {
        await page.goto(`${site.server.url}${path}`);
        await waitSettled(page);
        // A line longer than any screen, typed but not run: its first row is exactly as wide as the terminal.
        await page.evaluate(() => (document.querySelector('lesson-terminal') as unknown as { typeText(t: string, i?: boolean): void }).typeText('x'.repeat(400)));
        await page.waitForFunction(() => (document.querySelector('lesson-terminal') as unknown as { screenText(): string }).screenText().includes('x'.repeat(60)));
        const rows = (await screenRows(page)).filter((r) => /^x+$/.test(r));
        const columns = Math.max(...rows.map((r) => r.length));
        expect(columns, path).toBeGreaterThanOrEqual(100);
        // The lesson text keeps a readable column beside it.
        const main = await page.locator('.lesson-main').boundingBox();
        expect(main!.width, path).toBeGreaterThanOrEqual(480);
      }
    } finally {
      await page.close();
    }
  }, 90_000);
});
