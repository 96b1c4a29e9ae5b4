// The progress display of service create/update/rollback on terminals narrower than its
// lines (a phone's 44 columns): rendered by @xterm/headless, the terminal the page runs, it
// must redraw in place and leave the block a wide terminal would show, each line wrapped,
// with no stale rows. docker/cli counts entries, not rows (engine/cli/progress/display.ts).
import * as xtermModule from '@xterm/headless';
import { describe, expect, test } from 'vitest';
import { ProgressDisplay, rowsFor } from '../engine/cli/progress/display.js';
import { runScript } from '../engine/node/main.js';
import { renderTranscript } from '../engine/node/transcript.js';

type TerminalClass = typeof xtermModule.Terminal;
const Terminal: TerminalClass =
  xtermModule.Terminal ?? (xtermModule as unknown as { default: { Terminal: TerminalClass } }).default.Terminal;
type Term = InstanceType<TerminalClass>;

const write = (term: Term, data: string): Promise<void> => new Promise((resolve) => term.write(data, resolve));

/** The screen's logical lines: wrapped rows joined (xterm marks them), trailing blanks trimmed. */
function logicalLines(term: Term): string[] {
  const b = term.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < b.length; y++) {
    const line = b.getLine(y);
    if (!line) continue;
    const text = line.translateToString(true);
    if (line.isWrapped && out.length > 0) out[out.length - 1] += text;
    else out.push(text);
  }
  while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop();
  return out.map((l) => l.replace(/ +$/, ''));
}

/** What the commands of `script` leave on a terminal `cols` wide: logical lines. */
async function screenOf(script: string, cols: number, rows = 24): Promise<string[]> {
  const entries = await runScript(script, { seed: 1, cols });
  const term = new Terminal({ cols, rows, scrollback: 10_000, convertEol: true, allowProposedApi: true });
  try {
    await write(term, entries.map((e) => `$ ${e.command}\r\n${e.output}`).join(''));
    return logicalLines(term);
  } finally {
    term.dispose();
  }
}

// The rolling-update lesson's attached commands: a create (verify countdown of 61 cells), an
// update that pauses, and a rollback (`overall progress: rolling back update: …`, 56 cells).
const LESSON = [
  'docker service create --replicas 3 --name redis --update-delay 10s redis:7.4.0',
  'docker service update --detach --image redis:7.4.1 redis',
  'sleep 60',
  'docker service update --image redis:9.9.9 redis',
  'docker service rollback redis',
  'docker service scale redis=5',
].join('\n');

describe('progress on a narrow terminal', () => {
  test('at 110 columns every progress line fits: the reference screen', async () => {
    const wide = await screenOf(LESSON, 110);
    expect(wide).toContain('verify: Service redis converged');
    expect(wide.filter((l) => l.startsWith('verify: Waiting'))).toEqual([]);
    expect(wide).toContain('overall progress: rolling back update: 3 out of 3 tasks');
  });

  test.each([20, 30, 44, 60, 80])('at %i columns the screen holds the same lines, wrapped, and no stale ones', async (cols) => {
    const wide = await screenOf(LESSON, 110);
    // A short screen too: the block then sits at the bottom and the terminal scrolls.
    for (const rows of [24, 8]) {
      const narrow = await screenOf(LESSON, cols, rows);
      expect(narrow, `${cols}x${rows}`).toEqual(wide);
    }
  });

  test('the transcript path (swarm-lab run --cols 44) shows no countdown left behind', async () => {
    const entries = await runScript('docker service create --replicas 3 --name redis redis:7.4.0', { seed: 1, cols: 44 });
    const rows = (await renderTranscript(entries, { cols: 44 })).split('\n');
    expect(rows.filter((r) => r.startsWith('verify: Waiting'))).toEqual([]);
    expect(rows.slice(-3)).toEqual(['verify: Service evce0ruw79n74m0wyv2lnwbvl co', 'nverged', '']);
  });

  test('while every line fits, the bytes are docker/cli\'s: ESC[nA by entries, ESC[2K, \\r, text, \\r, ESC[nB', () => {
    let out = '';
    const d = new ProgressDisplay({ write: (t) => (out += t) }, true, 80);
    d.progress('overall progress', '0 out of 1 tasks');
    d.progress('1/1', 'running  ');
    d.progress('overall progress', '1 out of 1 tasks');
    const E = '\x1b[';
    expect(out).toBe(
      `\n${E}1A${E}2K\roverall progress: 0 out of 1 tasks \r${E}1B` +
        `\n${E}1A${E}2K\r1/1: running   \r${E}1B` +
        `${E}2A${E}2K\roverall progress: 1 out of 1 tasks \r${E}2B`,
    );
  });

  test('a line that wraps is erased on all its rows; a change of height redraws the lines below it', () => {
    let out = '';
    const d = new ProgressDisplay({ write: (t) => (out += t) }, true, 20);
    const E = '\x1b[';
    d.progress('a', 'x'.repeat(20)); // 'a: ' + 20 + ' ' = 24 cells: two rows
    expect(out).toBe(`\n\n${E}2A${E}2K${E}1B${E}2K${E}1A\ra: ${'x'.repeat(20)} \r${E}1B`);
    out = '';
    d.progress('b', 'y');
    d.progress('a', 'z'); // one row now: the block below moves up
    expect(out.endsWith(`${E}3A\r${E}Ja: z \r\nb: y \r\n`)).toBe(true);
  });

  test('rowsFor counts cells as the terminal does (a full row stays one row; CJK takes two cells)', () => {
    expect(rowsFor('x'.repeat(44), 44)).toBe(1);
    expect(rowsFor('x'.repeat(45), 44)).toBe(2);
    expect(rowsFor('', 44)).toBe(1);
    expect(rowsFor('镜像'.repeat(11), 44)).toBe(1);
    expect(rowsFor('镜像'.repeat(12), 44)).toBe(2);
  });

  test('a terminal resized while the display runs: rows are counted at the new width (xterm reflows)', async () => {
    let cols = 80;
    const term = new Terminal({ cols, rows: 12, scrollback: 100, convertEol: true, allowProposedApi: true });
    try {
      const d = new ProgressDisplay({ write: (t) => void term.write(t) }, true, () => cols);
      d.progress('overall progress', '0 out of 2 tasks');
      d.progress('1/2', 'preparing');
      d.progress('2/2', 'preparing');
      await write(term, '');
      for (const next of [30, 44, 120, 25]) {
        cols = next;
        term.resize(cols, 12);
        d.progress('1/2', 'running  ');
        d.progress('verify', 'Waiting 5 seconds to verify that tasks are stable...');
        d.progress('2/2', 'running  ');
        d.progress('overall progress', '2 out of 2 tasks');
        await write(term, '');
        expect(logicalLines(term), `at ${cols}`).toEqual([
          'overall progress: 2 out of 2 tasks',
          '1/2: running',
          '2/2: running',
          'verify: Waiting 5 seconds to verify that tasks are stable...',
        ]);
      }
    } finally {
      term.dispose();
    }
  });
});

describe('a notice interjected into a waiting progress display (the dock paused the swarm)', () => {
  test.each([120, 44])('at %i columns it sits above the block, and later redraws land on the block\'s own rows', async (cols) => {
    let bytes = '';
    const out = { write: (t: string) => void (bytes += t) };
    const display = new ProgressDisplay(out, true, cols);
    const notice = 'swarm-lab: the swarm is paused: this command waits for it (play, or Ctrl-C to stop waiting)\n';
    display.progress('overall progress', '1 out of 3 tasks');
    display.progress('1/3', 'running   [==================================================>]');
    display.progress('2/3', 'preparing [=================================>                 ]');
    display.progress('3/3', '');
    display.interject(notice, { write: () => expect.unreachable('a tty display writes the notice itself') });
    display.progress('2/3', 'running   [==================================================>]');
    display.progress('overall progress', '2 out of 3 tasks');
    const term = new Terminal({ cols, rows: 24, scrollback: 100, convertEol: true, allowProposedApi: true });
    try {
      await write(term, `$ docker service update\r\n${bytes}`);
      expect(logicalLines(term)).toEqual([
        '$ docker service update',
        notice.trimEnd(),
        'overall progress: 2 out of 3 tasks',
        '1/3: running   [==================================================>]',
        '2/3: running   [==================================================>]',
        '3/3:',
      ]);
    } finally {
      term.dispose();
    }
  });

  test('without a block (or a tty) it is a plain line on the fallback stream', () => {
    let plain = '';
    const display = new ProgressDisplay({ write: () => expect.unreachable('nothing drawn yet') }, true, 80);
    display.interject('paused\n', { write: (t) => void (plain += t) });
    expect(plain).toBe('paused\n');
  });
});
