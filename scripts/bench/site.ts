// `npm run bench:site`: how fast a lesson page's terminal comes up in headless chromium and
// how much JavaScript it costs, against the targets in docs/benchmarks.md ("Site"). Exits 1
// when a target is missed, naming it.
//   node dist/bench-site.mjs [--runs N] [--rebuild] [--site DIR] [--no-view]
// The site in dist/site is reused when it is newer than every source file that goes into it;
// otherwise (or with --rebuild) `astro build` runs first. Pages are served from 127.0.0.1 with
// the cache headers a static host gives Astro output: hashed /_astro/ files immutable, the rest
// revalidated, so a warm load is what a returning learner gets.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { ensureBuilt } from './site-build.js';
import type { ViewFigures } from './site-view.js';
import { measureView, RECORD_PORT_MESSAGES, VIEW_TARGETS } from './site-view.js';
// The launch flags and fresh-profile handling the browser tests use (one place for both).
import { CHROMIUM, launchChromium } from '../../test/e2e/browser.js';

let SITE = join(process.cwd(), 'dist/site');
const LESSON = '/lessons/rolling-update/';
const HOME = '/';

const TARGETS = { cold: 800, warm: 300, eagerKb: 110, workerKb: 60 };

function args(): { runs: number; rebuild: boolean; site: string | undefined; noView: boolean } {
  const argv = process.argv.slice(2);
  let noView = false;
  let runs = 5;
  let rebuild = false;
  let site: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--runs') runs = Number(argv[++i]);
    else if (a === '--rebuild') rebuild = true;
    // Only the loads (the A/B rounds of an older and a newer build).
    else if (a === '--no-view') noView = true;
    // An already built site elsewhere (e.g. to compare two builds); it is used as it is.
    else if (a === '--site' && argv[i + 1]) site = argv[++i]!;
    else {
      process.stderr.write(`bench:site: unknown argument ${a}\nusage: node dist/bench-site.mjs [--runs N] [--rebuild] [--site DIR] [--no-view]\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write('bench:site: --runs needs a positive integer\n');
    process.exit(2);
  }
  return { runs, rebuild, site, noView };
}

const line = (s = ''): void => void process.stdout.write(`${s}\n`);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** A static host for `root` on 127.0.0.1: `dir/` is `dir/index.html`; If-Modified-Since answers 304. */
async function serve(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      let file = normalize(join(root, path));
      if (!file.startsWith(root)) return void res.writeHead(403).end();
      try {
        let s = await stat(file);
        if (s.isDirectory()) {
          file = join(file, 'index.html');
          s = await stat(file);
        }
        const modified = new Date(Math.floor(s.mtimeMs / 1000) * 1000);
        const headers = {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': path.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'no-cache',
          'last-modified': modified.toUTCString(),
        };
        const since = req.headers['if-modified-since'];
        if (since && Date.parse(since) >= modified.getTime()) return void res.writeHead(304, headers).end();
        res.writeHead(200, headers).end(await readFile(file));
      } catch {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * Records, in the page, when <lesson-terminal> first says data-state="ready": performance.now()
 * counts from the navigation start, so that is the figure itself. It then logs READY_MESSAGE,
 * which the bench waits for: polling the page instead (page.waitForFunction) makes Playwright
 * inject and run its own ~70 ms script on the page's main thread while the terminal is still
 * coming up, which delayed the very event being measured.
 */
const READY_MESSAGE = 'swarm-lab:bench:ready';
const RECORD_READY = `(() => {
  // When the page starts its worker: splits the wait into page scripts and worker start-up.
  const Base = window.Worker;
  window.Worker = class extends Base {
    constructor(...args) {
      if (window.__workerAt === undefined) window.__workerAt = performance.now();
      super(...args);
      // The worker's first message: its answer to the boot request (engine/worker/boot.ts).
      this.addEventListener('message', () => { if (window.__answerAt === undefined) window.__answerAt = performance.now(); });
    }
  };
  const seen = () => document.querySelector('lesson-terminal[data-state="ready"]');
  new MutationObserver((_, observer) => {
    if (window.__readyAt === undefined && seen()) {
      window.__readyAt = performance.now();
      observer.disconnect();
      console.debug(${JSON.stringify(READY_MESSAGE)});
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
})();`;

interface Load {
  ms: number;
  /** DOMContentLoaded end and the worker's construction, from the navigation start. */
  dcl: number;
  workerAt: number;
  /** When the page received the worker's first message (its boot answer). */
  answerAt: number;
  /** Script URLs the page requested before the terminal was ready, in order (the worker's own imports are not the page's). */
  scripts: string[];
  workers: string[];
}

async function loadLesson(page: Page, url: string): Promise<Load> {
  const scripts: string[] = [];
  const workers: string[] = [];
  const onRequest = (r: { url(): string; resourceType(): string }): void => {
    if (r.resourceType() === 'script' || r.url().endsWith('.js')) scripts.push(r.url());
  };
  const onWorker = (w: { url(): string }): void => void workers.push(w.url());
  page.on('request', onRequest);
  page.on('worker', onWorker);
  // The scripts requested when the page said "ready" (protocol events arrive in order). Read
  // later, after the evaluate below, the list could hold chunks the page loads once ready and
  // idle (lesson-progress, dock-layout) whenever the machine was slow to answer: eager 114.9 KB
  // in 2 of ~40 runs at load 9-10.
  let atReady: string[] | undefined;
  try {
    const ready = page.waitForEvent('console', {
      predicate: (m) => {
        if (m.text() !== READY_MESSAGE) return false;
        atReady ??= [...scripts];
        return true;
      },
      timeout: 30_000,
    });
    await page.goto(url);
    await ready;
    const [ms, dcl, workerAt, answerAt, before] = await page.evaluate(() => {
      const w = window as unknown as { __readyAt: number; __workerAt?: number; __answerAt?: number };
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      // The page's scripts requested before "ready", by the page's own clock: a request the
      // page makes just after (the chunks that load once the prompt is up) may still reach
      // the bench's listener before it is removed, but is not eager.
      const early = performance
        .getEntriesByType('resource')
        .filter((e) => e.startTime <= w.__readyAt && new URL(e.name).pathname.endsWith('.js'))
        .map((e) => e.name);
      return [w.__readyAt, nav?.domContentLoadedEventEnd ?? NaN, w.__workerAt ?? NaN, w.__answerAt ?? NaN, early] as const;
    });
    // Eager: requested before the ready message (the bench's listener) and before the page's
    // own ready instant (its resource timing); either alone let a chunk loaded just after in.
    const early = new Set(before);
    return { ms, dcl, workerAt, answerAt, scripts: (atReady ?? [...scripts]).filter((u) => early.has(u)), workers };
  } finally {
    page.off('request', onRequest);
    page.off('worker', onWorker);
  }
}

/** Scripts a page requests until the network is quiet. */
async function scriptsOf(page: Page, url: string): Promise<string[]> {
  const scripts: string[] = [];
  const onRequest = (r: { url(): string; resourceType(): string }): void => {
    if (r.resourceType() === 'script' || r.url().endsWith('.js')) scripts.push(r.url());
  };
  page.on('request', onRequest);
  try {
    await page.goto(url, { waitUntil: 'networkidle' });
    return scripts;
  } finally {
    page.off('request', onRequest);
  }
}

/**
 * CPU time (ms) used so far by the chromium whose profile is `profile`, and by all its child
 * processes (renderers, GPU, utility), read from /proc.
 */
function browserCpuMs(profile: string): number {
  const procs = new Map<number, { ppid: number; cpu: number; mine: boolean }>();
  const tick = 100; // USER_HZ on Linux
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) in parentheses: state ppid ... utime stime.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      procs.set(Number(name), { ppid: Number(f[1]), cpu: ((Number(f[11]) + Number(f[12])) * 1000) / tick, mine: cmd.includes(`--user-data-dir=${profile}`) });
    } catch {
      // the process ended while we read it
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = procs.get(pid), hops = 0; p && hops < 10; p = procs.get(p.ppid), hops++) if (p.mine) return true;
    return false;
  };
  let sum = 0;
  for (const [pid, p] of procs) if (inTree(pid)) sum += p.cpu;
  return sum;
}

/**
 * Waits until a just-launched browser has finished starting up: chromium 156 spends about
 * 1.5 s of CPU right after launch on its own WebUI renderer (the omnibox/top-chrome pages),
 * which on this 2-core machine competes with the page being measured. A learner's first
 * visit happens in a browser that is already running, so "cold" is measured there: empty
 * HTTP and code caches, settled browser. Settled means the browser used under 5% of one
 * core over the last 500 ms; at most 15 s. Returns how long it took.
 */
async function settle(profile: string): Promise<number> {
  const start = performance.now();
  let last = browserCpuMs(profile);
  while (performance.now() - start < 15_000) {
    await sleep(500);
    const now = browserCpuMs(profile);
    if (now - last < 25) break;
    last = now;
  }
  return performance.now() - start;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const pathOf = (url: string): string => new URL(url).pathname;
/** gzip (zlib level 6, what static hosts commonly serve) size of a built file, in KB. */
const gzipKb = (path: string): number => gzipSync(readFileSync(join(SITE, path)), { level: 6 }).length / 1024;
/** A built module and every chunk it imports, statically or dynamically (`./x.js` in the same folder). */
function moduleGraph(path: string): string[] {
  const seen = new Set<string>();
  const visit = (p: string): void => {
    if (seen.has(p)) return;
    seen.add(p);
    const dir = p.slice(0, p.lastIndexOf('/') + 1);
    for (const m of readFileSync(join(SITE, p), 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)["']\.\/([\w.-]+\.js)["']/g)) visit(dir + m[1]!);
  };
  visit(path);
  return [...seen];
}
const kb = (n: number): string => `${n.toFixed(1)} KB`;
const msf = (n: number): string => `${n.toFixed(0)} ms`;

async function main(): Promise<void> {
  const opts = args();
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(`bench:site: ${CHROMIUM} not found (apt-get install chromium)\n`);
    process.exit(2);
  }
  if (opts.site) {
    SITE = resolve(opts.site);
    line(`site: using ${SITE} as built`);
  } else ensureBuilt(SITE, opts.rebuild, line);
  const server = await serve(SITE);
  const cold: Load[] = [];
  const warm: Load[] = [];
  let first: Load | undefined;
  let homeScripts: string[] = [];
  const settleMs: number[] = [];
  let view: ViewFigures | undefined;
  try {
    // Each run is a new browser on a fresh profile (empty HTTP and code caches), settled after
    // its launch, for the cold load, then a second navigation in the same context for the warm one.
    for (let i = 0; i < opts.runs; i++) {
      const browser = await launchChromium();
      try {
        await browser.context.addInitScript({ content: RECORD_READY });
        const page = await browser.context.newPage();
        settleMs.push(await settle(browser.profile));
        const c = await loadLesson(page, server.url + LESSON);
        first ??= c;
        cold.push(c);
        await page.goto('about:blank');
        warm.push(await loadLesson(page, server.url + LESSON));
        if (i === 0) homeScripts = await scriptsOf(await browser.context.newPage(), server.url + HOME);
      } finally {
        await browser.close();
      }
      const split = (l: Load): string => `${msf(l.ms)} (DOMContentLoaded ${msf(l.dcl)}, worker started ${msf(l.workerAt)}, answered ${msf(l.answerAt)})`;
      line(`run ${i + 1}/${opts.runs}: browser settled after ${msf(settleMs[i]!)}; cold ${split(cold[i]!)}, warm ${split(warm[i]!)}`);
    }
    // The swarm view, on a warm page of one more browser (see site-view.ts); a site built
    // before it had one (an A/B of an older build) has no view to measure.
    const hasView = readdirSync(join(SITE, '_astro')).some((f) => /^mount\.[\w-]+\.js$/.test(f));
    if (hasView && !opts.noView) {
      const browser = await launchChromium();
      try {
        await browser.context.addInitScript({ content: RECORD_READY });
        await browser.context.addInitScript({ content: RECORD_PORT_MESSAGES });
        const page = await browser.context.newPage();
        await settle(browser.profile);
        await loadLesson(page, server.url + LESSON);
        view = await measureView(page, server.url + LESSON);
      } finally {
        await browser.close();
      }
    } else line('swarm view: not measured (--no-view, or a site without it)');
  } finally {
    await server.close();
  }
  if (!first) throw new Error('no run');

  // The worker is the script the page started as a Worker, with the chunks it imports (the
  // docker CLI's, loaded after the prompt); everything else requested before "ready" was
  // loaded eagerly by the page.
  const workerEntries = new Set(first.workers.map(pathOf));
  if (workerEntries.size === 0) throw new Error('the lesson page started no worker before the terminal was ready');
  const workerGraph = new Set([...workerEntries].flatMap(moduleGraph));
  // The swarm view's part of the worker (engine/view/, loaded when the view first opens, after
  // the prompt) is reported with the view, not in the worker a prompt waits for.
  const viewWorker = [...workerGraph].filter((p) => /\/view-watch-[^/]*\.js$/.test(p));
  const workerPaths = new Set([...workerGraph].filter((p) => !viewWorker.includes(p)));
  const eager = [...new Set(first.scripts.map(pathOf))].filter((p) => !workerGraph.has(p));
  const eagerKb = eager.reduce((sum, p) => sum + gzipKb(p), 0);
  // The Go template engine (engine/cli/format/templates.ts) loads only before a command with
  // --format: reported on its own, not in the worker a lesson page downloads.
  // The shell's Chinese words (engine/shell/text-zh.ts) load only on a Chinese page: the
  // English lesson measured here never requests them. The shell's curl (engine/shell/curl.ts)
  // and the simulated mesh behind it (engine/sim/curl-sim.ts) load with the first `curl`; the
  // daemon's network reads (engine/sim/networks.ts) with the first `docker network ls|inspect`.
  const onDemand = [...workerPaths].filter((p) => /\/(go-template|text-zh|curl|curl-sim|networks)-[^/]*\.js$/.test(p));
  const onDemandWhy = (p: string): string =>
    /text-zh/.test(p) ? 'zh-cn pages' : /\/curl/.test(p) ? 'first curl' : /\/networks/.test(p) ? 'docker network' : '--format';
  const workerKb = [...workerPaths].filter((p) => !onDemand.includes(p)).reduce((sum, p) => sum + gzipKb(p), 0);

  // Terminal code: the worker and every eager script of the lesson page that the home page
  // does not need for itself, i.e. the scripts that hold the terminal (xterm, comlink, the
  // element). The home page must request none of them, and must carry no <lesson-terminal>.
  const home = new Set(homeScripts.map(pathOf));
  const terminalCode = [...workerPaths, ...eager.filter((p) => /Terminal|xterm|worker/i.test(p) || /xterm-helper-textarea|lesson-terminal/.test(readFileSync(join(SITE, p), 'utf8')))];
  const homeTerminal = terminalCode.filter((p) => home.has(p));
  if (readFileSync(join(SITE, 'index.html'), 'utf8').includes('<lesson-terminal')) homeTerminal.push('<lesson-terminal> in index.html');

  const coldMs = cold.map((l) => l.ms);
  const warmMs = warm.map((l) => l.ms);
  const load = loadavg().map((n) => n.toFixed(2)).join(' ');
  line();
  line(`Site (${LESSON}, median of ${opts.runs}; ${cpus().length} cores, Node ${process.version}, load average ${load})`);
  line(`  cold load to ready prompt   ${msf(median(coldMs))}  (min ${msf(Math.min(...coldMs))}, max ${msf(Math.max(...coldMs))})   target < ${TARGETS.cold} ms`);
  line(`  warm load to ready prompt   ${msf(median(warmMs))}  (min ${msf(Math.min(...warmMs))}, max ${msf(Math.max(...warmMs))})   target < ${TARGETS.warm} ms`);
  const parts = (ls: Load[]): string =>
    `DOMContentLoaded ${msf(median(ls.map((l) => l.dcl)))}, worker started ${msf(median(ls.map((l) => l.workerAt)))}, answered ${msf(median(ls.map((l) => l.answerAt)))}`;
  line(`    split (medians): cold ${parts(cold)}; warm ${parts(warm)}`);
  line(`  eager JavaScript (gzip)     ${kb(eagerKb)}   target < ${TARGETS.eagerKb} KB`);
  for (const p of eager) line(`    ${p}  ${kb(gzipKb(p))}`);
  line(`  worker (gzip)               ${kb(workerKb)}   target < ${TARGETS.workerKb} KB`);
  for (const p of workerPaths) if (!onDemand.includes(p)) line(`    ${p}  ${kb(gzipKb(p))}${workerEntries.has(p) ? ' (at start)' : ''}`);
  for (const p of onDemand) line(`  ${`on demand (${onDemandWhy(p)})`.padEnd(28)}${p}  ${kb(gzipKb(p))}`);
  // The swarm view's chunk (src/client/swarm-view/), requested after the prompt is ready.
  const astro = readdirSync(join(SITE, '_astro'));
  const viewChunk = astro.filter((f) => /^mount\.[\w-]+\.(js|css)$/.test(f)).map((f) => `/_astro/${f}`);
  const viewKb = [...viewChunk, ...viewWorker].reduce((sum, p) => sum + gzipKb(p), 0);
  const eagerView = eager.filter((p) => viewChunk.includes(p));
  line(`  swarm view (gzip)           ${kb(viewKb)}   after the prompt is ready, not eager`);
  for (const p of [...viewChunk, ...viewWorker]) line(`    ${p}  ${kb(gzipKb(p))}${viewWorker.includes(p) ? ' (worker, when the view opens)' : ''}`);
  line(`  home page scripts           ${[...home].join(', ') || 'none'}`);
  line(`  terminal code on home page  ${homeTerminal.length ? homeTerminal.join(', ') : 'none'}`);

  if (view) {
    const f = (n: number): string => `${n.toFixed(1)} ms`;
    const u = view.update;
    const b = view.big;
    line();
    line('Swarm view (warm page; draw = the panel\'s DOM work plus the style and layout it causes)');
    line(`  first drawn after the prompt ${msf(view.shownAfterReadyMs)}`);
    line(`  first draw, 3 nodes/50 tasks ${f(view.firstDrawMs)}   target < ${VIEW_TARGETS.firstDrawMs} ms`);
    line(`  one update, 3 nodes/50 tasks ${f(u.totalP50)} median, p95 ${f(u.totalP95)}, max ${f(u.totalMax)} (${u.n} updates of a rolling update one task at a time at 20x; receive ${f(u.receiveP50)} + draw ${f(u.drawP50)} median)   target < ${VIEW_TARGETS.updateMs} ms`);
    line(`    five tasks at a time: ${f(view.busyUpdate.totalP50)} median, p95 ${f(view.busyUpdate.totalP95)}, max ${f(view.busyUpdate.totalMax)} (${view.busyUpdate.n} updates)`);
    line(`  first draw, 100 nodes/1,000 tasks (10m90w) ${f(view.bigFirstDrawMs)}   target < ${VIEW_TARGETS.bigDrawMs} ms`);
    line(`  1,000 tasks rolling at 20x, 12 s: ${b.draws} draws (median ${f(b.drawP50)}, max ${f(b.drawMax)}; receive max ${f(b.receiveMax)}), frames median ${f(b.frameP50)}, p95 ${f(b.frameP95)}, max ${f(b.frameMax)}, ${b.longTasks} long tasks   target frames p95 < ${VIEW_TARGETS.bigFrameP95Ms} ms`);
  }

  const missed: string[] = [];
  if (eagerView.length) missed.push(`the swarm view's chunk loaded before the prompt was ready: ${eagerView.join(', ')}`);
  if (view) {
    if (!(view.firstDrawMs < VIEW_TARGETS.firstDrawMs)) missed.push(`view first draw ${view.firstDrawMs.toFixed(1)} >= ${VIEW_TARGETS.firstDrawMs} ms`);
    if (!(view.update.totalP50 < VIEW_TARGETS.updateMs)) missed.push(`view update ${view.update.totalP50.toFixed(1)} >= ${VIEW_TARGETS.updateMs} ms`);
    if (!(view.bigFirstDrawMs < VIEW_TARGETS.bigDrawMs)) missed.push(`view 10m90w draw ${view.bigFirstDrawMs.toFixed(1)} >= ${VIEW_TARGETS.bigDrawMs} ms`);
    if (!(view.big.frameP95 < VIEW_TARGETS.bigFrameP95Ms)) missed.push(`frames during the 10m90w update p95 ${view.big.frameP95.toFixed(1)} >= ${VIEW_TARGETS.bigFrameP95Ms} ms`);
  }
  if (median(coldMs) >= TARGETS.cold) missed.push(`cold load ${msf(median(coldMs))} >= ${TARGETS.cold} ms`);
  if (median(warmMs) >= TARGETS.warm) missed.push(`warm load ${msf(median(warmMs))} >= ${TARGETS.warm} ms`);
  if (eagerKb >= TARGETS.eagerKb) missed.push(`eager JavaScript ${kb(eagerKb)} >= ${TARGETS.eagerKb} KB gzip`);
  if (workerKb >= TARGETS.workerKb) missed.push(`worker ${kb(workerKb)} >= ${TARGETS.workerKb} KB gzip`);
  if (homeTerminal.length) missed.push(`terminal code on the home page: ${homeTerminal.join(', ')}`);
  line();
  if (missed.length) {
    process.stderr.write(`bench:site: ${missed.length} target(s) missed:\n${missed.map((m) => `  - ${m}\n`).join('')}`);
    process.exitCode = 1;
  } else line('bench:site: all targets met');
}

await main();
