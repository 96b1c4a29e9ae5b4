// Fills the ```text output blocks of the lesson pages with what the engine really prints.
// For each lesson: a fresh simulated swarm (seed 1), the lesson's setup, then every ```sh
// command of the English page in order; the output of the k-th command goes into the
// ```text block right after the k-th ```sh block, in both languages (Docker's output stays
// English; the shell's own words, e.g. a `lab` line's answer, are the page's language, as its
// terminal prints them: engine/shell/text-zh.ts). Time passes between commands as it does for a reader: 3 s by default, or what
// a `{/* wait: 25s */}` MDX comment just before the command says.
//   node scripts/lesson-outputs.mjs [--check] [--docs DIR] [lesson-id...]
// --check changes nothing and exits 1 when a block differs (test/lesson-outputs.test.ts runs it);
// --docs reads the pages from DIR instead of content/docs (the test checks a spoiled copy).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { lessonById, lessons } from '../../content/lessons/index.js';
import { checkApi, expandVars, lessonVars, runSetup, settle } from '../../content/lessons/run.js';
import { renderTranscript } from '../../engine/node/transcript.js';
import { Session } from '../../engine/session.js';
import { CLEAR_SCREEN } from '../../engine/shell/shell.js';
import type { ShellText } from '../../engine/shell/text.js';
import { ENGLISH } from '../../engine/shell/text.js';
import { CHINESE } from '../../engine/shell/text-zh.js';

interface Block {
  start: number;
  end: number;
  lang: string;
  body: string;
}

const FENCE = /^```(\w*)[^\n]*\n([\s\S]*?)\n?```$/gm;

function blocks(mdx: string): Block[] {
  return [...mdx.matchAll(FENCE)].map((m) => ({ start: m.index, end: m.index + m[0].length, lang: m[1] ?? '', body: m[2] ?? '' }));
}

// The wait before each sh block, from a "wait: Ns" MDX comment between it and the previous block.
function waits(mdx: string, list: Block[]): number[] {
  const out: number[] = [];
  let prevEnd = 0;
  for (const b of list) {
    if (b.lang === 'sh') {
      const m = /\{\/\*\s*wait:\s*(\d+)s\s*\*\/\}/.exec(mdx.slice(prevEnd, b.start));
      out.push(m ? Number(m[1]) * 1000 : 3000);
    }
    prevEnd = b.end;
  }
  return out;
}

async function outputsFor(id: string, mdx: string, text: ShellText): Promise<string[]> {
  const lesson = lessonById(id);
  if (!lesson) throw new Error(`no lesson ${id}`);
  const session = new Session({ seed: 1, mode: 'instant', ...(lesson.topology ? { topology: lesson.topology } : {}), ...(lesson.swarm === false ? { swarm: false } : {}) });
  session.shell.text = text;
  const failed = await runSetup(session, lesson);
  if (failed.length) throw new Error(`${id}: setup failed: ${failed.join('; ')}`);
  settle(session);
  const vars = await lessonVars(lesson, checkApi(session));
  const list = blocks(mdx);
  const pauses = waits(mdx, list);
  const outputs: string[] = [];
  let k = 0;
  for (const b of list.filter((x) => x.lang === 'sh')) {
    settle(session, pauses[k++] ?? 3000, 500);
    let raw = '';
    const sink = { write: (s: string) => void (raw += s) };
    await session.run(expandVars(b.body, vars), { stdout: sink, stderr: sink, tty: true, columns: 80, signal: new AbortController().signal });
    const screen = await renderTranscript([{ command: 'x', output: raw.split(CLEAR_SCREEN).join('') }], { cols: 240 });
    outputs.push(screen.split('\n').slice(1).join('\n').replace(/\n+$/, ''));
  }
  return outputs;
}

/** Replaces the ```text block that directly follows the k-th ```sh block with outputs[k]. */
function fill(mdx: string, outputs: string[], file: string): string {
  const list = blocks(mdx);
  let result = '';
  let cursor = 0;
  let k = -1;
  for (let i = 0; i < list.length; i++) {
    const b = list[i]!;
    if (b.lang === 'sh') k++;
    if (b.lang !== 'text') continue;
    const prev = list[i - 1];
    if (!prev || prev.lang !== 'sh' || mdx.slice(prev.end, b.start).trim() !== '') continue;
    const out = outputs[k];
    if (out === undefined) throw new Error(`${file}: no output for block ${k}`);
    if (out === '') throw new Error(`${file}: command ${k + 1} (${prev.body}) prints nothing: drop its text block`);
    result += mdx.slice(cursor, b.start) + '```text\n' + out + '\n```';
    cursor = b.end;
  }
  return result + mdx.slice(cursor);
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const docsAt = argv.indexOf('--docs');
  const docs = docsAt >= 0 ? argv[docsAt + 1] : 'content/docs';
  if (docs === undefined) throw new Error('--docs needs a folder');
  const ids = argv.filter((a, i) => !a.startsWith('--') && !(docsAt >= 0 && i === docsAt + 1));
  let stale = 0;
  for (const lesson of lessons.filter((l) => ids.length === 0 || ids.includes(l.id))) {
    const files = [`${docs}/lessons/${lesson.id}.mdx`, `${docs}/zh-cn/lessons/${lesson.id}.mdx`];
    const english = readFileSync(files[0]!, 'utf8');
    for (const file of files.filter((f) => existsSync(f))) {
      // The English page's commands, answered in each page's language.
      const outputs = await outputsFor(lesson.id, english, file.includes('/zh-cn/') ? CHINESE : ENGLISH);
      const before = readFileSync(file, 'utf8');
      const after = fill(before, outputs, file);
      if (after === before) continue;
      stale++;
      if (check) process.stdout.write(`${file}: outputs differ from the engine's\n`);
      else {
        writeFileSync(file, after);
        process.stdout.write(`${file}: outputs updated\n`);
      }
    }
  }
  return check && stale > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
