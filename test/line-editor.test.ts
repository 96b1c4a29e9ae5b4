// The terminal's line editor (src/client/terminal/line-editor.ts): keys, history,
// continuation lines, pastes, completion, and the redraw arithmetic for wrapped lines.
import { describe, expect, test } from 'vitest';
import { LineEditor, renderLine, splitKeys } from '../src/client/terminal/line-editor.js';
import type { KeyResult } from '../src/client/terminal/line-editor.js';

const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const UP = '\x1b[A';
const DOWN = '\x1b[B';
const HOME = '\x1b[H';
const END = '\x1b[F';
const DEL = '\x1b[3~';
const BS = '\x7f';

/** Feeds raw input; returns every non-redraw result. */
function feed(ed: LineEditor, data: string): KeyResult[] {
  return splitKeys(data)
    .map((k) => ed.key(k))
    .filter((r) => r.kind !== 'redraw' && r.kind !== 'none');
}

const state = (ed: LineEditor): string => `${ed.line.slice(0, ed.cursor)}|${ed.line.slice(ed.cursor)}`;

describe('splitKeys', () => {
  test('escape sequences, CRLF and astral characters are single keys', () => {
    expect(splitKeys(`ab${LEFT}\x1bOH\x1b[1;5D\r\nx😀\x1bb`)).toEqual(['a', 'b', LEFT, '\x1bOH', '\x1b[1;5D', '\r', 'x', '😀', '\x1bb']);
  });
});

describe('editing keys', () => {
  test('insert, arrows, Home/End, Backspace and Delete', () => {
    const ed = new LineEditor();
    feed(ed, 'docker ps');
    expect(state(ed)).toBe('docker ps|');
    feed(ed, `${LEFT}${LEFT}${BS}`);
    expect(state(ed)).toBe('docker|ps');
    feed(ed, `${HOME}${DEL}x${END}!`);
    expect(state(ed)).toBe('xockerps!|');
    feed(ed, `${HOME}${LEFT}${BS}${RIGHT}`);
    expect(state(ed)).toBe('x|ockerps!');
    expect(ed.key(HOME)).toEqual({ kind: 'redraw' });
    expect(ed.key(BS)).toEqual({ kind: 'none' });
  });

  test('Ctrl-A/E/K/U/W', () => {
    const ed = new LineEditor();
    feed(ed, 'docker service ls');
    feed(ed, '\x01');
    expect(state(ed)).toBe('|docker service ls');
    feed(ed, '\x05\x17');
    expect(state(ed)).toBe('docker service |');
    feed(ed, 'ps redis  \x17');
    expect(state(ed)).toBe('docker service ps |');
    feed(ed, `${LEFT}${LEFT}${LEFT}\x0b`);
    expect(state(ed)).toBe('docker service |');
    feed(ed, 'rm x\x1b[1;5D\x15');
    expect(state(ed)).toBe('|x');
  });

  test('surrogate pairs move and delete as one character', () => {
    const ed = new LineEditor();
    feed(ed, 'a😀b');
    feed(ed, `${LEFT}${LEFT}`);
    expect(ed.cursor).toBe(1);
    feed(ed, DEL);
    expect(ed.line).toBe('ab');
  });

  test('control keys report what the terminal must do', () => {
    const ed = new LineEditor();
    feed(ed, 'abc');
    expect(ed.key('\t')).toEqual({ kind: 'complete' });
    expect(ed.key('\x0c')).toEqual({ kind: 'clear' });
    expect(ed.line).toBe('abc');
    expect(ed.key('\x03')).toEqual({ kind: 'cancel' });
    expect(state(ed)).toBe('|');
    expect(ed.key('\x1b[15~')).toEqual({ kind: 'none' });
  });
});

describe('Enter, continuation and paste', () => {
  test('Enter submits and clears the line', () => {
    const ed = new LineEditor();
    expect(feed(ed, 'docker node ls\r')).toEqual([{ kind: 'submit', line: 'docker node ls' }]);
    expect(state(ed)).toBe('|');
  });

  test('a trailing backslash continues on a "> " line and the whole command is submitted', () => {
    const ed = new LineEditor();
    expect(feed(ed, 'docker service create \\\r')).toEqual([{ kind: 'continue' }]);
    expect(ed.continuing).toBe(true);
    expect(ed.promptFor('$ ')).toBe('> ');
    expect(feed(ed, '  --name web nginx\r')).toEqual([{ kind: 'submit', line: 'docker service create \\\n  --name web nginx' }]);
    expect(ed.promptFor('$ ')).toBe('$ ');
    expect(ed.history).toEqual(['docker service create   --name web nginx']);
  });

  test('a multi-line paste yields each command in order', () => {
    const ed = new LineEditor();
    const r = feed(ed, 'docker node ls\r\ndocker service create \\\r\n --name a nginx\r\necho "x\ny"\rdocker ser');
    expect(r).toEqual([
      { kind: 'submit', line: 'docker node ls' },
      { kind: 'continue' },
      { kind: 'submit', line: 'docker service create \\\n --name a nginx' },
      { kind: 'continue' },
      { kind: 'submit', line: 'echo "x\ny"' },
    ]);
    expect(state(ed)).toBe('docker ser|');
  });

  test('Ctrl-C drops a continuation', () => {
    const ed = new LineEditor();
    feed(ed, 'echo \\\r\x03');
    expect(ed.continuing).toBe(false);
    expect(feed(ed, 'echo ok\r')).toEqual([{ kind: 'submit', line: 'echo ok' }]);
  });
});

describe('history', () => {
  test('Up/Down walk history and come back to the line being typed', () => {
    const ed = new LineEditor(['one', 'two']);
    feed(ed, 'dra');
    feed(ed, UP);
    expect(state(ed)).toBe('two|');
    feed(ed, UP);
    expect(ed.line).toBe('one');
    expect(ed.key(UP)).toEqual({ kind: 'none' });
    feed(ed, `${DOWN}${DOWN}`);
    expect(state(ed)).toBe('dra|');
    expect(ed.key(DOWN)).toEqual({ kind: 'none' });
  });

  test('submitted lines are appended, blank lines and immediate repeats are not', () => {
    const ed = new LineEditor(['a']);
    feed(ed, 'b\r\r   \rb\ra\r');
    expect(ed.history).toEqual(['a', 'b', 'a']);
    feed(ed, `${UP}${UP}`);
    expect(ed.line).toBe('b');
    // Editing a recalled line and submitting it adds the edited line.
    feed(ed, 'c\r');
    expect(ed.history).toEqual(['a', 'b', 'a', 'bc']);
  });

  test('history is capped at its limit, keeping the newest', () => {
    const ed = new LineEditor(['1', '2', '3'], 3);
    expect(ed.history).toEqual(['1', '2', '3']);
    feed(ed, '4\r');
    expect(ed.history).toEqual(['2', '3', '4']);
  });
});

describe('completion', () => {
  test('one candidate completes the word and adds a space', () => {
    const ed = new LineEditor();
    feed(ed, 'docker serv');
    expect(ed.applyCompletion({ start: 7, end: 11, candidates: ['service'] })).toEqual({ kind: 'inserted' });
    expect(state(ed)).toBe('docker service |');
  });

  test('scale targets end in "=" and get no space', () => {
    const ed = new LineEditor();
    feed(ed, 'docker service scale re');
    ed.applyCompletion({ start: 21, end: 23, candidates: ['redis='] });
    expect(state(ed)).toBe('docker service scale redis=|');
  });

  test('several candidates insert their common prefix, then are listed', () => {
    const ed = new LineEditor();
    feed(ed, 'ssh w');
    expect(ed.applyCompletion({ start: 4, end: 5, candidates: ['worker1', 'worker2'] })).toEqual({ kind: 'inserted' });
    expect(state(ed)).toBe('ssh worker|');
    expect(ed.applyCompletion({ start: 4, end: 10, candidates: ['worker1', 'worker2'] })).toEqual({
      kind: 'list',
      candidates: ['worker1', 'worker2'],
    });
    expect(state(ed)).toBe('ssh worker|');
  });

  test('completing mid-line keeps the rest', () => {
    const ed = new LineEditor();
    feed(ed, `docker no ls${LEFT}${LEFT}${LEFT}`);
    ed.applyCompletion({ start: 7, end: 9, candidates: ['node'] });
    expect(state(ed)).toBe('docker node |ls');
  });

  test('a stale answer (the line changed meanwhile) is ignored', () => {
    const ed = new LineEditor();
    feed(ed, 'docker serv');
    const answer = { start: 7, end: 11, candidates: ['service'] };
    feed(ed, BS);
    expect(ed.applyCompletion(answer)).toEqual({ kind: 'none' });
    expect(ed.line).toBe('docker ser');
  });
});

describe('renderLine', () => {
  test('a short line: clear, write, put the cursor back', () => {
    expect(renderLine('$ ', 'abc', 1, 80, 0)).toEqual({ text: '\r\x1b[J$ abc\r\x1b[3C', cursorRow: 0 });
  });

  test('a wrapped line moves up to the prompt row first and back to the cursor row', () => {
    // prompt 2 + 15 chars on 10 columns: rows 0-1; cursor at index 12 -> cell 14 -> row 1 col 4.
    const r = renderLine('$ ', 'abcdefghijklmno', 12, 10, 1);
    expect(r).toEqual({ text: '\x1b[1A\r\x1b[J$ abcdefghijklmno\r\x1b[4C', cursorRow: 1 });
    // Cursor at the start of a two-row line: back up one row after writing.
    expect(renderLine('$ ', 'abcdefghijklmno', 0, 10, 1)).toEqual({ text: '\x1b[1A\r\x1b[J$ abcdefghijklmno\x1b[1A\r\x1b[2C', cursorRow: 0 });
  });

  test('a line that exactly fills its row moves the cursor to the next row', () => {
    const r = renderLine('$ ', 'abcdefgh', 8, 10, 0);
    expect(r).toEqual({ text: '\r\x1b[J$ abcdefgh\r\n\r', cursorRow: 1 });
  });

  test('wide characters take two cells', () => {
    expect(renderLine('$ ', '滚动x', 2, 80, 0).text.endsWith('\r\x1b[6C')).toBe(true);
  });
});
