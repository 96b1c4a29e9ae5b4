// `npm run bench:site`, the swarm view (issue 16): what one update costs the page's main thread
// (3 nodes, 50 tasks, during a rolling update), the first draw of that swarm, the first draw
// of 100 nodes and 1,000 tasks (--topology 10m90w), and how the page keeps up while those
// 1,000 tasks roll at 20x. Timed in the page itself:
//  - receiving a model: the comlink message listener of the view's port (MessageEvent.data is
//    deserialised on first access, inside it) plus the panel's accept (announcements diff);
//  - drawing it: the panel's `swarm-view:draw` measure, with the bench's data-measure-layout
//    on the view's root, so the style and layout the draw causes count too (paint does not).
import type { Page } from 'playwright-core';

export const VIEW_TARGETS = { updateMs: 4, firstDrawMs: 30, bigDrawMs: 100, bigFrameP95Ms: 50 };

/** Times every 'message' listener on a MessagePort (comlink's proxied callbacks): installed before the page loads. */
export const RECORD_PORT_MESSAGES = `(() => {
  const add = MessagePort.prototype.addEventListener;
  window.__portMs = [];
  MessagePort.prototype.addEventListener = function (type, listener, opts) {
    if (type !== 'message' || typeof listener !== 'function') return add.call(this, type, listener, opts);
    return add.call(this, type, function (ev) {
      const t = performance.now();
      try { return listener.call(this, ev); } finally { window.__portMs.push([t, performance.now() - t]); }
    }, opts);
  };
})();`;

export interface ViewFigures {
  /** From the prompt being ready to the view's first draw, on a warm load. */
  shownAfterReadyMs: number;
  firstDrawMs: number;
  update: { n: number; receiveP50: number; drawP50: number; totalP50: number; totalP95: number; totalMax: number };
  busyUpdate: { n: number; totalP50: number; totalP95: number; totalMax: number };
  bigFirstDrawMs: number;
  big: { draws: number; drawP50: number; drawMax: number; receiveMax: number; frameP50: number; frameP95: number; frameMax: number; longTasks: number };
}

type TerminalElement = HTMLElement & { resetSwarm(start: { topology?: string; setup?: string[] }): Promise<void> };

const q = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

/** Collapses (or expands) the view as the dock does. */
const collapse = (page: Page, on: boolean): Promise<void> =>
  page.evaluate((on) => {
    const slot = document.querySelector('[data-swarm-view-slot]')!;
    if (on) slot.setAttribute('data-collapsed', '');
    else slot.removeAttribute('data-collapsed');
  }, on);

const drawCount = (page: Page): Promise<number> => page.evaluate(() => Number(document.querySelector<HTMLElement>('[data-swarm-view]')?.dataset.drawn ?? 0));

/** A swarm put in a start state with the view collapsed, then the view opened: its first draw, ms. */
async function firstDraw(page: Page, topology: string | undefined, setup: string[], until: string): Promise<number> {
  await collapse(page, true);
  await page.evaluate(
    ({ topology, setup }) => (document.querySelector('lesson-terminal') as TerminalElement).resetSwarm({ ...(topology ? { topology } : {}), setup }),
    { topology, setup },
  );
  await page.evaluate(() => performance.clearMeasures('swarm-view:draw'));
  const before = await drawCount(page);
  await collapse(page, false);
  await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('[data-swarm-view]')?.dataset.drawn ?? 0) > n, before, { timeout: 60_000 });
  await page.waitForSelector(until, { timeout: 60_000 });
  return page.evaluate(() => performance.getEntriesByName('swarm-view:draw')[0]!.duration);
}

async function type(page: Page, line: string): Promise<void> {
  await page.locator('lesson-terminal .xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Runs `during` while recording frame gaps, draws, model receipts and long tasks for `ms`. */
async function record(page: Page, ms: number, during: () => Promise<void>) {
  await page.evaluate(() => {
    const w = window as unknown as { __portMs: [number, number][]; __long: number[]; __t0: number };
    performance.clearMeasures();
    w.__portMs = [];
    w.__long = [];
    w.__t0 = performance.now();
    new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__long.push(e.duration))).observe({ type: 'longtask' });
  });
  const frames = page.evaluate(
    (ms) =>
      new Promise<number[]>((resolve) => {
        const gaps: number[] = [];
        let last = performance.now();
        const end = last + ms;
        const step = (t: number): void => {
          gaps.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(step);
          else resolve(gaps);
        };
        requestAnimationFrame(step);
      }),
    ms,
  );
  await during();
  const gaps = await frames;
  const out = await page.evaluate(() => {
    const w = window as unknown as { __portMs: [number, number][]; __long: number[] };
    return {
      draws: performance.getEntriesByName('swarm-view:draw').map((e) => e.duration),
      accepts: performance.getEntriesByName('swarm-view:accept').map((e) => [e.startTime, e.duration] as [number, number]),
      ports: w.__portMs,
      long: w.__long,
    };
  });
  // A model's receipt: the port listener that ran the panel's accept (the accept starts inside it).
  const receive = out.accepts.map(([start]) => out.ports.find(([t, d]) => t <= start && start <= t + d)?.[1] ?? NaN).filter((x) => !Number.isNaN(x));
  return { gaps, draws: out.draws, receive, long: out.long };
}

export async function measureView(page: Page, lessonUrl: string): Promise<ViewFigures> {
  await page.goto(lessonUrl);
  await page.waitForSelector('[data-swarm-view][data-drawn]', { timeout: 60_000 });
  const shownAfterReadyMs = await page.evaluate(() => {
    const w = window as unknown as { __readyAt: number };
    const first = performance.getEntriesByName('swarm-view:draw')[0];
    return first ? first.startTime - w.__readyAt : NaN;
  });
  await page.evaluate(() => document.querySelector('[data-swarm-view]')!.setAttribute('data-measure-layout', ''));

  // 3 nodes, 50 tasks.
  const firstDrawMs = await firstDraw(page, undefined, ['docker service create --replicas 50 --name web redis:7.4.0'], '[data-swarm-view] [data-task="web.50"][data-state="running"]');
  await page.click('lesson-terminal [data-speed="20"]');
  // One update = one model: a rolling update one task at a time, each model a task or two
  // moving on; then a busier one, five tasks at a time, reported beside it.
  const small = await record(page, 6000, () => type(page, 'docker service update --detach --update-parallelism 1 --update-delay 0s --image redis:7.4.1 web'));
  const n = Math.min(small.draws.length, small.receive.length);
  const totals = Array.from({ length: n }, (_, i) => small.draws[i]! + small.receive[i]!);
  const busy = await record(page, 6000, () => type(page, 'docker service update --detach --update-parallelism 5 --update-delay 0s --image redis:7.4.2 web'));
  const nb = Math.min(busy.draws.length, busy.receive.length);
  const busyTotals = Array.from({ length: nb }, (_, i) => busy.draws[i]! + busy.receive[i]!);

  // 100 nodes, 1,000 tasks.
  await page.click('lesson-terminal [data-speed="1"]');
  const bigFirstDrawMs = await firstDraw(page, '10m90w', ['docker service create --replicas 1000 --name web redis:7.4.0'], '[data-swarm-view] .sv-col[data-node="worker90"]');
  await page.click('lesson-terminal [data-speed="20"]');
  const big = await record(page, 12_000, () => type(page, 'docker service update --detach --update-parallelism 20 --update-delay 0s --image redis:7.4.1 web'));
  return {
    shownAfterReadyMs,
    firstDrawMs,
    update: { n, receiveP50: q(small.receive, 0.5), drawP50: q(small.draws, 0.5), totalP50: q(totals, 0.5), totalP95: q(totals, 0.95), totalMax: Math.max(...totals) },
    busyUpdate: { n: nb, totalP50: q(busyTotals, 0.5), totalP95: q(busyTotals, 0.95), totalMax: Math.max(...busyTotals) },
    bigFirstDrawMs,
    big: {
      draws: big.draws.length,
      drawP50: q(big.draws, 0.5),
      drawMax: Math.max(...big.draws),
      receiveMax: Math.max(...big.receive),
      frameP50: q(big.gaps, 0.5),
      frameP95: q(big.gaps, 0.95),
      frameMax: Math.max(...big.gaps),
      longTasks: big.long.length,
    },
  };
}
